// The scenario file format (docs/scenario.md). Validated with zod before anything starts; a bad
// file is reported with the JSON path of each problem.
import { z } from "zod";

import { KEYED_RESOURCE_KINDS } from "../state";

const AccountId = z.string().regex(/^\d{12}$/, "an AWS account id is 12 digits");
const Region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "not a region name (like us-east-1)");
const Ref = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "refs are letters, digits, . _ -");
const PolicyDoc = z.object({ Version: z.string().optional(), Statement: z.union([z.array(z.record(z.string(), z.unknown())), z.record(z.string(), z.unknown())]) }).passthrough();
const Tags = z.record(z.string(), z.string());
/** A reference to a key: a key ref from this file, `alias/NAME`, or a full key ARN. */
const KeyRef = z.string().min(1);

export const GrantSpec = z.object({
  grantee: z.string().min(1),
  operations: z.array(z.string()).min(1),
  name: z.string().optional(),
  retiringPrincipal: z.string().optional(),
  forAwsResource: z.boolean().default(false),
  issuingAccount: AccountId.optional(),
  encryptionContextSubset: z.record(z.string(), z.string()).optional(),
});

export const KeySpecEntry = z.object({
  ref: Ref,
  region: Region,
  account: AccountId.optional(),
  description: z.string().default(""),
  spec: z
    .enum(["SYMMETRIC_DEFAULT", "RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1", "HMAC_256"])
    .default("SYMMETRIC_DEFAULT"),
  usage: z.enum(["ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC"]).optional(),
  state: z.enum(["Enabled", "Disabled", "PendingDeletion"]).default("Enabled"),
  manager: z.enum(["CUSTOMER", "AWS"]).default("CUSTOMER"),
  rotation: z.boolean().default(false),
  /** A key policy document, or "default" for the policy KMS writes when none is given. */
  policy: z.union([z.literal("default"), PolicyDoc]).default("default"),
  aliases: z.array(z.string().regex(/^alias\/[A-Za-z0-9/_-]+$/, "aliases look like alias/NAME")).default([]),
  tags: Tags.default({}),
  grants: z.array(GrantSpec).default([]),
  multiRegion: z.boolean().default(false),
  createdDaysAgo: z.number().int().min(0).default(200),
  /** For PendingDeletion keys: days until deletion (7-30). */
  deletionInDays: z.number().int().min(1).max(30).default(20),
});

const Named = z.object({ ref: Ref, name: z.string().min(1), region: Region, account: AccountId.optional() });

export const SecretSpec = Named.extend({
  description: z.string().default(""),
  /** Key ref/ARN/alias; omitted = aws/secretsmanager. */
  kmsKey: KeyRef.optional(),
  policy: PolicyDoc.optional(),
  rotationDays: z.number().int().min(1).max(365).optional(),
  value: z.record(z.string(), z.string()).default({ api_key: "sandbox-value" }),
  tags: Tags.default({}),
});

export const RoleSpec = z.object({
  name: z.string().min(1),
  account: AccountId.optional(),
  path: z.string().default("/"),
  description: z.string().default(""),
  assumeRolePolicy: PolicyDoc.optional(),
  inlinePolicies: z.array(z.object({ name: z.string().min(1), document: PolicyDoc })).default([]),
  attachedPolicies: z.array(z.string()).default([]),
  createdDaysAgo: z.number().int().min(0).default(300),
});

export const ManagedPolicySpec = z.object({
  name: z.string().min(1),
  description: z.string().default(""),
  document: PolicyDoc,
});

export const PrincipalSpec = z.object({
  accessKeyId: z.string().regex(/^(AKIA|ASIA)[A-Z0-9]{12,}$/, "access key ids start with AKIA"),
  secretAccessKey: z.string().min(8),
  /** "admin", "role/NAME" or "user/NAME" of an IAM entity in this file. */
  principal: z.string().regex(/^(admin|role\/.+|user\/.+)$/),
  account: AccountId.optional(),
});

export const AgentSpec = Named.extend({
  key: KeyRef.optional(),
  role: z.string().min(1),
  foundationModel: z.string().default("anthropic.claude-3-5-sonnet-20240620-v1:0"),
  description: z.string().default(""),
  instruction: z.string().default("You are a helpful agent."),
  status: z.enum(["PREPARED", "NOT_PREPARED", "FAILED"]).default("PREPARED"),
  tags: Tags.default({}),
  createdDaysAgo: z.number().int().min(0).default(120),
});

export const KnowledgeBaseSpec = Named.extend({
  role: z.string().min(1),
  key: KeyRef.optional(),
  description: z.string().default(""),
});

export const MemorySpec = Named.extend({
  key: KeyRef.optional(),
  role: z.string().optional(),
  eventExpiryDays: z.number().int().min(3).max(365).default(90),
  description: z.string().default(""),
  strategies: z.array(z.enum(["SEMANTIC", "SUMMARIZATION", "USER_PREFERENCE"])).default(["SEMANTIC"]),
  createdDaysAgo: z.number().int().min(0).default(60),
});

/** Flows, prompts, data sources, policy engines, evaluators, datasets, configuration bundles, payment managers. */
export const KeyedResourceSpec = Named.extend({
  kind: z.enum(KEYED_RESOURCE_KINDS),
  key: KeyRef.optional(),
  /** The flow's execution role or the payment manager's role (required for those). */
  role: z.string().optional(),
  /** A data source's knowledge base (its ref). */
  knowledgeBase: z.string().optional(),
  description: z.string().default(""),
  createdDaysAgo: z.number().int().min(0).default(60),
}).superRefine((r, ctx) => {
  if (r.kind === "data-source" && !r.knowledgeBase) ctx.addIssue({ code: "custom", path: ["knowledgeBase"], message: "a data source names its knowledge base (ref)" });
  if (r.kind !== "data-source" && r.knowledgeBase) ctx.addIssue({ code: "custom", path: ["knowledgeBase"], message: "only a data source has a knowledge base" });
  if ((r.kind === "flow" || r.kind === "payment-manager") && !r.role) ctx.addIssue({ code: "custom", path: ["role"], message: `a ${r.kind} needs its role` });
});

export const GatewaySpec = Named.extend({
  key: KeyRef.optional(),
  role: z.string().min(1),
  description: z.string().default(""),
});

export const CredentialProviderSpec = Named.extend({
  type: z.enum(["oauth2", "apikey"]),
  vendor: z.string().default("CustomOauth2"),
  /** A secret ref from this file (EXTERNAL secret), or omitted for a service-managed secret. */
  secret: z.string().optional(),
  jsonKey: z.string().optional(),
});

export const RecommendationSpec = Named.extend({
  key: KeyRef.optional(),
  type: z.enum(["SYSTEM_PROMPT_RECOMMENDATION", "TOOL_DESCRIPTION_RECOMMENDATION"]).default("SYSTEM_PROMPT_RECOMMENDATION"),
  status: z.enum(["PENDING", "IN_PROGRESS", "COMPLETED", "FAILED"]).default("COMPLETED"),
  description: z.string().default(""),
});

export const TokenVaultSpec = z.object({ region: Region, key: KeyRef.optional() });
export const WorkloadIdentitySpec = z.object({ name: z.string().min(1), region: Region });

export const TrailSpec = z.object({
  name: z.string().min(1),
  homeRegion: Region,
  multiRegion: z.boolean().default(true),
  logging: z.boolean().default(true),
  bucket: z.string().default("keyward-trail-logs"),
  readWriteType: z.enum(["All", "ReadOnly", "WriteOnly"]).default("All"),
  includeManagementEvents: z.boolean().default(true),
  excludeManagementEventSources: z.array(z.string()).default([]),
  /** Use advanced event selectors instead of basic ones. */
  advanced: z.boolean().default(false),
});

export const FaultSpec = z.object({
  service: z.string().min(1),
  operation: z.string().optional(),
  region: Region.optional(),
  latencyMs: z.number().min(0).optional(),
  jitterMs: z.number().min(0).optional(),
  /** Requests per second before ThrottlingException. */
  rateLimit: z.number().positive().optional(),
  accessDenied: z.boolean().optional(),
  unavailable: z.boolean().optional(),
  /** Probability (0-1) of a 500 InternalFailure. */
  errorRate: z.number().min(0).max(1).optional(),
});

export const GeneratorSpec = z.object({
  name: z.string().min(1),
  /** "service:bedrock.amazonaws.com", "role/NAME", "user/NAME", or an ARN in another account. */
  principal: z.string().min(1),
  /** For service callers acting through a role (invokedBy). */
  via: z.string().optional(),
  events: z.array(z.enum(["Decrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "Encrypt", "ReEncrypt", "DescribeKey", "GetSecretValue"])).min(1),
  /** A key ref (KMS events) or secret ref (GetSecretValue). */
  target: z.string().min(1),
  /** The resource ref whose encryption context the calls carry. */
  resource: z.string().optional(),
  perDay: z.number().min(0),
  /** UTC hours the calls fall in; default all day. */
  hours: z.tuple([z.number().int().min(0).max(23), z.number().int().min(0).max(23)]).optional(),
  /** Days ago the generator runs: [from, to] with from >= to. */
  days: z.tuple([z.number().int().min(0), z.number().int().min(0)]).optional(),
  errorRate: z.number().min(0).max(1).default(0),
  errorCode: z.enum(["AccessDenied", "DisabledException", "KMSInvalidStateException"]).default("AccessDenied"),
  sourceIp: z.string().optional(),
  userAgent: z.string().optional(),
});

/**
 * An AWS Organization: the scenario's account is its management account; units nest under the root
 * (parent omitted) or another unit; member accounts sit in a unit (or the root) and get the read role
 * unless `readRole` is false.
 */
export const OrganizationSpec = z
  .object({
    units: z.array(z.object({ ref: Ref, name: z.string().min(1).max(128), parent: Ref.optional() })).default([]),
    accounts: z
      .array(
        z.object({
          id: AccountId,
          name: z.string().min(1).max(50),
          unit: Ref.optional(),
          status: z.enum(["ACTIVE", "SUSPENDED", "PENDING_CLOSURE"]).default("ACTIVE"),
          readRole: z.boolean().default(true),
        }),
      )
      .default([]),
    /** The role each member account holds for Keyward (trusting the management account), with Keyward's read policy. */
    readRole: z.object({ name: z.string().min(1).max(64), externalId: z.string().min(2).optional() }).default({ name: "KeywardRead" }),
    /**
     * An AWS Config organization aggregator in the management account. Every active account records
     * every supported type in every region, save where an exception says otherwise: a source whose
     * last update failed or is outdated, a recorder that is stopped, or types it excludes.
     */
    configAggregator: z
      .object({
        name: z.string().regex(/^[\w-]{1,256}$/, "letters, digits, _ or -"),
        region: Region,
        exceptions: z
          .array(
            z.object({
              account: AccountId,
              region: Region.optional(),
              status: z.enum(["SUCCEEDED", "FAILED", "OUTDATED"]).optional(),
              recording: z.boolean().optional(),
              excludedTypes: z.array(z.string().regex(/^AWS::\w+::\w+$/, "a resource type such as AWS::Bedrock::Guardrail")).optional(),
            }),
          )
          .default([]),
      })
      .optional(),
  })
  .superRefine((o, ctx) => {
    const refs = new Set(o.units.map((u) => u.ref));
    for (const u of o.units) if (u.parent && !refs.has(u.parent)) ctx.addIssue({ code: "custom", message: `unit ${u.ref}: no unit ${u.parent}` });
    for (const a of o.accounts) if (a.unit && !refs.has(a.unit)) ctx.addIssue({ code: "custom", message: `account ${a.id}: no unit ${a.unit}` });
    const ids = o.accounts.map((a) => a.id);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: "custom", message: "an account is listed twice" });
  });

export const Scenario = z.object({
  version: z.literal(1),
  name: z.string().min(1),
  description: z.string().default(""),
  seed: z.union([z.string(), z.number()]).default(1),
  account: AccountId,
  otherAccounts: z.array(AccountId).default([]),
  organizationId: z
    .string()
    .regex(/^o-[a-z0-9]{10,32}$/)
    .optional(),
  /** The organization the scenario's account manages (needs organizationId). */
  organization: OrganizationSpec.optional(),
  regions: z.array(Region).min(1),
  /** Regions where AgentCore is not offered: calls there answer as AWS does for an unknown endpoint. */
  agentCoreUnavailableIn: z.array(Region).default([]),
  credentials: z.array(PrincipalSpec).default([]),
  iam: z
    .object({
      roles: z.array(RoleSpec).default([]),
      users: z
        .array(
          z.object({
            name: z.string().min(1),
            inlinePolicies: z.array(z.object({ name: z.string(), document: PolicyDoc })).default([]),
            attachedPolicies: z.array(z.string()).default([]),
          }),
        )
        .default([]),
      policies: z.array(ManagedPolicySpec).default([]),
    })
    .default({ roles: [], users: [], policies: [] }),
  keys: z.array(KeySpecEntry).default([]),
  secrets: z.array(SecretSpec).default([]),
  agents: z.array(AgentSpec).default([]),
  knowledgeBases: z.array(KnowledgeBaseSpec).default([]),
  memories: z.array(MemorySpec).default([]),
  gateways: z.array(GatewaySpec).default([]),
  credentialProviders: z.array(CredentialProviderSpec).default([]),
  recommendations: z.array(RecommendationSpec).default([]),
  resources: z.array(KeyedResourceSpec).default([]),
  tokenVaults: z.array(TokenVaultSpec).default([]),
  workloadIdentities: z.array(WorkloadIdentitySpec).default([]),
  trails: z.array(TrailSpec).default([]),
  faults: z.array(FaultSpec).default([]),
  traffic: z
    .object({
      /** The instant traffic ends (ISO); default: the start of the current hour. */
      end: z.string().datetime().optional(),
      days: z.number().int().min(1).max(90).default(90),
      generators: z.array(GeneratorSpec).default([]),
      /** Raw CloudTrail records, pasted verbatim. */
      records: z.array(z.record(z.string(), z.unknown())).default([]),
    })
    .default({ days: 90, generators: [], records: [] }),
});

export type ScenarioInput = z.input<typeof Scenario>;
export type ScenarioData = z.output<typeof Scenario>;
export type KeyEntry = z.output<typeof KeySpecEntry>;
export type Fault = z.output<typeof FaultSpec>;
export type Generator = z.output<typeof GeneratorSpec>;

export class ScenarioError extends Error {
  constructor(
    public file: string,
    public issues: { path: string; message: string }[],
  ) {
    super(`${file}: invalid scenario\n${issues.map((i) => `  at ${i.path}: ${i.message}`).join("\n")}`);
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "$";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : `.${String(p)}`;
  return out;
}

/** Validates a parsed scenario; cross-references (key refs, role names) are checked too. */
export function parseScenario(raw: unknown, file = "scenario"): ScenarioData {
  const r = Scenario.safeParse(raw);
  if (!r.success) {
    throw new ScenarioError(
      file,
      r.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
    );
  }
  const s = r.data;
  const issues: { path: string; message: string }[] = [];
  const keyRefs = new Set(s.keys.map((k) => k.ref));
  const checkKey = (v: string | undefined, path: string) => {
    if (v && !v.startsWith("arn:") && !v.startsWith("alias/") && !keyRefs.has(v)) {
      issues.push({ path, message: `unknown key ref "${v}"` });
    }
  };
  const dup = (items: { ref: string }[], what: string) => {
    const seen = new Set<string>();
    items.forEach((it, i) => {
      if (seen.has(it.ref)) issues.push({ path: `$.${what}[${i}].ref`, message: `duplicate ref "${it.ref}"` });
      seen.add(it.ref);
    });
  };
  dup(s.keys, "keys");
  const regionOk = (region: string, path: string) => {
    if (!s.regions.includes(region)) issues.push({ path, message: `region ${region} is not in $.regions` });
  };
  s.keys.forEach((k, i) => regionOk(k.region, `$.keys[${i}].region`));
  for (const [kind, items] of [
    ["agents", s.agents],
    ["memories", s.memories],
    ["gateways", s.gateways],
    ["recommendations", s.recommendations],
    ["knowledgeBases", s.knowledgeBases],
  ] as const) {
    dup(items as { ref: string }[], kind);
    (items as { key?: string; region: string }[]).forEach((it, i) => {
      checkKey(it.key, `$.${kind}[${i}].key`);
      regionOk(it.region, `$.${kind}[${i}].region`);
    });
  }
  s.secrets.forEach((it, i) => checkKey(it.kmsKey, `$.secrets[${i}].kmsKey`));
  s.tokenVaults.forEach((it, i) => checkKey(it.key, `$.tokenVaults[${i}].key`));
  const secretRefs = new Set(s.secrets.map((x) => x.ref));
  s.credentialProviders.forEach((cp, i) => {
    if (cp.secret && !secretRefs.has(cp.secret)) issues.push({ path: `$.credentialProviders[${i}].secret`, message: `unknown secret ref "${cp.secret}"` });
    if (cp.secret && !cp.jsonKey) issues.push({ path: `$.credentialProviders[${i}].jsonKey`, message: "an external secret needs jsonKey" });
  });
  const roleNames = new Set(s.iam.roles.map((r) => r.name));
  const userNames = new Set(s.iam.users.map((u) => u.name));
  s.credentials.forEach((c, i) => {
    if (c.principal.startsWith("role/") && !roleNames.has(c.principal.slice(5))) issues.push({ path: `$.credentials[${i}].principal`, message: `unknown role ${c.principal}` });
    if (c.principal.startsWith("user/") && !userNames.has(c.principal.slice(5))) issues.push({ path: `$.credentials[${i}].principal`, message: `unknown user ${c.principal}` });
  });
  s.traffic.generators.forEach((g, i) => {
    if (g.days && g.days[0] < g.days[1]) issues.push({ path: `$.traffic.generators[${i}].days`, message: "days is [from, to] days ago, from >= to" });
    const isSecret = g.events.includes("GetSecretValue");
    if (isSecret && !secretRefs.has(g.target)) issues.push({ path: `$.traffic.generators[${i}].target`, message: `unknown secret ref "${g.target}"` });
    if (!isSecret) checkKey(g.target, `$.traffic.generators[${i}].target`);
  });
  if (s.organization && !s.organizationId) issues.push({ path: "$.organization", message: "an organization needs organizationId" });
  s.organization?.accounts.forEach((a, i) => {
    if (a.id === s.account) issues.push({ path: `$.organization.accounts[${i}].id`, message: "the scenario's account is the management account: list member accounts only" });
  });
  if (issues.length) throw new ScenarioError(file, issues);
  return s;
}
