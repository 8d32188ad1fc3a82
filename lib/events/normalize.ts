// CloudTrail records → Keyward's normalized event: the key or secret each call touched, who made
// it and through which service, its encryption context. Mind what real records look like: Decrypt
// names its key only in resources[].ARN; an AccessDenied Decrypt can have requestParameters null,
// no resources, and the key ARN only in errorMessage; GetSecretValue's secretId may be a name, a
// partial or a full ARN; older Secrets Manager records spell the resource ARN "aRN".
import type { EventName } from "./names.shared";

export interface NormalizedEvent {
  eventID: string;
  /** ms since the epoch */
  eventTime: number;
  account: string;
  region: string;
  eventSource: string;
  eventName: EventName | string;
  principalArn?: string;
  principalType?: string;
  invokedBy?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  keyArn?: string;
  secretArn?: string;
  encryptionContext?: Record<string, string>;
  errorCode?: string;
  errorMessage?: string;
  requestID?: string;
  raw: Record<string, unknown>;
}

/** Secrets Keyward knows (from the last scan), to turn a name or partial ARN into the full ARN. */
export interface SecretIndex {
  byArn: Set<string>;
  /** name → full ARNs (a name can exist in several regions/accounts) */
  byName: Map<string, string[]>;
}

export function secretIndex(arns: { arn: string; name?: string }[]): SecretIndex {
  const byName = new Map<string, string[]>();
  for (const s of arns) {
    const name = s.name ?? secretNameOf(s.arn);
    byName.set(name, [...(byName.get(name) ?? []), s.arn]);
  }
  return { byArn: new Set(arns.map((s) => s.arn)), byName };
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

function keyArnOf(rec: Record<string, unknown>, region: string, account: string): string | undefined {
  const fromResources = resourceArns(rec).find((a) => KEY_ARN.test(a));
  if (fromResources) return fromResources.match(KEY_ARN)![0];
  const rp = (rec.requestParameters ?? {}) as Record<string, unknown>;
  const keyId = str(rp.keyId) ?? str(rp.destinationKeyId) ?? str(rp.sourceKeyId);
  if (keyId) {
    if (KEY_ARN.test(keyId)) return keyId.match(KEY_ARN)![0];
    if (/^[0-9a-f-]{36}$/i.test(keyId) || /^mrk-[0-9a-f]{32}$/i.test(keyId)) return `arn:aws:kms:${region}:${account}:key/${keyId}`;
  }
  // AccessDenied and friends: the ARN appears only in the message.
  const m = str(rec.errorMessage)?.match(KEY_ARN);
  return m?.[0];
}

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

function principalOf(ui: Record<string, unknown>): { arn?: string; type?: string; invokedBy?: string } {
  const type = str(ui.type);
  const invokedBy = str(ui.invokedBy);
  if (type === "AWSService") return { arn: invokedBy, type, invokedBy };
  const issuer = ((ui.sessionContext as Record<string, unknown> | undefined)?.sessionIssuer ?? {}) as Record<string, unknown>;
  // An assumed-role session is reported as its role: that is what policies name.
  return { arn: str(issuer.arn) ?? str(ui.arn), type, invokedBy };
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
  return {
    eventID: str(rec.eventID) ?? "",
    eventTime: Date.parse(String(rec.eventTime)),
    account,
    region,
    eventSource,
    eventName: str(rec.eventName) ?? "",
    principalArn: p.arn,
    principalType: p.type,
    invokedBy: p.invokedBy,
    sourceIPAddress: str(rec.sourceIPAddress),
    userAgent: str(rec.userAgent),
    keyArn: isSecrets ? undefined : keyArnOf(rec, region, account),
    secretArn: isSecrets ? secretArnOf(rec, region, account, secrets) : ec?.SecretARN,
    encryptionContext: ec,
    errorCode: str(rec.errorCode),
    errorMessage: str(rec.errorMessage),
    requestID: str(rec.requestID),
    raw: rec,
  };
}
