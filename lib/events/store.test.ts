import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { db } from "../store/db";

import { type EventFilters, facets, histogram, insertEvents, purgeOlderThan, type StoredInput, topValues } from "./store";

const HOUR = 3_600_000;
const T0 = Date.parse("2026-09-01T00:00:00Z");

function events(n: number): StoredInput[] {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  return Array.from({ length: n }, (_, i) => ({
    eventID: `e${i}`,
    eventTime: T0 + Math.floor(rnd() * 40 * 24 * HOUR),
    account: rnd() < 0.8 ? "111122223333" : "444455556666",
    region: rnd() < 0.5 ? "us-east-1" : "eu-west-1",
    eventSource: "kms.amazonaws.com",
    eventName: ["Decrypt", "GenerateDataKey", "DescribeKey"][Math.floor(rnd() * 3)],
    principalArn: `arn:aws:iam::111122223333:role/R${Math.floor(rnd() * 5)}`,
    keyArn: `arn:aws:kms:us-east-1:111122223333:key/k${Math.floor(rnd() * 4)}`,
    errorCode: rnd() < 0.05 ? "AccessDenied" : undefined,
    raw: {},
  }));
}

describe("event store queries", () => {
  const d = db(mkdtempSync(join(tmpdir(), "kw-store-")));
  insertEvents(d, events(20_000), "test");
  insertEvents(d, events(20_000), "test"); // the same again: nothing is counted twice

  it("the histogram from hourly counts equals the one counted from the events, at uneven range edges", () => {
    const cases: [number, number, Partial<EventFilters>][] = [
      [T0 + 17 * 60_000, T0 + 30 * 24 * HOUR + 42 * 60_000, {}],
      [T0 + 5 * 24 * HOUR + 1, T0 + 12 * 24 * HOUR - 1, { region: "eu-west-1" }],
      [T0 - 3 * HOUR, T0 + 45 * 24 * HOUR, { account: "444455556666", eventName: ["Decrypt", "DescribeKey"] }],
    ];
    for (const [from, to, extra] of cases) {
      const fast = histogram(d, { from, to, ...extra });
      // A principal filter forces the count from the events: add up the five principals.
      const slow = [0, 1, 2, 3, 4]
        .map((i) => histogram(d, { from, to, ...extra, principal: `arn:aws:iam::111122223333:role/R${i}` }))
        .reduce((acc, h) => {
          for (const b of h.buckets) {
            const t = acc.get(b.t) ?? {};
            for (const [k, v] of Object.entries(b.counts)) t[k] = (t[k] ?? 0) + v;
            acc.set(b.t, t);
          }
          return acc;
        }, new Map<number, Record<string, number>>());
      expect(fast.total).toBeGreaterThan(0);
      for (const b of fast.buckets) expect(b.counts, new Date(b.t).toISOString()).toEqual(slow.get(b.t) ?? {});
    }
  });

  it("top principals from the daily counts equal those counted from the events, at uneven range edges", () => {
    for (const [from, to] of [
      [T0 + 7 * HOUR + 13 * 60_000, T0 + 33 * 24 * HOUR + 5 * HOUR],
      [T0 - 5 * 24 * HOUR, T0 + 50 * 24 * HOUR],
    ]) {
      const fast = topValues(d, { from, to }, "principals");
      const slow = topValues(d, { from, to, eventName: ["Decrypt", "GenerateDataKey", "DescribeKey"] }, "principals");
      expect(fast).toEqual(slow);
      expect(fast.reduce((n, x) => n + x.count, 0)).toBeGreaterThan(0);
    }
  });

  it("facets count each field over the range", () => {
    const f = facets(d, { from: T0, to: T0 + 40 * 24 * HOUR });
    expect(f.eventNames.reduce((n, x) => n + x.count, 0)).toBe(20_000);
    expect(f.errorCodes.map((x) => x.value)).toEqual(["AccessDenied"]);
    expect(f.principals).toHaveLength(5);
  });

  it("retention keeps the hourly counts equal to the events", () => {
    const cut = T0 + 10 * 24 * HOUR + 25 * 60_000;
    purgeOlderThan(d, cut);
    const from = T0 - HOUR;
    const to = T0 + 41 * 24 * HOUR;
    const fast = histogram(d, { from, to });
    const slow = histogram(d, {
      from,
      to,
      errorCode: undefined,
      sourceIp: undefined,
      key: undefined,
      principal: undefined,
      resource: undefined,
      secret: undefined,
      account: "111122223333",
    });
    const slow2 = histogram(d, { from, to, account: "444455556666" });
    expect(fast.total).toBe(slow.total + slow2.total);
    expect(fast.total).toBe(facets(d, { from, to }).eventNames.reduce((n, x) => n + x.count, 0));
  });
});
