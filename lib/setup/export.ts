// One plan, four forms: the plan as JSON, a CloudFormation template, Terraform HCL and an AWS CLI
// script. The infrastructure-code forms use real resource types and properties only; a step they
// cannot express (the token vault key, a recommendation job, changing an existing agent or key) is
// said so and carried as an AWS CLI call. The CLI script runs the same calls as Apply, in order,
// undoing what it created if a call fails.
import { stringify } from "yaml";

import { kindOf } from "../inventory/kinds";

import { withTokens } from "./plan-tokens";
import { laterIdVariable } from "./policy";
import { type ExportFormat, type Flow, isRecipeFlow, type PlanCall, type PlanStep, redactParams, redactPlan, type SetupPlan } from "./types.shared";

const CLI_SERVICE: Record<PlanCall["service"], string> = {
  kms: "kms",
  bedrock: "bedrock",
  "bedrock-agent": "bedrock-agent",
  "bedrock-agentcore-control": "bedrock-agentcore-control",
  "bedrock-agentcore": "bedrock-agentcore",
  secretsmanager: "secretsmanager",
};

/** The AWS CLI's name for an operation (botocore's xform_name): CreateKey → create-key, SetTokenVaultCMK → set-token-vault-cmk. */
export function cliOperation(op: string): string {
  return op
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .toLowerCase();
}

const varName = (step: string, output: string) => `${step}_${output}`.replace(/-/g, "_").toUpperCase();
const REF = /\{\{([a-z-]+)\.([a-zA-Z]+)\}\}/g;

/** Text for an unquoted heredoc: the shell expands only the `${VAR}` references the plan put there. */
function heredocJson(value: unknown): string {
  const json = JSON.stringify(value, null, 2).replace(/\\/g, "\\\\").replace(/\$/g, "\\$").replace(/`/g, "\\`");
  return json.replace(REF, (_w, step: string, out: string) => `\${${varName(step, out)}}`);
}

let callCounter = 0;
/** Writes the call's parameters to a file (an unquoted heredoc, so `${VAR}` outputs expand), then calls. */
function cliCall(call: PlanCall, params: Record<string, unknown>, query?: string, indent = ""): string {
  const file = `"$WORK/call-${++callCounter}.json"`;
  const write = [`cat > ${file} <<JSON`, heredocJson(params), "JSON"];
  const cmd = `aws ${CLI_SERVICE[call.service]} ${cliOperation(call.operation)} --region "$REGION" --cli-input-json "file://$WORK/call-${callCounter}.json"`;
  const lines = query ? [...write, `${cmd} --query '${query}' --output text > "$WORK/out"`] : [...write, `${cmd} > /dev/null`];
  // Heredoc bodies and terminators stay unindented.
  return lines.map((l, i) => (i === 0 || i === lines.length - 1 ? indent + l : l)).join("\n");
}

const redacted = (step: PlanStep): Record<string, unknown> => redactParams(step.params);

// ------------------------------------------------------------------ AWS CLI script

export function cliScript(plan: SetupPlan): string {
  callCounter = 0;
  const steps = withTokens(plan.steps, plan.id, 1);
  const out: string[] = [
    "#!/usr/bin/env bash",
    `# Keyward setup plan ${plan.id.slice(0, 12)}: ${plan.flow} "${plan.request.name}" in ${plan.region} (account ${plan.account}).`,
    "# The same calls, in the same order, as Apply in the console. Needs the AWS CLI and credentials for the account;",
    "# AWS_PROFILE, AWS_REGION and AWS_ENDPOINT_URL are honoured. If a call fails, what the script created is undone,",
    "# newest first (a key it created is disabled and scheduled for deletion).",
    "set -Eeuo pipefail",
    `REGION="\${REGION:-${plan.region}}"`,
    'WORK="$(mktemp -d)"',
    "trap 'rm -rf \"$WORK\"' EXIT",
    "DONE=()",
    "rollback() {",
    "  trap - ERR",
    '  echo "A step failed; undoing what this script created." >&2',
    '  for ((i=${#DONE[@]}-1; i>=0; i--)); do "${DONE[$i]}" || echo "could not undo: ${DONE[$i]}" >&2; done',
    "  exit 1",
    "}",
    "trap rollback ERR",
    "",
  ];
  for (const [i, s] of steps.entries()) {
    out.push(`# ${i + 1}. ${s.title} (needs ${s.permission})`);
    const outputs = Object.entries(s.outputs ?? {});
    if (s.rollback) {
      const fn = `undo_${s.id.replace(/-/g, "_")}`;
      out.push(`${fn}() {`);
      if (s.operation === "CreateKey") {
        const key = `\${${varName(s.id, "keyArn")}}`;
        out.push(`  aws kms disable-key --region "$REGION" --key-id "${key}"`);
        out.push(`  aws kms schedule-key-deletion --region "$REGION" --key-id "${key}" --pending-window-in-days ${String(s.rollback.params.PendingWindowInDays)} > /dev/null`);
      } else {
        out.push(cliCall(s.rollback, s.rollback.params, undefined, "  "));
      }
      out.push("}");
    }
    if (outputs.length) {
      const query = `[${outputs.map(([, path]) => path).join(", ")}]`;
      out.push(cliCall(s, redacted(s), query));
      out.push(`read -r ${outputs.map(([name]) => varName(s.id, name)).join(" ")} < "$WORK/out"`);
      for (const [name] of outputs) out.push(`echo "${s.id}.${name}: \${${varName(s.id, name)}}"`);
    } else {
      out.push(cliCall(s, redacted(s)));
    }
    if (s.rollback) out.push(`DONE+=(undo_${s.id.replace(/-/g, "_")})`);
    out.push("");
  }
  out.push(`echo "Done: ${plan.flow} ${plan.request.name}."`);
  return `${out.join("\n")}\n`;
}

// ------------------------------------------------------------------ CloudFormation

type Json = Record<string, unknown>;
const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
function pascalKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(pascalKeys);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [pascal(k), pascalKeys(x)]));
  return v;
}

/**
 * The key policy as infrastructure code can write it: in a key policy `"Resource": "*"` is the key
 * itself, and the resource's id cannot appear in the policy of the key the resource is created with
 * (a circular reference), so that condition names the account's resources of its kind until the
 * follow-up call.
 */
export function iacKeyPolicy(policy: string, flow: Flow): { doc: Json; narrowedLater: boolean } {
  // The id AWS assigns the flow's resource at creation, where the key policy names it (an agent's, a prompt's).
  const later = laterIdVariable(flow);
  const placeholder = later ? "${" + later + "}" : undefined;
  const doc = JSON.parse(policy) as { Statement: Json[] };
  let narrowedLater = false;
  for (const st of doc.Statement) {
    if (typeof st.Resource === "string" && st.Resource.includes("${key-id}")) st.Resource = "*";
    const cond = st.Condition as Record<string, Record<string, string>> | undefined;
    const eq = cond?.StringEquals;
    if (eq)
      for (const [k, v] of Object.entries(eq)) {
        if (placeholder && typeof v === "string" && v.includes(placeholder)) {
          delete eq[k];
          cond.StringLike = { ...(cond.StringLike ?? {}), [k]: v.replace(placeholder, "*") };
          if (!Object.keys(eq).length) delete cond.StringEquals;
          narrowedLater = true;
        }
      }
  }
  return { doc: doc as unknown as Json, narrowedLater };
}

const CFN_TYPES: Partial<Record<string, string>> = {
  CreateKey: "AWS::KMS::Key",
  CreateAlias: "AWS::KMS::Alias",
  CreateAgent: "AWS::Bedrock::Agent",
  CreateMemory: "AWS::BedrockAgentCore::Memory",
  CreateGateway: "AWS::BedrockAgentCore::Gateway",
  CreateApiKeyCredentialProvider: "AWS::BedrockAgentCore::ApiKeyCredentialProvider",
  PutResourcePolicy: "AWS::SecretsManager::ResourcePolicy",
};

interface IacStep {
  step: PlanStep;
  /** Why infrastructure code cannot express it (carried as a CLI call). */
  gap?: string;
}

/** Which steps the infrastructure code declares and which stay CLI calls. */
function iacSteps(plan: SetupPlan, tool: "CloudFormation" | "Terraform"): IacStep[] {
  const existingKey = plan.request.key?.mode === "existing" || plan.flow === "credential-provider";
  return plan.steps
    .filter((s) => s.operation !== "EnableKeyRotation" && !(plan.flow === "agent" && plan.request.mode === "create" && s.id === "encrypt"))
    .map((s): IacStep => {
      if (s.operation === "PutKeyPolicy" && plan.request.key?.mode === "new") {
        const what = plan.flow === "agent" || !isRecipeFlow(plan.flow) ? ["agent", "agents"] : kindOf(plan.flow).text.map((t) => t.toLowerCase());
        return {
          step: s,
          gap: `${tool} cannot name the ${what[0]}'s id in the policy of the key the ${what[0]} is created with (a circular reference): the declared key policy names this account's ${what[1]}; this call narrows it to the new ${what[0]}.`,
        };
      }
      if (s.operation === "PutKeyPolicy" && existingKey && tool === "CloudFormation")
        return { step: s, gap: "CloudFormation cannot change the policy of a key it did not create." };
      if (s.operation === "UpdateAgent") return { step: s, gap: `${tool} cannot change an agent it did not create.` };
      if (s.operation === "SetTokenVaultCMK" && tool === "CloudFormation") return { step: s, gap: "CloudFormation has no resource for the token vault's key." };
      if (s.operation === "StartRecommendation") return { step: s, gap: `${tool} has no recommendation resource (StartRecommendation starts a job).` };
      if (s.creates === "resource" && s.iacGap) return { step: s, gap: s.iacGap }; // a kind created from its recipe
      return { step: s };
    });
}

function gapCommand(plan: SetupPlan, s: PlanStep, refs: (ref: string) => string): string {
  const params = JSON.parse(JSON.stringify(withTokens([s], plan.id, 1)[0].params).replace(REF, (_w, step: string, out: string) => refs(`${step}.${out}`))) as Record<
    string,
    unknown
  >;
  const text = JSON.stringify(params);
  return `aws ${CLI_SERVICE[s.service]} ${cliOperation(s.operation)} --region ${plan.region} --cli-input-json '${text.replace(/'/g, "'\\''")}'`;
}

export function cloudFormation(plan: SetupPlan): string {
  const resources: Record<string, Json> = {};
  const gaps: { title: string; why: string; command: string }[] = [];
  const logical: Record<string, string> = {
    key: "Key",
    alias: "KeyAlias",
    agent: "Agent",
    memory: "Memory",
    gateway: "Gateway",
    provider: "CredentialProvider",
    "secret-policy": "SecretResourcePolicy",
  };
  const keyArnRef = plan.request.key?.mode === "new" ? { "Fn::GetAtt": ["Key", "Arn"] } : (plan.request.key?.arn ?? "");
  const refOut = (ref: string): string => {
    const m: Record<string, string> = {
      "key.keyArn": "<the stack's KeyArn output>",
      "key.keyId": "<the stack's KeyId output>",
      "agent.agentId": "<the stack's AgentId output>",
      "agent.agentArn": "<the stack's AgentArn output>",
    };
    return m[ref] ?? `<${ref}>`;
  };
  const swap = (v: unknown): unknown => (v === "{{key.keyArn}}" ? keyArnRef : v === "{{key.keyId}}" ? { Ref: "Key" } : v);
  for (const { step: s, gap } of iacSteps(plan, "CloudFormation")) {
    if (gap) {
      gaps.push({ title: s.title, why: gap, command: gapCommand(plan, s, refOut) });
      continue;
    }
    const type = CFN_TYPES[s.operation];
    if (!type) continue;
    const p = s.params;
    let props: Json;
    switch (s.operation) {
      case "CreateKey": {
        const k = plan.request.key?.mode === "new" ? plan.request.key : undefined;
        props = {
          Description: p.Description,
          KeySpec: "SYMMETRIC_DEFAULT",
          KeyUsage: "ENCRYPT_DECRYPT",
          EnableKeyRotation: k?.rotation ?? true,
          PendingWindowInDays: k?.deletionWindowDays ?? 30,
          KeyPolicy: iacKeyPolicy(plan.policy ?? String(p.Policy), plan.flow).doc,
          Tags: ((p.Tags as { TagKey: string; TagValue: string }[]) ?? []).map((t) => ({ Key: t.TagKey, Value: t.TagValue })),
        };
        break;
      }
      case "CreateAlias":
        props = { AliasName: p.AliasName, TargetKeyId: { Ref: "Key" } };
        break;
      case "PutResourcePolicy":
        props = { SecretId: p.SecretId, ResourcePolicy: JSON.parse(String(p.ResourcePolicy)), BlockPublicPolicy: true };
        break;
      default: {
        const { clientToken: _t, ...rest } = p;
        props = Object.fromEntries(Object.entries(pascalKeys(rest) as Json).map(([k, v]) => [k, swap(v)]));
        if (s.operation === "CreateAgent") {
          props.CustomerEncryptionKeyArn = keyArnRef;
          // CloudFormation spells it IdleSessionTTLInSeconds, as the API does.
          props.IdleSessionTTLInSeconds = p.idleSessionTTLInSeconds;
        }
      }
    }
    resources[logical[s.id] ?? pascal(s.id)] = { Type: type, Properties: props };
  }
  const outputs: Json = {};
  if (resources.Key) {
    outputs.KeyArn = { Value: { "Fn::GetAtt": ["Key", "Arn"] } };
    outputs.KeyId = { Value: { Ref: "Key" } };
  }
  if (resources.Agent) {
    outputs.AgentId = { Value: { "Fn::GetAtt": ["Agent", "AgentId"] } };
    outputs.AgentArn = { Value: { "Fn::GetAtt": ["Agent", "AgentArn"] } };
  }
  if (resources.Memory) outputs.MemoryArn = { Value: { "Fn::GetAtt": ["Memory", "MemoryArn"] } };
  if (resources.Gateway) outputs.GatewayArn = { Value: { "Fn::GetAtt": ["Gateway", "GatewayArn"] } };
  const template: Json = {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: `Keyward setup: ${plan.flow} ${plan.request.name} in ${plan.region} with a customer managed key (plan ${plan.id.slice(0, 12)})`,
    ...(gaps.length ? { Metadata: { "Keyward::StepsAfterTheStack": gaps.map((g) => ({ Step: g.title, Why: g.why, Command: g.command })) } } : {}),
    Resources: resources,
    ...(Object.keys(outputs).length ? { Outputs: outputs } : {}),
  };
  const header = [
    `# CloudFormation template for Keyward plan ${plan.id.slice(0, 12)} (${plan.flow} "${plan.request.name}", ${plan.region}).`,
    "# Deploy it in the plan's account and region.",
    ...(gaps.length
      ? [
          "# Steps CloudFormation cannot express (run them after the stack is created; also under Metadata):",
          ...gaps.flatMap((g) => [`#  - ${g.title}: ${g.why}`, `#    ${g.command}`]),
        ]
      : []),
  ];
  return `${header.join("\n")}\n${stringify(template, { lineWidth: 0 })}`;
}

// ------------------------------------------------------------------ Terraform

const hclString = (s: string) =>
  JSON.stringify(s)
    .replace(/\$\{/g, () => "$${")
    .replace(/%\{/g, () => "%%{");
function hclValue(v: unknown, indent: string): string {
  if (typeof v === "string") return hclString(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[${v.map((x) => hclValue(x, indent)).join(", ")}]`;
  if (v && typeof v === "object") {
    const inner = Object.entries(v)
      .map(([k, x]) => `${indent}  ${hclString(k)} = ${hclValue(x, `${indent}  `)}`)
      .join("\n");
    return `{\n${inner}\n${indent}}`;
  }
  return "null";
}

interface HclAttr {
  name: string;
  /** Raw HCL (an expression); otherwise a value to encode. */
  expr?: string;
  value?: unknown;
}
interface HclBlock {
  name: string;
  attrs: HclAttr[];
}
function resourceBlock(type: string, name: string, attrs: HclAttr[], blocks: HclBlock[] = []): string {
  const line = (a: HclAttr, ind: string) => `${ind}${a.name} = ${a.expr ?? hclValue(a.value, ind)}`;
  const body = [
    ...attrs.filter((a) => a.expr !== undefined || a.value !== undefined).map((a) => line(a, "  ")),
    ...blocks.map((b) => `\n  ${b.name} {\n${b.attrs.map((a) => line(a, "    ")).join("\n")}\n  }`),
  ];
  return `resource "${type}" "${name}" {\n${body.join("\n")}\n}\n`;
}

const policyExpr = (doc: unknown) => `jsonencode(${hclValue(doc, "  ")})`;

export function terraform(plan: SetupPlan): string {
  const out: string[] = [
    `# Terraform for Keyward plan ${plan.id.slice(0, 12)} (${plan.flow} "${plan.request.name}", ${plan.region}, account ${plan.account}).`,
    'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = ">= 6.18"\n    }\n  }\n}\n',
    `provider "aws" {\n  region = ${hclString(plan.region)}\n}\n`,
  ];
  const gaps: string[] = [];
  const keyArn = plan.request.key?.mode === "new" ? "aws_kms_key.this.arn" : hclString(plan.request.key?.arn ?? "");
  const refExpr = (v: unknown) => (v === "{{key.keyArn}}" ? { expr: keyArn } : v === "{{key.keyId}}" ? { expr: "aws_kms_key.this.key_id" } : { value: v });
  const refOut = (ref: string) =>
    ({ "key.keyArn": "$(terraform output -raw key_arn)", "key.keyId": "$(terraform output -raw key_id)", "agent.agentId": "$(terraform output -raw agent_id)" })[ref] ?? `<${ref}>`;
  for (const { step: s, gap } of iacSteps(plan, "Terraform")) {
    const p = s.params;
    if (gap) {
      gaps.push(`# ${s.title}: ${gap}\n#   ${gapCommand(plan, s, refOut)}`);
      continue;
    }
    switch (s.operation) {
      case "CreateKey": {
        const k = plan.request.key?.mode === "new" ? plan.request.key : undefined;
        const tags = Object.fromEntries(((p.Tags as { TagKey: string; TagValue: string }[]) ?? []).map((t) => [t.TagKey, t.TagValue]));
        out.push(
          resourceBlock("aws_kms_key", "this", [
            { name: "description", value: p.Description },
            { name: "key_usage", value: "ENCRYPT_DECRYPT" },
            { name: "customer_master_key_spec", value: "SYMMETRIC_DEFAULT" },
            { name: "enable_key_rotation", value: k?.rotation ?? true },
            { name: "deletion_window_in_days", value: k?.deletionWindowDays ?? 30 },
            { name: "policy", expr: policyExpr(iacKeyPolicy(plan.policy ?? String(p.Policy), plan.flow).doc) },
            { name: "tags", value: tags },
          ]),
        );
        break;
      }
      case "CreateAlias":
        out.push(
          resourceBlock("aws_kms_alias", "this", [
            { name: "name", value: p.AliasName },
            { name: "target_key_id", expr: "aws_kms_key.this.key_id" },
          ]),
        );
        break;
      case "PutKeyPolicy":
        out.push(
          resourceBlock("aws_kms_key_policy", "this", [
            { name: "key_id", value: p.KeyId },
            { name: "policy", expr: policyExpr(JSON.parse(String(p.Policy))) },
          ]),
        );
        break;
      case "CreateAgent":
        out.push(
          resourceBlock("aws_bedrockagent_agent", "this", [
            { name: "agent_name", value: p.agentName },
            { name: "agent_resource_role_arn", value: p.agentResourceRoleArn },
            { name: "foundation_model", value: p.foundationModel },
            { name: "instruction", value: p.instruction },
            { name: "description", value: p.description },
            { name: "idle_session_ttl_in_seconds", value: p.idleSessionTTLInSeconds },
            { name: "customer_encryption_key_arn", expr: keyArn },
          ]),
        );
        break;
      case "CreateMemory": {
        out.push(
          resourceBlock("aws_bedrockagentcore_memory", "this", [
            { name: "name", value: p.name },
            { name: "description", value: p.description },
            { name: "event_expiry_duration", value: p.eventExpiryDuration },
            { name: "encryption_key_arn", ...refExpr(p.encryptionKeyArn) },
            { name: "memory_execution_role_arn", value: p.memoryExecutionRoleArn },
          ]),
        );
        const types: Record<string, string> = { semanticMemoryStrategy: "SEMANTIC", summaryMemoryStrategy: "SUMMARIZATION", userPreferenceMemoryStrategy: "USER_PREFERENCE" };
        for (const [i, st] of ((p.memoryStrategies as Record<string, { name: string; namespaces?: string[]; description?: string }>[]) ?? []).entries()) {
          const [kind, conf] = Object.entries(st)[0];
          out.push(
            resourceBlock("aws_bedrockagentcore_memory_strategy", `strategy_${i}`, [
              { name: "memory_id", expr: "aws_bedrockagentcore_memory.this.id" },
              { name: "name", value: conf.name },
              { name: "type", value: types[kind] },
              { name: "description", value: conf.description },
              { name: "namespaces", value: conf.namespaces },
            ]),
          );
        }
        break;
      }
      case "CreateGateway":
        out.push(
          resourceBlock("aws_bedrockagentcore_gateway", "this", [
            { name: "name", value: p.name },
            { name: "description", value: p.description },
            { name: "role_arn", value: p.roleArn },
            { name: "protocol_type", value: p.protocolType },
            { name: "authorizer_type", value: p.authorizerType },
            { name: "kms_key_arn", ...refExpr(p.kmsKeyArn) },
          ]),
        );
        break;
      case "SetTokenVaultCMK":
        out.push(
          resourceBlock(
            "aws_bedrockagentcore_token_vault_cmk",
            "this",
            [{ name: "token_vault_id", value: "default" }],
            [
              {
                name: "kms_configuration",
                attrs: [
                  { name: "key_type", value: "CustomerManagedKey" },
                  { name: "kms_key_arn", ...refExpr((p.kmsConfiguration as { kmsKeyArn: string }).kmsKeyArn) },
                ],
              },
            ],
          ),
        );
        break;
      case "PutResourcePolicy":
        out.push(
          resourceBlock("aws_secretsmanager_secret_policy", "this", [
            { name: "secret_arn", value: p.SecretId },
            { name: "policy", expr: policyExpr(JSON.parse(String(p.ResourcePolicy))) },
            { name: "block_public_policy", value: true },
          ]),
        );
        break;
      case "CreateApiKeyCredentialProvider": {
        const conf = p.apiKeySecretConfig as { secretId: string; jsonKey: string };
        out.push(
          resourceBlock(
            "aws_bedrockagentcore_api_key_credential_provider",
            "this",
            [
              { name: "name", value: p.name },
              { name: "api_key_secret_source", value: "EXTERNAL" },
            ],
            [
              {
                name: "api_key_secret_config",
                attrs: [
                  { name: "secret_id", value: conf.secretId },
                  { name: "json_key", value: conf.jsonKey },
                ],
              },
            ],
          ),
        );
        break;
      }
      default:
        break;
    }
  }
  if (plan.request.key?.mode === "new") {
    out.push('output "key_arn" {\n  value = aws_kms_key.this.arn\n}\n');
    out.push('output "key_id" {\n  value = aws_kms_key.this.key_id\n}\n');
  }
  if (plan.steps.some((s) => s.operation === "CreateAgent")) out.push('output "agent_id" {\n  value = aws_bedrockagent_agent.this.agent_id\n}\n');
  if (gaps.length) out.push(`# Steps Terraform cannot express (run them after terraform apply):\n${gaps.join("\n")}\n`);
  return out.join("\n");
}

// ------------------------------------------------------------------ dispatch

export function exportPlan(plan: SetupPlan, format: ExportFormat): { body: string; contentType: string; filename: string } {
  const base = `keyward-${plan.flow}-${plan.request.name}`.replace(/[^a-zA-Z0-9_.-]/g, "-");
  switch (format) {
    case "json":
      return {
        body: `${JSON.stringify(redactPlan(plan), null, 2)}\n`,
        contentType: "application/json",
        filename: `${base}.plan.json`,
      };
    case "cloudformation":
      return { body: cloudFormation(plan), contentType: "application/yaml", filename: `${base}.cfn.yaml` };
    case "terraform":
      return { body: terraform(plan), contentType: "text/plain", filename: `${base}.tf` };
    case "cli":
      return { body: cliScript(plan), contentType: "text/x-shellscript", filename: `${base}.sh` };
  }
}
