import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

import { describe, expect, it } from "vitest";

import { db } from "../store/db";

import { inventoryIndex } from "./correlate";
import { importLogFiles } from "./sources/files";
import { eventPage } from "./store";

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

describe("CloudTrail log file import", () => {
  it("imports gzipped and plain files from nested folders, keeps the collected events, skips bad files, and never duplicates", () => {
    const dir = mkdtempSync(join(tmpdir(), "kw-logs-"));
    mkdirSync(join(dir, "AWSLogs/111122223333/CloudTrail/us-east-1/2026/10/01"), { recursive: true });
    const day = join(dir, "AWSLogs/111122223333/CloudTrail/us-east-1/2026/10/01");
    writeFileSync(join(day, "a.json.gz"), gzipSync(JSON.stringify({ Records: [record(1), record(2), record(3, "ListAliases"), record(4, "GetObject", "s3.amazonaws.com")] })));
    writeFileSync(join(day, "b.json"), JSON.stringify({ Records: [record(5, "GenerateDataKey"), record(1)] }));
    writeFileSync(join(day, "broken.json.gz"), Buffer.from("not gzip at all"));
    writeFileSync(join(day, "other.json"), JSON.stringify({ hello: "world" }));
    const d = db(mkdtempSync(join(tmpdir(), "kw-import-")));
    const inventory = inventoryIndex([{ arn: "arn:aws:bedrock:us-east-1:111122223333:agent/A1", kind: "bedrock-agent", key: { arn: KEY, type: "customer" }, secrets: [] }]);
    const r = importLogFiles(d, dir, { inventory });
    expect(r).toMatchObject({ files: 4, records: 6, kept: 4, inserted: 3 });
    expect(r.errors.map((e) => e.file.split("/").pop())).toEqual(["broken.json.gz", "other.json"]);
    const events = eventPage(d, { from: 0, to: Date.now() }, { limit: 10 }).events;
    expect(events.map((e) => e.eventName).sort()).toEqual(["Decrypt", "Decrypt", "GenerateDataKey"]);
    expect(events.every((e) => e.resourceArn === "arn:aws:bedrock:us-east-1:111122223333:agent/A1" && e.correlation === "service + key")).toBe(true);
    expect(importLogFiles(d, dir, { inventory }).inserted).toBe(0);
  });
});
