// Timeline evidence from whole CloudTrail records, through the same path a sync or an import takes
// (normalize → correlate → store → detections). Record shapes and where AWS documents them:
//  [1] AWS CloudTrail User Guide, "CloudTrail userIdentity element": type "AWSAccount" — "the request
//      came from another AWS account"; the element then carries principalId and accountId, no ARN.
//  [2] AWS KMS Developer Guide, "Allowing users in other accounts to use a KMS key": calls from the
//      external account are recorded in the key owner's trail (recipientAccountId is the owner).
//  [3] AWS CloudTrail API Reference, PutEventSelectors: EventSelectors (ReadWriteType,
//      IncludeManagementEvents, ExcludeManagementEventSources) or AdvancedEventSelectors (FieldSelectors
//      with Field and Equals / NotEquals / StartsWith …); trail records write them in camelCase
//      (requestParameters.eventSelectors[].readWriteType …), as in Elastic detection-rules' test data for
//      "AWS CloudTrail Log Updated".
//  [4] AWS CloudTrail API Reference, UpdateTrail (IsMultiRegionTrail, S3BucketName, IncludeGlobalServiceEvents,
//      EnableLogFileValidation); StopLogging (name); DeleteTrail (name).
//  [5] AWS KMS Developer Guide, "How Amazon WorkMail uses AWS KMS" (encryption context aws:workmail:arn),
//      "How Amazon EBS uses AWS KMS" (aws:ebs:id, called by ec2.amazonaws.com), Amazon S3 User Guide
//      "Encryption context" (aws:s3:arn).
//  [6] AWS KMS Developer Guide, "ScheduleKeyDeletion" CloudTrail example: requestParameters {keyId,
//      pendingWindowInDays}, responseElements {keyId (ARN), deletionDate, keyState}; CreateGrant example:
//      requestParameters {keyId, granteePrincipal, operations}.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { db } from "../store/db";

import { correlate, inventoryIndex } from "./correlate";
import { type DetectionContext, runDetections } from "./detections";
import { normalizeRecord, secretIndex } from "./normalize";
import { eventPage, facets, insertEvents } from "./store";

const OWNER = "111122223333";
const PARTNER = "444455556666";
const KEY = `arn:aws:kms:us-east-1:${OWNER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const AGENT = `arn:aws:bedrock:us-east-1:${OWNER}:agent/AGENT12345`;
const T0 = Date.parse("2026-10-01T12:00:00Z");
const DAY = 86_400_000;

const inventory = inventoryIndex([{ arn: AGENT, kind: "bedrock-agent", key: { arn: KEY, type: "customer" }, secrets: [] }]);
const names = secretIndex([], [{ arn: KEY, aliases: ["alias/agents/support"] }]);
const CTX: DetectionContext = { agentSecrets: new Map(), executionRoles: new Map(), inside: new Set([OWNER]) };

let seq = 0;
function kmsRecord(p: Record<string, unknown>): Record<string, unknown> {
  return {
    eventVersion: "1.11",
    userIdentity: { type: "AWSService", invokedBy: "bedrock.amazonaws.com" },
    eventTime: new Date(T0 + ++seq * 60_000).toISOString(),
    eventSource: "kms.amazonaws.com",
    eventName: "Decrypt",
    awsRegion: "us-east-1",
    sourceIPAddress: "bedrock.amazonaws.com",
    userAgent: "bedrock.amazonaws.com",
    requestParameters: { encryptionAlgorithm: "SYMMETRIC_DEFAULT" },
    responseElements: null,
    requestID: `req-${seq}`,
    eventID: `00000000-0000-4000-8000-${String(seq).padStart(12, "0")}`,
    readOnly: true,
    resources: [{ accountId: OWNER, type: "AWS::KMS::Key", ARN: KEY }],
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: OWNER,
    eventCategory: "Management",
    ...p,
  };
}

function store(records: Record<string, unknown>[]) {
  const d = db(mkdtempSync(join(tmpdir(), "kw-evidence-")));
  insertEvents(
    d,
    records.map((r) => {
      const n = normalizeRecord(r, names);
      return { ...n, ...correlate(n, inventory) };
    }),
    "file",
  );
  return d;
}

/** A month of the agent's own use through Bedrock: the baseline the first-use detections compare with. */
const baseline = () => Array.from({ length: 30 }, (_, i) => kmsRecord({ eventTime: new Date(T0 - (i + 2) * DAY).toISOString(), eventID: `baseline-${i}` }));

const AWS_ACCOUNT_CALLER = { type: "AWSAccount", principalId: "AIDAEXAMPLEPARTNER", accountId: PARTNER };

describe("caller identity", () => {
  it("[1][2] a caller from another account named only by its account: stored, shown, exported, and flagged (KW-DET-02, KW-DET-09)", () => {
    const partnerDecrypt = kmsRecord({ userIdentity: AWS_ACCOUNT_CALLER, sourceIPAddress: "203.0.113.10", userAgent: "aws-cli/2.22.0" });
    const n = normalizeRecord(partnerDecrypt, names);
    expect(n).toMatchObject({ principalType: "AWSAccount", principalArn: undefined, callerAccount: PARTNER, account: OWNER, keyArn: KEY });
    const d = store([...baseline(), partnerDecrypt]);
    const page = eventPage(d, { from: T0, to: T0 + DAY }, { limit: 10 }).events;
    expect(page[0]).toMatchObject({ callerAccount: PARTNER, principalType: "AWSAccount" });
    expect(facets(d, { from: T0, to: T0 + DAY }).callerAccounts).toEqual([{ value: PARTNER, count: 1 }]);
    expect(eventPage(d, { from: T0, to: T0 + DAY, callerAccount: PARTNER }, { limit: 10 }).events).toHaveLength(1);
    const found = runDetections(d, { from: T0, to: T0 + DAY }, CTX);
    expect(found.find((x) => x.id === "KW-DET-02")).toMatchObject({ keyArn: KEY, principalArn: `account ${PARTNER}`, filters: { key: KEY, callerAccount: PARTNER } });
    expect(found.find((x) => x.id === "KW-DET-09")).toMatchObject({ keyArn: KEY, filters: { key: KEY, callerAccount: PARTNER } });
    expect(found.find((x) => x.id === "KW-DET-09")!.summary).toContain(`account ${PARTNER} (AWSAccount)`);
  });

  it("an assumed role's account comes from the record; a trusted partner and the owner's own roles raise no KW-DET-09", () => {
    const role = {
      type: "AssumedRole",
      principalId: "AROAEXAMPLE:s",
      arn: `arn:aws:sts::${PARTNER}:assumed-role/Reader/s`,
      accountId: PARTNER,
      sessionContext: { sessionIssuer: { type: "Role", principalId: "AROAEXAMPLE", arn: `arn:aws:iam::${PARTNER}:role/Reader`, accountId: PARTNER, userName: "Reader" } },
    };
    const rec = kmsRecord({ userIdentity: role, sourceIPAddress: "203.0.113.10" });
    expect(normalizeRecord(rec).callerAccount).toBe(PARTNER);
    // No accountId in the element: the account is read from the ARN.
    expect(normalizeRecord(kmsRecord({ userIdentity: { ...role, accountId: undefined, sessionContext: undefined } })).callerAccount).toBe(PARTNER);
    const d = store([rec, kmsRecord({ userIdentity: { ...role, accountId: OWNER, arn: `arn:aws:sts::${OWNER}:assumed-role/App/s`, sessionContext: undefined } })]);
    expect(runDetections(d, { from: T0, to: T0 + DAY }, { ...CTX, inside: new Set([OWNER, PARTNER]) }).map((x) => x.id)).not.toContain("KW-DET-09");
    expect(runDetections(d, { from: T0, to: T0 + DAY }, CTX).filter((x) => x.id === "KW-DET-09")).toHaveLength(1);
  });
});

describe("KW-DET-08: trail changes that stop KMS or Secrets Manager events from being recorded [3][4]", () => {
  const admin = { type: "IAMUser", principalId: "AIDAEXAMPLEADMIN", arn: `arn:aws:iam::${OWNER}:user/admin`, accountId: OWNER, userName: "admin" };
  const trailCall = (eventName: string, requestParameters: unknown) =>
    kmsRecord({
      eventSource: "cloudtrail.amazonaws.com",
      eventName,
      userIdentity: admin,
      sourceIPAddress: "198.51.100.5",
      requestParameters,
      resources: undefined,
      readOnly: false,
    });
  const fires = (eventName: string, rp: unknown) => {
    const d = store([trailCall(eventName, rp)]);
    return runDetections(d, { from: T0, to: T0 + DAY }, CTX).filter((x) => x.id === "KW-DET-08");
  };
  const basic = (sel: Record<string, unknown>[]) => ({ trailName: "main", eventSelectors: sel });
  const adv = (...fieldSelectors: Record<string, unknown>[][]) => ({
    trailName: "main",
    advancedEventSelectors: fieldSelectors.map((f, i) => ({ name: `s${i}`, fieldSelectors: f })),
  });
  const MGMT = { field: "eventCategory", equals: ["Management"] };

  it.each([
    [
      "management events off",
      basic([{ readWriteType: "All", includeManagementEvents: false, dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3:::bucket/"] }] }]),
      /KMS key use/,
    ],
    ["ReadOnly hides key changes", basic([{ readWriteType: "ReadOnly", includeManagementEvents: true }]), /KMS key changes/],
    ["WriteOnly hides key use", basic([{ readWriteType: "WriteOnly", includeManagementEvents: true }]), /KMS key use/],
    ["kms.amazonaws.com excluded", basic([{ readWriteType: "All", includeManagementEvents: true, excludeManagementEventSources: ["kms.amazonaws.com"] }]), /KMS key use/],
    [
      "advanced: data events only",
      adv([
        { field: "eventCategory", equals: ["Data"] },
        { field: "resources.type", equals: ["AWS::S3::Object"] },
      ]),
      /KMS key use/,
    ],
    ["advanced: write-only management", adv([MGMT, { field: "readOnly", equals: ["false"] }]), /KMS key use/],
    ["advanced: read-only management", adv([MGMT, { field: "readOnly", equals: ["true"] }]), /KMS key changes/],
    ["advanced: kms excluded", adv([MGMT, { field: "eventSource", notEquals: ["kms.amazonaws.com"] }]), /KMS key use/],
    ["advanced: secretsmanager excluded", adv([MGMT, { field: "eventSource", notEquals: ["secretsmanager.amazonaws.com"] }]), /Secrets Manager reads/],
    ["advanced: Decrypt dropped by name", adv([MGMT, { field: "eventName", notEquals: ["Decrypt"] }]), /KMS key use/],
    ["advanced: only some callers", adv([MGMT, { field: "userIdentity.arn", notStartsWith: [`arn:aws:sts::${OWNER}:assumed-role/Scanner`] }]), /KMS key use/],
  ])("PutEventSelectors with %s fires", (_why, rp, summary) => {
    const hit = fires("PutEventSelectors", rp);
    expect(hit).toHaveLength(1);
    expect(hit[0].summary).toMatch(summary);
    expect(hit[0].summary).toContain(`arn:aws:iam::${OWNER}:user/admin`);
  });

  it.each([
    ["all read and write management events", basic([{ readWriteType: "All", includeManagementEvents: true, dataResources: [], excludeManagementEventSources: [] }])],
    ["rdsdata excluded only", basic([{ readWriteType: "All", includeManagementEvents: true, excludeManagementEventSources: ["rdsdata.amazonaws.com"] }])],
    ["a ReadOnly and a WriteOnly selector together", basic([{ readWriteType: "ReadOnly" }, { readWriteType: "WriteOnly" }])],
    [
      "advanced: all management events plus S3 data events",
      adv(
        [MGMT],
        [
          { field: "eventCategory", equals: ["Data"] },
          { field: "resources.type", equals: ["AWS::S3::Object"] },
        ],
      ),
    ],
    ["advanced: management minus rdsdata", adv([MGMT, { field: "eventSource", notEquals: ["rdsdata.amazonaws.com"] }])],
    ["advanced: write-only and read-only selectors together", adv([MGMT, { field: "readOnly", equals: ["false"] }], [MGMT, { field: "readOnly", equals: ["true"] }])],
  ])("PutEventSelectors with %s does not fire", (_why, rp) => {
    expect(fires("PutEventSelectors", rp)).toEqual([]);
  });

  it("StopLogging, DeleteTrail and UpdateTrail to a single region or another bucket fire; other UpdateTrail changes and failed calls don't", () => {
    expect(fires("StopLogging", { name: `arn:aws:cloudtrail:us-east-1:${OWNER}:trail/main` })[0].summary).toMatch(/stopped logging/);
    expect(fires("DeleteTrail", { name: "main" })[0].summary).toMatch(/deleted the trail/);
    expect(fires("UpdateTrail", { name: "main", isMultiRegionTrail: false })[0].summary).toMatch(/single-region/);
    expect(fires("UpdateTrail", { name: "main", s3BucketName: "elsewhere-logs" })[0].summary).toMatch(/another bucket \(elsewhere-logs\)/);
    expect(fires("UpdateTrail", { name: "main", includeGlobalServiceEvents: false })).toEqual([]);
    expect(fires("UpdateTrail", { name: "main", enableLogFileValidation: true })).toEqual([]);
    const failed = store([{ ...trailCall("StopLogging", { name: "main" }), errorCode: "AccessDenied", errorMessage: "not authorized" }]);
    expect(runDetections(failed, { from: T0, to: T0 + DAY }, CTX).filter((x) => x.id === "KW-DET-08")).toEqual([]);
  });
});

describe("correlation never blames an agent for another service's use of a shared key [5]", () => {
  it.each([
    [
      "WorkMail",
      { encryptionContext: { "aws:workmail:arn": `arn:aws:workmail:us-east-1:${OWNER}:organization/m-0123456789abcdef0123456789abcdef` } },
      "workmail.amazonaws.com",
      "workmail",
    ],
    ["EBS", { encryptionContext: { "aws:ebs:id": "vol-0123456789abcdef0" } }, "ec2.amazonaws.com", "ebs"],
    ["S3", { encryptionContext: { "aws:s3:arn": "arn:aws:s3:::reports-bucket/2026/q3.csv" } }, "s3.amazonaws.com", "s3"],
    ["a calling service that is not an agent service", {}, "lambda.amazonaws.com", "lambda"],
  ])("%s: other use of the key, not key only", (_name, extra, invokedBy, service) => {
    const rec = kmsRecord({
      userIdentity: { type: "AWSService", invokedBy },
      sourceIPAddress: invokedBy,
      requestParameters: { encryptionAlgorithm: "SYMMETRIC_DEFAULT", ...extra },
    });
    const n = normalizeRecord(rec, names);
    expect(correlate(n, inventory)).toEqual({ correlation: "other use", otherService: service });
    const d = store([rec]);
    expect(eventPage(d, { from: T0, to: T0 + DAY, key: KEY }, { limit: 5 }).events[0]).toMatchObject({ resourceArn: null, correlation: "other use", otherService: service });
    expect(facets(d, { from: T0, to: T0 + DAY, key: KEY }).otherServices).toEqual([{ value: service, count: 1 }]);
  });

  it("the agent's own calls are still tied: by context, and by service + key or key only when nothing says otherwise", () => {
    const byContext = normalizeRecord(kmsRecord({ requestParameters: { encryptionContext: { "aws:bedrock:arn": AGENT } } }), names);
    expect(correlate(byContext, inventory)).toEqual({ resourceArn: AGENT, correlation: "encryption context" });
    expect(correlate(normalizeRecord(kmsRecord({}), names), inventory)).toEqual({ resourceArn: AGENT, correlation: "service + key" });
    const direct = normalizeRecord(
      kmsRecord({ userIdentity: { type: "IAMUser", arn: `arn:aws:iam::${OWNER}:user/dev`, accountId: OWNER }, sourceIPAddress: "198.51.100.9" }),
      names,
    );
    expect(correlate(direct, inventory)).toEqual({ resourceArn: AGENT, correlation: "key only" });
  });

  it("a context naming an agent Keyward does not know is not guessed onto the one it knows", () => {
    const other = normalizeRecord(kmsRecord({ requestParameters: { encryptionContext: { "aws:bedrock:arn": `arn:aws:bedrock:us-east-1:${OWNER}:agent/OTHER99999` } } }), names);
    expect(correlate(other, inventory)).toEqual({});
  });
});

describe("KW-DET-05 key changes [6]", () => {
  const admin = { type: "IAMUser", principalId: "AIDAEXAMPLEADMIN", arn: `arn:aws:iam::${OWNER}:user/admin`, accountId: OWNER, userName: "admin" };
  const change = (eventName: string, requestParameters: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    kmsRecord({ eventName, userIdentity: admin, sourceIPAddress: "198.51.100.5", requestParameters, readOnly: false, ...extra });

  it("a change whose key is an unknown alias, or a bare id in a record that names no account, is still reported, naming the key as the record does", () => {
    const disabled = change("DisableKey", { keyId: "alias/legacy/unknown" }, { resources: undefined });
    const anonymous = { type: "IAMUser", principalId: "AIDAEXAMPLEADMIN", arn: `arn:aws:iam::${OWNER}:user/admin`, userName: "admin" };
    const scheduled = change(
      "ScheduleKeyDeletion",
      { keyId: "1234abcd-12ab-34cd-56ef-1234567890ab", pendingWindowInDays: 7 },
      {
        userIdentity: anonymous,
        resources: undefined,
        recipientAccountId: undefined,
      },
    );
    const d = store([scheduled, disabled]);
    const hits = runDetections(d, { from: T0, to: T0 + DAY }, CTX).filter((x) => x.id === "KW-DET-05");
    expect(hits.map((x) => x.summary).sort()).toEqual([
      `DisableKey by arn:aws:iam::${OWNER}:user/admin on alias/legacy/unknown`,
      `ScheduleKeyDeletion by arn:aws:iam::${OWNER}:user/admin on 1234abcd-12ab-34cd-56ef-1234567890ab`,
    ]);
    expect(hits.every((x) => x.keyArn === undefined)).toBe(true);
  });

  it("a bare key id is the caller's key (KMS reads a bare id in the caller's account and region) when the record has no recipient account", () => {
    const rec = change("ScheduleKeyDeletion", { keyId: "1234abcd-12ab-34cd-56ef-1234567890ab", pendingWindowInDays: 7 }, { resources: undefined, recipientAccountId: undefined });
    expect(normalizeRecord(rec, names).keyArn).toBe(KEY);
  });

  it("an alias the last scan knows resolves to its key; the ARN in responseElements is used when resources[] is missing", () => {
    expect(normalizeRecord(change("DisableKey", { keyId: "alias/agents/support" }, { resources: undefined }), names).keyArn).toBe(KEY);
    const rec = change(
      "ScheduleKeyDeletion",
      { keyId: "1234abcd-12ab-34cd-56ef-1234567890ab", pendingWindowInDays: 7 },
      {
        resources: undefined,
        recipientAccountId: undefined,
        responseElements: { keyId: KEY, deletionDate: "2026-10-08T12:00:00Z", keyState: "PendingDeletion", pendingWindowInDays: 7 },
      },
    );
    expect(normalizeRecord(rec, names).keyArn).toBe(KEY);
  });

  it("offline (no configured account): a grant to the key's own account is not 'outside'; one to another account is", () => {
    const grant = (grantee: string) => change("CreateGrant", { keyId: KEY, granteePrincipal: grantee, operations: ["Decrypt"] });
    const d = store([grant(`arn:aws:iam::${OWNER}:role/AppRole`), grant(`arn:aws:iam::${PARTNER}:role/Partner`)]);
    const offline: DetectionContext = { ...CTX, inside: new Set() };
    const hits = runDetections(d, { from: T0, to: T0 + DAY }, offline).filter((x) => x.id === "KW-DET-05");
    expect(hits).toHaveLength(1);
    expect(hits[0].summary).toContain(`account ${PARTNER}, outside`);
  });
});
