// CloudTrail log-file import. File and record shapes:
//  [1] AWS CloudTrail User Guide, "CloudTrail log file examples": a log file is {"Records": [...]},
//      delivered gzipped to AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_..._ID.json.gz
//  [2] AWS CloudTrail User Guide, "CloudTrail digest file structure": digest files are delivered under
//      AWSLogs/ACCOUNT/CloudTrail-Digest/…/ACCOUNT_CloudTrail-Digest_REGION_…Z.json.gz and hold awsAccountId,
//      digestStartTime, digestEndTime, digestS3Bucket, digestS3Object, …, logFiles[] — no Records
//  [3] AWS CloudTrail User Guide, "Working with CloudTrail Insights": Insights events are delivered under
//      CloudTrail-Insight/ with eventType "AwsCloudTrailInsight" and an insightDetails object
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

import { describe, expect, it } from "vitest";

import { db } from "../store/db";

import { inventoryIndex } from "./correlate";
import { importLogFiles } from "./sources/files";
import { eventPage, histogram } from "./store";

const KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const record = (i: number, eventName = "Decrypt", eventSource = "kms.amazonaws.com") => ({
  eventVersion: "1.11",
  userIdentity: { type: "AWSService", invokedBy: "bedrock.amazonaws.com" },
  eventTime: `2026-10-0${1 + (i % 9)}T10:00:00Z`,
  eventSource,
  eventName,
  awsRegion: "us-east-1",
  sourceIPAddress: "bedrock.amazonaws.com",
  requestParameters: { encryptionAlgorithm: "SYMMETRIC_DEFAULT" },
  eventID: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
  resources: [{ ARN: KEY, accountId: "111122223333", type: "AWS::KMS::Key" }],
  recipientAccountId: "111122223333",
});
const inventory = inventoryIndex([{ arn: "arn:aws:bedrock:us-east-1:111122223333:agent/A1", kind: "bedrock-agent", key: { arn: KEY, type: "customer" }, secrets: [] }]);
const store = () => db(mkdtempSync(join(tmpdir(), "kw-import-")));
const dayDir = (root: string) => {
  const day = join(root, "AWSLogs/111122223333/CloudTrail/us-east-1/2026/10/01");
  mkdirSync(day, { recursive: true });
  return day;
};

describe("CloudTrail log file import", () => {
  it("[1] imports gzipped and plain files from nested folders, keeps the collected events, reports bad files, and never duplicates", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kw-logs-"));
    const day = dayDir(dir);
    writeFileSync(join(day, "a.json.gz"), gzipSync(JSON.stringify({ Records: [record(1), record(2), record(3, "ListAliases"), record(4, "GetObject", "s3.amazonaws.com")] })));
    writeFileSync(join(day, "b.json"), JSON.stringify({ Records: [record(5, "GenerateDataKey"), record(1)] }));
    writeFileSync(join(day, "broken.json.gz"), Buffer.from("not gzip at all"));
    writeFileSync(join(day, "other.json"), JSON.stringify({ hello: "world" }));
    const d = store();
    const r = await importLogFiles(d, dir, { inventory });
    expect(r).toMatchObject({ files: 4, logFiles: 2, records: 6, kept: 4, inserted: 3, otherRecords: 2 });
    expect(r.errors.map((e) => e.file.split("/").pop())).toEqual(["broken.json.gz", "other.json"]);
    expect(r.errors[1].message).toMatch(/no Records/);
    const events = eventPage(d, { from: 0, to: Date.now() }, { limit: 10 }).events;
    expect(events.map((e) => e.eventName).sort()).toEqual(["Decrypt", "Decrypt", "GenerateDataKey"]);
    expect(events.every((e) => e.resourceArn === "arn:aws:bedrock:us-east-1:111122223333:agent/A1" && e.correlation === "service + key")).toBe(true);
    expect((await importLogFiles(d, dir, { inventory })).inserted).toBe(0);
  });

  it("the writer thread and the inline writer store the same events and counts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kw-logs-"));
    const day = dayDir(dir);
    for (let f = 0; f < 3; f++) writeFileSync(join(day, `f${f}.json.gz`), gzipSync(JSON.stringify({ Records: Array.from({ length: 4000 }, (_, i) => record(f * 4000 + i)) })));
    const threaded = store();
    const inline = store();
    const a = await importLogFiles(threaded, dir, { inventory, writer: "thread" });
    const b = await importLogFiles(inline, dir, { inventory, writer: "inline" });
    expect(a).toEqual(b);
    expect(a.inserted).toBe(12_000);
    const all = (d: ReturnType<typeof store>) => eventPage(d, { from: 0, to: Date.now() }, { limit: 20_000 }).events;
    expect(all(threaded)).toEqual(all(inline));
    expect(histogram(threaded, { from: 0, to: Date.now() }).total).toBe(12_000);
  });

  it("a broken link is one file's error: the files around it are imported", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kw-logs-"));
    const day = dayDir(dir);
    writeFileSync(join(day, "a.json"), JSON.stringify({ Records: [record(1)] }));
    symlinkSync(join(day, "gone.json.gz"), join(day, "b-link.json.gz"));
    writeFileSync(join(day, "c.json"), JSON.stringify({ Records: [record(2)] }));
    const r = await importLogFiles(store(), dir, { inventory });
    expect(r).toMatchObject({ files: 3, logFiles: 2, inserted: 2 });
    expect(r.errors).toEqual([{ file: join(day, "b-link.json.gz"), message: "cannot be read: it does not exist (a broken link?)" }]);
  });

  it("[2] [3] digest and Insights files are recognized and counted, not reported as broken; a digest-only folder is not a failure", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kw-logs-"));
    const digestDir = join(dir, "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/10/01");
    const insightDir = join(dir, "AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2026/10/01");
    mkdirSync(digestDir, { recursive: true });
    mkdirSync(insightDir, { recursive: true });
    const digest = {
      awsAccountId: "111122223333",
      digestStartTime: "2026-10-01T09:00:00Z",
      digestEndTime: "2026-10-01T10:00:00Z",
      digestS3Bucket: "trail-bucket",
      digestS3Object: "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/10/01/111122223333_CloudTrail-Digest_us-east-1_main_us-east-1_20261001T100000Z.json.gz",
      digestPublicKeyFingerprint: "0123456789abcdef0123456789abcdef",
      digestSignatureAlgorithm: "SHA256withRSA",
      newestEventTime: "2026-10-01T09:59:00Z",
      oldestEventTime: "2026-10-01T09:00:05Z",
      previousDigestS3Bucket: null,
      previousDigestS3Object: null,
      previousDigestHashValue: null,
      previousDigestHashAlgorithm: null,
      previousDigestSignature: null,
      logFiles: [
        {
          s3Bucket: "trail-bucket",
          s3Object: "AWSLogs/…/a.json.gz",
          hashValue: "abc",
          hashAlgorithm: "SHA-256",
          newestEventTime: "2026-10-01T09:59:00Z",
          oldestEventTime: "2026-10-01T09:00:05Z",
        },
      ],
    };
    writeFileSync(join(digestDir, "111122223333_CloudTrail-Digest_us-east-1_main_us-east-1_20261001T100000Z.json.gz"), gzipSync(JSON.stringify(digest)));
    const d = store();
    const digestOnly = await importLogFiles(d, dir, { inventory });
    expect(digestOnly).toMatchObject({ files: 1, digestFiles: 1, logFiles: 0, errors: [] });
    const insight = {
      eventVersion: "1.08",
      eventTime: "2026-10-01T09:40:00Z",
      awsRegion: "us-east-1",
      eventID: "55ed45c5-0b0c-4228-9fe5-EXAMPLEc3f4d",
      eventType: "AwsCloudTrailInsight",
      recipientAccountId: "111122223333",
      sharedEventID: "12edc982-3348-4794-83d3-EXAMPLE2b0f0",
      insightDetails: { state: "Start", eventSource: "kms.amazonaws.com", eventName: "Decrypt", insightType: "ApiCallRateInsight" },
      eventCategory: "Insight",
    };
    writeFileSync(join(insightDir, "111122223333_CloudTrail-Insight_us-east-1_20261001T0940Z_x.json.gz"), gzipSync(JSON.stringify({ Records: [insight] })));
    const r = await importLogFiles(d, dir, { inventory });
    expect(r).toMatchObject({ files: 2, digestFiles: 1, insightFiles: 1, insightRecords: 1, kept: 0, errors: [] });
  });

  it("a byte-order mark, null records, upper-case and plain .gz names are read; records without an id get a stable one; an unreadable time is counted as not stored", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kw-logs-"));
    const day = dayDir(dir);
    const noId = { ...record(7), eventID: undefined };
    const badTime = { ...record(8), eventTime: "yesterday-ish" };
    writeFileSync(join(day, "A.JSON.GZ"), gzipSync(`\uFEFF${JSON.stringify({ Records: [record(1), null, noId] })}`));
    writeFileSync(join(day, "b.gz"), gzipSync(JSON.stringify({ Records: [record(2), badTime] })));
    writeFileSync(join(day, "notes.txt"), "not a log");
    const d = store();
    const r = await importLogFiles(d, dir, { inventory });
    expect(r).toMatchObject({ files: 2, logFiles: 2, nullRecords: 1, records: 4, kept: 3, inserted: 3, derivedIds: 1, ignoredFiles: 1, errors: [] });
    expect(r.rejected).toEqual({ "no readable eventTime": 1 });
    const derived = eventPage(d, { from: 0, to: Date.now() }, { limit: 10 }).events.filter((e) => e.idDerived);
    expect(derived).toHaveLength(1);
    expect(derived[0].eventID).toMatch(/^derived-[0-9a-f]{32}$/);
    // The same record imported again (keys in another order) gets the same id: nothing new.
    const again = mkdtempSync(join(tmpdir(), "kw-logs-"));
    const reordered = Object.fromEntries(Object.entries(noId).reverse());
    writeFileSync(join(dayDir(again), "c.json"), JSON.stringify({ Records: [reordered] }));
    expect(await importLogFiles(d, again, { inventory })).toMatchObject({ kept: 1, inserted: 0, derivedIds: 1 });
  });

  it("a truncated gzip file keeps the records read before the fault and says so", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kw-logs-"));
    const day = dayDir(dir);
    const many = Array.from({ length: 3000 }, (_, i) => record(i + 10));
    const gz = gzipSync(JSON.stringify({ Records: many }));
    writeFileSync(join(day, "cut.json.gz"), gz.subarray(0, Math.floor(gz.length * 0.6)));
    const r = await importLogFiles(store(), dir, { inventory });
    expect(r.logFiles).toBe(0);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].message).toMatch(/unexpected end of file|truncated/);
    expect(r.inserted).toBeGreaterThan(0);
    expect(r.errors[0].message).toContain(`the ${r.kept} collected records read before the fault were imported`);
  });
});
