// `keyward setup` against the sandbox: the plan, an export, --apply (exit 0), a failure rolled back
// (exit 1), and usage errors (exit 2).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { GetMemoryCommand, ListMemoriesCommand } from "@aws-sdk/client-bedrock-agentcore-control";
import { DescribeKeyCommand } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";

import type { RunningSandbox } from "../sandbox/index";
import { testSandbox } from "../sandbox/testing/index";
import { clientsFor } from "../lib/server/aws/clients";

import { run } from "./main";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) } };
}

let sb: RunningSandbox;
let saved: NodeJS.ProcessEnv;
beforeAll(async () => {
  sb = await testSandbox({ noTraffic: true });
  saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: sb.url,
    AWS_ACCESS_KEY_ID: sb.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sb.secretAccessKey,
    KEYWARD_ACCOUNTS: "111122223333",
    KEYWARD_REGIONS: "us-east-1",
    KEYWARD_AWS_MAX_ATTEMPTS: "1",
    KEYWARD_DATA_DIR: mkdtempSync(join(tmpdir(), "kw-cli-setup-")),
  });
});
afterAll(async () => {
  process.env = saved;
  await sb.close();
});

describe("keyward setup", () => {
  it("prints the plan, and the CloudFormation export", async () => {
    const c = capture();
    expect(await run(["setup", "memory", "--name", "cli_plan", "--region", "us-east-1", "--alias", "alias/cli/plan"], c.io)).toBe(0);
    const text = c.out.join("\n");
    expect(text).toMatch(/1\. Create the symmetric encryption key\n\s+kms CreateKey \(needs kms:CreateKey\); undo: ScheduleKeyDeletion/);
    expect(text).toMatch(/bedrock-agentcore-control CreateMemory/);
    const y = capture();
    expect(await run(["setup", "memory", "--name", "cli_plan", "--region", "us-east-1", "--format", "cloudformation"], y.io)).toBe(0);
    const doc = parseYaml(y.out.join("\n")) as { Resources: Record<string, { Type: string }> };
    expect(Object.values(doc.Resources).map((r) => r.Type)).toEqual(["AWS::KMS::Key", "AWS::BedrockAgentCore::Memory"]);
  });

  it("--apply creates the resources and exits 0", async () => {
    const c = capture();
    expect(await run(["setup", "gateway", "--name", "cli-gw", "--region", "us-east-1", "--role", "arn:aws:iam::111122223333:role/AgentCoreGatewayRole", "--apply"], c.io)).toBe(0);
    expect(c.out.join("\n")).toMatch(/ok {3}Create the gateway cli-gw/);
    expect(c.out.join("\n")).toMatch(/Done \(run [0-9a-f]{12}-1\)\. arn:aws:bedrock-agentcore:us-east-1:111122223333:gateway\/cli-gw-/);
  });

  it("--apply rolls back a failed plan and exits 1, leaving only the key scheduled for deletion", async () => {
    await fetch(`${sb.url}/_sandbox/faults`, { method: "PUT", body: JSON.stringify([{ service: "bedrock-agentcore", operation: "CreateMemory", accessDenied: true }]) });
    try {
      const c = capture();
      expect(await run(["setup", "memory", "--name", "cli_denied", "--region", "us-east-1", "--apply"], c.io)).toBe(1);
      const err = c.err.join("\n");
      expect(err).toMatch(/AccessDenied/);
      expect(err).toMatch(/Rolled back/);
      const keyArn = /The key (\S+) is disabled and scheduled for deletion in 30 days/.exec(err)![1];
      const c2 = clientsFor({ account: "111122223333", region: "us-east-1" });
      expect((await c2.kms.send(new DescribeKeyCommand({ KeyId: keyArn }))).KeyMetadata!.KeyState).toBe("PendingDeletion");
      const memories = (await c2.agentCoreControl.send(new ListMemoriesCommand({}))).memories!;
      expect(memories.some((m) => m.id!.startsWith("cli_denied"))).toBe(false);
    } finally {
      await fetch(`${sb.url}/_sandbox/faults`, { method: "DELETE" });
    }
  });

  it("--keep-on-failure stops; the same command again continues without duplicates", async () => {
    await fetch(`${sb.url}/_sandbox/faults`, { method: "PUT", body: JSON.stringify([{ service: "bedrock-agentcore", operation: "CreateMemory", accessDenied: true }]) });
    const args = ["setup", "memory", "--name", "cli_resume", "--region", "us-east-1", "--alias", "alias/cli/resume", "--apply", "--keep-on-failure"];
    const first = capture();
    expect(await run(args, first.io)).toBe(1);
    expect(first.err.join("\n")).toMatch(/run the same command again to continue/);
    await fetch(`${sb.url}/_sandbox/faults`, { method: "DELETE" });
    const second = capture();
    expect(await run(args, second.io)).toBe(0);
    expect(second.out.join("\n")).toMatch(/Continuing run/);
    expect(second.out.join("\n")).not.toMatch(/Create the symmetric encryption key/.source + " arn");
    const c2 = clientsFor({ account: "111122223333", region: "us-east-1" });
    const memories = (await c2.agentCoreControl.send(new ListMemoriesCommand({}))).memories!.filter((m) => m.id!.startsWith("cli_resume"));
    expect(memories.length).toBe(1);
    const mem = (await c2.agentCoreControl.send(new GetMemoryCommand({ memoryId: memories[0].id! }))).memory!;
    expect(first.out.join("\n")).toContain(mem.encryptionKeyArn!);
  });

  it("bad input is a usage error (exit 2) and changes nothing", async () => {
    const cases = [
      ["setup", "vault", "--name", "x", "--region", "us-east-1"],
      ["setup", "memory", "--region", "us-east-1"],
      ["setup", "memory", "--name", "9bad", "--region", "us-east-1"],
      ["setup", "gateway", "--name", "gw", "--region", "us-east-1"],
      ["setup", "memory", "--name", "m", "--region", "us-east-1", "--format", "pdf"],
      ["setup", "credential-provider", "--name", "cp", "--region", "us-east-1", "--secret", "arn:aws:secretsmanager:us-east-1:111122223333:secret:x"],
    ];
    for (const args of cases) {
      const c = capture();
      expect(await run(args, c.io), args.join(" ")).toBe(2);
      expect(c.err.join("\n").length).toBeGreaterThan(10);
    }
  });
});
