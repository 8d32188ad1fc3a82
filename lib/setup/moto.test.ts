// The memory + new key flow applied against moto server (an independent AWS emulator), through the
// same engine as the console and the CLI: the memory's encryptionKeyArn is the new key and the key
// policy matches the template.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { BedrockAgentCoreControlClient, GetMemoryCommand } from "@aws-sdk/client-bedrock-agentcore-control";
import { GetKeyPolicyCommand, GetKeyRotationStatusCommand, KMSClient, ListAliasesCommand } from "@aws-sdk/client-kms";
import { describe, expect, it } from "vitest";

import { motoAvailable } from "../../sandbox/testing/index";
import { withMoto } from "../../sandbox/testing/vitest";
import { KeywardConfig } from "../config/schema";
import { diffPolicy } from "../policy/diff";

import { buildPlan } from "./plan";
import { flowTemplates } from "./policy";
import { startRun } from "./run";
import { setupRequestSchema } from "./types.shared";

const HAVE_MOTO = motoAvailable();
if (!HAVE_MOTO) console.warn("moto_server is not installed: the setup flow against moto is skipped.");
const ACCOUNT = "123456789012";

describe.runIf(HAVE_MOTO)("setup against moto server", () => {
  const moto = withMoto();

  it("memory with a new key: the memory uses the key, whose policy matches the template", async () => {
    const cfg = KeywardConfig.parse({ mode: "aws", accounts: [{ id: ACCOUNT, regions: ["us-east-1"] }], dataDir: mkdtempSync(join(tmpdir(), "kw-moto-setup-")) });
    const plan = await buildPlan(cfg, setupRequestSchema.parse({ flow: "memory", name: "moto_memory", region: "us-east-1", key: { mode: "new", alias: "alias/moto/memory" } }));
    expect(plan.blocked, JSON.stringify(plan.lint)).toBe(false);
    const run = await startRun(cfg, plan, { actor: "tester", onFailure: "rollback" }).done;
    expect(run.status, run.error).toBe("done");
    const keyArn = run.steps[0].outputs!.keyArn;
    const sdk = { region: "us-east-1", endpoint: moto().url, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
    const memory = (await new BedrockAgentCoreControlClient(sdk).send(new GetMemoryCommand({ memoryId: run.steps[3].outputs!.memoryId }))).memory!;
    expect(memory.encryptionKeyArn).toBe(keyArn);
    const kms = new KMSClient(sdk);
    const policy = (await kms.send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: "default" }))).Policy!;
    const diff = await diffPolicy(policy, flowTemplates({ flow: "memory", account: ACCOUNT, region: "us-east-1" }), { kind: "key-policy", self: keyArn, account: ACCOUNT });
    expect(diff.conforms).toBe(true);
    expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyArn }))).KeyRotationEnabled).toBe(true);
    expect((await kms.send(new ListAliasesCommand({ KeyId: keyArn }))).Aliases!.map((a) => a.AliasName)).toContain("alias/moto/memory");
  });
});
