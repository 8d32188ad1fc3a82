import "server-only";

// One scan: list every agent resource in every configured account and region, resolve each key,
// secret, role and trail once, then run the rule catalogue. Partial failure is normal: a failed
// read becomes a ScanError and the checks that needed it are "not assessed", never a pass.

import { LookupEventsCommand } from "@aws-sdk/client-cloudtrail";

import { collectAll } from "../inventory/collect";
import { type ConfigInventory, readConfigInventory } from "../inventory/config-source";
import { resourceOf } from "../inventory/types.shared";
import { type AccessAnalyzerOptions, mapLimit, readAll, type ScanContext } from "../inventory/context";
import { describeRole, describeSecret, describeTrails } from "../inventory/related";
import type {
  AgentResource,
  Finding,
  KeyFacts,
  KeySummary,
  NotAssessed,
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
import type { OutsideAnalysis } from "../policy/outside";

import { answer } from "./access";
import { outsideVerdict } from "./outside";
import type { AccessRequirement } from "./requirements";
import type { AccessAnswer, RuleContext } from "./rule";
import { RULES } from "./rules";

export interface ScanOptions {
  targets: Target[];
  /** The last completed scan: unchanged resources and keys are not read again. */
  previous?: ScanResult;
  /** Trusted account ids and organization ids (o-…), treated as inside. */
  trustedAccounts?: string[];
  onProgress?: (p: ScanProgress) => void;
  /**
   * Targets scanned at once (default 32: each target spends most of its time waiting on its own
   * quotas, so many go together; past that, memory grows and time does not fall, as bench:org measures).
   */
  concurrency?: number;
  /** IAM Access Analyzer checks on every key and secret policy read (ValidatePolicy by default; CheckNoPublicAccess is billed). */
  accessAnalyzer?: AccessAnalyzerOptions;
  /**
   * An AWS Config aggregator to take the inventory of the types it records from, read with the
   * target's credentials (the account that holds it, in its region).
   */
  configAggregator?: { name: string; target: Target };
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
 * Keys changed since the previous scan, from CloudTrail's write events in one region. When the
 * events cannot be read (or one names a key by alias or id only), every key of the region is re-read.
 */
async function changedKeysIn(prev: ScanResult, ctx: ScanContext): Promise<{ keys: Set<string>; all: boolean }> {
  const keys = new Set<string>();
  const since = new Date(Date.parse(prev.scannedAt) - TRAIL_DELAY_MS);
  const events = await readAll(ctx, "CloudTrail", "LookupEvents", async (NextToken) => {
    const res = await ctx.clients.cloudtrail.send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "ReadOnly", AttributeValue: "false" }], StartTime: since, MaxResults: 50, NextToken }),
    );
    return { items: res.Events ?? [], next: res.NextToken };
  });
  if (!events) return { keys, all: true };
  let all = false;
  for (const e of events) {
    if (e.EventSource !== "kms.amazonaws.com" || !KEY_WRITE_EVENTS.has(e.EventName ?? "")) continue;
    const arns = (e.Resources ?? []).map((x) => x.ResourceName ?? "").filter((n) => n.startsWith("arn:aws:kms:") && n.includes(":key/"));
    if (arns.length) for (const a of arns) keys.add(a);
    else all = true;
  }
  return { keys, all };
}

/**
 * A promise awaited later: a failure is kept for whoever awaits it (and so reaches the scan's
 * caller) instead of ending the process as an unhandled rejection in the meantime.
 */
function later<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/** The promise for k, started by `start` the first time k is asked for. */
function once<T>(started: Map<string, Promise<T>>, k: string, start: () => Promise<T>): Promise<T> {
  let p = started.get(k);
  if (!p) {
    p = later(start());
    started.set(k, p);
  }
  return p;
}

interface Outcomes {
  findings: Finding[];
  notAssessed: NotAssessed[];
}

/**
 * One scan, as a pipeline: each resource's key, roles and secrets are read (each once) as soon as the
 * listing reports the resource, and its rules run as soon as those reads are in, while the listing
 * goes on. Results keep the collectors' order whatever order the reads finish in.
 */
export async function runScan(opts: ScanOptions): Promise<ScanResult> {
  const started = Date.now();
  const counter = { calls: 0 };
  const errors: ScanError[] = [];
  const progress: ScanProgress = { phase: "listing", resourcesByKind: {}, keysResolved: 0, keysTotal: 0, errors: 0 };
  const report = () => opts.onProgress?.({ ...progress, resourcesByKind: { ...progress.resourcesByKind }, errors: errors.length });
  const pacer = new Pacer();
  const previous = opts.previous ? previousResources(opts.previous) : undefined;
  let config: ConfigInventory | undefined;
  const ctxFor = (account: string, region: string): ScanContext => {
    const t = opts.targets.find((x) => x.account === account && x.region === region) ?? { ...(opts.targets.find((x) => x.account === account) ?? opts.targets[0]), region };
    return {
      clients: clientsFor(t),
      account,
      region,
      counter,
      errors,
      pacer,
      previous,
      accessAnalyzer: opts.accessAnalyzer ?? { validatePolicy: true, checkNoPublicAccess: false },
      config,
    };
  };
  const inside = new Set([...opts.targets.map((t) => t.account), ...(opts.trustedAccounts ?? [])]);

  // What the resources reference, each read once: keys in their own region (aliases once per
  // region), secrets, roles. On a rescan a key is read again only if CloudTrail shows it changed.
  const keys = new Map<string, KeyFacts>();
  const secrets = new Map<string, SecretFacts>();
  const roles = new Map<string, RoleFacts>();
  const keyReads = new Map<string, Promise<KeyFacts>>();
  const secretReads = new Map<string, Promise<SecretFacts>>();
  const roleReads = new Map<string, Promise<RoleFacts>>();
  const aliasReads = new Map<string, Promise<Map<string, string[]>>>();
  const changedReads = new Map<string, Promise<{ keys: Set<string>; all: boolean }>>();
  const before = new Map((opts.previous?.keys ?? []).map((k) => [k.arn, k]));

  const readKey = (arn: string): Promise<KeyFacts> =>
    once(keyReads, arn, async () => {
      progress.keysTotal += 1;
      report();
      const ctx = ctxFor(keyAccount(arn), keyRegion(arn));
      const region = `${ctx.account}|${ctx.region}`;
      const aliases = once(aliasReads, region, () => listAliases(ctx));
      const prev = before.get(arn);
      let reuse = false;
      if (opts.previous && prev?.found && !Object.keys(prev.readErrors).length) {
        const changed = await once(changedReads, region, () => changedKeysIn(opts.previous!, ctx));
        reuse = !changed.all && !changed.keys.has(arn);
      }
      const [byKey, read] = await Promise.all([aliases, reuse ? { ...prev! } : resolveKey(ctx, arn, config?.key(arn))]);
      const facts: KeyFacts = { ...read, aliases: byKey.get(read.arn.split("/").pop()!) ?? [] };
      keys.set(arn, facts);
      keys.set(facts.arn, facts);
      progress.keysResolved += 1;
      report();
      return facts;
    });
  const readSecret = (arn: string): Promise<SecretFacts> =>
    once(secretReads, arn, async () => {
      const facts = await describeSecret(ctxFor(arn.split(":")[4], arn.split(":")[3]), arn);
      secrets.set(arn, facts);
      const ref = facts.kmsKeyId;
      // A secret may name its key by id, alias or ARN; the rules look it up as the secret names it.
      if (ref) keys.set(ref, await readKey(ref.startsWith("arn:") ? ref : `arn:aws:kms:${facts.region}:${facts.account}:${ref.startsWith("alias/") ? ref : `key/${ref}`}`));
      return facts;
    });
  const readRole = (arn: string): Promise<RoleFacts> =>
    once(roleReads, arn, async () => {
      const facts = await describeRole(ctxFor(arn.split(":")[4], opts.targets[0].region), arn);
      roles.set(arn, facts);
      return facts;
    });

  const access = (req: AccessRequirement, key: KeyFacts): Promise<AccessAnswer[]> => answer(req, key, roles).then((answers) => answers.map((a) => ({ ...a, requirement: req })));
  // Each policy's outside-access analysis, once per scan however many resources its key protects.
  const analyses = new Map<string, Promise<OutsideAnalysis>>();
  const evaluate = async (resource: AgentResource): Promise<Outcomes> => {
    const out: Outcomes = { findings: [], notAssessed: [] };
    const ctx: RuleContext = {
      resource,
      key: resource.keyArn ? keys.get(resource.keyArn) : undefined,
      keys,
      secrets,
      roles,
      inside,
      access,
      outside: (policy, o) => outsideVerdict(policy, { ...o, inside }, analyses),
    };
    for (const rule of RULES) {
      if (!rule.check || rule.appliesTo === "region") continue;
      if (rule.appliesTo !== "all" && !rule.appliesTo.includes(resource.kind)) continue;
      for (const o of await rule.check(ctx)) {
        if ("notAssessed" in o) out.notAssessed.push({ ruleId: rule.id, resourceArn: resource.arn, reason: o.notAssessed });
        else
          out.findings.push({
            ruleId: rule.id,
            severity: o.severity ?? rule.severity,
            title: o.title ?? rule.title,
            resourceArn: resource.arn,
            keyArn: o.keyArn ?? resource.keyArn,
            evidence: o.evidence,
          });
      }
    }
    return out;
  };
  const evaluations = new Map<AgentResource, Promise<Outcomes>>();
  const onResource = (r: AgentResource) => {
    progress.resourcesByKind[r.kind] = (progress.resourcesByKind[r.kind] ?? 0) + 1;
    report();
    const reads: Promise<unknown>[] = [...r.roles.map(readRole), ...r.secrets.map((x) => readSecret(x.arn))];
    if (r.keyArn) reads.push(readKey(r.keyArn));
    evaluations.set(r, later(Promise.all(reads).then(() => evaluate(r))));
  };

  // Trails are read per region alongside the listing.
  const trailReads = later(mapLimit(opts.targets, 4, (t) => describeTrails(ctxFor(t.account, t.region))));

  // 0. The aggregator's items, where one is configured (one paginated query for the whole organization).
  let inventory: ScanResult["inventory"];
  if (opts.configAggregator) {
    const t = opts.configAggregator.target;
    const got = await readConfigInventory(
      { clients: clientsFor(t), account: t.account, region: t.region, counter, errors, pacer },
      { name: opts.configAggregator.name, region: t.region },
      opts.targets,
    );
    config = got.inventory;
    inventory = got.summary;
  }

  // 1. Inventory: resource kinds side by side in each target; results keep the collectors' order.
  // Targets finish in any order; their records are kept in the targets' order.
  const perTarget = await mapLimit(opts.targets, opts.concurrency ?? 32, async (t) => collectAll({ ...ctxFor(t.account, t.region), onResource }));
  const resources: AgentResource[] = perTarget.flat();

  // 2. What is still being read, then the rules still running.
  progress.phase = "resolving keys";
  report();
  await Promise.all([...roleReads.values(), ...secretReads.values(), ...keyReads.values()]);
  progress.phase = "evaluating";
  report();
  const findings: Finding[] = [];
  const notAssessed: NotAssessed[] = [];
  for (const r of resources) {
    const o = await (evaluations.get(r) ?? evaluate(r));
    findings.push(...o.findings);
    notAssessed.push(...o.notAssessed);
  }
  const trails: TrailFacts[] = await trailReads;
  for (const t of trails) {
    const scope = `arn:aws:cloudtrail:${t.region}:${t.account}:trail/*`;
    for (const rule of RULES.filter((r) => r.appliesTo === "region")) {
      for (const o of rule.checkRegion?.({ account: t.account, region: t.region, trails: t }) ?? []) {
        if ("notAssessed" in o) notAssessed.push({ ruleId: rule.id, resourceArn: scope, reason: o.notAssessed });
        else findings.push({ ruleId: rule.id, severity: o.severity ?? rule.severity, title: o.title ?? rule.title, resourceArn: scope, evidence: o.evidence });
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
    ...(inventory ? { inventory } : {}),
  };
}
