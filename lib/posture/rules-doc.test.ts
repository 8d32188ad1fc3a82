import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { CATALOGUE } from "./catalogue.shared";
import { renderRulesDoc } from "./rules-doc";

describe("docs/rules.md", () => {
  it("is what the catalogue renders (run npm run docs:rules)", () => {
    expect(readFileSync("docs/rules.md", "utf8")).toBe(renderRulesDoc());
  });
  it("the catalogue has every rule the posture issue names, with unique ids", () => {
    const ids = CATALOGUE.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [
      "KW-ENC-01",
      "KW-KEY-01",
      "KW-KEY-02",
      "KW-KEY-03",
      "KW-KEY-04",
      "KW-KEY-05",
      "KW-KEY-06",
      "KW-POL-01",
      "KW-POL-02",
      "KW-POL-03",
      "KW-POL-04",
      "KW-IAM-01",
      "KW-IAM-02",
      "KW-SEC-01",
      "KW-SEC-02",
      "KW-SEC-03",
      "KW-SEC-04",
      "KW-SEC-05",
      "KW-TRL-01",
      "KW-GRT-01",
    ]) {
      expect(ids).toContain(id);
    }
  });
});
