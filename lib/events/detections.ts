import "server-only";

// Detections over the event store: stable ids, each with the public rule it matches or extends.
// Each returns occurrences with the key, resource and time range, so the page can link to the
// filtered timeline.
import type Database from "better-sqlite3";

import type { Severity } from "../inventory/types.shared";

import type { EventFilters } from "./store";
import { blindingChange } from "./trail-coverage";

export interface DetectionInfo {
  id: string;
  title: string;
  severity: Severity;
  description: string;
  /** The public rule it matches or extends. */
  reference: string;
}

export interface Detection {
  id: string;
  severity: Severity;
  keyArn?: string;
  resourceArn?: string;
  principalArn?: string;
  from: string;
  to: string;
  count: number;
  summary: string;
  /** Timeline filters that show the events behind it. */
  filters: Partial<Record<"key" | "resource" | "principal" | "callerAccount" | "eventName" | "errorCode" | "sourceIp" | "secret", string>>;
  details?: Record<string, unknown>;
}

export const DETECTIONS: DetectionInfo[] = [
  {
    id: "KW-DET-01",
    title: "Burst of refused or failed calls on a key",
    severity: "high",
    description:
      "At least 5 AccessDenied, DisabledException or KMSInvalidStateException answers for one key within 10 minutes: a service losing access, or someone probing the key.",
    reference: "Extends Elastic detection-rules 'AWS KMS ... Access Denied' style error-burst rules and Panther's AWS.CloudTrail.KMS access-denied checks",
  },
  {
    id: "KW-DET-02",
    title: "A principal uses a key for the first time",
    severity: "medium",
    description:
      "A principal that never used the key in the baseline window (the 30 days before the range) uses it in the range. A caller from another account that the record names only by its account (userIdentity type AWSAccount) counts as that account.",
    reference: "Extends Elastic 'First Time Seen AWS Secret Value Accessed in Secrets Manager' (new-terms rule) to KMS keys",
  },
  {
    id: "KW-DET-03",
    title: "Key used from a network never seen for it",
    severity: "medium",
    description: "A source network (IPv4 /24, IPv6 /64; not an AWS service) that never called the key in the baseline window calls it in the range.",
    reference: "Extends Elastic new-terms rules on source.ip for AWS credentials",
  },
  {
    id: "KW-DET-04",
    title: "Key used outside its usual hours",
    severity: "low",
    description: "At least 3 uses of the key in UTC hours with no use in the baseline window (the key had at least 50 baseline uses).",
    reference: "Keyward rule; compare Panther's off-hours access detections",
  },
  {
    id: "KW-DET-05",
    title: "Key or key-policy change",
    severity: "high",
    description:
      "DisableKey, ScheduleKeyDeletion, PutKeyPolicy by a caller that is not an AWS service, or CreateGrant to a principal of an account other than the key's and the trusted ones; with the policy before and after when both are stored. A change whose key Keyward cannot resolve to an ARN (an unknown alias) is reported with the key as the record names it.",
    reference:
      "Matches Elastic 'AWS KMS Customer Managed Key Disabled or Scheduled for Deletion' and Panther 'AWS.KMS.CustomerManagedKeyLoss'; extends them to policy and grant changes",
  },
  {
    id: "KW-DET-06",
    title: "An agent's secret read by a principal other than the AgentCore identity",
    severity: "high",
    description: "GetSecretValue on a secret a credential provider references, by a principal that is not the AgentCore identity role or service.",
    reference: "Extends Elastic 'AWS Secrets Manager GetSecretValue ... first time seen' to secrets owned by agents",
  },
  {
    id: "KW-DET-07",
    title: "An agent's execution role used outside its runtime",
    severity: "high",
    description: "A call made with a role that an agent resource runs as, directly from an IP address instead of through the AWS service: its credentials are used elsewhere.",
    reference: "Compare GuardDuty 'InstanceCredentialExfiltration' findings and Elastic rules on role use from unexpected sources",
  },
  {
    id: "KW-DET-08",
    title: "A trail change that blinds KMS auditing",
    severity: "critical",
    description:
      "StopLogging, DeleteTrail, PutEventSelectors whose new basic or advanced selectors no longer record KMS or Secrets Manager reads or changes (management events off, ReadOnly or WriteOnly, kms.amazonaws.com excluded, advanced selectors that filter them out), or UpdateTrail that makes the trail single-region or moves its logs to another bucket.",
    reference: "Matches Elastic 'AWS CloudTrail Log Suspended / Deleted / Updated' and Panther 'AWS.CloudTrail.Stopped'; extends them to selector changes",
  },
  {
    id: "KW-DET-09",
    title: "A key used by an account outside the trusted set",
    severity: "high",
    description:
      "A call on a key by a caller whose account is neither the key's nor a configured or trusted account (or organization member listed as trusted); the caller may be named only by its account (userIdentity type AWSAccount).",
    reference: "Keyward rule; compare GuardDuty and Elastic cross-account access detections",
  },
];

export interface DetectionContext {
  /** Secrets referenced by credential providers (ARN → provider ARN). */
  agentSecrets: Map<string, string>;
  /** Roles agent resources run as (ARN → resource ARN). */
  executionRoles: Map<string, string>;
  /** Account ids that are inside (scanned or trusted). */
  inside: Set<string>;
}

const iso = (ms: number) => new Date(ms).toISOString();
export function networkOf(ip: string): string {
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.\d+$/.exec(ip);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  if (ip.includes(":")) return `${ip.split(":").slice(0, 4).join(":")}::/64`;
  return ip;
}
const RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };
const BASELINE_MS = 30 * 86_400_000;
const isService = (ip: string | null) => !ip || ip.endsWith(".amazonaws.com") || ip === "AWS Internal";
const isIdentity = (p: string | null, invokedBy: string | null) =>
  (!!p && (/:role\/.*AgentCore.*Identity/i.test(p) || p.startsWith("bedrock-agentcore"))) || (invokedBy ?? "").startsWith("bedrock-agentcore");

interface Ev {
  event_id: string;
  event_time: number;
  event_name: string;
  principal_arn: string | null;
  principal_type: string | null;
  caller_account: string | null;
  account: string;
  invoked_by: string | null;
  source_ip: string | null;
  key_arn: string | null;
  secret_arn: string | null;
  resource_arn: string | null;
  error_code: string | null;
  /** The raw record, read only for the events whose request parameters a detection needs. */
  raw: string | null;
}

const ACCOUNT_CALLER = "account ";
/** Who made a call, for summaries: the principal, else the caller's account, else unknown. */
const callerName = (e: Ev) => e.principal_arn ?? (e.caller_account ? `${ACCOUNT_CALLER}${e.caller_account}` : "an unknown caller");
const keyAccountOf = (e: Ev) => e.key_arn?.split(":")[4] ?? "";
/** The key as a change record names it when it has no key ARN (an alias Keyward doesn't know, a bare id). */
function keyRefOf(e: Ev): string | undefined {
  if (!e.raw) return undefined;
  const rec = JSON.parse(e.raw) as { requestParameters?: { keyId?: unknown } | null };
  const id = rec.requestParameters?.keyId;
  return typeof id === "string" && id ? id : undefined;
}

const requestOf = (e: Ev): Record<string, unknown> => (e.raw ? ((JSON.parse(e.raw) as { requestParameters?: Record<string, unknown> | null }).requestParameters ?? {}) : {});

export function runDetections(d: Database.Database, range: Pick<EventFilters, "from" | "to">, ctx: DetectionContext): Detection[] {
  const out: Detection[] = [];
  const inRange = d.prepare(
    `SELECT event_id, event_time, event_name, principal_arn, principal_type, caller_account, account, invoked_by, source_ip, key_arn, secret_arn, resource_arn, error_code,
       CASE WHEN event_name IN ('PutKeyPolicy', 'CreateGrant', 'DisableKey', 'ScheduleKeyDeletion', 'PutEventSelectors', 'StopLogging', 'DeleteTrail', 'UpdateTrail') THEN raw END AS raw
     FROM events WHERE event_time >= ? AND event_time < ? ORDER BY event_time`,
  );
  const events = inRange.all(range.from, range.to) as Ev[];
  const baseline = inRange.all(range.from - BASELINE_MS, range.from) as Ev[];

  // KW-DET-01: error bursts per key in 10-minute windows.
  const ERR = new Set(["AccessDenied", "AccessDeniedException", "DisabledException", "KMSInvalidStateException"]);
  const byKey = new Map<string, Ev[]>();
  for (const e of events) if (e.key_arn && e.error_code && ERR.has(e.error_code)) byKey.set(e.key_arn, [...(byKey.get(e.key_arn) ?? []), e]);
  for (const [key, list] of byKey) {
    let i = 0;
    for (let j = 0; j < list.length; j++) {
      while (list[j].event_time - list[i].event_time > 600_000) i++;
      if (j - i + 1 >= 5 && (j + 1 === list.length || list[j + 1].event_time - list[i].event_time > 600_000)) {
        const burst = list.slice(i, j + 1);
        out.push({
          id: "KW-DET-01",
          severity: "high",
          keyArn: key,
          resourceArn: burst.find((e) => e.resource_arn)?.resource_arn ?? undefined,
          from: iso(burst[0].event_time),
          to: iso(burst[burst.length - 1].event_time),
          count: burst.length,
          summary: `${burst.length} refused or failed calls (${[...new Set(burst.map((e) => e.error_code))].join(", ")}) within 10 minutes`,
          filters: { key, errorCode: "any" },
        });
        i = j + 1;
      }
    }
  }

  // KW-DET-02 / 03 / 04: use of the key (cryptographic calls, not metadata reads such as a
  // scanner's DescribeKey) compared with the baseline window, per key.
  const USE = new Set(["Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncrypt"]);
  const usesIn = (list: Ev[]) => list.filter((e) => USE.has(e.event_name));
  const baselineUses = usesIn(baseline);
  const rangeUses = usesIn(events);
  const seen = (f: (e: Ev) => string | null) => {
    const m = new Map<string, Set<string>>();
    // Every key with baseline activity has a (possibly empty) set: "never seen" needs a baseline.
    for (const e of baselineUses) {
      if (!e.key_arn) continue;
      if (!m.has(e.key_arn)) m.set(e.key_arn, new Set());
      const v = f(e);
      if (v) m.get(e.key_arn)!.add(v);
    }
    return m;
  };
  // "Never seen" needs a baseline of some length: keys first used less than a week before the range have none.
  const firstSeen = new Map<string, number>();
  for (const e of baselineUses) if (e.key_arn && !firstSeen.has(e.key_arn)) firstSeen.set(e.key_arn, e.event_time);
  const longBaseline = (key: string) => (firstSeen.get(key) ?? range.from) <= range.from - 7 * 86_400_000;
  const firstUse = (id: "KW-DET-02" | "KW-DET-03", f: (e: Ev) => string | null, label: string, filter: "principal" | "sourceIp") => {
    const known = seen(f);
    const found = new Map<string, Ev[]>();
    for (const e of rangeUses) {
      const v = f(e);
      if (!e.key_arn || !v || !known.has(e.key_arn) || !longBaseline(e.key_arn) || known.get(e.key_arn)!.has(v)) continue;
      const k = `${e.key_arn}|${v}`;
      found.set(k, [...(found.get(k) ?? []), e]);
    }
    for (const [k, list] of found) {
      const [key, v] = k.split("|");
      const byAccount = id === "KW-DET-02" && v.startsWith(ACCOUNT_CALLER);
      out.push({
        id,
        severity: "medium",
        keyArn: key,
        resourceArn: list.find((e) => e.resource_arn)?.resource_arn ?? undefined,
        principalArn: id === "KW-DET-02" ? v : (list[0].principal_arn ?? undefined),
        from: iso(list[0].event_time),
        to: iso(list[list.length - 1].event_time),
        count: list.length,
        summary:
          id === "KW-DET-03"
            ? `network ${v} (${[...new Set(list.map((e) => e.source_ip))].slice(0, 3).join(", ")}) used the key ${list.length} time${list.length === 1 ? "" : "s"}; not seen in the 30 days before`
            : `${label} ${v} used the key ${list.length} time${list.length === 1 ? "" : "s"}; not seen in the 30 days before`,
        filters: id === "KW-DET-03" ? { key } : byAccount ? { key, callerAccount: v.slice(ACCOUNT_CALLER.length) } : { key, [filter]: v },
      });
    }
  };
  // A caller the record names only by its account (AWSAccount) is that account.
  firstUse(
    "KW-DET-02",
    (e) => (e.principal_type === "AWSService" ? null : (e.principal_arn ?? (e.caller_account ? `${ACCOUNT_CALLER}${e.caller_account}` : null))),
    "principal",
    "principal",
  );
  // By network (IPv4 /24, IPv6 /64): callers in a VPC change addresses within their subnet.
  firstUse("KW-DET-03", (e) => (isService(e.source_ip) ? null : networkOf(e.source_ip!)), "network", "sourceIp");

  const hours = new Map<string, number[]>();
  for (const e of baselineUses) {
    if (!e.key_arn) continue;
    const h = hours.get(e.key_arn) ?? new Array<number>(24).fill(0);
    h[new Date(e.event_time).getUTCHours()]++;
    hours.set(e.key_arn, h);
  }
  const odd = new Map<string, Ev[]>();
  for (const e of rangeUses) {
    const h = e.key_arn ? hours.get(e.key_arn) : undefined;
    if (!h || h.reduce((a, b) => a + b, 0) < 50 || h[new Date(e.event_time).getUTCHours()] > 0) continue;
    odd.set(e.key_arn!, [...(odd.get(e.key_arn!) ?? []), e]);
  }
  for (const [key, list] of odd) {
    if (list.length < 3) continue;
    out.push({
      id: "KW-DET-04",
      severity: "low",
      keyArn: key,
      resourceArn: list.find((e) => e.resource_arn)?.resource_arn ?? undefined,
      from: iso(list[0].event_time),
      to: iso(list[list.length - 1].event_time),
      count: list.length,
      summary: `${list.length} uses at UTC hours (${[...new Set(list.map((e) => new Date(e.event_time).getUTCHours()))].sort((a, b) => a - b).join(", ")}) when the key is never used`,
      filters: { key },
    });
  }

  // KW-DET-05: key and policy changes. A change is reported even when its key can't be resolved to
  // an ARN: the key is then named as the record names it.
  const lastPolicy = new Map<string, string>();
  const change = (e: Ev, keyName: string, summary: string, details?: Record<string, unknown>) =>
    out.push({
      id: "KW-DET-05",
      severity: "high",
      keyArn: e.key_arn ?? undefined,
      resourceArn: e.resource_arn ?? undefined,
      principalArn: e.principal_arn ?? undefined,
      from: iso(e.event_time),
      to: iso(e.event_time),
      count: 1,
      summary: `${summary} on ${keyName}`,
      filters: e.key_arn ? { key: e.key_arn, eventName: e.event_name } : { eventName: e.event_name },
      details,
    });
  const KEY_CHANGES = new Set(["PutKeyPolicy", "DisableKey", "ScheduleKeyDeletion", "CreateGrant"]);
  for (const e of [...baseline, ...events]) {
    if (!KEY_CHANGES.has(e.event_name) || e.error_code) continue;
    const rp = requestOf(e);
    const inWindow = e.event_time >= range.from;
    const by = callerName(e);
    const keyName = e.key_arn ?? keyRefOf(e) ?? "a key the record does not name";
    if (e.event_name === "PutKeyPolicy") {
      const before = e.key_arn ? lastPolicy.get(e.key_arn) : undefined;
      const after = typeof rp.policy === "string" ? rp.policy : undefined;
      if (after && e.key_arn) lastPolicy.set(e.key_arn, after);
      if (inWindow && e.principal_type !== "AWSService") change(e, keyName, `PutKeyPolicy by ${by}${before ? " (policy before and after stored)" : ""}`, { before, after });
      continue;
    }
    if (!inWindow) continue;
    if ((e.event_name === "DisableKey" || e.event_name === "ScheduleKeyDeletion") && e.principal_type !== "AWSService") change(e, keyName, `${e.event_name} by ${by}`);
    if (e.event_name === "CreateGrant") {
      const grantee = typeof rp.granteePrincipal === "string" ? rp.granteePrincipal : "";
      const acct = /^\d{12}$/.test(grantee) ? grantee : grantee.split(":")[4];
      // Outside: neither the key's account (nor the account that recorded the call) nor a trusted one.
      const own = new Set([keyAccountOf(e), e.account].filter(Boolean));
      if (acct && !own.has(acct) && !ctx.inside.has(acct)) change(e, keyName, `CreateGrant to ${grantee} (account ${acct}, outside) by ${by}`);
    }
  }

  // KW-DET-06: an agent's secret read by someone else.
  const reads = new Map<string, Ev[]>();
  for (const e of events) {
    if (e.event_name !== "GetSecretValue" || !e.secret_arn || !ctx.agentSecrets.has(e.secret_arn) || isIdentity(e.principal_arn, e.invoked_by)) continue;
    const k = `${e.secret_arn}|${e.principal_arn ?? "unknown"}`;
    reads.set(k, [...(reads.get(k) ?? []), e]);
  }
  for (const [k, list] of reads) {
    const [secret, principal] = k.split("|");
    out.push({
      id: "KW-DET-06",
      severity: "high",
      resourceArn: ctx.agentSecrets.get(secret),
      principalArn: principal,
      from: iso(list[0].event_time),
      to: iso(list[list.length - 1].event_time),
      count: list.length,
      summary: `${principal} read the secret ${secret.split(":").pop()} ${list.length} time${list.length === 1 ? "" : "s"}${list.some((e) => e.error_code) ? " (some refused)" : ""}`,
      filters: { secret, principal, eventName: "GetSecretValue" },
    });
  }

  // KW-DET-07: an execution role called directly from an IP.
  const direct = new Map<string, Ev[]>();
  for (const e of events) {
    if (!e.principal_arn || !ctx.executionRoles.has(e.principal_arn) || e.invoked_by || isService(e.source_ip)) continue;
    direct.set(e.principal_arn, [...(direct.get(e.principal_arn) ?? []), e]);
  }
  for (const [role, list] of direct) {
    out.push({
      id: "KW-DET-07",
      severity: "high",
      resourceArn: ctx.executionRoles.get(role),
      principalArn: role,
      keyArn: list.find((e) => e.key_arn)?.key_arn ?? undefined,
      from: iso(list[0].event_time),
      to: iso(list[list.length - 1].event_time),
      count: list.length,
      summary: `${role.split("/").pop()} made ${list.length} call${list.length === 1 ? "" : "s"} from ${[...new Set(list.map((e) => e.source_ip))].join(", ")}, not through its service`,
      filters: { principal: role },
    });
  }

  // KW-DET-08: trail changes that blind KMS or Secrets Manager auditing.
  for (const e of events) {
    if (e.error_code || !e.raw) continue;
    const raw = JSON.parse(e.raw) as { eventSource?: string; requestParameters?: Record<string, unknown> | null };
    if (raw.eventSource !== "cloudtrail.amazonaws.com") continue;
    const rp = raw.requestParameters ?? {};
    const why = blindingChange(e.event_name, rp);
    if (!why) continue;
    const trail = String(rp.trailName ?? rp.name ?? rp.TrailName ?? rp.Name ?? "trail");
    out.push({
      id: "KW-DET-08",
      severity: "critical",
      principalArn: e.principal_arn ?? undefined,
      from: iso(e.event_time),
      to: iso(e.event_time),
      count: 1,
      summary: `${callerName(e)} ${why} (${trail})`,
      filters: { eventName: e.event_name },
    });
  }

  // KW-DET-09: a key used by an account that is neither the key's nor trusted.
  const foreign = new Map<string, Ev[]>();
  for (const e of events) {
    if (!e.key_arn || !e.caller_account || e.principal_type === "AWSService") continue;
    const acct = e.caller_account;
    if (acct === keyAccountOf(e) || acct === e.account || ctx.inside.has(acct)) continue;
    const k = `${e.key_arn}|${acct}`;
    foreign.set(k, [...(foreign.get(k) ?? []), e]);
  }
  for (const [k, list] of foreign) {
    const [key, acct] = k.split("|");
    const names = [...new Set(list.map((e) => e.event_name))];
    out.push({
      id: "KW-DET-09",
      severity: "high",
      keyArn: key,
      resourceArn: list.find((e) => e.resource_arn)?.resource_arn ?? undefined,
      principalArn: list.find((e) => e.principal_arn)?.principal_arn ?? undefined,
      from: iso(list[0].event_time),
      to: iso(list[list.length - 1].event_time),
      count: list.length,
      summary: `account ${acct} (${[...new Set(list.map((e) => e.principal_type ?? "unknown"))].join(", ")}) called the key ${list.length} time${list.length === 1 ? "" : "s"} (${names.slice(0, 4).join(", ")})${list.some((e) => e.error_code) ? ", some refused" : ""}; it is neither the key's account nor a trusted one`,
      filters: { key, callerAccount: acct },
    });
  }
  return out.sort((a, b) => RANK[b.severity] - RANK[a.severity] || b.to.localeCompare(a.to));
}

/** Whether the store holds events from the baseline window (KW-DET-02/03/04 compare with it). */
export function hasBaseline(d: Database.Database, range: Pick<EventFilters, "from">): boolean {
  return !!d.prepare("SELECT 1 FROM events WHERE event_time >= ? AND event_time < ? LIMIT 1").get(range.from - BASELINE_MS, range.from);
}
