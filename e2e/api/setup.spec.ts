// The setup API for the flows the browser tests do not drive: agent, recommendation, token vault
// and gateway, applied through the API; a half-applied plan re-run; viewers refused.
import { BedrockClient, GetGuardrailCommand } from "@aws-sdk/client-bedrock";
import { GetAgentCommand, BedrockAgentClient } from "@aws-sdk/client-bedrock-agent";
import { BedrockAgentCoreClient, GetRecommendationCommand } from "@aws-sdk/client-bedrock-agentcore";
import { BedrockAgentCoreControlClient, GetGatewayCommand, GetTokenVaultCommand, ListMemoriesCommand, SetTokenVaultCMKCommand } from "@aws-sdk/client-bedrock-agentcore-control";
import { expect, type APIRequestContext, test } from "@playwright/test";

import { sdkConfig, setFaults } from "../sandbox";
import { storageState } from "../support";

interface Run {
  id: string;
  status: string;
  steps: { id: string; status: string; outputs?: Record<string, string> }[];
  resourceArn?: string;
}

async function planAndApply(request: APIRequestContext, origin: string, body: Record<string, unknown>, onFailure: "rollback" | "stop" = "rollback"): Promise<Run> {
  const plan = await request.post("/api/setup/plan", { headers: { origin }, data: { request: body } });
  expect(plan.status()).toBe(200);
  const p = (await plan.json()) as { id: string; blocked: boolean; lint: unknown[] };
  expect(p.blocked, JSON.stringify(p.lint)).toBe(false);
  const applied = await request.post("/api/setup/apply", { headers: { origin }, data: { request: body, planId: p.id, onFailure } });
  expect(applied.status()).toBe(200);
  const { run } = (await applied.json()) as { run: Run };
  for (;;) {
    const r = (await (await request.get(`/api/setup/runs/${run.id}`)).json()) as { run: Run };
    if (!["running", "rolling-back"].includes(r.run.status)) return r.run;
    await new Promise((res) => setTimeout(res, 300));
  }
}

const role = (n: string) => `arn:aws:iam::111122223333:role/${n}`;

test.describe("as an operator", () => {
  test.use({ storageState: storageState("operator") });
  test.afterEach(async () => setFaults([]));

  test("agent: a new agent encrypted with a new key whose policy names it", async ({ request, baseURL }) => {
    const run = await planAndApply(request, baseURL!, { flow: "agent", name: "api-agent", region: "us-east-1", role: role("BedrockAgentRole"), key: { mode: "new" } });
    expect(run.status).toBe("done");
    const agentId = run.steps.find((s) => s.id === "agent")!.outputs!.agentId;
    const agent = await new BedrockAgentClient(sdkConfig()).send(new GetAgentCommand({ agentId }));
    expect(agent.agent!.customerEncryptionKeyArn).toBe(run.steps[0].outputs!.keyArn);
  });

  test("recommendation: StartRecommendation with the key", async ({ request, baseURL }) => {
    const run = await planAndApply(request, baseURL!, { flow: "recommendation", name: "api-rec", region: "us-east-1", role: role("RecommendationRole"), key: { mode: "new" } });
    expect(run.status).toBe("done");
    const rec = await new BedrockAgentCoreClient(sdkConfig()).send(new GetRecommendationCommand({ recommendationId: run.steps.at(-1)!.outputs!.recommendationId }));
    expect(rec.kmsKeyArn).toBe(run.steps[0].outputs!.keyArn);
  });

  test("a kind created from its descriptor's recipe: a guardrail with the key, then rolled back", async ({ request, baseURL }) => {
    const run = await planAndApply(request, baseURL!, { flow: "bedrock-guardrail", name: "api-guardrail", region: "us-east-1", key: { mode: "new" } });
    expect(run.status).toBe("done");
    const bedrock = new BedrockClient(sdkConfig());
    const guardrailId = run.steps.find((s) => s.id === "resource")!.outputs!.id;
    expect((await bedrock.send(new GetGuardrailCommand({ guardrailIdentifier: guardrailId }))).kmsKeyArn).toBe(run.steps[0].outputs!.keyArn);
    const undone = await request.post(`/api/setup/runs/${run.id}/rollback`, { headers: { origin: baseURL! } });
    expect(undone.status()).toBe(200);
    await expect(bedrock.send(new GetGuardrailCommand({ guardrailIdentifier: guardrailId }))).rejects.toMatchObject({ name: "ResourceNotFoundException" });
  });

  test("gateway: CreateGateway with the key", async ({ request, baseURL }) => {
    const run = await planAndApply(request, baseURL!, { flow: "gateway", name: "api-gw", region: "us-east-1", role: role("AgentCoreGatewayRole"), key: { mode: "new" } });
    expect(run.status).toBe("done");
    const gw = await new BedrockAgentCoreControlClient(sdkConfig()).send(new GetGatewayCommand({ gatewayIdentifier: run.steps.at(-1)!.outputs!.gatewayId }));
    expect(gw.kmsKeyArn).toBe(run.steps[0].outputs!.keyArn);
  });

  test("token vault: SetTokenVaultCMK (restored afterwards)", async ({ request, baseURL }) => {
    const control = new BedrockAgentCoreControlClient(sdkConfig());
    const before = (await control.send(new GetTokenVaultCommand({ tokenVaultId: "default" }))).kmsConfiguration!;
    const run = await planAndApply(request, baseURL!, { flow: "token-vault", name: "default", region: "us-east-1", key: { mode: "new" } });
    expect(run.status).toBe("done");
    const after = (await control.send(new GetTokenVaultCommand({ tokenVaultId: "default" }))).kmsConfiguration!;
    expect(after).toMatchObject({ keyType: "CustomerManagedKey", kmsKeyArn: run.steps[0].outputs!.keyArn });
    await control.send(new SetTokenVaultCMKCommand({ tokenVaultId: "default", kmsConfiguration: before }));
  });

  test("a half-applied plan re-run finishes it without duplicates", async ({ request, baseURL }) => {
    const body = { flow: "memory", name: "api_resume", region: "us-east-1", key: { mode: "new", alias: "alias/api/resume" } };
    await setFaults([{ service: "bedrock-agentcore", operation: "CreateMemory", accessDenied: true }]);
    const first = await planAndApply(request, baseURL!, body, "stop");
    expect(first.status).toBe("failed");
    expect(first.steps.map((s) => s.status)).toEqual(["done", "done", "done", "failed"]);
    await setFaults([]);
    const second = await planAndApply(request, baseURL!, body);
    expect(second.status).toBe("done");
    expect(second.id).toBe(first.id);
    expect(second.steps[0].outputs!.keyArn).toBe(first.steps[0].outputs!.keyArn);
    const memories = (await new BedrockAgentCoreControlClient(sdkConfig()).send(new ListMemoriesCommand({}))).memories!;
    expect(memories.filter((m) => m.id!.startsWith("api_resume-")).length).toBe(1);
  });

  test("bad requests are refused with the field and change nothing", async ({ request, baseURL }) => {
    const r = await request.post("/api/setup/plan", {
      headers: { origin: baseURL! },
      data: { request: { flow: "gateway", name: "x y", region: "us-east-1", key: { mode: "new" } } },
    });
    expect(r.status()).toBe(422);
    const body = (await r.json()) as { issues: { path: string; message: string }[] };
    expect(body.issues.map((i) => i.path)).toEqual(expect.arrayContaining(["request.name", "request.role"]));
    const stale = await request.post("/api/setup/apply", {
      headers: { origin: baseURL! },
      data: { request: { flow: "memory", name: "stale_plan", region: "us-east-1", key: { mode: "new" } }, planId: "0".repeat(64) },
    });
    expect(stale.status()).toBe(409);
  });
});

test.describe("as a viewer", () => {
  test.use({ storageState: storageState("viewer") });
  test("plans are readable; applying is refused with 403", async ({ request, baseURL }) => {
    const body = { flow: "memory", name: "viewer_mem", region: "us-east-1", key: { mode: "new" } };
    const plan = await request.post("/api/setup/plan", { headers: { origin: baseURL! }, data: { request: body } });
    expect(plan.status()).toBe(200);
    const { id } = (await plan.json()) as { id: string };
    const r = await request.post("/api/setup/apply", { headers: { origin: baseURL! }, data: { request: body, planId: id } });
    expect(r.status()).toBe(403);
    const rb = await request.post(`/api/setup/runs/${"a".repeat(12)}-1/rollback`, { headers: { origin: baseURL! } });
    expect(rb.status()).toBe(403);
  });
});
