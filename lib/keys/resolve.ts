import "server-only";

// The key resolver: each key read once per scan in its own region, however many resources use it.
// Aliases are listed once per region (not per key).
import {
  DescribeKeyCommand,
  GetKeyLastUsageCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  ListAliasesCommand,
  ListGrantsCommand,
  ListResourceTagsCommand,
} from "@aws-sdk/client-kms";

import { iso, read, readAll, type ScanContext } from "../inventory/context";
import type { GrantFacts, KeyFacts, KeyType } from "../inventory/types.shared";
import { keyFromConfig } from "../inventory/config-source";
import type { ConfigItem } from "../inventory/kinds/kind";

import { accessAnalyzerFacts } from "./access-analyzer";

const SERVICE = "KMS";

export function keyRegion(arn: string): string {
  return arn.split(":")[3];
}

export function keyAccount(arn: string): string {
  return arn.split(":")[4];
}

function isServicePrincipal(p: string): boolean {
  return /\.amazonaws\.com$/.test(p) || /:role\/aws-service-role\//.test(p);
}

export async function listAliases(ctx: ScanContext): Promise<Map<string, string[]>> {
  const all = await readAll(ctx, SERVICE, "ListAliases", async (Marker) => {
    const r = await ctx.clients.kms.send(new ListAliasesCommand({ Limit: 100, Marker }));
    return { items: r.Aliases ?? [], next: r.Truncated ? r.NextMarker : undefined };
  });
  const byKey = new Map<string, string[]>();
  for (const a of all ?? []) {
    if (!a.TargetKeyId || !a.AliasName) continue;
    byKey.set(a.TargetKeyId, [...(byKey.get(a.TargetKeyId) ?? []), a.AliasName]);
  }
  return byKey;
}

/**
 * Resolves one key ARN with the clients of the key's region (its aliases come from `listAliases`).
 * With the key's AWS Config item, its metadata, rotation and tags come from Config (the policy,
 * grants and last use are read all the same: Config does not carry them).
 */
export async function resolveKey(ctx: ScanContext, arn: string, recorded?: ConfigItem): Promise<KeyFacts> {
  const facts: KeyFacts = { arn, type: "unknown", account: keyAccount(arn), region: keyRegion(arn), aliases: [], grants: [], tags: {}, readErrors: {}, found: false };
  const failed = (op: string) => (code: string) => (facts.readErrors[op] = code);
  const fromConfig = recorded ? keyFromConfig(arn, recorded) : undefined;
  if (fromConfig) {
    const { rotationRecorded: _rotation, ...meta } = fromConfig;
    Object.assign(facts, meta, { found: true, tags: {} });
    if (facts.type === "customer") facts.tags = meta.tags;
  } else {
    const d = await read(ctx, SERVICE, "DescribeKey", () => ctx.clients.kms.send(new DescribeKeyCommand({ KeyId: arn })), failed("DescribeKey"));
    const m = d?.KeyMetadata;
    if (!m) return facts;
    facts.found = true;
    facts.arn = m.Arn ?? arn;
    facts.type = (m.KeyManager === "AWS" ? "aws-managed" : "customer") as KeyType;
    facts.state = m.KeyState;
    facts.spec = m.KeySpec;
    facts.usage = m.KeyUsage;
    facts.manager = m.KeyManager;
    facts.multiRegion = m.MultiRegion;
    facts.description = m.Description;
    facts.created = iso(m.CreationDate);
    facts.deletionDate = iso(m.DeletionDate);
  }
  const symmetric = facts.spec === "SYMMETRIC_DEFAULT";
  // After DescribeKey the reads are independent: they go out together (each paced by its own quota).
  const policyRead = read(ctx, SERVICE, "GetKeyPolicy", () => ctx.clients.kms.send(new GetKeyPolicyCommand({ KeyId: facts.arn, PolicyName: "default" })), failed("GetKeyPolicy"));
  const rotationRead =
    symmetric && fromConfig?.rotationRecorded !== undefined
      ? Promise.resolve({ KeyRotationEnabled: fromConfig.rotationRecorded })
      : symmetric
        ? read(ctx, SERVICE, "GetKeyRotationStatus", () => ctx.clients.kms.send(new GetKeyRotationStatusCommand({ KeyId: facts.arn })), failed("GetKeyRotationStatus"))
        : undefined;
  const customer = facts.type === "customer";
  const grantsRead = customer
    ? readAll(
        ctx,
        SERVICE,
        "ListGrants",
        async (Marker) => {
          const r = await ctx.clients.kms.send(new ListGrantsCommand({ KeyId: facts.arn, Limit: 100, Marker }));
          return { items: r.Grants ?? [], next: r.Truncated ? r.NextMarker : undefined };
        },
        failed("ListGrants"),
      )
    : undefined;
  const tagsRead =
    customer && !fromConfig
      ? read(ctx, SERVICE, "ListResourceTags", () => ctx.clients.kms.send(new ListResourceTagsCommand({ KeyId: facts.arn })), failed("ListResourceTags"))
      : undefined;
  // Last use is informational: a failure here does not make the key's checks "not assessed".
  const lastRead = customer ? read(ctx, SERVICE, "GetKeyLastUsage", () => ctx.clients.kms.send(new GetKeyLastUsageCommand({ KeyId: facts.arn }))) : undefined;
  const [p, r, grants, tags, last] = await Promise.all([policyRead, rotationRead, grantsRead, tagsRead, lastRead]);
  facts.policy = p?.Policy;
  // AWS's own checks of the policy (an AWS managed key's policy is AWS's, not the customer's).
  if (customer) facts.accessAnalyzer = await accessAnalyzerFacts(ctx, "key", facts.policy);
  facts.rotation = symmetric ? (r ? !!r.KeyRotationEnabled : null) : null;
  if (customer) {
    facts.grants = (grants ?? []).map((g): GrantFacts => ({
      grantId: g.GrantId!,
      name: g.Name || undefined,
      grantee: g.GranteePrincipal ?? g.GranteeServicePrincipal ?? "",
      retiringPrincipal: g.RetiringPrincipal,
      operations: g.Operations ?? [],
      issuingAccount: g.IssuingAccount,
      constraints: g.Constraints,
      created: iso(g.CreationDate),
      forAwsService: isServicePrincipal(g.GranteePrincipal ?? g.GranteeServicePrincipal ?? ""),
    }));
    if (tags) for (const t of tags.Tags ?? []) if (t.TagKey) facts.tags[t.TagKey] = t.TagValue ?? "";
    if (last?.KeyLastUsage) facts.lastUsage = { operation: last.KeyLastUsage.Operation, time: iso(last.KeyLastUsage.Timestamp), eventId: last.KeyLastUsage.CloudTrailEventId };
  }
  return facts;
}
