// The scan against moto server (an independent AWS emulator), seeded through the SDK with keys,
// agents, memories, gateways, secrets and roles: resources and findings come out right, and
// operations moto does not implement are reported as scan errors while the rest goes on.
import { BedrockAgentClient, CreateAgentCommand } from "@aws-sdk/client-bedrock-agent";
import { BedrockAgentCoreControlClient, CreateGatewayCommand, CreateMemoryCommand } from "@aws-sdk/client-bedrock-agentcore-control";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { CreateKeyCommand, DisableKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { motoAvailable, pointSdkAtMoto, startMoto, type Moto } from "../../sandbox/testing/index";
import { KINDS } from "../inventory/kinds";
import type { ScanResult } from "../inventory/types.shared";

import { runScan } from "./scan";

const HAVE_MOTO = motoAvailable();
if (!HAVE_MOTO) console.warn("moto_server is not installed: the scan against moto is skipped.");
const ACCOUNT = "123456789012";

describe.runIf(HAVE_MOTO)("scan against moto server", () => {
  let moto: Moto;
  let restore: () => void = () => undefined;
  let result: ScanResult;
  const names: Record<string, string> = {};

  beforeAll(async () => {
    moto = await startMoto();
    restore = pointSdkAtMoto(moto);
    const cfg = { region: "us-east-1", endpoint: moto.url, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
    const kms = new KMSClient(cfg);
    const root = { Sid: "root", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" };
    const open = await kms.send(
      new CreateKeyCommand({
        Description: "open",
        Policy: JSON.stringify({ Version: "2012-10-17", Statement: [root, { Sid: "anyone", Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" }] }),
      }),
    );
    const disabled = await kms.send(new CreateKeyCommand({ Description: "disabled" }));
    await kms.send(new DisableKeyCommand({ KeyId: disabled.KeyMetadata!.KeyId }));
    const iam = new IAMClient(cfg);
    const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "bedrock.amazonaws.com" }, Action: "sts:AssumeRole" }] });
    const role = await iam.send(new CreateRoleCommand({ RoleName: "WildAgentRole", AssumeRolePolicyDocument: trust }));
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: "WildAgentRole",
        PolicyName: "all",
        PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }),
      }),
    );
    // moto answers Bedrock Agents with epoch timestamps the SDK cannot read (docs/sandbox.md): the
    // agent is created, and the scan's Bedrock reads become source errors.
    await new BedrockAgentClient(cfg).send(new CreateAgentCommand({ agentName: "open-agent", foundationModel: "m", agentResourceRoleArn: role.Role!.Arn })).catch(() => undefined);
    const ac = new BedrockAgentCoreControlClient(cfg);
    const m = await ac.send(new CreateMemoryCommand({ name: "disabled_memory", eventExpiryDuration: 30, encryptionKeyArn: disabled.KeyMetadata!.Arn }));
    names.memory = m.memory!.arn!;
    const g = await ac.send(
      new CreateGatewayCommand({ name: "open-gw", roleArn: role.Role!.Arn, authorizerType: "AWS_IAM", protocolType: "MCP", kmsKeyArn: open.KeyMetadata!.Arn }),
    );
    names.open = g.gatewayArn!;
    const plain = await ac.send(new CreateGatewayCommand({ name: "plain-gw", roleArn: role.Role!.Arn, authorizerType: "AWS_IAM", protocolType: "MCP" }));
    names.gateway = plain.gatewayArn!;
    result = await runScan({ targets: [{ account: ACCOUNT, region: "us-east-1" }] });
  });
  afterAll(async () => {
    restore();
    await moto?.stop();
  });

  it("lists the memories and gateways moto holds", () => {
    const arns = result.resources.map((r) => r.arn);
    for (const arn of Object.values(names)) expect(arns).toContain(arn);
  });

  it("finds the open key, the disabled key, the wildcard role and the AWS-owned gateway", () => {
    const has = (rule: string, arn: string) => result.findings.some((f) => f.ruleId === rule && f.resourceArn === arn);
    expect(has("KW-POL-03", names.open)).toBe(true);
    expect(has("KW-KEY-01", names.memory)).toBe(true);
    expect(has("KW-IAM-01", names.open)).toBe(true);
    expect(has("KW-ENC-01", names.gateway)).toBe(true);
  });

  it("reports what moto cannot answer as errors and goes on", () => {
    expect(result.errors.some((e) => e.service === "Bedrock Agents")).toBe(true);
    for (const e of result.errors) expect(e).toMatchObject({ region: "us-east-1", service: expect.any(String), operation: expect.any(String), code: expect.any(String) });
    expect(result.resources.length).toBeGreaterThanOrEqual(3);
  });

  it("names the failed listing of every kind moto does not implement, never an empty clean inventory", () => {
    // moto (5.2) serves none of these: a scan that read nothing must say so for each.
    const failed = new Set(result.errors.map((e) => e.operation));
    for (const k of KINDS.filter((x) => !x.parent && !result.resources.some((r) => r.kind === x.id))) {
      if (["bedrock-agent", "knowledge-base", "agentcore-memory", "agentcore-gateway"].includes(k.id)) continue; // moto lists these (empty is an answer)
      expect(
        k.reads.some((o) => failed.has(o.name)),
        `${k.id}: ${k.reads.map((o) => o.name).join(", ")}`,
      ).toBe(true);
    }
  });
});
