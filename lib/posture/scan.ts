import "server-only";

// One scan: list every agent resource in every configured account and region, resolve each key,
// secret, role and trail once, then run the rule catalogue. Partial failure is normal: a failed
// read becomes a ScanError and the checks that needed it are "not assessed", never a pass.

import { LookupEventsCommand } from "@aws-sdk/client-cloudtrail";

import { COLLECTORS } from "../inventory/collectors";
import { resourceOf } from "../inventory/types.shared";
import { mapLimit, readAll, type ScanContext } from "../inventory/context";
import { describeRole, describeSecret, describeTrails } from "../inventory/related";
import type {
  AgentResource,
  Finding,
  KeyFacts,
  KeySummary,
  NotAssessed,
  ResourceKind,
  ResourceRecord,
  RoleFacts,
  ScanError,
  ScanProgress,
  ScanResult,
  SecretFacts,
  TrailFacts,
} from "../inventory/types.shared";
import { keyAccount, keyRegion, listAliases, resolveKey } from "../keys/resolve";
import { clientsFor, type Target } from "../server/aws/clients";
import { Pacer } from "../server/aws/quotas";

import { answer } from "./access";
import type { AccessRequirement } from "./requirements";
import type { AccessAnswer, RuleContext } from "./rule";
import { RULES } from "./rules";

export interface ScanOptions {
  targets: Target[];
  /** The last completed scan: unchanged resources and keys are not read again. */
  previous?: ScanResult;
  trustedAccounts?: string[];
  onProgress?: (p: ScanProgress) => void;
  /** Targets scanned at once. */
  concurrency?: number;
}

/** The previous scan's records as collectors report them (credential providers have no key of their own). */
function previousResources(prev: ScanResult): Map<string, AgentResource> {
  return new Map(prev.resources.map((r) => [r.arn, resourceOf(r)]));
}

const KEY_WRITE_EVENTS = new Set([
  "PutKeyPolicy",
  "DisableKey",
  "EnableKey",
  "ScheduleKeyDeletion",
  "CancelKeyDeletion",
  "CreateGrant",
  "RevokeGrant",
  "RetireGrant",
  "EnableKeyRotation",
  "DisableKeyRotation",
  "RotateKeyOnDemand",
  "TagResource",
  "UntagResource",
  "UpdateKeyDescription",
  "ReplicateKey",
  "UpdatePrimaryRegion",
]);
// CloudTrail delivers events within about 15 minutes: look back that far before the last scan.
const TRAIL_DELAY_MS = 15 * 60_000;

/**
 * Keys changed since the previous scan, from CloudTrail's write events in each region. A region
 * whose events cannot be read (or that names a key by alias or id only) is re-read in full.
 */
async function changedKeys(prev: ScanResult, regions: string[], ctxFor: (account: string, region: string) => ScanContext): Promise<{ keys: Set<string>; all: Set<string> }> {
  const keys = new Set<string>();
  const all = new Set<string>();
  const since = new Date(Date.parse(prev.scannedAt) - TRAIL_DELAY_MS);
  for (const region of regions) {
    const [account, r] = region.split("|");
    const ctx = ctxFor(account, r);
    const events = await readAll(ctx, "CloudTrail", "LookupEvents", async (NextToken) => {
      const res = await ctx.clients.cloudtrail.send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "ReadOnly", AttributeValue: "false" }], StartTime: since, MaxResults: 50, NextToken }),
      );
      return { items: res.Events ?? [], next: res.NextToken };
    });
    if (!events) {
      all.add(region);
      continue;
    }
    for (const e of events) {
      if (e.EventSource !== "kms.amazonaws.com" || !KEY_WRITE_EVENTS.has(e.EventName ?? "")) continue;
      const arns = (e.Resources ?? []).map((x) => x.ResourceName ?? "").filter((n) => n.startsWith("arn:aws:kms:") && n.includes(":key/"));
      if (arns.length) for (const a of arns) keys.add(a);
      else all.add(region);
    }
  }
  return { keys, all };
}

export async function runScan(opts: ScanOptions): Promise<ScanResult> {
  const started = Date.now();
  const counter = { calls: 0 };
  const errors: ScanError[] = [];
  const progress: ScanProgress = { phase: "listing", resourcesByKind: {}, keysResolved: 0, keysTotal: 0, errors: 0 };
  const report = () => opts.onProgress?.({ ...progress, resourcesByKind: { ...progress.resourcesByKind }, errors: errors.length });
  const pacer = new Pacer();
  const previous = opts.previous ? previousResources(opts.previous) : undefined;
  const ctxFor = (account: string, region: string): ScanContext => {
    const t = opts.targets.find((x) => x.account === account && x.region === region) ?? { ...(opts.targets.find((x) => x.account === account) ?? opts.targets[0]), region };
    return { clients: clientsFor(t), account, region, counter, errors, pacer, previous };
  };

  // 1. Inventory
  const resources: AgentResource[] = [];
  await mapLimit(opts.targets, opts.concurrency ?? 4, async (t) => {
    const ctx = ctxFor(t.account, t.region);
    // Resource kinds are listed side by side; results keep the collectors' order.
    const found = await Promise.all(
      COLLECTORS.map(async (c) => {
        const list = await c.collect(ctx);
        progress.resourcesByKind[c.kind] = (progress.resourcesByKind[c.kind] ?? 0) + list.length;
        report();
        return list;
      }),
    );
    for (const list of found) resources.push(...list);
  });

  // 2. Secrets and roles the resources reference
  progress.phase = "reading secrets and roles";
  report();
  const secretArns = [...new Set(resources.flatMap((r) => r.secrets.map((s) => s.arn)))];
  const secrets = new Map<string, SecretFacts>();
  await mapLimit(secretArns, 16, async (arn) => secrets.set(arn, await describeSecret(ctxFor(arn.split(":")[4], arn.split(":")[3]), arn)));
  const roleArns = [...new Set(resources.flatMap((r) => r.roles))];
  const roles = new Map<string, RoleFacts>();
  await mapLimit(roleArns, 16, async (arn) => roles.set(arn, await describeRole(ctxFor(arn.split(":")[4], opts.targets[0].region), arn)));

  // 3. Keys: each once, in its own region; aliases once per region
  progress.phase = "resolving keys";
  const keyRefs = [
    ...new Set([...resources.map((r) => r.keyArn).filter((k): k is string => !!k), ...[...secrets.values()].map((s) => s.kmsKeyId).filter((k): k is string => !!k)]),
  ];
  const normalizedRef = (ref: string, region: string, account: string) =>
    ref.startsWith("arn:") ? ref : `arn:aws:kms:${region}:${account}:${ref.startsWith("alias/") ? ref : `key/${ref}`}`;
  const refRegions = new Map<string, string>();
  for (const s of secrets.values()) if (s.kmsKeyId && !s.kmsKeyId.startsWith("arn:")) refRegions.set(s.kmsKeyId, `${s.region}|${s.account}`);
  const keyArns = [...new Set(keyRefs.map((k) => (k.startsWith("arn:") ? k : normalizedRef(k, refRegions.get(k)!.split("|")[0], refRegions.get(k)!.split("|")[1]))))];
  progress.keysTotal = keyArns.length;
  report();
  const aliasMaps = new Map<string, Map<string, string[]>>();
  for (const region of [...new Set(keyArns.map((a) => `${keyAccount(a)}|${keyRegion(a)}`))]) {
    const [account, r] = region.split("|");
    aliasMaps.set(region, await listAliases(ctxFor(account, r)));
  }
  const keys = new Map<string, KeyFacts>();
  const changed = opts.previous ? await changedKeys(opts.previous, [...new Set(keyArns.map((a) => `${keyAccount(a)}|${keyRegion(a)}`))], ctxFor) : undefined;
  const before = new Map((opts.previous?.keys ?? []).map((k) => [k.arn, k]));
  await mapLimit(keyArns, 32, async (arn) => {
    const region = `${keyAccount(arn)}|${keyRegion(arn)}`;
    const aliases = aliasMaps.get(region) ?? new Map<string, string[]>();
    const prev = before.get(arn);
    const reuse = prev && prev.found && !Object.keys(prev.readErrors).length && changed && !changed.all.has(region) && !changed.keys.has(arn);
    const facts = reuse ? { ...prev, aliases: aliases.get(arn.split("/").pop()!) ?? [] } : await resolveKey(ctxFor(keyAccount(arn), keyRegion(arn)), arn, aliases);
    keys.set(arn, facts);
    keys.set(facts.arn, facts);
    progress.keysResolved += 1;
    report();
  });
  for (const ref of keyRefs) {
    if (ref.startsWith("arn:")) continue;
    const [region, account] = (refRegions.get(ref) ?? "|").split("|");
    const f = keys.get(normalizedRef(ref, region, account));
    if (f) keys.set(ref, f);
  }

  // 4. Trails per region
  progress.phase = "reading trails";
  report();
  const trails: TrailFacts[] = await mapLimit(opts.targets, 4, (t) => describeTrails(ctxFor(t.account, t.region)));

  // 5. Rules
  progress.phase = "evaluating";
  report();
  const inside = new Set([...opts.targets.map((t) => t.account), ...(opts.trustedAccounts ?? [])]);
  const access = (req: AccessRequirement, key: KeyFacts): Promise<AccessAnswer[]> => answer(req, key, roles).then((answers) => answers.map((a) => ({ ...a, requirement: req })));
  const findings: Finding[] = [];
  const notAssessed: NotAssessed[] = [];
  for (const resource of resources) {
    const ctx: RuleContext = { resource, key: resource.keyArn ? keys.get(resource.keyArn) : undefined, keys, secrets, roles, inside, access };
    for (const rule of RULES) {
      if (!rule.check || rule.appliesTo === "region") continue;
      if (rule.appliesTo !== "all" && !rule.appliesTo.includes(resource.kind)) continue;
      for (const o of await rule.check(ctx)) {
        if ("notAssessed" in o) notAssessed.push({ ruleId: rule.id, resourceArn: resource.arn, reason: o.notAssessed });
        else
          findings.push({
            ruleId: rule.id,
            severity: rule.severity,
            title: o.title ?? rule.title,
            resourceArn: resource.arn,
            keyArn: o.keyArn ?? resource.keyArn,
            evidence: o.evidence,
          });
      }
    }
  }
  for (const t of trails) {
    const scope = `arn:aws:cloudtrail:${t.region}:${t.account}:trail/*`;
    for (const rule of RULES.filter((r) => r.appliesTo === "region")) {
      for (const o of rule.checkRegion?.({ account: t.account, region: t.region, trails: t }) ?? []) {
        if ("notAssessed" in o) notAssessed.push({ ruleId: rule.id, resourceArn: scope, reason: o.notAssessed });
        else findings.push({ ruleId: rule.id, severity: rule.severity, title: rule.title, resourceArn: scope, evidence: o.evidence });
      }
    }
  }

  const records: ResourceRecord[] = resources.map(({ keyArn: ownKey, ...r }) => {
    // Credential providers have no key of their own: they are protected by their secret's key
    // (aws/secretsmanager when the secret names none).
    const secret = !ownKey && r.secrets.length ? secrets.get(r.secrets[0].arn) : undefined;
    if (secret && !secret.readErrors.DescribeSecret && !secret.kmsKeyId) {
      return { ...r, key: { arn: "", type: "aws-managed" as const, region: secret.region } };
    }
    const keyArn = ownKey ?? secret?.kmsKeyId;
    const k = keyArn ? keys.get(keyArn) : undefined;
    const key: KeySummary = !keyArn
      ? { arn: "", type: "aws-owned" }
      : k?.found
        ? { arn: k.arn, type: k.type, state: k.state, spec: k.spec, usage: k.usage, manager: k.manager, region: k.region, rotation: k.rotation, multiRegion: k.multiRegion }
        : { arn: keyArn, type: "unknown", region: keyArn.split(":")[3] };
    return { ...r, key };
  });
  progress.phase = "done";
  report();
  const uniqueKeys = [...new Map([...keys.values()].map((k) => [k.arn, k])).values()];
  return {
    scannedAt: new Date().toISOString(),
    durationMs: Date.now() - started,
    resources: records,
    keys: uniqueKeys,
    secrets: [...secrets.values()],
    roles: [...roles.values()],
    trails,
    findings,
    notAssessed,
    errors,
    apiCalls: counter.calls,
  };
}

export const KINDS_SCANNED: ResourceKind[] = COLLECTORS.map((c) => c.kind);
