import "server-only";

// What resources point at: the Secrets Manager secrets they reference (described, never read),
// the IAM roles they use (inline and attached policies) and each region's trails.
import { DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand } from "@aws-sdk/client-cloudtrail";
import { GetPolicyCommand, GetPolicyVersionCommand, GetRolePolicyCommand, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand } from "@aws-sdk/client-iam";
import { DescribeSecretCommand, GetResourcePolicyCommand } from "@aws-sdk/client-secrets-manager";

import { accessAnalyzerFacts } from "../keys/access-analyzer";

import { read, readAll, type ScanContext } from "./context";
import type { RoleFacts, SecretFacts, TrailFacts } from "./types.shared";

export async function describeSecret(ctx: ScanContext, arn: string): Promise<SecretFacts> {
  const facts: SecretFacts = { arn, account: arn.split(":")[4], region: arn.split(":")[3], readErrors: {} };
  const failed = (op: string) => (code: string) => (facts.readErrors[op] = code);
  const d = await read(ctx, "Secrets Manager", "DescribeSecret", () => ctx.clients.secrets.send(new DescribeSecretCommand({ SecretId: arn })), failed("DescribeSecret"));
  if (!d) return facts;
  facts.name = d.Name;
  facts.kmsKeyId = d.KmsKeyId;
  facts.rotationEnabled = !!d.RotationEnabled;
  facts.owningService = d.OwningService;
  const p = await read(ctx, "Secrets Manager", "GetResourcePolicy", () => ctx.clients.secrets.send(new GetResourcePolicyCommand({ SecretId: arn })), failed("GetResourcePolicy"));
  facts.policy = p?.ResourcePolicy;
  facts.accessAnalyzer = await accessAnalyzerFacts(ctx, "secret", facts.policy);
  return facts;
}

function decodeDoc(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(decodeURIComponent(text));
  } catch {
    return JSON.parse(text);
  }
}

export async function describeRole(ctx: ScanContext, arn: string): Promise<RoleFacts> {
  const name = arn.split("/").pop()!;
  const facts: RoleFacts = { arn, name, policies: [] };
  const failed = (code: string) => (facts.readError ??= code);
  const names = await readAll(
    ctx,
    "IAM",
    "ListRolePolicies",
    async (Marker) => {
      const r = await ctx.clients.iam.send(new ListRolePoliciesCommand({ RoleName: name, Marker }));
      return { items: r.PolicyNames ?? [], next: r.IsTruncated ? r.Marker : undefined };
    },
    failed,
  );
  for (const p of names ?? []) {
    const doc = await read(ctx, "IAM", "GetRolePolicy", () => ctx.clients.iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: p })), failed);
    if (doc) facts.policies.push({ name: p, document: decodeDoc(doc.PolicyDocument) });
  }
  const attached = await readAll(
    ctx,
    "IAM",
    "ListAttachedRolePolicies",
    async (Marker) => {
      const r = await ctx.clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name, Marker }));
      return { items: r.AttachedPolicies ?? [], next: r.IsTruncated ? r.Marker : undefined };
    },
    failed,
  );
  for (const a of attached ?? []) {
    const pol = await read(ctx, "IAM", "GetPolicy", () => ctx.clients.iam.send(new GetPolicyCommand({ PolicyArn: a.PolicyArn })), failed);
    const v = pol?.Policy?.DefaultVersionId;
    if (!v) continue;
    const ver = await read(ctx, "IAM", "GetPolicyVersion", () => ctx.clients.iam.send(new GetPolicyVersionCommand({ PolicyArn: a.PolicyArn, VersionId: v })), failed);
    if (ver?.PolicyVersion?.Document) facts.policies.push({ name: a.PolicyName ?? a.PolicyArn!, document: decodeDoc(ver.PolicyVersion.Document) });
  }
  return facts;
}

export async function describeTrails(ctx: ScanContext): Promise<TrailFacts> {
  const facts: TrailFacts = { account: ctx.account, region: ctx.region, trails: [] };
  const d = await read(
    ctx,
    "CloudTrail",
    "DescribeTrails",
    () => ctx.clients.cloudtrail.send(new DescribeTrailsCommand({ includeShadowTrails: true })),
    (code) => (facts.readError = code),
  );
  if (!d) return facts;
  for (const t of d.trailList ?? []) {
    const status = await read(ctx, "CloudTrail", "GetTrailStatus", () => ctx.clients.cloudtrail.send(new GetTrailStatusCommand({ Name: t.TrailARN })));
    const sel = await read(ctx, "CloudTrail", "GetEventSelectors", () => ctx.clients.cloudtrail.send(new GetEventSelectorsCommand({ TrailName: t.TrailARN })));
    let readWriteType = "All";
    let includeManagementEvents = true;
    let excludesKms = false;
    if (sel?.EventSelectors?.length) {
      const mgmt = sel.EventSelectors.filter((s) => s.IncludeManagementEvents !== false);
      includeManagementEvents = mgmt.length > 0;
      readWriteType = mgmt.some((s) => s.ReadWriteType === "All") ? "All" : (mgmt[0]?.ReadWriteType ?? "All");
      excludesKms = mgmt.length > 0 && mgmt.every((s) => (s.ExcludeManagementEventSources ?? []).includes("kms.amazonaws.com"));
    } else if (sel?.AdvancedEventSelectors) {
      const mgmt = sel.AdvancedEventSelectors.filter((a) => (a.FieldSelectors ?? []).some((f) => f.Field === "eventCategory" && (f.Equals ?? []).includes("Management")));
      includeManagementEvents = mgmt.length > 0;
      const ro = mgmt.flatMap((a) => (a.FieldSelectors ?? []).filter((f) => f.Field === "readOnly"));
      readWriteType =
        ro.length && ro.every((f) => (f.Equals ?? []).includes("false")) ? "WriteOnly" : ro.length && ro.every((f) => (f.Equals ?? []).includes("true")) ? "ReadOnly" : "All";
      excludesKms = mgmt.length > 0 && mgmt.every((a) => (a.FieldSelectors ?? []).some((f) => f.Field === "eventSource" && (f.NotEquals ?? []).includes("kms.amazonaws.com")));
    }
    facts.trails.push({
      name: t.Name!,
      arn: t.TrailARN!,
      homeRegion: t.HomeRegion,
      multiRegion: !!t.IsMultiRegionTrail,
      logging: !!status?.IsLogging,
      readWriteType,
      includeManagementEvents,
      excludesKms,
    });
  }
  return facts;
}
