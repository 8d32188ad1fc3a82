// The wizard's key policy: generated from the documented template of the flow (with the account
// root's administration statement a new key needs), and linted live by the same engine as the policy
// review: the semantic diff against the template, the effective-access questions (can the service
// use the key, can anyone outside the account), and the KMS lockout check.
import { isKnown, KINDS } from "../inventory/kinds";
import type { AgentResource, KeyFacts, ResourceKind, RoleFacts } from "../inventory/types.shared";
import { diffPolicy, satisfied } from "../policy/diff";
import { ALLOW_ALL_POLICY, evaluate } from "../policy/evaluate";
import { policyStatements, PolicyParseError } from "../policy/normalize";
import { type ResolvedTemplate, resolveTemplate, TEMPLATE_VARIABLES, type TemplateVariable, templatesFor, type Variables } from "../policy/templates";
import { checkAccess } from "../posture/access";
import { requirementsFor } from "../posture/requirements";

import { type CustomFlow, type Flow, isRecipeFlow, type LintItem, recipeOf } from "./types.shared";

/** The kind each flow creates (the kinds' descriptors name their flow). */
export const FLOW_KIND = Object.fromEntries(KINDS.flatMap((k) => (isKnown(k.setup) ? [[k.setup.flow, k.id]] : []))) as Record<Flow, ResourceKind>;

/** The template ids of each flow's key policy: those its kind's descriptor names for a resource created now. */
export const FLOW_KEY_TEMPLATES = Object.fromEntries(
  Object.entries(FLOW_KIND).map(([flow, kind]) => [flow, templatesFor({ kind, created: new Date().toISOString() }).map((t) => t.id)]),
) as Record<Flow, string[]>;

/** Stand-ins for ids AWS assigns at creation, used only to lint before they exist. */
export const PLANNED = { keyId: "00000000-0000-4000-8000-000000000000", resourceId: "PLANNED000" };

/** The default key policy statement: the account's IAM policies govern the key (AWS KMS default key policy). */
export function rootStatement(account: string): Record<string, unknown> {
  return { Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" };
}

export function roleNameOf(arn: string | undefined): string | undefined {
  return arn && arn.includes(":role/") ? arn.slice(arn.indexOf(":role/") + 6) : undefined;
}

export interface FlowPolicyVars {
  flow: Flow;
  account: string;
  region: string;
  role?: string;
  /** Known once the key exists; left as ${key-id} otherwise. */
  keyId?: string;
  /** The id AWS assigns the resource (an agent's, a prompt's): known once it exists, left as a placeholder otherwise. */
  resourceId?: string;
  /** An existing gateway's id; a new gateway's policy names gateway/*. */
  gatewayId?: string;
  /** An existing resource's creation time (a new one is created now). */
  created?: string;
}

/** The templates a flow's key policy follows: for agents, the one AWS documents for the agent's creation date. */
function flowTemplateIds(v: FlowPolicyVars): string[] {
  if (v.flow !== "agent") return FLOW_KEY_TEMPLATES[v.flow];
  return templatesFor({ kind: "bedrock-agent", created: v.created ?? new Date().toISOString() }).map((t) => t.id);
}

export function flowTemplates(v: FlowPolicyVars): ResolvedTemplate[] {
  return flowTemplateIds(v).map((id) => {
    // A new gateway's id is not known when its key policy is written: the policy names the account's
    // gateways in the region (gateway/*), as the policy review then shows.
    const all: Variables = { region: v.region, "account-id": v.account, role: roleNameOf(v.role), "key-id": v.keyId, "gateway-id": v.gatewayId ?? "*" };
    const later = laterIdVariable(v.flow);
    if (later && v.resourceId) all[later] = v.resourceId;
    const t = resolveTemplate(id, {});
    const vars = Object.fromEntries(Object.entries(all).filter(([k, x]) => x !== undefined && t.template.variables.includes(k as never))) as Variables;
    return resolveTemplate(id, vars);
  });
}

/** The key policy a new key gets: the template statements, after the root statement when the template has none. */
export function generatedKeyPolicy(v: FlowPolicyVars): string {
  const templates = flowTemplates(v);
  // Statements AWS calls for only in some setups are left out, but for agents: their action groups may
  // keep an encrypted API schema in S3, which the optional statement (naming only this agent) serves.
  const statements = templates.flatMap((t) =>
    (t.template.kind === "secret-policy" ? t.keyStatements : t.statements).filter((s) => !s.optional || v.flow === "agent").map((s) => s.statement),
  );
  const hasRoot = statements.some((s) => JSON.stringify(s.Principal) === JSON.stringify({ AWS: `arn:aws:iam::${v.account}:root` }) && s.Action === "kms:*");
  return JSON.stringify({ Version: "2012-10-17", Statement: hasRoot ? statements : [rootStatement(v.account), ...statements] }, null, 2);
}

/** The resource as the access questions see it before it exists. */
export function plannedResource(flow: Flow, account: string, region: string, name: string, role?: string, arn?: string, created?: string): AgentResource {
  const base = `arn:aws:bedrock-agentcore:${region}:${account}`;
  const planned: Record<CustomFlow, string> = {
    agent: `arn:aws:bedrock:${region}:${account}:agent/${PLANNED.resourceId}`,
    memory: `${base}:memory/${name}-planned000`,
    recommendation: `${base}:recommendation/planned000000`,
    "credential-provider": `${base}:token-vault/default/apikeycredentialprovider/${name}`,
    "token-vault": `${base}:token-vault/default`,
    gateway: `${base}:gateway/${name.toLowerCase()}-planned000`,
  };
  return {
    arn: arn ?? (isRecipeFlow(flow) ? recipeOf(flow).plannedArn(region, account, name) : planned[flow]),
    kind: FLOW_KIND[flow],
    name,
    account,
    region,
    created: created ?? (arn ? undefined : new Date().toISOString()),
    roles: role ? [role] : [],
    secrets: [],
    tags: {},
  };
}

/**
 * The template variable naming the resource a flow creates, where its key policy must name it: the
 * plan creates the resource first and writes the key policy once AWS has assigned the id.
 */
export function laterIdVariable(flow: Flow): TemplateVariable | undefined {
  if (flow === "agent") return "agent-id";
  return isRecipeFlow(flow) ? recipeOf(flow).idVariable : undefined;
}

/** Placeholders a flow's policy may keep until the plan runs (AWS assigns the ids): the created resource's id, and then the key's. */
function openAllowed(flow: Flow): string[] {
  const later = laterIdVariable(flow);
  return later ? ["key-id", later] : [];
}

/** Fills the ids AWS has not assigned yet with stand-ins, for evaluation only. */
export function withStandIns(policy: string, keyArn: string, flow: Flow, resourceId?: string): string {
  const later = laterIdVariable(flow);
  const text = policy.replaceAll("${key-id}", keyArn.split("/").pop() ?? PLANNED.keyId);
  return later ? text.replaceAll("${" + later + "}", resourceId ?? PLANNED.resourceId) : text;
}

export interface LintInput {
  flow: Flow;
  account: string;
  region: string;
  name: string;
  role?: string;
  policy: string;
  /** The key's ARN (a stand-in for a new key). */
  keyArn: string;
  /** The resource's ARN when it exists (an agent being updated). */
  resourceArn?: string;
  /** The existing resource's creation time. */
  created?: string;
  roles?: Map<string, RoleFacts>;
  /** Accounts whose access is not "outside". */
  inside?: Set<string>;
}

export interface LintResult {
  items: LintItem[];
  blocked: boolean;
}

/**
 * Lints a key policy for a flow. Errors block the plan: malformed policy, placeholders left open,
 * the service (or the resource's role) could not use the key, a principal outside the account
 * could, or the account could no longer manage the key (KMS lockout check).
 */
export async function lintKeyPolicy(input: LintInput): Promise<LintResult> {
  const items: LintItem[] = [];
  const error = (message: string, source: string) => items.push({ level: "error", message, source });
  let doc: unknown;
  try {
    doc = JSON.parse(input.policy);
    policyStatements(doc);
  } catch (e) {
    error(`The policy is not valid: ${e instanceof PolicyParseError ? e.message : (e as Error).message}`, "policy parser");
    return { items, blocked: true };
  }
  const open = [...input.policy.matchAll(/\$\{([a-z][a-z-]*)\}/g)].map((m) => m[1]).filter((v) => (TEMPLATE_VARIABLES as readonly string[]).includes(v));
  const notFillable = [...new Set(open.filter((o) => !openAllowed(input.flow).includes(o)))];
  if (notFillable.length) error(`Placeholders left open: ${notFillable.map((o) => "${" + o + "}").join(", ")}. Fill them in.`, "template");
  if (open.length && !notFillable.length)
    items.push({
      level: "info",
      message: `${[...new Set(open)].map((o) => "${" + o + "}").join(" and ")} will be filled in with the ids AWS assigns when the plan runs.`,
      source: "template",
    });

  const resourceId = input.resourceArn?.split("/").pop();
  const text = withStandIns(input.policy, input.keyArn, input.flow, resourceId);
  const key: KeyFacts = { arn: input.keyArn, account: input.account, type: "customer", policy: text, grants: [], aliases: [], tags: {}, readErrors: {}, found: true };
  const templates = flowTemplates({
    flow: input.flow,
    account: input.account,
    region: input.region,
    role: input.role,
    keyId: input.keyArn.split("/").pop(),
    resourceId: resourceId ?? PLANNED.resourceId,
    created: input.created,
  });

  try {
    const which = input.flow === "credential-provider" ? "keyStatements" : "statements";
    const diff = await diffPolicy(text, templates, { kind: "key-policy", self: input.keyArn, account: input.account }, which);
    for (const r of diff.results) {
      if (satisfied(r)) continue;
      items.push({
        level: r.status === "missing" ? "error" : "warning",
        message: `${r.status === "missing" ? "Missing" : r.status === "broader" ? "Broader than" : r.status === "mixed" ? "Broader and narrower than" : "Narrower than"} the template statement "${r.sid ?? r.purpose}": ${r.reasons.join("; ")}`,
        source: r.templateId,
      });
    }
    for (const x of diff.extras.filter((e) => e.flagged))
      items.push({ level: "warning", message: `Statement ${x.sid ?? `#${x.index + 1}`} is not in the template: ${x.reason}`, source: "policy diff" });
  } catch (e) {
    if (!(e instanceof PolicyParseError)) throw e;
    error(`The policy is not valid: ${e.message}`, "policy parser");
  }

  if (input.flow !== "credential-provider") {
    const resource = plannedResource(input.flow, input.account, input.region, input.name, input.role, input.resourceArn, input.created);
    const checks = await checkAccess(resource, key, input.roles ?? new Map(), input.inside ?? new Set([input.account]));
    // Roles that use the key through their own IAM policy (a flow's execution role).
    const throughIam = requirementsFor(resource).filter((q) => q.principalKind === "role" && q.withIdentity);
    for (const c of checks) {
      if (c.ok) continue;
      const denied = c.answers.filter((a) => (c.expect === "allow" ? a.decision !== "Allowed" : a.decision === "Allowed")).map((a) => a.action);
      // A kind whose role uses the key through its own IAM policy (a flow's execution role): that
      // policy can name the key and the resource only once both exist, so it is a step after the plan.
      const viaIam = isRecipeFlow(input.flow) && c.expect === "allow" ? throughIam.find((q) => q.principal === c.principal) : undefined;
      if (viaIam) {
        items.push({
          level: "warning",
          message: `After the plan: give ${c.principal} ${denied.join(" and ")} on the key in its IAM policy, for this resource, through ${String(viaIam.context["kms:ViaService"] ?? "the service")} (${viaIam.source}).`,
          source: c.rule ?? "access check",
        });
        continue;
      }
      error(
        c.expect === "allow"
          ? `The service could not use the key: ${c.question} — denied ${denied.join(", ")}.`
          : `Someone outside the account could use the key: ${c.question} — allowed ${denied.join(", ")}.`,
        c.rule ?? "access check",
      );
    }
    if (input.flow === "recommendation" && input.role) {
      const ec = {
        "kms:EncryptionContext:aws:bedrock-agentcore:recommendationArn": resource.arn,
        "kms:ViaService": `bedrock-agentcore.${input.region}.amazonaws.com`,
        "kms:CallerAccount": input.account,
      };
      for (const action of ["kms:DescribeKey", "kms:GenerateDataKey", "kms:Decrypt"]) {
        const r = await evaluate({
          principal: input.role,
          action,
          resourceArn: input.keyArn,
          resourceAccount: input.account,
          resourcePolicy: JSON.parse(text),
          identityPolicies: [],
          context: ec,
        });
        if (r.decision !== "Allowed") error(`The role that starts recommendations could not use the key: ${action} is denied.`, "seed 001");
      }
    }
  }
  // An administrator of the account (IAM allowing everything) must still be able to change the policy.
  const lockout = await evaluate({
    principal: `arn:aws:iam::${input.account}:role/KeyAdministrator`,
    action: "kms:PutKeyPolicy",
    resourceArn: input.keyArn,
    resourceAccount: input.account,
    resourcePolicy: JSON.parse(text),
    identityPolicies: [{ name: "administrator", policy: ALLOW_ALL_POLICY }],
    context: { "kms:CallerAccount": input.account },
  });
  if (lockout.decision !== "Allowed")
    error(
      "The account could not change this policy later (AWS KMS refuses such a policy: the key would be unmanageable). Keep the account root's administration statement.",
      "KMS lockout check",
    );
  return { items, blocked: items.some((i) => i.level === "error") };
}
