import "server-only";

// The AWS Config aggregator path: where an organization aggregator exists, the resources of the
// types Config records (KMS keys, Bedrock guardrails and prompts) come from one paginated advanced
// query instead of a List and a Get per resource in every account and region. Config is trusted only
// where it can be: the aggregator's source for the account and region last updated successfully, its
// configuration recorder is recording, and the recorder's group includes the type. Everywhere else,
// and for an account-region whose Config holds none of a type (the type may not be recorded in that
// region), the kind's collector reads the API. What Config does not carry (key policies, grants,
// last use, roles, secrets) is always read from the APIs.
import { DescribeConfigurationAggregatorSourcesStatusCommand, SelectAggregateResourceConfigCommand } from "@aws-sdk/client-config-service";

import { describeAwsError, type Target } from "../server/aws/clients";

import { paced, type ScanContext } from "./context";
import { isKnown, KINDS } from "./kinds";
import { ciDate, ciString, type ConfigItem } from "./kinds/kind";
import type { AgentResource, ConfigInventorySummary, KeyFacts } from "./types.shared";

export const KMS_KEY_TYPE = "AWS::KMS::Key";
const RECORDER_TYPE = "AWS::Config::ConfigurationRecorder";

/** The Config resource types Keyward reads: keys, and the kinds Config records with every field the collector reads. */
export function configTypes(): string[] {
  return [KMS_KEY_TYPE, ...KINDS.flatMap((k) => (isKnown(k.config) ? [k.config.type] : []))];
}

/** Config's statuses for items of resources that no longer exist or are no longer recorded. */
const GONE = new Set(["ResourceDeleted", "ResourceDeletedNotRecorded", "ResourceNotRecorded"]);

export interface ConfigInventory {
  /** The records Config holds for a type in one account and region, or why the API must be read there. */
  resources(account: string, region: string, type: string): { items: ConfigItem[] } | { fallback: string };
  /** A key's configuration item, where Config records keys in the key's account and region. */
  key(arn: string): ConfigItem | undefined;
  summary: ConfigInventorySummary;
}

/** The advanced query Keyward runs (the select list and the types; account and region filters when they fit). */
export function inventoryQuery(types: string[], accounts: string[], regions: string[]): string {
  const list = (xs: string[]) => xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(", ");
  const select =
    "SELECT accountId, awsRegion, resourceType, resourceId, resourceName, arn, configuration, supplementaryConfiguration, tags, configurationItemCaptureTime, configurationItemStatus";
  let q = `${select} WHERE resourceType IN (${list([RECORDER_TYPE, ...types])}) AND awsRegion IN (${list(regions)})`;
  // Config's expressions are limited to 4,096 characters: with many accounts, they are filtered here.
  const withAccounts = `${q} AND accountId IN (${list(accounts)})`;
  if (withAccounts.length <= 4096) q = withAccounts;
  return q;
}

/** Why a recorder does not record a type in its account and region (undefined: it does). */
export function notRecorded(recorder: ConfigItem | undefined, type: string): string | undefined {
  if (!recorder) return "no configuration recorder is reported for this account and region";
  const c = recorder.configuration;
  if (c.Recording === false || c.recording === false) return "the configuration recorder is stopped";
  const g = (c.RecordingGroup ?? c.recordingGroup ?? {}) as Record<string, unknown>;
  const types = (x: unknown) => (Array.isArray(x) ? (x as unknown[]).map(String) : []);
  const excluded = types((g.ExclusionByResourceTypes as Record<string, unknown> | undefined)?.ResourceTypes);
  const strategy = (g.RecordingStrategy as Record<string, unknown> | undefined)?.UseOnly;
  if (g.AllSupported === true && strategy !== "EXCLUSION_BY_RESOURCE_TYPES") return undefined;
  if (strategy === "EXCLUSION_BY_RESOURCE_TYPES") return excluded.includes(type) ? `the configuration recorder excludes ${type}` : undefined;
  return types(g.ResourceTypes).includes(type) ? undefined : `the configuration recorder does not record ${type}`;
}

/**
 * Reads the aggregator (with the credentials of the account that holds it) for the targets' accounts
 * and regions. Undefined, with the error recorded, when the aggregator cannot be read: the scan then
 * reads every API, as without one.
 */
export async function readConfigInventory(
  ctx: ScanContext,
  aggregator: { name: string; region: string },
  targets: Target[],
): Promise<{ inventory?: ConfigInventory; summary: ConfigInventorySummary }> {
  const summary: ConfigInventorySummary = { aggregator: aggregator.name, region: aggregator.region, items: {}, fallbacks: [] };
  const fail = (operation: string, e: unknown) => {
    const d = describeAwsError(e);
    ctx.errors.push({ service: "AWS Config", region: aggregator.region, account: ctx.account, operation, code: d.code, message: d.message });
    summary.error = { code: d.code, message: `${operation}: ${d.message}` };
    return { summary };
  };
  const types = configTypes();
  const accounts = [...new Set(targets.map((t) => t.account))];
  const regions = [...new Set(targets.map((t) => t.region))];

  // 1. Which sources Config has up to date.
  const status = new Map<string, string>();
  try {
    let token: string | undefined;
    do {
      const r = await paced(ctx, "config:DescribeConfigurationAggregatorSourcesStatus", () =>
        ctx.clients.config.send(new DescribeConfigurationAggregatorSourcesStatusCommand({ ConfigurationAggregatorName: aggregator.name, Limit: 100, NextToken: token })),
      );
      for (const s of r.AggregatedSourceStatusList ?? []) {
        if (s.SourceType !== "ACCOUNT" && s.SourceType !== "ORGANIZATION") continue;
        status.set(`${s.SourceId}|${s.AwsRegion}`, s.LastUpdateStatus ?? "");
      }
      token = r.NextToken;
    } while (token);
  } catch (e) {
    return fail("DescribeConfigurationAggregatorSourcesStatus", e);
  }

  // 2. The items, one paginated query.
  const items: ConfigItem[] = [];
  try {
    const expression = inventoryQuery(types, accounts, regions);
    let token: string | undefined;
    do {
      const r = await paced(ctx, "config:SelectAggregateResourceConfig", () =>
        ctx.clients.config.send(new SelectAggregateResourceConfigCommand({ ConfigurationAggregatorName: aggregator.name, Expression: expression, Limit: 100, NextToken: token })),
      );
      for (const row of r.Results ?? []) items.push(JSON.parse(row) as ConfigItem);
      token = r.NextToken;
    } while (token);
  } catch (e) {
    return fail("SelectAggregateResourceConfig", e);
  }

  const wanted = new Set(accounts.map((a) => regions.map((r) => `${a}|${r}`)).flat());
  const recorders = new Map<string, ConfigItem>();
  const byPlace = new Map<string, ConfigItem[]>();
  const keys = new Map<string, ConfigItem>();
  for (const ci of items) {
    const place = `${ci.accountId}|${ci.awsRegion}`;
    if (!wanted.has(place) || GONE.has(ci.configurationItemStatus ?? "")) continue;
    if (ci.resourceType === RECORDER_TYPE) {
      recorders.set(place, ci);
      continue;
    }
    const k = `${place}|${ci.resourceType}`;
    byPlace.set(k, [...(byPlace.get(k) ?? []), ci]);
  }
  const why = new Map<string, string | undefined>();
  const fallback = (account: string, region: string, type: string): string | undefined => {
    const k = `${account}|${region}|${type}`;
    if (!why.has(k)) {
      const s = status.get(`${account}|${region}`);
      const reason =
        s === undefined
          ? "the aggregator has no source for this account and region"
          : s !== "SUCCEEDED"
            ? `the aggregator's last update from this account and region is ${s}`
            : (notRecorded(recorders.get(`${account}|${region}`), type) ??
              (byPlace.get(k)?.length ? undefined : `Config holds no ${type} here (the type may not be recorded in this region): the API is read to be sure`));
      why.set(k, reason);
      if (reason) summary.fallbacks.push({ account, region, type, reason });
    }
    return why.get(k);
  };
  for (const [k, list] of byPlace) {
    const [account, region, type] = k.split("|");
    if (type !== KMS_KEY_TYPE || fallback(account, region, type)) continue;
    for (const ci of list) {
      const arn = ci.arn ?? (ci.configuration.arn as string | undefined);
      if (arn) keys.set(arn, ci);
    }
  }
  const inventory: ConfigInventory = {
    summary,
    resources(account, region, type) {
      const reason = fallback(account, region, type);
      if (reason) return { fallback: reason };
      const list = byPlace.get(`${account}|${region}|${type}`) ?? [];
      summary.items[type] = (summary.items[type] ?? 0) + list.length;
      return { items: list };
    },
    key(arn) {
      const ci = keys.get(arn);
      if (ci) summary.items[KMS_KEY_TYPE] = (summary.items[KMS_KEY_TYPE] ?? 0) + 1;
      return ci;
    },
  };
  return { inventory, summary };
}

/** A kind's records from Config's items (items that do not make a record are left out and counted as fallbacks by the caller). */
export function recordsFromConfig(kindId: string, items: ConfigItem[]): AgentResource[] {
  const kind = KINDS.find((k) => k.id === kindId);
  if (!kind || !isKnown(kind.config)) return [];
  const build = kind.config.fromItem;
  return items.flatMap((ci) => {
    const r = build(ci);
    return r ? [{ ...r, recorded: { by: "config" as const, at: ci.configurationItemCaptureTime } }] : [];
  });
}

/** A key's metadata, rotation and tags from its configuration item (DescribeKey's fields, in Config's camelCase). */
export function keyFromConfig(
  arn: string,
  ci: ConfigItem,
): Pick<KeyFacts, "arn" | "type" | "state" | "spec" | "usage" | "manager" | "multiRegion" | "description" | "created" | "deletionDate" | "tags" | "recorded"> & {
  rotationRecorded?: boolean;
} {
  const c = ci.configuration;
  const manager = ciString(c.keyManager);
  const rotation = ci.supplementaryConfiguration?.KeyRotationStatus;
  const tags: Record<string, string> = {};
  for (const t of ci.tags ?? []) if (t.key) tags[t.key] = t.value ?? "";
  return {
    arn: ciString(c.arn) ?? arn,
    type: manager === "AWS" ? "aws-managed" : "customer",
    state: ciString(c.keyState),
    spec: ciString(c.keySpec) ?? ciString(c.customerMasterKeySpec),
    usage: ciString(c.keyUsage),
    manager,
    multiRegion: typeof c.multiRegion === "boolean" ? c.multiRegion : undefined,
    description: typeof c.description === "string" ? c.description : undefined,
    created: ciDate(c.creationDate),
    deletionDate: ciDate(c.deletionDate),
    tags,
    recorded: { by: "config", at: ci.configurationItemCaptureTime },
    rotationRecorded: rotation === true || rotation === "true" ? true : rotation === false || rotation === "false" ? false : undefined,
  };
}
