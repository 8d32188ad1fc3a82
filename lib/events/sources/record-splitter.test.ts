import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { RecordSplitter, SplitError } from "./record-splitter";

/** Feeds `text` in the given piece sizes and returns the records' parsed values. */
function split(text: string, sizes: number[]): { records: unknown[]; keys: string[] } {
  const s = new RecordSplitter();
  const records: unknown[] = [];
  let i = 0;
  let k = 0;
  while (i < text.length) {
    const n = Math.max(1, sizes[k++ % sizes.length] ?? text.length);
    s.push(text.slice(i, i + n), (r) => records.push(JSON.parse(r)));
    i += n;
  }
  s.end();
  return { records, keys: s.topKeys };
}

describe("record splitter", () => {
  it("yields exactly the Records elements, whatever the other keys, the spacing and the chunking (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue(), { maxLength: 8 }),
        fc.dictionary(
          fc.string().filter((k) => k !== "Records"),
          fc.jsonValue(),
          { maxKeys: 3 },
        ),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 10 }),
        (records, extra, pretty, sizes) => {
          const doc = { ...extra, Records: records };
          const text = JSON.stringify(doc, null, pretty ? 2 : undefined);
          const out = split(text, sizes);
          expect(out.records).toEqual(JSON.parse(JSON.stringify(records)));
          expect(out.keys).toEqual(Object.keys(doc));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("strings with escaped quotes, backslashes and brackets don't confuse it, across any chunk boundary", () => {
    const tricky = { Records: [{ a: 'x\\"]},{"' }, { b: "\\\\", c: "[{" }, "}", ["]"]] };
    const text = JSON.stringify(tricky);
    for (let size = 1; size <= text.length; size++) expect(split(text, [size]).records).toEqual(tricky.Records);
  });

  it("a byte-order mark is skipped; truncated, non-object and trailing text are errors", () => {
    expect(split(`\uFEFF{"Records":[1]}`, [3]).records).toEqual([1]);
    expect(() => split(`{"Records":[{"a":1},`, [5])).toThrow(/truncated/);
    expect(() => split(`[1,2]`, [5])).toThrow(SplitError);
    expect(() => split(`{"Records":[]} x`, [5])).toThrow(/after the end/);
    expect(() => split(``, [5])).toThrow(/empty/);
  });
});
