import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { db } from "../store/db";

import { type DetectionContext, DETECTIONS, runDetections } from "./detections";
import { insertEvents, type StoredInput } from "./store";

const ACCOUNT = "111122223333";
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/BedrockAgentRole`;
const AGENT = `arn:aws:bedrock:us-east-1:${ACCOUNT}:agent/AGENT12345`;
const SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:salesforce-AbCdEf`;
const PROVIDER = `arn:aws:bedrock-agentcore:us-east-1:${ACCOUNT}:token-vault/default/oauth2credentialprovider/salesforce`;
const T0 = Date.parse("2026-10-01T12:00:00Z");
const DAY = 86_400_000;
const RANGE = { from: T0, to: T0 + DAY };
const CTX: DetectionContext = { agentSecrets: new Map([[SECRET, PROVIDER]]), executionRoles: new Map([[ROLE, AGENT]]), inside: new Set([ACCOUNT]) };

let n = 0;
function ev(p: Partial<StoredInput> & { at: number }): StoredInput {
  const { at, ...rest } = p;
  const base: StoredInput = {
    eventID: `e-${++n}`,
    eventTime: at,
    account: ACCOUNT,
    region: "us-east-1",
    eventSource: "kms.amazonaws.com",
    eventName: "Decrypt",
    principalArn: "bedrock.amazonaws.com",
    principalType: "AWSService",
    invokedBy: "bedrock.amazonaws.com",
    sourceIPAddress: "bedrock.amazonaws.com",
    keyArn: KEY,
    raw: {},
    ...rest,
  };
  base.raw = { eventSource: base.eventSource, requestParameters: (p.raw as { requestParameters?: unknown } | undefined)?.requestParameters ?? null };
  return base;
}

/** Normal baseline: the agent's service role uses the key every hour from 08:00 to 18:00 UTC for 20 days. */
function baseline(): StoredInput[] {
  const out: StoredInput[] = [];
  for (let day = 20; day >= 1; day--)
    for (let h = 8; h <= 18; h++)
      out.push(ev({ at: T0 - day * DAY + (h - 12) * 3_600_000, principalArn: ROLE, principalType: "AssumedRole", sourceIPAddress: "bedrock.amazonaws.com" }));
  return out;
}

function run(events: StoredInput[]) {
  const d = db(mkdtempSync(join(tmpdir(), "kw-det-")));
  insertEvents(d, [...baseline(), ...events], "test");
  return runDetections(d, RANGE, CTX);
}
const ids = (events: StoredInput[]) => [...new Set(run(events).map((x) => x.id))].sort();

describe("detections", () => {
  it("a normal day raises nothing", () => {
    expect(ids([ev({ at: T0 + 3_600_000, principalArn: ROLE, principalType: "AssumedRole" }), ev({ at: T0 + 2 * 3_600_000 })])).toEqual([]);
  });

  it("KW-DET-01: five refused calls within 10 minutes, not four, not spread out", () => {
    const denied = (k: number, gapMs: number) =>
      Array.from({ length: k }, (_, i) => ev({ at: T0 + i * gapMs, errorCode: "AccessDenied", principalArn: ROLE, principalType: "AssumedRole" }));
    const hit = run(denied(5, 60_000)).filter((x) => x.id === "KW-DET-01");
    expect(hit).toHaveLength(1);
    expect(hit[0]).toMatchObject({ keyArn: KEY, count: 5, filters: { key: KEY, errorCode: "any" } });
    expect(ids(denied(4, 60_000))).not.toContain("KW-DET-01");
    expect(ids(denied(6, 15 * 60_000))).not.toContain("KW-DET-01");
  });

  it("KW-DET-02: a principal new to the key; a known one is not", () => {
    const stranger = `arn:aws:iam::${ACCOUNT}:role/ContractorRole`;
    const hit = run([ev({ at: T0 + 3_600_000, principalArn: stranger, principalType: "AssumedRole", sourceIPAddress: "bedrock.amazonaws.com" })]).filter(
      (x) => x.id === "KW-DET-02",
    );
    expect(hit.map((x) => x.principalArn)).toEqual([stranger]);
    expect(ids([ev({ at: T0 + 3_600_000, principalArn: ROLE, principalType: "AssumedRole" })])).not.toContain("KW-DET-02");
    // A scanner reading the key's metadata is not use of the key.
    expect(
      ids([ev({ at: T0 + 3_600_000, eventName: "DescribeKey", principalArn: `arn:aws:iam::${ACCOUNT}:root`, principalType: "Root", sourceIPAddress: "203.0.113.50" })]),
    ).toEqual([]);
  });

  it("KW-DET-03: a new source network; AWS service callers and a new address in a known network do not count", () => {
    const hit = run([ev({ at: T0 + 3_600_000, principalArn: ROLE, principalType: "AssumedRole", sourceIPAddress: "203.0.113.9", invokedBy: undefined })]).filter(
      (x) => x.id === "KW-DET-03",
    );
    expect(hit.map((x) => x.summary)).toEqual([expect.stringMatching(/^network 203\.0\.113\.0\/24 \(203\.0\.113\.9\)/)]);
    expect(ids([ev({ at: T0 + 3_600_000, sourceIPAddress: "bedrock.amazonaws.com" })])).not.toContain("KW-DET-03");
    const known = ev({ at: T0 - 10 * DAY, principalArn: ROLE, principalType: "AssumedRole", sourceIPAddress: "10.0.1.7", invokedBy: undefined });
    expect(ids([known, ev({ at: T0 + 3_600_000, principalArn: ROLE, principalType: "AssumedRole", sourceIPAddress: "10.0.1.99", invokedBy: undefined })])).not.toContain(
      "KW-DET-03",
    );
  });

  it("KW-DET-02/03 need a baseline of at least a week for the key", () => {
    const d = db(mkdtempSync(join(tmpdir(), "kw-det-short-")));
    const shortBaseline = [1, 2, 3].map((day) => ev({ at: T0 - day * DAY, principalArn: ROLE, principalType: "AssumedRole" }));
    insertEvents(
      d,
      [...shortBaseline, ev({ at: T0 + 3_600_000, principalArn: `arn:aws:iam::${ACCOUNT}:role/New`, principalType: "AssumedRole", sourceIPAddress: "198.51.100.1" })],
      "test",
    );
    expect(runDetections(d, RANGE, CTX).map((x) => x.id)).toEqual([]);
  });

  it("KW-DET-04: three uses at an hour the key is never used; two are not enough", () => {
    const at3 = (k: number) => Array.from({ length: k }, (_, i) => ev({ at: T0 + 15 * 3_600_000 + i * 60_000, principalArn: ROLE, principalType: "AssumedRole" }));
    expect(ids(at3(3))).toContain("KW-DET-04");
    expect(ids(at3(2))).not.toContain("KW-DET-04");
  });

  it("KW-DET-05: PutKeyPolicy by a person with before/after, ScheduleKeyDeletion, an outside grant; a service's own change and an inside grant are not", () => {
    const admin = `arn:aws:iam::${ACCOUNT}:role/KeyAdminRole`;
    const before = ev({ at: T0 - 2 * DAY, eventName: "PutKeyPolicy", principalArn: admin, principalType: "AssumedRole", raw: { requestParameters: { policy: '{"v":1}' } } });
    const after = ev({ at: T0 + 3_600_000, eventName: "PutKeyPolicy", principalArn: admin, principalType: "AssumedRole", raw: { requestParameters: { policy: '{"v":2}' } } });
    const hits = run([
      before,
      after,
      ev({ at: T0 + 2 * 3_600_000, eventName: "ScheduleKeyDeletion", principalArn: admin, principalType: "AssumedRole" }),
      ev({
        at: T0 + 3 * 3_600_000,
        eventName: "CreateGrant",
        principalArn: admin,
        principalType: "AssumedRole",
        raw: { requestParameters: { granteePrincipal: "arn:aws:iam::444455556666:role/X" } },
      }),
      ev({ at: T0 + 4 * 3_600_000, eventName: "CreateGrant", principalArn: admin, principalType: "AssumedRole", raw: { requestParameters: { granteePrincipal: ROLE } } }),
      ev({ at: T0 + 5 * 3_600_000, eventName: "DisableKey", principalType: "AWSService" }),
    ]).filter((x) => x.id === "KW-DET-05");
    expect(hits.map((x) => x.summary.split(" ")[0]).sort()).toEqual(["CreateGrant", "PutKeyPolicy", "ScheduleKeyDeletion"]);
    expect(hits.find((x) => x.summary.startsWith("PutKeyPolicy"))!.details).toEqual({ before: '{"v":1}', after: '{"v":2}' });
  });

  it("KW-DET-06: an agent's secret read by a user; the AgentCore identity role and other secrets are fine", () => {
    const read = (principal: string, secret = SECRET) =>
      ev({
        at: T0 + 3_600_000,
        eventSource: "secretsmanager.amazonaws.com",
        eventName: "GetSecretValue",
        keyArn: undefined,
        secretArn: secret,
        principalArn: principal,
        principalType: "IAMUser",
      });
    const hit = run([read(`arn:aws:iam::${ACCOUNT}:user/jdoe`)]).filter((x) => x.id === "KW-DET-06");
    expect(hit).toMatchObject([{ resourceArn: PROVIDER, principalArn: `arn:aws:iam::${ACCOUNT}:user/jdoe` }]);
    expect(ids([read(`arn:aws:iam::${ACCOUNT}:role/AgentCoreIdentityRole`)])).not.toContain("KW-DET-06");
    expect(ids([read(`arn:aws:iam::${ACCOUNT}:user/jdoe`, `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:other-XyZ123`)])).not.toContain("KW-DET-06");
  });

  it("KW-DET-07: an execution role calling from an IP; through its service it is fine", () => {
    expect(ids([ev({ at: T0 + 3_600_000, principalArn: ROLE, principalType: "AssumedRole", invokedBy: undefined, sourceIPAddress: "198.51.100.7" })])).toContain("KW-DET-07");
    expect(
      ids([ev({ at: T0 + 3_600_000, principalArn: ROLE, principalType: "AssumedRole", invokedBy: "bedrock.amazonaws.com", sourceIPAddress: "bedrock.amazonaws.com" })]),
    ).not.toContain("KW-DET-07");
  });

  it("KW-DET-08: excluding KMS events, write-only, StopLogging; an unrelated selector change is fine", () => {
    const trail = (eventName: string, requestParameters: unknown) =>
      ev({
        at: T0 + 3_600_000,
        eventSource: "cloudtrail.amazonaws.com",
        eventName,
        keyArn: undefined,
        principalArn: ROLE,
        principalType: "AssumedRole",
        raw: { requestParameters },
      });
    expect(ids([trail("PutEventSelectors", { trailName: "main", eventSelectors: [{ readWriteType: "All", excludeManagementEventSources: ["kms.amazonaws.com"] }] })])).toContain(
      "KW-DET-08",
    );
    expect(ids([trail("PutEventSelectors", { trailName: "main", eventSelectors: [{ readWriteType: "WriteOnly" }] })])).toContain("KW-DET-08");
    expect(ids([trail("StopLogging", { name: "main" })])).toContain("KW-DET-08");
    expect(ids([trail("PutEventSelectors", { trailName: "main", eventSelectors: [{ readWriteType: "All", includeManagementEvents: true }] })])).not.toContain("KW-DET-08");
  });

  it("every detection has an id, a title and the public rule it relates to", () => {
    expect(DETECTIONS.map((x) => x.id)).toEqual(["KW-DET-01", "KW-DET-02", "KW-DET-03", "KW-DET-04", "KW-DET-05", "KW-DET-06", "KW-DET-07", "KW-DET-08", "KW-DET-09"]);
    for (const x of DETECTIONS) expect(x.reference.length).toBeGreaterThan(20);
  });
});
