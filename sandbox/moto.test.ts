// Differential stage: the same calls against moto server (an independent emulator) and the sandbox,
// comparing the shape of every response both implement. Where moto is laxer than AWS, AWS's
// documented behaviour wins; those differences are listed in docs/sandbox.md and asserted here.
import { BedrockAgentClient, CreateAgentCommand, ListAgentsCommand } from "@aws-sdk/client-bedrock-agent";
import {
  BedrockAgentCoreControlClient,
  CreateGatewayCommand,
  CreateMemoryCommand,
  GetGatewayCommand,
  GetMemoryCommand,
  ListGatewaysCommand,
  ListMemoriesCommand,
} from "@aws-sdk/client-bedrock-agentcore-control";
import { CreateRoleCommand, GetRoleCommand, IAMClient, ListRolesCommand, PutRolePolicyCommand, GetRolePolicyCommand } from "@aws-sdk/client-iam";
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeysCommand,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
} from "@aws-sdk/client-kms";
import { CreateSecretCommand, DescribeSecretCommand, ListSecretsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { clientConfig, motoAvailable, startMoto, testSandbox, type Moto } from "./testing/index";

import type { RunningSandbox } from "./index";

const HAVE_MOTO = motoAvailable();
if (!HAVE_MOTO) {
  console.warn("moto_server is not installed: the differential stage against moto is skipped (pip install 'moto[server]' to run it).");
}

/** Member paths of a response, lists collapsed to [] (`KeyMetadata.KeyId`, `Keys[].KeyArn`). */
function shape(v: unknown, prefix = ""): Set<string> {
  const out = new Set<string>();
  if (Array.isArray(v)) {
    for (const x of v) for (const p of shape(x, `${prefix}[]`)) out.add(p);
  } else if (v && typeof v === "object" && !(v instanceof Date) && !(v instanceof Uint8Array)) {
    for (const [k, x] of Object.entries(v)) {
      if (k === "$metadata" || x === undefined) continue;
      const p = prefix ? `${prefix}.${k}` : k;
      out.add(p);
      for (const q of shape(x, p)) out.add(q);
    }
  }
  return out;
}

/** Members moto returns that AWS (and so the sandbox) does not, or returns only in other cases. */
const MOTO_EXTRAS = new Set([
  "KeyMetadata.CustomerMasterKeySpec",
  "KeyMetadata.SigningAlgorithms",
  "KeyMetadata.MacAlgorithms",
  "KeyMetadata.KeyAgreementAlgorithms",
  "Truncated",
  "SecretList[].SecretVersionsToStages",
  "VersionIdsToStages",
  "RotationRules",
  "SecretList[].RotationRules",
  "SecretList[].LastAccessedDate",
  "SecretList[].LastRotatedDate",
  "SecretList[].RotationEnabled",
  "SecretList[].CreatedDate",
  "agent.promptOverrideConfiguration",
  "agent.guardrailConfiguration",
  "agent.memoryConfiguration",
  "agent.agentCollaboration",
  "agent.failureReasons",
  "agent.recommendedActions",
  "memory.failureReason",
  "memory.indexedKeys",
  "memory.namespaceKeys",
  "Role.RoleLastUsed",
  "Role.Tags",
  "Roles[].RoleLastUsed",
  "Roles[].Tags",
  "Roles[].MaxSessionDuration",
  "Role.MaxSessionDuration",
  "agentSummaries[].latestAgentVersion",
  "agentSummaries[].guardrailConfiguration",
  "protocolConfiguration",
  "authorizerConfiguration",
  "statusReasons",
  "workloadIdentityDetails",
  "interceptorConfigurations",
  "exceptionLevel",
  "Aliases[].LastUpdatedDate",
  "KeyMetadata.XksKeyConfiguration",
  "NextMarker",
  "KeyRotationEnabled",
  "RotationPeriodInDays",
  "NextRotationDate",
  "KeyId",
  "OnDemandRotationStartDate",
  "description",
]);

/** moto responses the SDK cannot deserialize (timestamps as numbers where the model says date-time). */
const KNOWN_MOTO_DEVIATIONS = ["BedrockAgentClient:CreateAgent", "BedrockAgentClient:ListAgents"];

function missingFromSandbox(moto: Set<string>, sandbox: Set<string>): string[] {
  return [...moto].filter((p) => !sandbox.has(p) && ![...MOTO_EXTRAS].some((x) => p === x || p.startsWith(`${x}.`) || p.startsWith(`${x}[`)));
}

describe.runIf(HAVE_MOTO)("differential: moto server vs the sandbox", () => {
  let moto: Moto;
  let sb: RunningSandbox;
  const motoCfg = () => ({ endpoint: moto.url, region: "us-east-1", credentials: { accessKeyId: "testing", secretAccessKey: "testing" }, maxAttempts: 1 });

  beforeAll(async () => {
    [moto, sb] = await Promise.all([startMoto(), testSandbox({ noTraffic: true })]);
  });
  afterAll(async () => {
    await Promise.all([moto?.stop(), sb?.close()]);
  });

  /** Calls moto answered in a form the SDK cannot read (documented in docs/sandbox.md). */
  const deviations: string[] = [];
  async function both<T extends object>(label: string, call: (cfg: ReturnType<typeof motoCfg>) => Promise<T>): Promise<{ moto: T; sandbox: T }> {
    const sandbox = await call(clientConfig(sb) as ReturnType<typeof motoCfg>);
    try {
      return { moto: await call(motoCfg()), sandbox };
    } catch (e) {
      if (!/Deserialization error|RFC-3339/.test((e as Error).message)) throw e;
      deviations.push(label);
      return { moto: {} as T, sandbox };
    }
  }

  it("KMS responses have the same shape", async () => {
    const created = await both("KMSClient:CreateKey", (c) => new KMSClient(c).send(new CreateKeyCommand({ Description: "diff" })));
    expect(missingFromSandbox(shape(created.moto), shape(created.sandbox))).toEqual([]);
    const ids = { moto: created.moto.KeyMetadata!.KeyId!, sandbox: created.sandbox.KeyMetadata!.KeyId! };
    const motoKms = new KMSClient(motoCfg());
    const sbKms = new KMSClient(clientConfig(sb));
    const calls: [string, (k: KMSClient, id: string) => Promise<object>][] = [
      ["DescribeKey", (k, id) => k.send(new DescribeKeyCommand({ KeyId: id }))],
      ["ListKeys", (k) => k.send(new ListKeysCommand({}))],
      ["GetKeyPolicy", (k, id) => k.send(new GetKeyPolicyCommand({ KeyId: id, PolicyName: "default" }))],
      ["GetKeyRotationStatus", (k, id) => k.send(new GetKeyRotationStatusCommand({ KeyId: id }))],
      ["CreateAlias", (k, id) => k.send(new CreateAliasCommand({ AliasName: "alias/diff", TargetKeyId: id }))],
      ["ListAliases", (k, id) => k.send(new ListAliasesCommand({ KeyId: id }))],
    ];
    for (const [name, call] of calls) {
      const m = await call(motoKms, ids.moto);
      const s = await call(sbKms, ids.sandbox);
      expect(missingFromSandbox(shape(m), shape(s)), name).toEqual([]);
    }
    // Both bind the encryption context to the ciphertext.
    for (const [k, id] of [
      [motoKms, ids.moto],
      [sbKms, ids.sandbox],
    ] as const) {
      const enc = await k.send(new EncryptCommand({ KeyId: id, Plaintext: Buffer.from("x"), EncryptionContext: { a: "1" } }));
      await expect(k.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { a: "2" } }))).rejects.toMatchObject({ name: "InvalidCiphertextException" });
    }
    // Default key policies agree on the root statement.
    const pm = JSON.parse((await motoKms.send(new GetKeyPolicyCommand({ KeyId: ids.moto, PolicyName: "default" }))).Policy!);
    const ps = JSON.parse((await sbKms.send(new GetKeyPolicyCommand({ KeyId: ids.sandbox }))).Policy!);
    expect(ps.Statement[0].Action).toBe(pm.Statement[0].Action);
  });

  it("documented AWS behaviour where moto is laxer (docs/sandbox.md)", async () => {
    const sbKms = new KMSClient(clientConfig(sb));
    const { KeyMetadata } = await sbKms.send(new CreateKeyCommand({}));
    // AWS: PendingWindowInDays must be 7-30.
    await expect(sbKms.send(new ScheduleKeyDeletionCommand({ KeyId: KeyMetadata!.KeyId, PendingWindowInDays: 3 }))).rejects.toMatchObject({ name: "ValidationException" });
    // AWS: a policy that is not JSON is MalformedPolicyDocumentException.
    await expect(sbKms.send(new PutKeyPolicyCommand({ KeyId: KeyMetadata!.KeyId, Policy: "{" }))).rejects.toMatchObject({ name: "MalformedPolicyDocumentException" });
  });

  it("Secrets Manager, STS and IAM responses have the same shape", async () => {
    const sec = await both("SecretsManagerClient:CreateSecret", (c) => new SecretsManagerClient(c).send(new CreateSecretCommand({ Name: "diff/secret", SecretString: "{}" })));
    expect(missingFromSandbox(shape(sec.moto), shape(sec.sandbox))).toEqual([]);
    const desc = await both("SecretsManagerClient:DescribeSecret", (c) => new SecretsManagerClient(c).send(new DescribeSecretCommand({ SecretId: "diff/secret" })));
    expect(missingFromSandbox(shape(desc.moto), shape(desc.sandbox))).toEqual([]);
    const list = await both("SecretsManagerClient:ListSecrets", (c) => new SecretsManagerClient(c).send(new ListSecretsCommand({})));
    expect(missingFromSandbox(shape(list.moto), shape(list.sandbox))).toEqual([]);
    const me = await both("STSClient:GetCallerIdentity", (c) => new STSClient(c).send(new GetCallerIdentityCommand({})));
    expect(missingFromSandbox(shape(me.moto), shape(me.sandbox))).toEqual([]);
    // The sandbox's roles come from the scenario; create the same one in moto.
    const motoIam = new IAMClient(motoCfg());
    const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "bedrock.amazonaws.com" }, Action: "sts:AssumeRole" }] });
    await motoIam.send(new CreateRoleCommand({ RoleName: "WildcardAgentRole", AssumeRolePolicyDocument: trust }));
    await motoIam.send(
      new PutRolePolicyCommand({
        RoleName: "WildcardAgentRole",
        PolicyName: "DoEverything",
        PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }),
      }),
    );
    const sbIam = new IAMClient(clientConfig(sb));
    const rm = await motoIam.send(new GetRoleCommand({ RoleName: "WildcardAgentRole" }));
    const rs = await sbIam.send(new GetRoleCommand({ RoleName: "WildcardAgentRole" }));
    expect(missingFromSandbox(shape(rm), shape(rs))).toEqual([]);
    // Both return URL-encoded policy documents.
    const pm = await motoIam.send(new GetRolePolicyCommand({ RoleName: "WildcardAgentRole", PolicyName: "DoEverything" }));
    const ps = await sbIam.send(new GetRolePolicyCommand({ RoleName: "WildcardAgentRole", PolicyName: "DoEverything" }));
    expect(JSON.parse(decodeURIComponent(ps.PolicyDocument!))).toEqual(JSON.parse(decodeURIComponent(pm.PolicyDocument!)));
    const lm = await motoIam.send(new ListRolesCommand({}));
    const ls = await sbIam.send(new ListRolesCommand({}));
    expect(missingFromSandbox(shape(lm), shape(ls))).toEqual([]);
  });

  it("Bedrock Agent and AgentCore control responses have the same shape", async () => {
    const role = "arn:aws:iam::111122223333:role/BedrockAgentRole";
    const agent = await both("BedrockAgentClient:CreateAgent", (c) =>
      new BedrockAgentClient(c).send(new CreateAgentCommand({ agentName: "diff-agent", foundationModel: "anthropic.claude-3", agentResourceRoleArn: role })),
    );
    expect(missingFromSandbox(shape(agent.moto), shape(agent.sandbox))).toEqual([]);
    expect(agent.sandbox.agent!.agentName).toBe("diff-agent");
    const listed = await both("BedrockAgentClient:ListAgents", (c) => new BedrockAgentClient(c).send(new ListAgentsCommand({})));
    expect(missingFromSandbox(shape(listed.moto), shape(listed.sandbox))).toEqual([]);

    const mem = await both("BedrockAgentCoreControlClient:CreateMemory", (c) =>
      new BedrockAgentCoreControlClient(c).send(new CreateMemoryCommand({ name: "diff_memory", eventExpiryDuration: 30 })),
    );
    expect(missingFromSandbox(shape(mem.moto), shape(mem.sandbox))).toEqual([]);
    const gm = {
      moto: await new BedrockAgentCoreControlClient(motoCfg()).send(new GetMemoryCommand({ memoryId: mem.moto.memory!.id })),
      sandbox: await new BedrockAgentCoreControlClient(clientConfig(sb)).send(new GetMemoryCommand({ memoryId: mem.sandbox.memory!.id })),
    };
    expect(missingFromSandbox(shape(gm.moto), shape(gm.sandbox))).toEqual([]);
    const lm = await both("BedrockAgentCoreControlClient:ListMemories", (c) => new BedrockAgentCoreControlClient(c).send(new ListMemoriesCommand({})));
    expect(missingFromSandbox(shape(lm.moto), shape(lm.sandbox))).toEqual([]);
    const gw = await both("BedrockAgentCoreControlClient:CreateGateway", (c) =>
      new BedrockAgentCoreControlClient(c).send(
        new CreateGatewayCommand({ name: "diff-gw", roleArn: "arn:aws:iam::111122223333:role/AgentCoreGatewayRole", authorizerType: "AWS_IAM", protocolType: "MCP" }),
      ),
    );
    expect(missingFromSandbox(shape(gw.moto), shape(gw.sandbox))).toEqual([]);
    expect((await new BedrockAgentCoreControlClient(clientConfig(sb)).send(new GetGatewayCommand({ gatewayIdentifier: gw.sandbox.gatewayId }))).name).toBe("diff-gw");
    const lg = await both("BedrockAgentCoreControlClient:ListGateways", (c) => new BedrockAgentCoreControlClient(c).send(new ListGatewaysCommand({})));
    expect(missingFromSandbox(shape(lg.moto), shape(lg.sandbox))).toEqual([]);
    // moto writes epoch numbers where the Bedrock Agent model says date-time.
    expect(deviations).toEqual(KNOWN_MOTO_DEVIATIONS);
  });
});
