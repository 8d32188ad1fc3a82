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
import { listAudit } from "../auth/audit";
import { KeywardConfig } from "../config/schema";

import { inventoryIndex } from "./correlate";
import { normalizeRecord, secretIndex } from "./normalize";
import { applyRetention, retentionPreview } from "./retention";
import { syncLookupEvents } from "./sources/lookup";
import { countEvents, eventPage, getEvent, histogram, insertEvents } from "./store";
import { runEventSync } from "./sync-service";

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

describe("retention after a sync", () => {
  const cfgFor = (dataDir: string, retention: Record<string, number | null> = {}) =>
    KeywardConfig.parse({ accounts: [{ id: ACCOUNT, regions: ["us-east-1", "eu-west-1"] }], dataDir, events: { retentionDays: 30, retention, firstSyncDays: 3 } });
  const old = (id: string, source: string, daysAgo: number) => {
    const n = normalizeRecord({
      eventID: id,
      eventTime: new Date(Date.now() - daysAgo * 86_400_000).toISOString(),
      eventSource: "kms.amazonaws.com",
      eventName: "Decrypt",
      awsRegion: "us-east-1",
      recipientAccountId: ACCOUNT,
      userIdentity: { type: "AWSService", invokedBy: "bedrock.amazonaws.com" },
    });
    return [n, source] as const;
  };
  const seed = (dataDir: string) => {
    const d = db(dataDir);
    for (const [n, source] of [old("old-lookup", "lookup", 200), old("old-file", "file", 730), old("recent-lookup", "lookup", 2)]) insertEvents(d, [n], source);
    return d;
  };

  it("a sync in which every lookup failed deletes nothing", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "kw-retention-"));
    const d = seed(dataDir);
    const put = (body: unknown) => fetch(`${sb.url}/_sandbox/faults`, { method: "PUT", body: JSON.stringify(body) });
    await put([{ service: "cloudtrail", accessDenied: true }]);
    try {
      const r = await runEventSync(d, cfgFor(dataDir), { since: END - 86_400_000, actor: "alice" });
      expect(r.errors.length).toBeGreaterThan(0);
      expect(r.purge).toBeNull();
      expect(countEvents(d)).toBe(3);
      expect(listAudit(dataDir, { limit: 10 }).filter((a) => a.action === "retention-purge")).toEqual([]);
    } finally {
      await put([]);
    }
  });

  it("a clean sync deletes only its own source's old events, never imported files by default, and writes the purge to the audit log", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "kw-retention-"));
    const d = seed(dataDir);
    const cfg = cfgFor(dataDir);
    const preview = retentionPreview(d, cfg);
    expect(preview.find((p) => p.source === "lookup")).toMatchObject({ days: 30, stored: 2, wouldDelete: 1 });
    expect(preview.find((p) => p.source === "file")).toMatchObject({ days: null, stored: 1, wouldDelete: 0 });
    const r = await runEventSync(d, cfg, { since: Date.now() - 86_400_000, actor: "alice" });
    expect(r.errors).toEqual([]);
    expect(r.purge).toMatchObject({ source: "lookup", days: 30, deleted: 1 });
    expect(getEvent(d, "old-lookup")).toBeUndefined();
    expect(getEvent(d, "old-file")).toBeDefined();
    expect(getEvent(d, "recent-lookup")).toBeDefined();
    const entry = listAudit(dataDir, { limit: 10 }).find((a) => a.action === "retention-purge");
    expect(entry).toMatchObject({ actor: "alice", outcome: "success" });
    expect(entry!.detail).toMatch(/^deleted 1 lookup event from \d{4}-.*Z to \d{4}-.*Z \(retention 30 days\)$/);
  });

  it("imported files follow events.retention.file once it is set", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "kw-retention-"));
    const d = seed(dataDir);
    const cfg = cfgFor(dataDir, { file: 365 });
    expect(retentionPreview(d, cfg).find((p) => p.source === "file")).toMatchObject({ days: 365, wouldDelete: 1 });
    expect(applyRetention(d, cfg, "file", "cli")).toMatchObject({ deleted: 1 });
    expect(getEvent(d, "old-file")).toBeUndefined();
    expect(getEvent(d, "old-lookup")).toBeDefined();
  });
});
