// CloudTrail records in AWS's format, for calls the sandbox serves and for generated traffic.
import { randomUUID } from "node:crypto";

import type { Caller } from "./core";
import { insertEvent, type SandboxState, type StoredEvent } from "./state";

export const EVENT_SOURCES: Record<string, string> = {
  kms: "kms.amazonaws.com",
  secretsmanager: "secretsmanager.amazonaws.com",
  cloudtrail: "cloudtrail.amazonaws.com",
  sts: "sts.amazonaws.com",
  iam: "iam.amazonaws.com",
  bedrock: "bedrock.amazonaws.com",
  "bedrock-agentcore": "bedrock-agentcore.amazonaws.com",
};

const READ_ONLY = /^(Get|List|Describe|Lookup|Decrypt|Encrypt|GenerateDataKey|GenerateRandom|ReEncrypt|Verify|Sign)/;

export function isReadOnly(eventName: string): boolean {
  return READ_ONLY.test(eventName);
}

export function userIdentity(caller: Caller, time: Date): Record<string, unknown> {
  switch (caller.type) {
    case "AWSService":
      return { type: "AWSService", invokedBy: caller.invokedBy };
    case "Root":
      return { type: "Root", principalId: caller.account, arn: caller.arn, accountId: caller.account, accessKeyId: caller.accessKeyId };
    case "IAMUser":
      return { type: "IAMUser", principalId: caller.principalId, arn: caller.arn, accountId: caller.account, accessKeyId: caller.accessKeyId, userName: caller.userName };
    case "AssumedRole": {
      const roleName = caller.roleArn?.split("/").pop();
      const out: Record<string, unknown> = {
        type: "AssumedRole",
        principalId: caller.principalId,
        arn: caller.arn,
        accountId: caller.account,
        accessKeyId: caller.accessKeyId,
        sessionContext: {
          sessionIssuer: { type: "Role", principalId: caller.principalId.split(":")[0], arn: caller.roleArn, accountId: caller.account, userName: roleName },
          attributes: { creationDate: new Date(time.getTime() - 600_000).toISOString().replace(/\.\d{3}Z$/, "Z"), mfaAuthenticated: "false" },
        },
      };
      if (caller.invokedBy) out.invokedBy = caller.invokedBy;
      return out;
    }
  }
}

export interface RecordInput {
  time: Date;
  caller: Caller;
  account: string;
  region: string;
  service: string;
  eventName: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  errorCode?: string;
  errorMessage?: string;
  requestId?: string;
  eventId?: string;
  sourceIp: string;
  userAgent: string;
  resources?: { ARN: string; accountId: string; type: string }[];
  additionalEventData?: Record<string, unknown>;
}

export function buildRecord(r: RecordInput): Record<string, unknown> {
  const service = r.caller.type === "AWSService" ? r.caller.invokedBy : undefined;
  const rec: Record<string, unknown> = {
    eventVersion: "1.11",
    userIdentity: userIdentity(r.caller, r.time),
    eventTime: r.time.toISOString().replace(/\.\d{3}Z$/, "Z"),
    eventSource: EVENT_SOURCES[r.service] ?? `${r.service}.amazonaws.com`,
    eventName: r.eventName,
    awsRegion: r.region,
    sourceIPAddress: service ?? r.sourceIp,
    userAgent: service ?? r.userAgent,
  };
  if (r.errorCode) {
    rec.errorCode = r.errorCode;
    rec.errorMessage = r.errorMessage;
  }
  rec.requestParameters = r.requestParameters;
  rec.responseElements = r.responseElements;
  if (r.additionalEventData) rec.additionalEventData = r.additionalEventData;
  rec.requestID = r.requestId ?? randomUUID();
  rec.eventID = r.eventId ?? randomUUID();
  rec.readOnly = isReadOnly(r.eventName);
  if (r.resources?.length) rec.resources = r.resources;
  rec.eventType = "AwsApiCall";
  rec.managementEvent = true;
  rec.recipientAccountId = r.account;
  if (service) rec.sharedEventID = randomUUID();
  rec.eventCategory = "Management";
  if (r.caller.type !== "AWSService") {
    rec.tlsDetails = { tlsVersion: "TLSv1.3", cipherSuite: "TLS_AES_128_GCM_SHA256", clientProvidedHostHeader: `${r.service}.${r.region}.amazonaws.com` };
  }
  return rec;
}

// Many events name the same resources: one shared list per distinct set keeps a million events small.
const resourceLists = new Map<string, { type: string; name: string }[]>();
const NO_RESOURCES: { type: string; name: string }[] = [];

function internResources(raw: unknown): { type: string; name: string }[] {
  if (!Array.isArray(raw) || !raw.length) return NO_RESOURCES;
  const list = (raw as Record<string, unknown>[]).map((x) => ({ type: String(x.type ?? ""), name: String(x.ARN ?? x.arn ?? "") }));
  const k = list.map((r) => `${r.type}|${r.name}`).join(",");
  const hit = resourceLists.get(k);
  if (hit) return hit;
  if (resourceLists.size < 100_000) resourceLists.set(k, list);
  return list;
}

/** Indexes a record (built here or pasted verbatim in a scenario) for LookupEvents. */
export function toStored(rec: Record<string, unknown>): StoredEvent {
  const ui = (rec.userIdentity ?? {}) as Record<string, unknown>;
  const resources = internResources(rec.resources);
  const issuer = ((ui.sessionContext as Record<string, unknown> | undefined)?.sessionIssuer ?? {}) as Record<string, unknown>;
  const username =
    (ui.type === "Root" ? "root" : undefined) ??
    (ui.userName as string | undefined) ??
    (ui.type === "AssumedRole"
      ? String(ui.arn ?? "")
          .split("/")
          .pop()
      : undefined) ??
    (issuer.userName as string | undefined) ??
    (ui.invokedBy as string | undefined);
  return {
    time: Date.parse(String(rec.eventTime)),
    account: String(rec.recipientAccountId ?? ui.accountId ?? ""),
    region: String(rec.awsRegion ?? ""),
    eventId: String(rec.eventID),
    eventName: String(rec.eventName),
    eventSource: String(rec.eventSource),
    readOnly: rec.readOnly === true || rec.readOnly === "true",
    accessKeyId: ui.accessKeyId as string | undefined,
    username,
    resources,
    json: JSON.stringify(rec),
  };
}

const KEY_USAGE_EVENTS = new Set([
  "Decrypt",
  "Encrypt",
  "GenerateDataKey",
  "GenerateDataKeyWithoutPlaintext",
  "GenerateDataKeyPair",
  "GenerateDataKeyPairWithoutPlaintext",
  "ReEncrypt",
  "Sign",
  "Verify",
  "GenerateMac",
  "VerifyMac",
  "DeriveSharedSecret",
]);

export function recordEvent(state: SandboxState, rec: Record<string, unknown>): StoredEvent {
  const stored = toStored(rec);
  insertEvent(state, stored);
  if (stored.eventSource === "kms.amazonaws.com" && KEY_USAGE_EVENTS.has(stored.eventName) && !rec.errorCode) {
    for (const r of stored.resources) {
      if (r.type !== "AWS::KMS::Key") continue;
      const prev = state.keyLastUsage.get(r.name);
      if (!prev || prev.time <= stored.time) {
        state.keyLastUsage.set(r.name, { operation: stored.eventName, time: stored.time, eventId: stored.eventId, requestId: String(rec.requestID ?? "") });
      }
    }
  }
  return stored;
}

/** CloudTrail spells request parameter names in lowerCamelCase for JSON services. */
export function camelParams(input: Record<string, unknown>, drop: readonly string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (drop.includes(k) || v === undefined) continue;
    if (v instanceof Uint8Array) continue; // blobs (plaintext, ciphertext) are never logged
    out[k.charAt(0).toLowerCase() + k.slice(1)] = v instanceof Date ? v.toISOString() : v;
  }
  return out;
}
