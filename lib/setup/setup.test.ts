// The setup engine against the sandbox: every flow applied through the real SDK clients, a failure
// mid-plan rolled back, a stopped plan continued without duplicates, and the key policy lint.
import { readFileSync } from "node:fs";

import { GetAgentCommand } from "@aws-sdk/client-bedrock-agent";
import { GetRecommendationCommand } from "@aws-sdk/client-bedrock-agentcore";
import { GetApiKeyCredentialProviderCommand, GetGatewayCommand, GetMemoryCommand, GetTokenVaultCommand, ListMemoriesCommand } from "@aws-sdk/client-bedrock-agentcore-control";
import { DescribeKeyCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand, ListAliasesCommand, ListKeysCommand } from "@aws-sdk/client-kms";
import { GetResourcePolicyCommand } from "@aws-sdk/client-secrets-manager";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { listAudit } from "../auth/audit";
import type { KeywardConfigData } from "../config/schema";
import { collectAll } from "../inventory/collect";
import { isKnown, kindOf } from "../inventory/kinds";
import { diffPolicy } from "../policy/diff";
import { requirementsFor } from "../posture/requirements";

import { buildPlan } from "./plan";
import { flowTemplates, plannedResource } from "./policy";
import { exportPlan } from "./export";
import { rollbackRun, startRun } from "./run";
import { ACCOUNT, REGION, role, type SetupSandbox, setupSandbox } from "./testing";
import { RECIPE_FLOWS, recipeOf, setupRequestSchema, type SetupRequestInput } from "./types.shared";

let env: SetupSandbox;
let cfg: KeywardConfigData;
const c = () => env.clients();

beforeAll(async () => {
  env = await setupSandbox();
  ({ cfg } = env);
});
afterAll(() => env.close());
afterEach(() => env.faults([]));

const plan = (input: SetupRequestInput) => buildPlan(cfg, setupRequestSchema.parse(input));
async function apply(input: SetupRequestInput, onFailure: "rollback" | "stop" = "rollback") {
  const p = await plan(input);
  expect(p.blocked, JSON.stringify(p.lint)).toBe(false);
  return { plan: p, run: await startRun(cfg, p, { actor: "tester", onFailure }).done };
}
async function keyCount(): Promise<number> {
  return (await c().kms.send(new ListKeysCommand({ Limit: 1000 }))).Keys!.length;
}

describe("flows applied against the sandbox", () => {
  it("memory: a new key with the template policy, alias and rotation, and a memory encrypted with it", async () => {
    const { plan: p, run } = await apply({ flow: "memory", name: "wizard_mem", region: REGION, key: { mode: "new", alias: "alias/wizard/mem", tags: { team: "ai" } } });
    expect(p.steps.map((s) => s.operation)).toEqual(["CreateKey", "CreateAlias", "EnableKeyRotation", "CreateMemory"]);
    expect(run.status).toBe("done");
    const keyArn = run.steps[0].outputs!.keyArn;
    const memoryId = run.steps[3].outputs!.memoryId;
    const memory = (await c().agentCoreControl.send(new GetMemoryCommand({ memoryId }))).memory!;
    expect(memory.encryptionKeyArn).toBe(keyArn);
    expect(run.resourceArn).toBe(memory.arn);
    expect((await c().kms.send(new GetKeyRotationStatusCommand({ KeyId: keyArn }))).KeyRotationEnabled).toBe(true);
    const aliases = (await c().kms.send(new ListAliasesCommand({ KeyId: keyArn }))).Aliases!.map((a) => a.AliasName);
    expect(aliases).toEqual(["alias/wizard/mem"]);
    const policy = (await c().kms.send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: "default" }))).Policy!;
    const diff = await diffPolicy(policy, flowTemplates({ flow: "memory", account: ACCOUNT, region: REGION }), { kind: "key-policy", self: keyArn, account: ACCOUNT });
    expect(diff.conforms).toBe(true);
    const log = listAudit(cfg.dataDir, { limit: 5 });
    expect(log[0]).toMatchObject({ actor: "tester", action: "apply", outcome: "success" });
    expect(log[0].detail).toContain("memory done");
  });

  it("memory replace: the new memory takes the old one's strategies and the plan lists the migration", async () => {
    const list = (await c().agentCoreControl.send(new ListMemoriesCommand({}))).memories!;
    const old = list.find((m) => m.id && !m.id.startsWith("wizard"))!;
    const oldMem = (await c().agentCoreControl.send(new GetMemoryCommand({ memoryId: old.id! }))).memory!;
    const p = await plan({ flow: "memory", mode: "replace", existing: old.id!, name: "wizard_replaced", region: REGION, key: { mode: "new" } });
    expect(p.notes.join(" ")).toMatch(/cannot change a memory's key in place/);
    const create = p.steps.find((s) => s.operation === "CreateMemory")!;
    expect(create.params.eventExpiryDuration).toBe(oldMem.eventExpiryDuration);
    expect(((create.params.memoryStrategies as unknown[]) ?? []).length).toBe((oldMem.strategies ?? []).filter((s) => s.type !== "CUSTOM").length);
  });

  it("agent: a new agent, then the key policy naming it, then the agent moved onto the key", async () => {
    const { plan: p, run } = await apply({ flow: "agent", name: "wizard-agent", region: REGION, role: role("BedrockAgentRole"), key: { mode: "new" } });
    expect(p.steps.map((s) => s.operation)).toEqual(["CreateKey", "EnableKeyRotation", "CreateAgent", "PutKeyPolicy", "UpdateAgent"]);
    expect(run.status, run.error).toBe("done");
    const agentId = run.steps[2].outputs!.agentId;
    const agent = (await c().bedrockAgent.send(new GetAgentCommand({ agentId }))).agent!;
    expect(agent.customerEncryptionKeyArn).toBe(run.steps[0].outputs!.keyArn);
    const policy = (await c().kms.send(new GetKeyPolicyCommand({ KeyId: agent.customerEncryptionKeyArn!, PolicyName: "default" }))).Policy!;
    expect(policy).toContain(`agent/${agentId}`);
    expect(policy).not.toContain("${");
  });

  it("agent update: an existing agent's key changed, the policy gaining the statements for it", async () => {
    const created = await apply({ flow: "agent", name: "wizard-agent2", region: REGION, role: role("BedrockAgentRole"), key: { mode: "new" } });
    const agentId = created.run.steps[2].outputs!.agentId;
    const { plan: p, run } = await apply({
      flow: "agent",
      mode: "update",
      existing: agentId,
      name: "wizard-agent2",
      region: REGION,
      key: { mode: "new", alias: "alias/wizard/agent2" },
    });
    expect(p.steps.map((s) => s.operation)).toEqual(["CreateKey", "CreateAlias", "EnableKeyRotation", "PutKeyPolicy", "UpdateAgent"]);
    expect(run.status, run.error).toBe("done");
    expect((await c().bedrockAgent.send(new GetAgentCommand({ agentId }))).agent!.customerEncryptionKeyArn).toBe(run.steps[0].outputs!.keyArn);
  });

  it("recommendation: StartRecommendation with the key", async () => {
    const { run } = await apply({ flow: "recommendation", name: "wizard-rec", region: REGION, role: role("RecommendationRole"), key: { mode: "new" } });
    expect(run.status, run.error).toBe("done");
    const rec = await c().agentCore.send(new GetRecommendationCommand({ recommendationId: run.steps.at(-1)!.outputs!.recommendationId }));
    expect(rec.kmsKeyArn).toBe(run.steps[0].outputs!.keyArn);
  });

  it("gateway: CreateGateway with the key its role may use through AgentCore", async () => {
    const { run } = await apply({ flow: "gateway", name: "wizard-gw", region: REGION, role: role("AgentCoreGatewayRole"), key: { mode: "new" } });
    expect(run.status, run.error).toBe("done");
    const gw = await c().agentCoreControl.send(new GetGatewayCommand({ gatewayIdentifier: run.steps.at(-1)!.outputs!.gatewayId }));
    expect(gw.kmsKeyArn).toBe(run.steps[0].outputs!.keyArn);
  });

  // The kinds the wizard creates from their descriptor's recipe: created with a new key, read back by
  // the kind's own collector with that key, then rolled back (the resource deleted, the key scheduled for deletion).
  it.each(RECIPE_FLOWS.map((f) => [f]))("%s: created with the key from its kind's recipe, read back by its collector, rolled back", async (flow) => {
    const recipe = recipeOf(flow);
    const name = recipe.name.re.test("wizard_made") ? "wizard_made" : "wizard-made";
    const roleName = flow === "bedrock-flow" ? "BedrockFlowRole" : "AgentCorePaymentsRole";
    const { plan: p, run } = await apply({ flow, name, region: REGION, ...(recipe.role ? { role: role(roleName) } : {}), key: { mode: "new" } });
    expect(run.status, run.error).toBe("done");
    // A kind without a documented policy says so; the flow, whose execution role uses the key through its
    // IAM policy (AWS's page), is told what to give the role once the flow exists.
    if (recipe.idVariable) {
      // The key policy names the new resource (a prompt): the key starts with the account's statement,
      // and the policy is written once AWS has assigned the id.
      expect(p.steps.map((s) => s.id)).toEqual(["key", "rotation", "resource", "policy"]);
      expect(JSON.stringify(p.steps[0].params.Policy)).not.toContain("bedrock.amazonaws.com");
      const written = JSON.parse(String((await c().kms.send(new GetKeyPolicyCommand({ KeyId: run.steps[0].outputs!.keyArn, PolicyName: "default" }))).Policy));
      expect(JSON.stringify(written)).toContain(run.steps[2].outputs!.arn);
      expect(JSON.stringify(written)).not.toContain("${");
      // Infrastructure code cannot name the id in the key it creates the resource with: the declared
      // policy names the account's prompts, and a follow-up call narrows it.
      const cfn = exportPlan(p, "cloudformation").body;
      expect(cfn).toContain(":prompt/*");
      expect(cfn).toContain("narrows it to the new bedrock prompt");
    } else if (isKnown(kindOf(flow).policy)) {
      // A role that uses the key through its own IAM policy (a flow's execution role) is told what to
      // give it; a kind whose callers use the key through IAM (a policy engine) lints clean: the plan's
      // account-root statement lets IAM grant it.
      const viaRole = requirementsFor(plannedResource(flow, ACCOUNT, REGION, name, recipe.role ? role(roleName) : undefined)).some(
        (q) => q.principalKind === "role" && q.withIdentity,
      );
      if (viaRole) expect(p.lint.some((l) => l.level === "warning" && l.message.startsWith("After the plan: give"))).toBe(true);
      else expect(p.lint.filter((l) => l.level !== "info")).toEqual([]);
    } else expect(p.lint.some((l) => l.level === "info" && l.message.startsWith("The key policy is not held to a template"))).toBe(true);
    // The exports carry the creation as an AWS CLI call where the infrastructure code does not declare it.
    const cli = recipe.operation.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase();
    for (const format of ["cloudformation", "terraform", "cli"] as const) expect(exportPlan(p, format).body, format).toContain(` ${cli} `);
    const keyArn = run.steps[0].outputs!.keyArn;
    const ctx = { clients: c(), account: ACCOUNT, region: REGION, counter: { calls: 0 }, errors: [] };
    const read = (await collectAll(ctx, [kindOf(flow)])).find((r) => r.name === name);
    expect(read?.keyArn).toBe(keyArn);
    const undone = await rollbackRun(cfg, p, run, "tester");
    expect(undone.status, undone.error).toBe("rolled-back");
    expect((await collectAll({ ...ctx, errors: [] }, [kindOf(flow)])).some((r) => r.name === name)).toBe(false);
    expect((await c().kms.send(new DescribeKeyCommand({ KeyId: keyArn }))).KeyMetadata!.KeyState).toBe("PendingDeletion");
  });

  it("token vault: SetTokenVaultCMK, undone back to the previous configuration", async () => {
    const before = (await c().agentCoreControl.send(new GetTokenVaultCommand({ tokenVaultId: "default" }))).kmsConfiguration;
    const { plan: p, run } = await apply({ flow: "token-vault", name: "default", region: REGION, key: { mode: "new" } });
    expect(run.status, run.error).toBe("done");
    const vault = await c().agentCoreControl.send(new GetTokenVaultCommand({ tokenVaultId: "default" }));
    expect(vault.kmsConfiguration).toMatchObject({ keyType: "CustomerManagedKey", kmsKeyArn: run.steps[0].outputs!.keyArn });
    expect(p.steps.at(-1)!.rollback!.params.kmsConfiguration).toEqual(
      before?.keyType === "CustomerManagedKey" ? { keyType: before.keyType, kmsKeyArn: before.kmsKeyArn } : { keyType: "ServiceManagedKey" },
    );
  });

  it("credential provider: checks the secret's key and resource policy, fixes both, never reads the value", async () => {
    const secret = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:agents/salesforce-client`;
    const base = { flow: "credential-provider" as const, name: "wizard-sf", region: REGION, role: role("ContractorRole"), secret: { arn: secret, jsonKey: "api_key" } };
    // The secret is named by its full ARN with the random suffix; find it through the plan's discovery.
    const described = await c().secrets.send(new GetResourcePolicyCommand({ SecretId: "agents/salesforce-client" }));
    base.secret.arn = described.ARN!;
    const unfixed = await plan(base);
    expect(unfixed.blocked).toBe(true);
    // What the posture rules will say of this secret and role is said before anything changes.
    expect(unfixed.lint.filter((l) => l.level === "warning").map((l) => l.source)).toEqual(expect.arrayContaining(["KW-SEC-02", "KW-SEC-01"]));
    expect(unfixed.lint.some((l) => l.level === "error" && /GetSecretValue/.test(l.message))).toBe(true);
    const { plan: p, run } = await apply({ ...base, fixSecret: { keyPolicy: true, resourcePolicy: true } });
    expect(p.steps.map((s) => s.operation)).toContain("PutResourcePolicy");
    expect(p.steps.at(-1)!.operation).toBe("CreateApiKeyCredentialProvider");
    expect(run.status, run.error).toBe("done");
    const provider = await c().agentCoreControl.send(new GetApiKeyCredentialProviderCommand({ name: "wizard-sf" }));
    expect(provider.apiKeySecretArn?.secretArn).toBe(described.ARN);
    const after = (await c().secrets.send(new GetResourcePolicyCommand({ SecretId: described.ARN }))).ResourcePolicy!;
    expect(after).toContain("ContractorRole");
    expect(JSON.stringify(p)).not.toMatch(/GetSecretValueCommand/);
  });
});

describe("failures, rollback and re-runs", () => {
  it("AccessDenied on CreateMemory leaves only the key, disabled and scheduled for deletion", async () => {
    const keysBefore = await keyCount();
    await env.faults([{ service: "bedrock-agentcore", operation: "CreateMemory", accessDenied: true }]);
    const { run } = await apply({ flow: "memory", name: "wizard_denied", region: REGION, key: { mode: "new", alias: "alias/wizard/denied", deletionWindowDays: 7 } });
    expect(run.status).toBe("rolled-back");
    expect(run.steps.find((s) => s.id === "memory")!.error).toMatch(/AccessDenied/);
    expect(run.steps.filter((s) => s.rollback?.status === "done").map((s) => s.id)).toEqual(["key", "alias"]);
    // Undone newest first: the alias before the key.
    expect(run.steps[1].rollback!.at <= run.steps[0].rollback!.at).toBe(true);
    expect(await keyCount()).toBe(keysBefore + 1);
    const key = (await c().kms.send(new DescribeKeyCommand({ KeyId: run.pendingDeletion!.keyArn }))).KeyMetadata!;
    expect(key.KeyState).toBe("PendingDeletion");
    expect(run.pendingDeletion!.windowDays).toBe(7);
    const aliases = (await c().kms.send(new ListAliasesCommand({}))).Aliases!.map((a) => a.AliasName);
    expect(aliases).not.toContain("alias/wizard/denied");
    const memories = (await c().agentCoreControl.send(new ListMemoriesCommand({}))).memories!;
    expect(memories.some((m) => m.id?.startsWith("wizard_denied"))).toBe(false);
    const log = listAudit(cfg.dataDir, { limit: 3 });
    expect(log[0]).toMatchObject({ action: "rollback", outcome: "success" });
    expect(log[1]).toMatchObject({ action: "apply", outcome: "failure" });
  });

  it("a stopped plan continues where it stopped, without a second key or memory", async () => {
    const input = { flow: "memory" as const, name: "wizard_resume", region: REGION, key: { mode: "new" as const, alias: "alias/wizard/resume" } };
    await env.faults([{ service: "bedrock-agentcore", operation: "CreateMemory", accessDenied: true }]);
    const keysBefore = await keyCount();
    const first = await apply(input, "stop");
    expect(first.run.status).toBe("failed");
    expect(first.run.steps.map((s) => s.status)).toEqual(["done", "done", "done", "failed"]);
    await env.faults([]);
    const p = await plan(input);
    expect(p.id).toBe(first.plan.id);
    const second = await startRun(cfg, first.plan, { actor: "tester", onFailure: "rollback" });
    expect(second.resumed).toBe(true);
    const run = await second.done;
    expect(run.status).toBe("done");
    expect(run.id).toBe(first.run.id);
    expect(await keyCount()).toBe(keysBefore + 1);
    const memories = (await c().agentCoreControl.send(new ListMemoriesCommand({}))).memories!;
    expect(memories.filter((m) => m.id?.startsWith("wizard_resume")).length).toBe(1);
    // Applying a finished plan again changes nothing.
    const third = await startRun(cfg, first.plan, { actor: "tester", onFailure: "rollback" });
    expect((await third.done).id).toBe(run.id);
    expect(await keyCount()).toBe(keysBefore + 1);
  });
});

describe("permissions", () => {
  it("every call of every flow's plan (and its undo) names its IAM action, and docs/iam-policy.json's operator policy grants it", async () => {
    const doc = JSON.parse(readFileSync("docs/iam-policy.json", "utf8")) as Record<string, { Statement: { Action: string | string[] }[] }>;
    const granted = new Set(doc.operator.Statement.flatMap((st) => (Array.isArray(st.Action) ? st.Action : [st.Action])));
    const prefix: Record<string, string> = {
      kms: "kms",
      bedrock: "bedrock",
      "bedrock-agent": "bedrock",
      "bedrock-agentcore-control": "bedrock-agentcore",
      "bedrock-agentcore": "bedrock-agentcore",
      secretsmanager: "secretsmanager",
    };
    const secretArn = (await c().secrets.send(new GetResourcePolicyCommand({ SecretId: "agents/salesforce-client" }))).ARN!;
    const plans = await Promise.all(
      [
        { flow: "agent", name: "perm-agent", region: REGION, role: role("BedrockAgentRole"), key: { mode: "new", alias: "alias/perm/agent" } },
        { flow: "memory", name: "perm_mem", region: REGION, key: { mode: "new" } },
        { flow: "recommendation", name: "perm-rec", region: REGION, role: role("RecommendationRole"), key: { mode: "new" } },
        { flow: "gateway", name: "perm-gw", region: REGION, role: role("AgentCoreGatewayRole"), key: { mode: "new" } },
        { flow: "token-vault", name: "default", region: REGION, key: { mode: "new" } },
        ...RECIPE_FLOWS.map((flow) => ({
          flow,
          name: recipeOf(flow).name.re.test("perm_x") ? "perm_x" : "perm-x",
          region: REGION,
          role: role("BedrockAgentRole"),
          key: { mode: "new" },
        })),
        {
          flow: "credential-provider",
          name: "perm-cp",
          region: REGION,
          role: role("ContractorRole"),
          secret: { arn: secretArn, jsonKey: "k" },
          fixSecret: { keyPolicy: true, resourcePolicy: true },
        },
      ].map((r) => plan(r as SetupRequestInput)),
    );
    const calls = plans.flatMap((p) => p.steps.flatMap((s) => [s, ...(s.rollback ? [s.rollback] : [])]));
    expect(calls.length).toBeGreaterThan(20);
    for (const call of calls) {
      expect(call.permission).toBe(`${prefix[call.service]}:${call.operation}`);
      expect(granted.has(call.permission), call.permission).toBe(true);
    }
    for (const p of plans) for (const perm of p.permissions) expect(granted.has(perm), perm).toBe(true);
  });
});

describe("key policy lint", () => {
  it("the generated policy passes; removing the service statement blocks the plan", async () => {
    const ok = await plan({ flow: "gateway", name: "lint-gw", region: REGION, role: role("AgentCoreGatewayRole"), key: { mode: "new" } });
    expect(ok.blocked).toBe(false);
    const doc = JSON.parse(ok.policy!) as { Statement: { Sid?: string }[] };
    const broken = JSON.stringify({ ...doc, Statement: doc.Statement.filter((s) => s.Sid !== "AllowServiceRoleDecryptKey") });
    const bad = await plan({ flow: "gateway", name: "lint-gw", region: REGION, role: role("AgentCoreGatewayRole"), key: { mode: "new" }, policy: broken });
    expect(bad.blocked).toBe(true);
    expect(bad.lint.find((l) => l.level === "error")!.message).toMatch(/service could not use the key|Missing/);
  });

  it("a policy that would lock the account out is refused, and so is a policy open to other accounts", async () => {
    const ok = await plan({ flow: "memory", name: "lint_mem", region: REGION, key: { mode: "new" } });
    const doc = JSON.parse(ok.policy!) as { Statement: Record<string, unknown>[] };
    const noRoot = JSON.stringify({ ...doc, Statement: doc.Statement.slice(1) });
    const locked = await plan({ flow: "memory", name: "lint_mem", region: REGION, key: { mode: "new" }, policy: noRoot });
    expect(locked.lint.some((l) => l.source === "KMS lockout check")).toBe(true);
    const open = JSON.stringify({ ...doc, Statement: [...doc.Statement, { Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" }] });
    const opened = await plan({ flow: "memory", name: "lint_mem", region: REGION, key: { mode: "new" }, policy: open });
    expect(opened.blocked).toBe(true);
    expect(opened.lint.some((l) => /outside the account/.test(l.message))).toBe(true);
    const invalid = await plan({ flow: "memory", name: "lint_mem", region: REGION, key: { mode: "new" }, policy: "{ nope" });
    expect(invalid.blocked).toBe(true);
  });

  it("refuses incompatible existing keys with the reason", async () => {
    const aliases = (await c().kms.send(new ListAliasesCommand({}))).Aliases!;
    const arnOf = (alias: string) => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${aliases.find((a) => a.AliasName === alias)!.TargetKeyId}`;
    const rsa = await plan({ flow: "memory", name: "lint_mem", region: REGION, key: { mode: "existing", arn: arnOf("alias/agents/rsa") } });
    expect(rsa.blocked).toBe(true);
    expect(rsa.lint.map((l) => l.message).join(" ")).toMatch(/symmetric/);
    const disabled = await plan({ flow: "memory", name: "lint_mem", region: REGION, key: { mode: "existing", arn: arnOf("alias/agents/legacy") } });
    expect(disabled.lint.map((l) => l.message).join(" ")).toMatch(/disabled/);
    expect(() => setupRequestSchema.parse({ flow: "memory", name: "x", region: REGION, key: { mode: "existing", arn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/abc` } })).toThrow(
      /region/,
    );
  });
});
