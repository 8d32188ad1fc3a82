// CloudTrail records → Keyward's normalized event: the key or secret each call touched, who made
// it and through which service, its encryption context. Mind what real records look like: Decrypt
// names its key only in resources[].ARN; an AccessDenied Decrypt can have requestParameters null,
// no resources, and the key ARN only in errorMessage; GetSecretValue's secretId may be a name, a
// partial or a full ARN; older Secrets Manager records spell the resource ARN "aRN".
import { createHash } from "node:crypto";

import { canonicalJson } from "../canonical-json.shared";

import type { EventName } from "./names.shared";

export interface NormalizedEvent {
  eventID: string;
  /** The record had no eventID: the id is a hash of the record, so re-importing it is still idempotent. */
  idDerived?: boolean;
  /** ms since the epoch */
  eventTime: number;
  account: string;
  region: string;
  eventSource: string;
  eventName: EventName | string;
  principalArn?: string;
  principalType?: string;
  /**
   * The account the caller belongs to: userIdentity.accountId, else the account in the caller's ARN.
   * For an `AWSAccount` caller (another account using your key) it is all the record names.
   */
  callerAccount?: string;
  invokedBy?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  keyArn?: string;
  /** How the record names the key when no key ARN could be made of it (an alias Keyward doesn't know). */
  keyRef?: string;
  secretArn?: string;
  encryptionContext?: Record<string, string>;
  errorCode?: string;
  errorMessage?: string;
  requestID?: string;
  raw: Record<string, unknown>;
}

/**
 * Names Keyward knows from the last scan: secrets (to turn a name or partial ARN into the full ARN)
 * and key aliases (to turn `alias/name` into the key's ARN).
 */
export interface SecretIndex {
  byArn: Set<string>;
  /** name → full ARNs (a name can exist in several regions/accounts) */
  byName: Map<string, string[]>;
  /** alias ARN (arn:aws:kms:region:account:alias/name) → key ARN */
  aliases?: Map<string, string>;
}

export function secretIndex(arns: { arn: string; name?: string }[], keys: { arn: string; aliases: string[] }[] = []): SecretIndex {
  const byName = new Map<string, string[]>();
  for (const s of arns) {
    const name = s.name ?? secretNameOf(s.arn);
    byName.set(name, [...(byName.get(name) ?? []), s.arn]);
  }
  const aliases = new Map<string, string>();
  for (const k of keys) {
    const [, partition, , region, account] = k.arn.split(":");
    for (const a of k.aliases) aliases.set(`arn:${partition}:kms:${region}:${account}:${a}`, k.arn);
  }
  return { byArn: new Set(arns.map((s) => s.arn)), byName, aliases };
}

/** A secret's name from its ARN: the part after "secret:" without the 6-character random suffix. */
export function secretNameOf(arn: string): string {
  const tail = arn.slice(arn.indexOf(":secret:") + 8);
  return tail.replace(/-[A-Za-z0-9]{6}$/, "");
}

const KEY_ARN = /arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+/;

function str(v: unknown): string | undefined {
  return typeof v === "string" && v ? v : undefined;
}

function resourceArns(rec: Record<string, unknown>): string[] {
  const rs = Array.isArray(rec.resources) ? (rec.resources as Record<string, unknown>[]) : [];
  return rs.map((r) => str(r.ARN) ?? str(r.aRN) ?? str(r.arn) ?? "").filter(Boolean);
}

const ALIAS_ARN = /arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:alias\/[A-Za-z0-9/_-]+/;

/** The key a KMS record is about: resources[], then the request's key id (ARN, bare id or alias), then the error message. */
function keyOf(rec: Record<string, unknown>, region: string, account: string, names?: SecretIndex): { keyArn?: string; keyRef?: string } {
  const fromResources = resourceArns(rec).find((a) => KEY_ARN.test(a));
  if (fromResources) return { keyArn: fromResources.match(KEY_ARN)![0] };
  const rp = (rec.requestParameters ?? {}) as Record<string, unknown>;
  const re = (rec.responseElements ?? {}) as Record<string, unknown>;
  const keyId = str(rp.keyId) ?? str(rp.destinationKeyId) ?? str(rp.sourceKeyId) ?? str(re.keyId);
  let keyRef: string | undefined;
  if (keyId) {
    if (KEY_ARN.test(keyId)) return { keyArn: keyId.match(KEY_ARN)![0] };
    // A bare key id is in the record's region and account — when the record names both.
    if ((/^[0-9a-f-]{36}$/i.test(keyId) || /^mrk-[0-9a-f]{32}$/i.test(keyId)) && /^\d{12}$/.test(account) && region)
      return { keyArn: `arn:aws:kms:${region}:${account}:key/${keyId}` };
    // An alias (alias/name or its ARN): the key behind it if the last scan saw the alias.
    const aliasArn = ALIAS_ARN.test(keyId) ? keyId : keyId.startsWith("alias/") && /^\d{12}$/.test(account) ? `arn:aws:kms:${region}:${account}:${keyId}` : undefined;
    const known = aliasArn ? names?.aliases?.get(aliasArn) : undefined;
    if (known) return { keyArn: known };
    keyRef = aliasArn ?? keyId;
  }
  // AccessDenied and friends: the ARN appears only in the message.
  const m = str(rec.errorMessage)?.match(KEY_ARN);
  if (m) return { keyArn: m[0] };
  return { keyRef: keyRef ?? str(rec.errorMessage)?.match(ALIAS_ARN)?.[0] };
}

/** The id of a record that carries none: a hash of its content (stable across imports). */
export function derivedEventId(rec: Record<string, unknown>): string {
  return `derived-${createHash("sha256").update(canonicalJson(rec)).digest("hex").slice(0, 32)}`;
}

const ACCOUNT_IN_ARN = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/;

function secretArnOf(rec: Record<string, unknown>, region: string, account: string, secrets?: SecretIndex): string | undefined {
  const fromResources = resourceArns(rec).find((a) => a.includes(":secretsmanager:") && a.includes(":secret:"));
  if (fromResources) return fromResources;
  const rp = (rec.requestParameters ?? {}) as Record<string, unknown>;
  const id = str(rp.secretId) ?? str(rp.SecretId);
  if (!id) {
    const m = str(rec.errorMessage)?.match(/arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+/);
    return m?.[0];
  }
  if (id.startsWith("arn:")) {
    if (secrets?.byArn.has(id)) return id;
    // A partial ARN (no random suffix): match the known secret it names.
    const name = id.slice(id.indexOf(":secret:") + 8);
    const hit = secrets?.byName.get(name)?.find((a) => a.startsWith(id));
    return hit ?? id;
  }
  const candidates = secrets?.byName.get(id)?.filter((a) => a.split(":")[3] === region && a.split(":")[4] === account);
  return candidates?.length === 1 ? candidates[0] : `arn:aws:secretsmanager:${region}:${account}:secret:${id}`;
}

function principalOf(ui: Record<string, unknown>): { arn?: string; type?: string; invokedBy?: string; account?: string } {
  const type = str(ui.type);
  const invokedBy = str(ui.invokedBy);
  if (type === "AWSService") return { arn: invokedBy, type, invokedBy, account: str(ui.accountId) };
  const issuer = ((ui.sessionContext as Record<string, unknown> | undefined)?.sessionIssuer ?? {}) as Record<string, unknown>;
  // An assumed-role session is reported as its role: that is what policies name.
  const arn = str(issuer.arn) ?? str(ui.arn);
  const account = str(ui.accountId) ?? str(issuer.accountId) ?? arn?.match(ACCOUNT_IN_ARN)?.[1];
  return { arn, type, invokedBy, account };
}

export function normalizeRecord(rec: Record<string, unknown>, secrets?: SecretIndex): NormalizedEvent {
  const ui = (rec.userIdentity ?? {}) as Record<string, unknown>;
  const region = str(rec.awsRegion) ?? "";
  const account = str(rec.recipientAccountId) ?? str(ui.accountId) ?? "";
  const eventSource = str(rec.eventSource) ?? "";
  const p = principalOf(ui);
  const rp = (rec.requestParameters ?? {}) as Record<string, unknown>;
  const ec = rp.encryptionContext && typeof rp.encryptionContext === "object" ? (rp.encryptionContext as Record<string, string>) : undefined;
  const isSecrets = eventSource === "secretsmanager.amazonaws.com";
  const key = isSecrets ? {} : keyOf(rec, region, account, secrets);
  const id = str(rec.eventID);
  return {
    eventID: id ?? derivedEventId(rec),
    ...(id ? {} : { idDerived: true }),
    eventTime: typeof rec.eventTime === "string" ? Date.parse(rec.eventTime) : Number.NaN,
    account,
    region,
    eventSource,
    eventName: str(rec.eventName) ?? "",
    principalArn: p.arn,
    principalType: p.type,
    callerAccount: p.account,
    invokedBy: p.invokedBy,
    sourceIPAddress: str(rec.sourceIPAddress),
    userAgent: str(rec.userAgent),
    keyArn: key.keyArn,
    keyRef: key.keyRef,
    secretArn: isSecrets ? secretArnOf(rec, region, account, secrets) : ec?.SecretARN,
    encryptionContext: ec,
    errorCode: str(rec.errorCode),
    errorMessage: str(rec.errorMessage),
    requestID: str(rec.requestID),
    raw: rec,
  };
}
