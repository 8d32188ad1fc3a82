// LookupEvents → the event store, through the real CloudTrail client against the sandbox: every
// event of the window arrives once, a second sync does not refetch, throttling is survived, the
// pacer keeps AWS's 2 requests/second, and an AccessDenied Decrypt without resources lands on its key.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { RunningSandbox } from "../../sandbox/index";
import type { ScanResult } from "../inventory/types.shared";
import { DEMO_TARGETS, scannedDemo } from "../posture/testing";
import { db } from "../store/db";

import { inventoryIndex } from "./correlate";
import { secretIndex } from "./normalize";
import { syncLookupEvents } from "./sources/lookup";
import { countEvents, eventPage, histogram } from "./store";

const ACCOUNT = "111122223333";
const TARGETS = DEMO_TARGETS;
const END = Date.parse("2026-11-01T00:00:00Z");
const SINCE = END - 3 * 86_400_000;

let demo: Awaited<ReturnType<typeof scannedDemo>>;
let sb: RunningSandbox;
let scan: ScanResult;

beforeAll(async () => {
  demo = await scannedDemo({ trafficEnd: new Date(END) });
  ({ sb, scan } = demo);
});
afterAll(() => demo.close());

const freshDb = () => db(mkdtempSync(join(tmpdir(), "kw-events-")));
const options = () => ({ targets: TARGETS, since: SINCE, until: END, inventory: inventoryIndex(scan.resources), secrets: secretIndex(scan.secrets), tps: 200 });

/** What the sandbox holds for the window and names, to compare with. */
function expected(names: string[]): number {
  let n = 0;
  for (const [k, list] of sb.state.events) {
    if (!k.startsWith(ACCOUNT)) continue;
    n += list.filter((e) => e.time >= SINCE && e.time < END && names.includes(e.eventName)).length;
  }
  return n;
}

describe("LookupEvents sync", () => {
  it("stores every event of the window once; a second sync inserts nothing and reads only the overlap", async () => {
    const d = freshDb();
    const names = ["Decrypt", "GenerateDataKey", "GetSecretValue", "PutKeyPolicy"] as const;
    const first = await syncLookupEvents(d, { ...options(), names });
    expect(first.errors).toEqual([]);
    const want = expected([...names]);
    expect(want).toBeGreaterThan(100);
    expect(countEvents(d)).toBe(want);
    expect(first.inserted).toBe(want);
    expect(first.calls).toBeGreaterThanOrEqual(Math.ceil(want / 50));

    const second = await syncLookupEvents(d, { ...options(), names });
    expect(second.inserted).toBe(0);
    expect(second.fetched).toBeLessThan(first.fetched / 10);
    expect(countEvents(d)).toBe(want);
  });

  it("ties events to resources and recovers the key of an AccessDenied Decrypt that names no resource", async () => {
    const d = freshDb();
    await syncLookupEvents(d, { ...options(), names: ["Decrypt", "GenerateDataKey"] });
    const denied = eventPage(d, { from: SINCE, to: END, eventName: ["Decrypt"], errorCode: "AccessDenied" }, { limit: 500 }).events;
    expect(denied.length).toBeGreaterThan(0);
    for (const e of denied) {
      expect(e.keyArn).toMatch(/^arn:aws:kms:[a-z0-9-]+:\d{12}:key\//);
      const raw = (await import("./store")).getEvent(d, e.eventID)!.raw as { resources?: unknown; requestParameters: unknown };
      expect(raw.resources).toBeUndefined();
      expect(raw.requestParameters).toBeNull();
    }
    const all = eventPage(d, { from: SINCE, to: END }, { limit: 5000 }).events;
    const linked = all.filter((e) => e.resourceArn);
    expect(linked.length / all.length).toBeGreaterThan(0.8);
    expect(new Set(linked.map((e) => e.correlation))).toContain("encryption context");
    const h = histogram(d, { from: SINCE, to: END });
    expect(h.total).toBe(all.length);
    expect(h.buckets.reduce((n, b) => n + Object.values(b.counts).reduce((a, c) => a + c, 0), 0)).toBe(all.length);
  });

  it("recovers from throttling and still stores everything", async () => {
    const d = freshDb();
    const put = (body: unknown) => fetch(`${sb.url}/_sandbox/faults`, { method: "PUT", body: JSON.stringify(body) });
    await put([{ service: "cloudtrail", operation: "LookupEvents", rateLimit: 2 }]);
    try {
      const r = await syncLookupEvents(d, { ...options(), names: ["PutKeyPolicy", "GetSecretValue", "DescribeKey", "CreateGrant"], tps: 50 });
      expect(r.errors).toEqual([]);
      expect(r.throttled).toBeGreaterThan(0);
      expect(countEvents(d)).toBe(expected(["PutKeyPolicy", "GetSecretValue", "DescribeKey", "CreateGrant"]));
    } finally {
      await put([]);
    }
  });

  it("keeps to 2 requests per second per account and region by default", async () => {
    const d = freshDb();
    const t = Date.now();
    const r = await syncLookupEvents(d, {
      ...options(),
      targets: [TARGETS[0]],
      names: ["EnableKey", "DisableKey", "CancelKeyDeletion", "RetireGrant", "RevokeGrant", "RotateSecret"],
      tps: undefined,
    });
    const seconds = (Date.now() - t) / 1000;
    // The bucket starts full (2 tokens); every further call waits half a second.
    expect(seconds).toBeGreaterThanOrEqual((r.calls - 2) / 2 - 0.1);
  });

  it("never asks for more than CloudTrail's 90 days of history", async () => {
    const d = freshDb();
    const r = await syncLookupEvents(d, { ...options(), since: END - 200 * 86_400_000, names: ["GetSecretValue", "DescribeKey"] });
    expect(r.errors).toEqual([]);
    const oldest = eventPage(d, { from: 0, to: END }, { limit: 100_000 }).events.map((e) => Date.parse(e.eventTime));
    expect(oldest.length).toBeGreaterThan(0);
    expect(Math.min(...oldest)).toBeGreaterThanOrEqual(END - 90 * 86_400_000);
  });

  it("reports a region it cannot read and goes on with the others", async () => {
    const d = freshDb();
    const put = (body: unknown) => fetch(`${sb.url}/_sandbox/faults`, { method: "PUT", body: JSON.stringify(body) });
    await put([{ service: "cloudtrail", region: "eu-west-1", accessDenied: true }]);
    try {
      const r = await syncLookupEvents(d, { ...options(), names: ["Decrypt"] });
      expect(r.errors.length).toBeGreaterThan(0);
      expect(r.errors.every((e) => e.region === "eu-west-1" && /AccessDenied/.test(e.code))).toBe(true);
      expect(countEvents(d)).toBeGreaterThan(0);
    } finally {
      await put([]);
    }
  });
});
