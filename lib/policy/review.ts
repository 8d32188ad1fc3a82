// The policy review of one key or one secret, built from the last scan: which templates apply
// (from the resources that use it), the semantic diff, the merged policy, and per resource the
// effective-access checks. The console's policy views and the apply route use it.
import { createHash } from "node:crypto";

import { type AccessAnalyzerFacts, type AgentResource, type ResourceKind, resourceOf, type ScanResult } from "../inventory/types.shared";
import { type AccessCheck, checkAccess } from "../posture/access";
import { type OutsideVerdict, outsideVerdict } from "../posture/outside";

import { diffPolicy, type PolicyDiff } from "./diff";
import { PolicyParseError } from "./normalize";
import { type ResolvedTemplate, resolveTemplate, templatesFor, type Variables, variablesFor, variablesForTemplate } from "./templates";

export interface TemplateUse {
  id: string;
  title: string;
  source: string;
  note?: string;
  variables: Variables;
  open: string[];
  /** Names of the resources this template was resolved for. */
  resources: string[];
}

export interface PolicyReview {
  target: "key" | "secret";
  arn: string;
  account: string;
  region: string;
  /** The current policy text as last scanned. */
  policy?: string;
  readError?: string;
  /** Why the policy cannot be changed (an AWS managed key), if so. */
  immutable?: string;
  /** sha256 of the scanned policy text: an apply is refused when the live policy no longer has it. */
  basedOn?: string;
  templates: TemplateUse[];
  /** The template statements as one document (the right side of the side-by-side view). */
  templatePolicy: { Version: string; Statement: Record<string, unknown>[] };
  diff?: PolicyDiff;
  diffError?: string;
  /** Who outside the account and the trusted set can do what (the one analysis KW-POL-03 and KW-SEC-02 read). */
  outside: OutsideVerdict;
  /** IAM Access Analyzer's answers for this policy, where the scan asked. */
  accessAnalyzer?: AccessAnalyzerFacts;
  /** The CLI command that writes the merged policy. */
  command: string;
  resources: { arn: string; name: string; kind: ResourceKind; region: string; access: AccessCheck[] }[];
}

export const policyHash = (text: string | undefined) => (text === undefined ? "" : createHash("sha256").update(text).digest("hex"));

function resolveFor(kind: "key" | "secret", r: AgentResource, overrides: Variables): ResolvedTemplate[] {
  const out: ResolvedTemplate[] = [];
  for (const t of templatesFor(r)) {
    const vars = variablesForTemplate(t, { ...variablesFor(r), ...overrides });
    const resolved = resolveTemplate(t.id, vars);
    if (kind === "key" && t.kind === "key-policy") out.push(resolved);
    if (kind === "key" && t.kind === "secret-policy") out.push({ ...resolved, statements: resolved.keyStatements });
    if (kind === "secret" && t.kind === "secret-policy") out.push(resolved);
  }
  return out;
}

function dedupe(list: { t: ResolvedTemplate; r: AgentResource }[]): { t: ResolvedTemplate; names: string[] }[] {
  const by = new Map<string, { t: ResolvedTemplate; names: string[] }>();
  for (const { t, r } of list) {
    const k = JSON.stringify([t.template.id, t.statements]);
    const hit = by.get(k);
    if (hit) hit.names.push(r.name);
    else by.set(k, { t, names: [r.name] });
  }
  return [...by.values()];
}

const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

async function build(
  target: "key" | "secret",
  arn: string,
  account: string,
  region: string,
  policy: string | undefined,
  readError: string | undefined,
  users: AgentResource[],
  overrides: Variables,
  inside: Set<string>,
): Promise<Omit<PolicyReview, "resources">> {
  const uses = dedupe(users.flatMap((r) => resolveFor(target, r, overrides).map((t) => ({ t, r }))));
  const templates = uses.map(({ t, names }) => ({
    id: t.template.id,
    title: t.template.title,
    source: t.template.source,
    note: t.template.note,
    variables: t.variables,
    open: t.open,
    resources: names,
  }));
  const templatePolicy = { Version: "2012-10-17", Statement: uses.flatMap(({ t }) => t.statements.map((s) => s.statement)) };
  let diff: PolicyDiff | undefined;
  let diffError: string | undefined;
  if (policy !== undefined && uses.length) {
    try {
      diff = await diffPolicy(
        policy,
        uses.map((u) => u.t),
        { kind: target === "key" ? "key-policy" : "secret-policy", self: arn, account },
      );
    } catch (e) {
      if (!(e instanceof PolicyParseError)) throw e;
      diffError = e.message;
    }
  }
  const outside = await outsideVerdict(policy, { kind: target === "key" ? "key-policy" : "secret-policy", account, self: arn, inside, resources: users });
  const command =
    target === "key"
      ? `aws kms put-key-policy --region ${region} --key-id ${arn} --policy-name default --policy file://policy.json`
      : `aws secretsmanager put-resource-policy --region ${region} --secret-id ${quote(arn)} --resource-policy file://policy.json --block-public-policy`;
  return {
    target,
    arn,
    account,
    region,
    policy,
    readError,
    basedOn: policy === undefined ? undefined : policyHash(policy),
    templates,
    templatePolicy,
    diff,
    diffError,
    outside,
    command,
  };
}

export class ReviewNotFound extends Error {}

/** `inside`: the scanned and trusted accounts (access from them is not "outside"). */
export async function keyPolicyReview(scan: ScanResult, keyArn: string, opts: { overrides?: Variables; inside?: Set<string> } = {}): Promise<PolicyReview> {
  const overrides = opts.overrides ?? {};
  const key = scan.keys.find((k) => k.arn === keyArn);
  if (!key) throw new ReviewNotFound(`The key ${keyArn} is not in the last scan.`);
  const direct = scan.resources.map(resourceOf).filter((r) => r.keyArn === keyArn);
  // Credential providers whose external secret this key encrypts: the key needs the seed-004 Decrypt statement.
  const viaSecret = scan.resources.filter((r) => r.secrets.some((s) => s.source === "EXTERNAL" && scan.secrets.find((x) => x.arn === s.arn)?.kmsKeyId === keyArn)).map(resourceOf);
  const region = keyArn.split(":")[3] ?? "";
  const inside = opts.inside ?? new Set([key.account, ...scan.resources.map((r) => r.account)]);
  const base = await build(
    "key",
    keyArn,
    key.account,
    region,
    key.policy,
    key.policy ? undefined : (key.readErrors.GetKeyPolicy ?? "not read"),
    [...direct, ...viaSecret],
    overrides,
    inside,
  );
  const roles = new Map(scan.roles.map((r) => [r.arn, r]));
  const resources = await Promise.all(
    direct.map(async (r) => ({ arn: r.arn, name: r.name, kind: r.kind, region: r.region, access: key.policy ? await checkAccess(r, key, roles, inside) : [] })),
  );
  const immutable =
    key.manager === "AWS" || key.type === "aws-managed"
      ? "This is an AWS managed key: its key policy cannot be changed. Use a customer managed key to control its policy."
      : undefined;
  return { ...base, resources, immutable, accessAnalyzer: key.accessAnalyzer };
}

export async function secretPolicyReview(scan: ScanResult, secretArn: string, overrides: Variables = {}, insideSet?: Set<string>): Promise<PolicyReview> {
  const secret = scan.secrets.find((s) => s.arn === secretArn);
  if (!secret) throw new ReviewNotFound(`The secret ${secretArn} is not in the last scan.`);
  const users = scan.resources.filter((r) => r.secrets.some((s) => s.arn === secretArn && s.source === "EXTERNAL")).map(resourceOf);
  const policy = secret.readErrors.GetResourcePolicy ? undefined : (secret.policy ?? JSON.stringify({ Version: "2012-10-17", Statement: [] }));
  const inside = insideSet ?? new Set([secret.account, ...scan.resources.map((r) => r.account)]);
  const base = await build("secret", secretArn, secret.account, secret.region, policy, secret.readErrors.GetResourcePolicy, users, overrides, inside);
  return { ...base, resources: users.map((r) => ({ arn: r.arn, name: r.name, kind: r.kind, region: r.region, access: [] })), accessAnalyzer: secret.accessAnalyzer };
}
