import "server-only";

// Builds a setup plan: reads what the plan depends on (the existing key, agent, memory, secret, token
// vault; whether the alias is free and the role exists), generates and lints the key policy, and lays
// out every AWS call in order with its parameters, the IAM action it needs and what undoes it.
// The console, the API and `keyward setup` all use this one function.
import { createHash } from "node:crypto";

import { GetAgentCommand } from "@aws-sdk/client-bedrock-agent";
import { GetMemoryCommand, GetTokenVaultCommand } from "@aws-sdk/client-bedrock-agentcore-control";
import { GetRoleCommand } from "@aws-sdk/client-iam";
import { DescribeKeyCommand, GetKeyPolicyCommand, ListAliasesCommand } from "@aws-sdk/client-kms";
import { DescribeSecretCommand, GetResourcePolicyCommand } from "@aws-sdk/client-secrets-manager";

import type { KeywardConfigData } from "../config/schema";
import { insideAccounts } from "../config/schema";
import { isKnown, kindOf } from "../inventory/kinds";
import type { RoleFacts } from "../inventory/types.shared";
import { diffPolicy } from "../policy/diff";
import { evaluate } from "../policy/evaluate";
import { policyHash } from "../policy/review";
import { coversAction, normalizeStatements } from "../policy/statements";
import { isIdentityPrincipal } from "../posture/rules/secrets";
import { resolveTemplate } from "../policy/templates";
import { scanStatus } from "../posture/jobs";
import { type AwsClients, clientsFor, describeAwsError } from "../server/aws/clients";
import { targetsOf } from "../server/aws/connection";

import { FLOW_KEY_TEMPLATES, flowTemplates, generatedKeyPolicy, laterIdVariable, lintKeyPolicy, PLANNED, roleNameOf, rootStatement } from "./policy";
import { TOKEN } from "./plan-tokens";
import { isResumable, latestRunOf } from "./store";
import { isRecipeFlow, type LintItem, type PlanCall, type PlanStep, recipeOf, type SetupPlan, type SetupRequest } from "./types.shared";

export class PlanError extends Error {
  constructor(
    message: string,
    readonly status = 422,
  ) {
    super(message);
  }
}

/** The plan id: the request, canonical. The same request is the same plan (apply continues it). */
export function planIdOf(request: SetupRequest): string {
  const canon = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canon)
      : v && typeof v === "object"
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canon((v as Record<string, unknown>)[k])]),
          )
        : v;
  return createHash("sha256")
    .update(JSON.stringify(canon(request)))
    .digest("hex");
}

export function targetFor(cfg: KeywardConfigData, account: string | undefined, region: string) {
  const targets = targetsOf(cfg);
  const acct = account ?? targets[0]?.account;
  const t = targets.find((x) => x.account === acct && x.region === region) ?? targets.find((x) => x.account === acct);
  if (!t) throw new PlanError(account ? `Account ${account} is not configured.` : "No account is configured.");
  return { ...t, region };
}

const MIGRATION_NOTES = (old: string) => [
  `The memory ${old} keeps its data under its current key: AgentCore cannot change a memory's key in place.`,
  "1. Point the agents that use the old memory at the new one (its id is shown after Apply).",
  "2. Replay the events you need to keep into the new memory (ListEvents on the old one, CreateEvent on the new one); the strategies extract long-term records again.",
  "3. When nothing reads the old memory any more, delete it (DeleteMemory). Its key can then be disabled if nothing else uses it.",
];

type StrategyIn = { type?: string; name?: string; namespaces?: string[]; description?: string };
function strategyInput(s: StrategyIn): Record<string, unknown> | undefined {
  const conf = { name: s.name, ...(s.description ? { description: s.description } : {}), namespaces: s.namespaces };
  switch (s.type) {
    case "SEMANTIC":
      return { semanticMemoryStrategy: conf };
    case "SUMMARIZATION":
      return { summaryMemoryStrategy: conf };
    case "USER_PREFERENCE":
      return { userPreferenceMemoryStrategy: conf };
    default:
      return undefined;
  }
}

const INSTRUCTION_MIN = 40;

interface Discovery {
  keyPolicy?: string;
  keyManager?: string;
  agent?: {
    agentId: string;
    agentArn: string;
    agentName: string;
    foundationModel?: string;
    agentResourceRoleArn?: string;
    instruction?: string;
    customerEncryptionKeyArn?: string;
    /** When it was created: AWS documents a different key policy for agents created before January 22, 2025. */
    created?: string;
  };
  memory?: { id: string; arn: string; name: string; eventExpiryDuration: number; memoryExecutionRoleArn?: string; strategies: StrategyIn[] };
  vault?: { keyType?: string; kmsKeyArn?: string };
  secret?: { arn: string; kmsKeyId?: string; keyArn?: string; keyManager?: string; keyPolicy?: string; resourcePolicy?: string; rotationEnabled?: boolean };
}

async function safe<T>(lint: LintItem[], what: string, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (e) {
    const d = describeAwsError(e);
    lint.push({ level: "error", message: `${what}: ${d.code}: ${d.message}`, source: "AWS" });
    return undefined;
  }
}

async function discover(c: AwsClients, r: SetupRequest, lint: LintItem[]): Promise<Discovery> {
  const out: Discovery = {};
  if (r.key?.mode === "existing") {
    const arn = r.key.arn;
    const meta = await safe(lint, `Reading the key ${arn}`, () => c.kms.send(new DescribeKeyCommand({ KeyId: arn })));
    const m = meta?.KeyMetadata;
    if (m) {
      out.keyManager = m.KeyManager;
      if (m.KeyManager === "AWS") lint.push({ level: "error", message: "An AWS managed key's policy cannot name the service; choose a customer managed key.", source: "key" });
      if (m.KeyState === "Disabled") lint.push({ level: "error", message: "The key is disabled.", source: "key" });
      if (m.KeyState === "PendingDeletion") lint.push({ level: "error", message: "The key is pending deletion.", source: "key" });
      if (m.KeySpec !== "SYMMETRIC_DEFAULT" || m.KeyUsage !== "ENCRYPT_DECRYPT")
        lint.push({ level: "error", message: `The key is ${m.KeySpec} (${m.KeyUsage}); the service needs a symmetric encryption key.`, source: "key" });
      out.keyPolicy = (await safe(lint, "Reading the key policy", () => c.kms.send(new GetKeyPolicyCommand({ KeyId: arn, PolicyName: "default" }))))?.Policy;
    }
  } else if (r.key?.mode === "new" && r.key.alias) {
    const aliasName = r.key.alias;
    let marker: string | undefined;
    do {
      const page = await safe(lint, "Listing aliases", () => c.kms.send(new ListAliasesCommand({ Marker: marker, Limit: 100 })));
      if (!page) break;
      if (page.Aliases?.some((a) => a.AliasName === aliasName)) {
        lint.push({ level: "error", message: `The alias ${aliasName} already exists in ${r.region}; choose another.`, source: "key" });
        break;
      }
      marker = page.Truncated ? page.NextMarker : undefined;
    } while (marker);
  }
  if (r.role) {
    try {
      await c.iam.send(new GetRoleCommand({ RoleName: roleNameOf(r.role)!.split("/").pop()! }));
    } catch (e) {
      const d = describeAwsError(e);
      lint.push(
        d.code === "NoSuchEntity" || d.code === "NoSuchEntityException"
          ? { level: "error", message: `The role ${r.role} does not exist.`, source: "IAM" }
          : { level: "warning", message: `The role ${r.role} could not be checked (${d.code}).`, source: "IAM" },
      );
    }
  }
  if (r.flow === "agent" && r.mode === "update" && r.existing) {
    const a = (await safe(lint, `Reading the agent ${r.existing}`, () => c.bedrockAgent.send(new GetAgentCommand({ agentId: r.existing! }))))?.agent;
    if (a)
      out.agent = {
        agentId: a.agentId!,
        agentArn: a.agentArn!,
        agentName: a.agentName!,
        foundationModel: a.foundationModel,
        agentResourceRoleArn: a.agentResourceRoleArn,
        instruction: a.instruction,
        customerEncryptionKeyArn: a.customerEncryptionKeyArn,
        created: a.createdAt?.toISOString(),
      };
  }
  if (r.flow === "memory" && r.mode === "replace" && r.existing) {
    const m = (await safe(lint, `Reading the memory ${r.existing}`, () => c.agentCoreControl.send(new GetMemoryCommand({ memoryId: r.existing! }))))?.memory;
    if (m) {
      out.memory = {
        id: m.id!,
        arn: m.arn!,
        name: m.name!,
        eventExpiryDuration: m.eventExpiryDuration ?? r.eventExpiryDays,
        memoryExecutionRoleArn: m.memoryExecutionRoleArn,
        strategies: (m.strategies ?? []).map((s) => ({ type: s.type, name: s.name, namespaces: s.namespaces, description: s.description })),
      };
      if (m.encryptionKeyArn) lint.push({ level: "info", message: `The memory already uses ${m.encryptionKeyArn}; the replacement uses the key chosen here.`, source: "memory" });
    }
  }
  if (r.flow === "token-vault") {
    const v = await safe(lint, "Reading the token vault", () => c.agentCoreControl.send(new GetTokenVaultCommand({ tokenVaultId: "default" })));
    if (v) out.vault = { keyType: v.kmsConfiguration?.keyType, kmsKeyArn: v.kmsConfiguration?.kmsKeyArn };
  }
  if (r.flow === "credential-provider" && r.secret) {
    const secretArn = r.secret.arn;
    const d = await safe(lint, `Describing the secret ${secretArn}`, () => c.secrets.send(new DescribeSecretCommand({ SecretId: secretArn })));
    if (d) {
      const s: NonNullable<Discovery["secret"]> = { arn: d.ARN ?? secretArn, kmsKeyId: d.KmsKeyId, rotationEnabled: d.RotationEnabled };
      if (d.OwningService) lint.push({ level: "error", message: `The secret is managed by ${d.OwningService}; use a secret you own.`, source: "secret" });
      s.resourcePolicy = (await safe(lint, "Reading the secret's resource policy", () => c.secrets.send(new GetResourcePolicyCommand({ SecretId: secretArn }))))?.ResourcePolicy;
      const keyRef = d.KmsKeyId ?? "alias/aws/secretsmanager";
      const meta = (await safe(lint, "Reading the secret's key", () => c.kms.send(new DescribeKeyCommand({ KeyId: keyRef }))))?.KeyMetadata;
      if (meta) {
        s.keyArn = meta.Arn;
        s.keyManager = meta.KeyManager;
        if (meta.KeyManager === "CUSTOMER")
          s.keyPolicy = (await safe(lint, "Reading the secret key's policy", () => c.kms.send(new GetKeyPolicyCommand({ KeyId: meta.Arn!, PolicyName: "default" }))))?.Policy;
      }
      out.secret = s;
    }
  }
  return out;
}

export { TOKEN, withTokens } from "./plan-tokens";

const IAM_PREFIX: Record<PlanCall["service"], string> = {
  kms: "kms",
  bedrock: "bedrock",
  "bedrock-agent": "bedrock",
  "bedrock-agentcore-control": "bedrock-agentcore",
  "bedrock-agentcore": "bedrock-agentcore",
  secretsmanager: "secretsmanager",
};

/** The IAM action of a call: one place, so a plan's permissions cannot drift from its calls. */
export const permissionOf = (service: PlanCall["service"], operation: string) => `${IAM_PREFIX[service]}:${operation}`;

/** A step as the builder writes it; the IAM actions are filled in from service + operation. */
type StepDraft = Omit<PlanStep, "permission" | "rollback"> & { rollback?: Omit<NonNullable<PlanStep["rollback"]>, "permission"> };

function undo(service: PlanCall["service"], operation: string, title: string, params: Record<string, unknown>): StepDraft["rollback"] {
  return { service, operation, title, params };
}

function withPermissions({ rollback, ...s }: StepDraft): PlanStep {
  return {
    ...s,
    permission: permissionOf(s.service, s.operation),
    ...(rollback ? { rollback: { ...rollback, permission: permissionOf(rollback.service, rollback.operation) } } : {}),
  };
}

export interface BuildOptions {
  roles?: RoleFacts[];
}

export async function buildPlan(cfg: KeywardConfigData, request: SetupRequest, opts: BuildOptions = {}): Promise<SetupPlan> {
  const target = targetFor(cfg, request.account, request.region);
  const account = target.account;
  const region = request.region;
  const r: SetupRequest = { ...request, account };
  const id = planIdOf(r);
  // A run of this plan that stopped part-way continues with the plan it started with: what it
  // already made (the alias, the key) is no conflict.
  const stopped = resumablePlan(cfg.dataDir, id);
  if (stopped) return stopped;
  const c = clientsFor(target);
  const lint: LintItem[] = [];
  const found = await discover(c, r, lint);
  const steps: StepDraft[] = [];
  const notes: string[] = [];
  const kmsStep = (s: Omit<StepDraft, "service">): StepDraft => ({ service: "kms", ...s });

  // ---------------------------------------------------------------- the key
  const agentFlow = r.flow === "agent";
  let keyRef = ""; // how later steps name the key's ARN
  let keyArnForLint = "";
  let generated: string | undefined;
  let policy: string | undefined;
  let previousPolicy: string | undefined;
  // The policy names the resource (an agent, a prompt), whose id is known only once it exists.
  const laterId = laterIdVariable(r.flow);
  const needsLaterPolicy = laterId !== undefined;
  if (r.key?.mode === "new") {
    const k = r.key;
    generated = generatedKeyPolicy({ flow: r.flow, account, region, role: r.role ?? found.agent?.agentResourceRoleArn, created: found.agent?.created });
    policy = r.policy ?? generated;
    keyArnForLint = `arn:aws:kms:${region}:${account}:key/${PLANNED.keyId}`;
    const tags = [...Object.entries(k.tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue })), { TagKey: "keyward:plan", TagValue: id.slice(0, 16) }];
    steps.push(
      kmsStep({
        id: "key",
        title: "Create the symmetric encryption key",
        operation: "CreateKey",
        params: {
          Description: k.description ?? `${r.flow} ${r.name} (Keyward setup)`,
          KeySpec: "SYMMETRIC_DEFAULT",
          KeyUsage: "ENCRYPT_DECRYPT",
          // A policy naming the resource is written once its id exists; the key starts with the account's.
          Policy: needsLaterPolicy ? JSON.stringify({ Version: "2012-10-17", Statement: [rootStatement(account)] }, null, 2) : policy,
          Tags: tags,
        },
        creates: "key",
        outputs: { keyArn: "KeyMetadata.Arn", keyId: "KeyMetadata.KeyId" },
        rollback: undo("kms", "ScheduleKeyDeletion", `Disable the key and schedule its deletion in ${k.deletionWindowDays} days`, {
          KeyId: "{{key.keyArn}}",
          PendingWindowInDays: k.deletionWindowDays,
        }),
      }),
    );
    keyRef = "{{key.keyArn}}";
    if (k.alias)
      steps.push(
        kmsStep({
          id: "alias",
          title: `Name the key ${k.alias}`,
          operation: "CreateAlias",
          params: { AliasName: k.alias, TargetKeyId: "{{key.keyId}}" },
          creates: "alias",
          rollback: undo("kms", "DeleteAlias", `Delete the alias ${k.alias}`, { AliasName: k.alias }),
        }),
      );
    if (k.rotation)
      steps.push(
        kmsStep({
          id: "rotation",
          title: "Turn on automatic key rotation (yearly)",
          operation: "EnableKeyRotation",
          params: { KeyId: "{{key.keyId}}" },
        }),
      );
  } else if (r.key?.mode === "existing") {
    keyRef = r.key.arn;
    keyArnForLint = r.key.arn;
    previousPolicy = found.keyPolicy;
    if (found.keyPolicy !== undefined) {
      const vars = {
        flow: r.flow,
        account,
        region,
        role: r.role ?? found.agent?.agentResourceRoleArn,
        keyId: r.key.arn.split("/").pop(),
        resourceId: found.agent?.agentId,
        created: found.agent?.created,
      };
      const templates = flowTemplates(vars);
      const diff = await diffPolicy(found.keyPolicy, templates, { kind: "key-policy", self: r.key.arn, account });
      // The resource's id stays a placeholder for a new resource; the key id is the key's.
      generated = JSON.stringify(diff.merged, null, 2);
      policy = r.key.updatePolicy ? (r.policy ?? generated) : found.keyPolicy;
      if (!r.key.updatePolicy && !diff.conforms && !agentFlow)
        lint.push({ level: "info", message: "The key's policy lacks template statements; choose “Add the template statements” to write them as part of the plan.", source: "key" });
    }
  }

  // ---------------------------------------------------------------- the resource
  const policyStep = (stepId: string, title: string, text: string, before: string | undefined): StepDraft =>
    kmsStep({
      id: stepId,
      title,
      operation: "PutKeyPolicy",
      params: { KeyId: keyRef, PolicyName: "default", Policy: text },
      ...(before !== undefined
        ? {
            rollback: {
              service: "kms" as const,
              operation: "PutKeyPolicy",
              title: "Restore the key's previous policy",
              params: { KeyId: keyRef, PolicyName: "default", Policy: before },
            },
            expect: { basedOn: policyHash(before) },
          }
        : {}),
    });
  const fillIds = (text: string, idRef: string) =>
    (laterId ? text.replaceAll("${" + laterId + "}", idRef) : text).replaceAll("${key-id}", r.key?.mode === "new" ? "{{key.keyId}}" : (r.key?.arn.split("/").pop() ?? ""));
  const existingKeyWrite = r.key?.mode === "existing" && r.key.updatePolicy && policy !== undefined;
  let resource: SetupPlan["resource"] = { kind: r.flow, arn: "", name: r.name };
  let resourceArnForLint: string | undefined;

  // An existing key gets the template statements before the resource that needs them (a policy that
  // names the resource is written once its id is known).
  if (existingKeyWrite && !needsLaterPolicy) steps.push(policyStep("policy", "Add the template statements to the key policy", policy!, previousPolicy));
  switch (r.flow) {
    case "agent": {
      if (r.mode === "update") {
        const a = found.agent;
        if (!a) break;
        resourceArnForLint = a.agentArn;
        resource = { kind: "bedrock-agent", arn: a.agentArn, name: a.agentName };
        if (policy !== undefined && (r.key?.mode === "new" || existingKeyWrite))
          steps.push(policyStep("policy", "Write the key policy for this agent", fillIds(policy, a.agentId), previousPolicy));
        steps.push({
          id: "encrypt",
          title: `Encrypt the agent ${a.agentName} with the key`,
          service: "bedrock-agent",
          operation: "UpdateAgent",
          params: {
            agentId: a.agentId,
            agentName: a.agentName,
            foundationModel: a.foundationModel,
            agentResourceRoleArn: a.agentResourceRoleArn,
            ...(a.instruction ? { instruction: a.instruction } : {}),
            customerEncryptionKeyArn: keyRef,
          },
          rollback: {
            service: "bedrock-agent",
            operation: "UpdateAgent",
            title: a.customerEncryptionKeyArn ? "Put the agent back on its previous key" : "Put the agent back on the AWS owned key",
            params: {
              agentId: a.agentId,
              agentName: a.agentName,
              foundationModel: a.foundationModel,
              agentResourceRoleArn: a.agentResourceRoleArn,
              ...(a.instruction ? { instruction: a.instruction } : {}),
              ...(a.customerEncryptionKeyArn ? { customerEncryptionKeyArn: a.customerEncryptionKeyArn } : {}),
            },
          },
        });
        if (!a.instruction) lint.push({ level: "warning", message: "The agent has no instruction; UpdateAgent keeps it without one.", source: "agent" });
        break;
      }
      const instruction = r.systemPrompt.length >= INSTRUCTION_MIN ? r.systemPrompt : `${r.systemPrompt} Answer clearly and concisely, and say when you do not know.`;
      steps.push({
        id: "agent",
        title: `Create the agent ${r.name}`,
        service: "bedrock-agent",
        operation: "CreateAgent",
        params: {
          agentName: r.name,
          agentResourceRoleArn: r.role,
          foundationModel: r.foundationModel,
          instruction,
          ...(r.description ? { description: r.description } : {}),
          idleSessionTTLInSeconds: 600,
          clientToken: TOKEN,
        },
        creates: "agent",
        outputs: { agentId: "agent.agentId", agentArn: "agent.agentArn" },
        rollback: undo("bedrock-agent", "DeleteAgent", `Delete the agent ${r.name}`, { agentId: "{{agent.agentId}}", skipResourceInUseCheck: true }),
      });
      if (policy !== undefined && (r.key?.mode === "new" || existingKeyWrite))
        steps.push(policyStep("policy", "Write the key policy naming the new agent", fillIds(policy, "{{agent.agentId}}"), previousPolicy));
      steps.push({
        id: "encrypt",
        title: "Encrypt the agent with the key",
        service: "bedrock-agent",
        operation: "UpdateAgent",
        params: {
          agentId: "{{agent.agentId}}",
          agentName: r.name,
          foundationModel: r.foundationModel,
          agentResourceRoleArn: r.role,
          instruction,
          customerEncryptionKeyArn: keyRef,
        },
      });
      resource = { kind: "bedrock-agent", arn: "{{agent.agentArn}}", name: r.name };
      break;
    }
    case "memory": {
      const old = found.memory;
      if (r.mode === "replace" && !old) break;
      const strategies = (old?.strategies ?? []).map((s) => ({ s, input: strategyInput(s) }));
      for (const x of strategies.filter((x) => !x.input))
        lint.push({ level: "warning", message: `The strategy ${x.s.name} (${x.s.type}) is custom: recreate it on the new memory by hand.`, source: "memory" });
      steps.push({
        id: "memory",
        title: r.mode === "replace" ? `Create ${r.name}, replacing ${old!.name}` : `Create the memory ${r.name}`,
        service: "bedrock-agentcore-control",
        operation: "CreateMemory",
        params: {
          name: r.name,
          ...(r.description ? { description: r.description } : {}),
          eventExpiryDuration: old?.eventExpiryDuration ?? r.eventExpiryDays,
          encryptionKeyArn: keyRef,
          ...((r.role ?? old?.memoryExecutionRoleArn) ? { memoryExecutionRoleArn: r.role ?? old?.memoryExecutionRoleArn } : {}),
          ...(strategies.some((x) => x.input) ? { memoryStrategies: strategies.flatMap((x) => (x.input ? [x.input] : [])) } : {}),
          clientToken: TOKEN,
        },
        creates: "memory",
        outputs: { memoryId: "memory.id", memoryArn: "memory.arn" },
        rollback: undo("bedrock-agentcore-control", "DeleteMemory", `Delete the memory ${r.name}`, { memoryId: "{{memory.memoryId}}" }),
      });
      if (old) notes.push(...MIGRATION_NOTES(old.name));
      resource = { kind: "agentcore-memory", arn: "{{memory.memoryArn}}", name: r.name };
      break;
    }
    case "recommendation": {
      steps.push({
        id: "recommendation",
        title: `Start the recommendation ${r.name}`,
        service: "bedrock-agentcore",
        operation: "StartRecommendation",
        params: {
          name: r.name,
          ...(r.description ? { description: r.description } : {}),
          type: "SYSTEM_PROMPT_RECOMMENDATION",
          recommendationConfig: { systemPromptRecommendationConfig: { systemPrompt: { text: r.systemPrompt }, agentTraces: { sessionSpans: [] } } },
          kmsKeyArn: keyRef,
          clientToken: TOKEN,
        },
        creates: "recommendation",
        outputs: { recommendationId: "recommendationId", recommendationArn: "recommendationArn" },
        rollback: undo("bedrock-agentcore", "DeleteRecommendation", `Delete the recommendation ${r.name}`, { recommendationId: "{{recommendation.recommendationId}}" }),
        iacGap: "CloudFormation and Terraform have no recommendation resource (StartRecommendation starts a job).",
      });
      resource = { kind: "agentcore-recommendation", arn: "{{recommendation.recommendationArn}}", name: r.name };
      break;
    }
    case "gateway": {
      steps.push({
        id: "gateway",
        title: `Create the gateway ${r.name}`,
        service: "bedrock-agentcore-control",
        operation: "CreateGateway",
        params: {
          name: r.name,
          ...(r.description ? { description: r.description } : {}),
          roleArn: r.role,
          protocolType: "MCP",
          authorizerType: "AWS_IAM",
          kmsKeyArn: keyRef,
          clientToken: TOKEN,
        },
        creates: "gateway",
        outputs: { gatewayId: "gatewayId", gatewayArn: "gatewayArn" },
        rollback: undo("bedrock-agentcore-control", "DeleteGateway", `Delete the gateway ${r.name}`, { gatewayIdentifier: "{{gateway.gatewayId}}" }),
      });
      resource = { kind: "agentcore-gateway", arn: "{{gateway.gatewayArn}}", name: r.name };
      break;
    }
    case "token-vault": {
      const before = found.vault;
      steps.push({
        id: "vault",
        title: "Encrypt the token vault with the key",
        service: "bedrock-agentcore-control",
        operation: "SetTokenVaultCMK",
        params: { tokenVaultId: "default", kmsConfiguration: { keyType: "CustomerManagedKey", kmsKeyArn: keyRef } },
        rollback: {
          service: "bedrock-agentcore-control",
          operation: "SetTokenVaultCMK",
          title: before?.keyType === "CustomerManagedKey" ? "Put the token vault back on its previous key" : "Put the token vault back on the service managed key",
          params: {
            tokenVaultId: "default",
            kmsConfiguration:
              before?.keyType === "CustomerManagedKey" && before.kmsKeyArn ? { keyType: "CustomerManagedKey", kmsKeyArn: before.kmsKeyArn } : { keyType: "ServiceManagedKey" },
          },
        },
        iacGap: "CloudFormation has no token vault resource; the export carries this step as an AWS CLI call.",
      });
      if (before?.keyType === "CustomerManagedKey")
        lint.push({ level: "info", message: `The token vault now uses ${before.kmsKeyArn}; the plan moves it to the key chosen here.`, source: "token vault" });
      resource = { kind: "token-vault", arn: `arn:aws:bedrock-agentcore:${region}:${account}:token-vault/default`, name: "default" };
      break;
    }
    case "credential-provider": {
      const s = found.secret;
      if (!s || !r.secret || !r.role) break;
      const tpl = resolveTemplate("agentcore-identity-secret", { region, "account-id": account, role: roleNameOf(r.role) });
      const secretDoc = { Version: "2012-10-17", Statement: tpl.statements.map((x) => x.statement) };
      // The secret's key lets the identity role decrypt through Secrets Manager.
      if (s.keyManager === "CUSTOMER" && s.keyArn) {
        keyArnForLint = s.keyArn;
        keyRef = s.keyArn;
        const can = s.keyPolicy
          ? (
              await evaluate({
                principal: r.role,
                action: "kms:Decrypt",
                resourceArn: s.keyArn,
                resourceAccount: s.keyArn.split(":")[4],
                resourcePolicy: JSON.parse(s.keyPolicy),
                identityPolicies: [],
                context: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com`, "kms:CallerAccount": account },
              })
            ).decision === "Allowed"
          : false;
        if (can) lint.push({ level: "info", message: `The secret's key ${s.keyArn} lets ${r.role} decrypt through Secrets Manager.`, source: "seed 004" });
        else if (r.fixSecret.keyPolicy && s.keyPolicy) {
          const diff = await diffPolicy(s.keyPolicy, [tpl], { kind: "key-policy", self: s.keyArn, account }, "keyStatements");
          const merged = JSON.stringify(diff.merged, null, 2);
          generated = merged;
          policy = r.policy ?? merged;
          previousPolicy = s.keyPolicy;
          steps.push(policyStep("key-policy", "Let the identity role decrypt with the secret's key (through Secrets Manager)", policy, s.keyPolicy));
        } else
          lint.push({
            level: "error",
            message: `The secret's key ${s.keyArn} does not let ${r.role} decrypt through Secrets Manager (kms:Decrypt with kms:ViaService secretsmanager.${region}.amazonaws.com). Choose “Fix the key policy”.`,
            source: "seed 004",
          });
      } else if (s.keyArn) {
        lint.push({
          level: "info",
          message: "The secret uses the AWS managed key aws/secretsmanager: the role's IAM permissions decide; there is no key policy to change.",
          source: "seed 004",
        });
      }
      // The resource policy lets the identity role read the value (the console never does).
      const allowed = s.resourcePolicy
        ? (
            await evaluate({
              principal: r.role,
              action: "secretsmanager:GetSecretValue",
              resourceArn: s.arn,
              resourceAccount: account,
              resourcePolicy: JSON.parse(s.resourcePolicy),
              identityPolicies: [],
              context: {},
            })
          ).decision === "Allowed"
        : false;
      if (allowed) lint.push({ level: "info", message: `The secret's resource policy lets ${r.role} call GetSecretValue.`, source: "seed 004" });
      else if (r.fixSecret.resourcePolicy) {
        const merged = s.resourcePolicy
          ? JSON.stringify((await diffPolicy(s.resourcePolicy, [tpl], { kind: "secret-policy", self: s.arn, account })).merged, null, 2)
          : JSON.stringify(secretDoc, null, 2);
        steps.push({
          id: "secret-policy",
          title: "Let the identity role read the secret (resource policy)",
          service: "secretsmanager",
          operation: "PutResourcePolicy",
          params: { SecretId: s.arn, ResourcePolicy: merged, BlockPublicPolicy: true },
          rollback: s.resourcePolicy
            ? {
                service: "secretsmanager",
                operation: "PutResourcePolicy",
                title: "Restore the secret's previous resource policy",
                params: { SecretId: s.arn, ResourcePolicy: s.resourcePolicy, BlockPublicPolicy: true },
              }
            : {
                service: "secretsmanager",
                operation: "DeleteResourcePolicy",
                title: "Remove the resource policy",
                params: { SecretId: s.arn },
              },
        });
      } else
        lint.push({
          level: "error",
          message: `The secret's resource policy does not let ${r.role} call secretsmanager:GetSecretValue. Choose “Fix the resource policy”.`,
          source: "seed 004",
        });
      // What the posture rules will say of the secret itself (the plan does not change these).
      if (!isIdentityPrincipal(r.role))
        lint.push({
          level: "warning",
          message: `${r.role} is not named like an AgentCore identity role (…AgentCore…Identity…): the posture rules will count it as another reader of the secret (KW-SEC-02).`,
          source: "KW-SEC-02",
        });
      const otherReaders = [
        ...new Set(
          normalizeStatements(s.resourcePolicy ?? "{}")
            .filter((st) => st.effect === "Allow" && coversAction(st, "secretsmanager:GetSecretValue"))
            .flatMap((st) => (st.anyone ? ["*"] : [...st.aws, ...st.services]))
            .filter((p) => !isIdentityPrincipal(p) && p !== r.role),
        ),
      ];
      if (otherReaders.length)
        lint.push({
          level: "warning",
          message: `The secret's resource policy already lets others read it: ${otherReaders.join(", ")} (KW-SEC-02). The plan keeps those statements.`,
          source: "KW-SEC-02",
        });
      if (s.keyManager !== "CUSTOMER")
        lint.push({
          level: "warning",
          message: "The secret is encrypted with aws/secretsmanager, not a customer managed key (KW-SEC-01); re-encrypt it with a CMK to control who can decrypt it.",
          source: "KW-SEC-01",
        });
      if (s.rotationEnabled === false) lint.push({ level: "warning", message: "The secret's rotation is off (KW-SEC-05).", source: "KW-SEC-05" });
      steps.push({
        id: "provider",
        title: `Create the credential provider ${r.name} on the secret`,
        service: "bedrock-agentcore-control",
        operation: "CreateApiKeyCredentialProvider",
        params: { name: r.name, apiKeySecretSource: "EXTERNAL", apiKeySecretConfig: { secretId: s.arn, jsonKey: r.secret.jsonKey } },
        creates: "credential-provider",
        outputs: { providerArn: "credentialProviderArn" },
        rollback: undo("bedrock-agentcore-control", "DeleteApiKeyCredentialProvider", `Delete the credential provider ${r.name}`, { name: r.name }),
      });
      resource = { kind: "apikey-credential-provider", arn: "{{provider.providerArn}}", name: r.name };
      break;
    }
    default: {
      // A kind created by one call with its key: the recipe in its descriptor (lib/inventory/kinds).
      if (!isRecipeFlow(r.flow)) break;
      const recipe = recipeOf(r.flow);
      const kind = kindOf(r.flow);
      steps.push({
        id: "resource",
        title: `Create the ${kind.text[0]} ${r.name}`,
        service: recipe.service,
        operation: recipe.operation,
        params: recipe.params({ name: r.name, description: r.description, keyRef, role: r.role, token: TOKEN }),
        creates: "resource",
        outputs: recipe.outputs,
        rollback: undo(recipe.service, recipe.rollback.operation, `Delete the ${kind.text[0]} ${r.name}`, recipe.rollback.params),
        iacGap: `Keyward's CloudFormation and Terraform exports do not declare ${kind.text[1]} yet: the call is kept as an AWS CLI command.`,
      });
      if (needsLaterPolicy && policy !== undefined && (r.key?.mode === "new" || existingKeyWrite))
        steps.push(policyStep("policy", `Write the key policy naming the new ${kind.text[0]}`, fillIds(policy, "{{resource.id}}"), previousPolicy));
      if (!isKnown(kind.policy))
        lint.push({
          level: "info",
          message: `The key policy is not held to a template: ${kind.policy.none}. The plan's policy lets the account's IAM policies govern the key; give the callers kms:GenerateDataKey and kms:Decrypt through the service in their IAM policy.`,
          source: kind.doc.title,
        });
      resource = { kind: r.flow, arn: "{{resource.arn}}", name: r.name };
      break;
    }
  }

  // ---------------------------------------------------------------- lint the key policy
  let blocked = lint.some((l) => l.level === "error");
  if (policy !== undefined && keyArnForLint) {
    const res = await lintKeyPolicy({
      flow: r.flow,
      account,
      region,
      name: r.name,
      role: r.role ?? found.agent?.agentResourceRoleArn,
      policy,
      keyArn: keyArnForLint,
      resourceArn: resourceArnForLint,
      created: found.agent?.created,
      roles: new Map((opts.roles ?? []).map((x) => [x.arn, x])),
      inside: insideAccounts(cfg, scanStatus(cfg.dataDir).last),
    });
    // An existing key whose policy the plan does not write: only "the service could not use it" stops the plan.
    const writes = r.key?.mode === "new" || existingKeyWrite || steps.some((s) => s.id === "key-policy");
    const items = writes ? res.items : res.items.map((i) => (i.level === "error" && !i.message.startsWith("The service could not use") ? { ...i, level: "warning" as const } : i));
    lint.push(...items);
    blocked = blocked || items.some((i) => i.level === "error");
    if (!writes && agentFlow && items.some((i) => i.level === "error"))
      lint.push({ level: "info", message: "Bedrock needs a key policy statement naming this agent: choose “Add the template statements”.", source: "seed 000" });
  }
  if (r.flow !== "credential-provider" && !r.key) blocked = true;
  if (r.flow === "agent" && r.mode === "update" && !found.agent) blocked = true;
  if (r.flow === "memory" && r.mode === "replace" && !found.memory) blocked = true;
  if (r.flow === "credential-provider" && !found.secret) blocked = true;

  const planned = steps.map(withPermissions);
  // A created key is tagged (CreateKey with Tags needs kms:TagResource) and disabled before its deletion is scheduled.
  const extra = r.key?.mode === "new" ? ["kms:DisableKey", "kms:TagResource"] : [];
  const permissions = [...new Set(planned.flatMap((s) => [s.permission, ...(s.rollback ? [s.rollback.permission] : [])]).concat(extra))].sort();
  return {
    id,
    flow: r.flow,
    account,
    region,
    request: r,
    policy,
    generatedPolicy: generated,
    templates: FLOW_KEY_TEMPLATES[r.flow].map((tid) => {
      const t = resolveTemplate(tid, {}).template;
      return { id: t.id, title: t.title, source: t.source };
    }),
    lint,
    blocked,
    steps: planned,
    permissions,
    notes,
    resource,
  };
}

/** The stored plan of this plan id's last run when that run stopped part-way (and was not rolled back). */
export function resumablePlan(dataDir: string, planId: string): SetupPlan | undefined {
  const last = latestRunOf(dataDir, planId);
  if (!last || !isResumable(last.run)) return undefined;
  const { run, plan } = last;
  return {
    ...plan,
    resumeOf: run.id,
    lint: [
      { level: "info", message: `Run ${run.id} stopped at “${run.error ?? "a step"}”; applying continues it where it stopped.`, source: "setup" },
      ...plan.lint.filter((l) => l.level !== "error"),
    ],
    blocked: false,
  };
}

/** The last scan's roles, for identity-aware lint (empty when nothing was scanned). */
export function scannedRoles(cfg: KeywardConfigData): RoleFacts[] {
  return scanStatus(cfg.dataDir).last?.roles ?? [];
}
