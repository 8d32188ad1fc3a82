// The documented behaviours of the agent services (shared/seeds 000-004 and the AgentCore docs),
// each through the real SDK clients.
import { BedrockAgentClient, CreateAgentCommand, UpdateAgentCommand } from "@aws-sdk/client-bedrock-agent";
import {
  BedrockAgentCoreClient,
  DeleteRecommendationCommand,
  GetRecommendationCommand,
  ListRecommendationsCommand,
  StartRecommendationCommand,
} from "@aws-sdk/client-bedrock-agentcore";
import {
  BedrockAgentCoreControlClient,
  CreateGatewayCommand,
  CreateMemoryCommand,
  CreateOauth2CredentialProviderCommand,
  ListMemoriesCommand,
  SetTokenVaultCMKCommand,
} from "@aws-sdk/client-bedrock-agentcore-control";
import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { CreateKeyCommand, DisableKeyCommand, EnableKeyCommand, KMSClient, PutKeyPolicyCommand, ScheduleKeyDeletionCommand } from "@aws-sdk/client-kms";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { clientConfig, testSandbox } from "./testing/index";

import type { RunningSandbox } from "./index";

let sb: RunningSandbox;
let kms: KMSClient;
const ACCOUNT = "111122223333";
const root = { Sid: "root", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" };
const policy = (...st: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: [root, ...st] });
const recConfig = { systemPromptRecommendationConfig: { systemPrompt: { text: "p" }, agentTraces: { sessionSpans: [] } } };

beforeAll(async () => {
  sb = await testSandbox({ noTraffic: true });
  kms = new KMSClient(clientConfig(sb));
});
afterAll(async () => {
  expect(sb.server.violations).toEqual([]);
  await sb.close();
});

async function newKey(p?: string, spec?: "RSA_2048", region = "us-east-1") {
  const c = new KMSClient(clientConfig(sb, region));
  const k = await c.send(new CreateKeyCommand({ Policy: p, ...(spec ? { KeySpec: spec, KeyUsage: "ENCRYPT_DECRYPT" } : {}) }));
  return k.KeyMetadata!.Arn!;
}

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message };
  }
  throw new Error("expected failure");
}

describe("recommendations with a customer managed key (seed 001)", () => {
  const dp = () => new BedrockAgentCoreClient(clientConfig(sb));
  const start = (kmsKeyArn: string, name = `rec-${Math.random().toString(36).slice(2, 8)}`) =>
    dp().send(new StartRecommendationCommand({ name, type: "SYSTEM_PROMPT_RECOMMENDATION", recommendationConfig: recConfig, kmsKeyArn }));

  it("StartRecommendation fails at once with ValidationException for a disabled, pending-deletion, asymmetric or other-region key", async () => {
    const disabled = await newKey();
    await kms.send(new DisableKeyCommand({ KeyId: disabled }));
    const pending = await newKey();
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: pending, PendingWindowInDays: 7 }));
    const rsa = await newKey(undefined, "RSA_2048");
    const eu = await newKey(undefined, undefined, "eu-west-1");
    for (const k of [disabled, pending, rsa, eu]) expect((await failure(start(k))).name).toBe("ValidationException");
  });

  it("StartRecommendation fails when the caller cannot use the key (dry run of the caller's access)", async () => {
    const onlyService = await newKey(JSON.stringify({ Version: "2012-10-17", Statement: [{ ...root, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/KeyAdminRole` } }] }));
    const f = await failure(start(onlyService));
    expect(f.name).toBe("ValidationException");
    expect(f.message).toMatch(/not authorized to use the KMS key/);
  });

  it("GetRecommendation fails once the key is disabled; List and Delete still succeed", async () => {
    const key = await newKey();
    const r = await start(key, "rec-lifecycle");
    expect((await dp().send(new GetRecommendationCommand({ recommendationId: r.recommendationId }))).recommendationId).toBe(r.recommendationId);
    await kms.send(new DisableKeyCommand({ KeyId: key }));
    expect((await failure(dp().send(new GetRecommendationCommand({ recommendationId: r.recommendationId })))).name).toBe("ValidationException");
    const list = await dp().send(new ListRecommendationsCommand({}));
    expect(list.recommendationSummaries!.some((x) => x.recommendationId === r.recommendationId)).toBe(true);
    expect((await dp().send(new DeleteRecommendationCommand({ recommendationId: r.recommendationId }))).status).toBe("DELETING");
  });

  it("GetRecommendation fails once the key is pending deletion", async () => {
    const key = await newKey();
    const r = await start(key, "rec-deleted");
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key, PendingWindowInDays: 7 }));
    expect((await failure(dp().send(new GetRecommendationCommand({ recommendationId: r.recommendationId })))).message).toMatch(/pending deletion/);
  });
});

describe("CMK policies the services require (AWS's pages for agents, AgentCore Memory, gateways and the token vault)", () => {
  const ac = () => new BedrockAgentCoreControlClient(clientConfig(sb));
  const memoryStatement = {
    Effect: "Allow",
    Principal: { Service: "bedrock-agentcore.amazonaws.com" },
    Action: ["kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncrypt*"],
    Resource: "*",
  };

  // Key administrators only: the account's IAM policies cannot grant the key's use.
  const adminOnly = {
    Sid: "AdministerOnly",
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
    Action: ["kms:Describe*", "kms:Get*", "kms:List*", "kms:Put*", "kms:Enable*", "kms:Disable*", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:TagResource"],
    Resource: "*",
  };
  const adminPolicy = (...st: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: [adminOnly, ...st] });

  it("CreateMemory accepts a key the caller may use through AgentCore (AWS's page) or one granting the service principal, and refuses the rest", async () => {
    const closed = await newKey(adminPolicy());
    const f = await failure(ac().send(new CreateMemoryCommand({ name: "mem_closed", eventExpiryDuration: 30, encryptionKeyArn: closed })));
    expect(f.name).toBe("ValidationException");
    expect(f.message).toMatch(/does not let the caller use the key through AgentCore/);
    // The default key policy lets IAM grant the key: the caller's permissions through AgentCore suffice.
    const iam = await newKey();
    expect((await ac().send(new CreateMemoryCommand({ name: "mem_iam", eventExpiryDuration: 30, encryptionKeyArn: iam }))).memory!.encryptionKeyArn).toBe(iam);
    const partial = await newKey(adminPolicy({ ...memoryStatement, Action: ["kms:Decrypt", "kms:GenerateDataKey"] }));
    expect((await failure(ac().send(new CreateMemoryCommand({ name: "mem_partial", eventExpiryDuration: 30, encryptionKeyArn: partial })))).message).toMatch(/kms:CreateGrant/);
    const good = await newKey(adminPolicy(memoryStatement));
    const m = await ac().send(new CreateMemoryCommand({ name: "mem_good", eventExpiryDuration: 30, encryptionKeyArn: good }));
    expect(m.memory!.encryptionKeyArn).toBe(good);
    // scoping the statement to the account is still accepted
    const scoped = await newKey(adminPolicy({ ...memoryStatement, Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } } }));
    expect((await ac().send(new CreateMemoryCommand({ name: "mem_scoped", eventExpiryDuration: 30, encryptionKeyArn: scoped }))).memory!.status).toBe("ACTIVE");
    const names = (await ac().send(new ListMemoriesCommand({ maxResults: 100 }))).memories!.map((x) => x.id!);
    expect(names.some((n) => n.startsWith("mem_closed"))).toBe(false);
  });

  it("CreateAgent / UpdateAgent need the caller's permissions or bedrock.amazonaws.com, with the agent's encryption context", async () => {
    const ba = new BedrockAgentClient(clientConfig(sb));
    const closed = await newKey(adminPolicy());
    expect((await failure(ba.send(new CreateAgentCommand({ agentName: "agent-closed", customerEncryptionKeyArn: closed })))).name).toBe("ValidationException");
    // Agents created since January 22, 2025: the caller's own permissions, which the default policy lets IAM grant.
    const iam = await newKey();
    const viaIam = await ba.send(
      new CreateAgentCommand({ agentName: "agent-iam", customerEncryptionKeyArn: iam, agentResourceRoleArn: `arn:aws:iam::${ACCOUNT}:role/BedrockAgentRole` }),
    );
    expect(viaIam.agent!.customerEncryptionKeyArn).toBe(iam);
    const wildcard = await newKey(adminPolicy({ Effect: "Allow", Principal: { Service: "bedrock.amazonaws.com" }, Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: "*" }));
    const agent = await ba.send(
      new CreateAgentCommand({
        agentName: "agent-ok",
        customerEncryptionKeyArn: wildcard,
        agentResourceRoleArn: `arn:aws:iam::${ACCOUNT}:role/BedrockAgentRole`,
        foundationModel: "m",
      }),
    );
    // a key scoped to another agent's ARN is refused for this one
    const other = await newKey(
      adminPolicy({
        Effect: "Allow",
        Principal: { Service: "bedrock.amazonaws.com" },
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: "*",
        Condition: { StringEquals: { "kms:EncryptionContext:aws:bedrock:arn": `arn:aws:bedrock:us-east-1:${ACCOUNT}:agent/OTHER00000` } },
      }),
    );
    const f = await failure(
      ba.send(
        new UpdateAgentCommand({
          agentId: agent.agent!.agentId,
          agentName: "agent-ok",
          foundationModel: "m",
          agentResourceRoleArn: `arn:aws:iam::${ACCOUNT}:role/BedrockAgentRole`,
          customerEncryptionKeyArn: other,
        }),
      ),
    );
    expect(f.name).toBe("ValidationException");
    const scoped = await newKey(
      adminPolicy({
        Effect: "Allow",
        Principal: { Service: "bedrock.amazonaws.com" },
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: "*",
        Condition: { StringEquals: { "kms:EncryptionContext:aws:bedrock:arn": agent.agent!.agentArn } },
      }),
    );
    const ok = await ba.send(
      new UpdateAgentCommand({
        agentId: agent.agent!.agentId,
        agentName: "agent-ok",
        foundationModel: "m",
        agentResourceRoleArn: `arn:aws:iam::${ACCOUNT}:role/BedrockAgentRole`,
        customerEncryptionKeyArn: scoped,
      }),
    );
    expect(ok.agent!.customerEncryptionKeyArn).toBe(scoped);
  });

  it("CreateGateway needs the gateway role to use the key", async () => {
    const bare = JSON.stringify({ Version: "2012-10-17", Statement: [root] });
    // default policy + a role with an identity policy allowing KMS: accepted
    const k1 = await newKey(bare);
    const ok = await ac().send(new CreateGatewayCommand({ name: "gw-ok", roleArn: `arn:aws:iam::${ACCOUNT}:role/AgentCoreGatewayRole`, authorizerType: "AWS_IAM", kmsKeyArn: k1 }));
    expect(ok.kmsKeyArn).toBe(k1);
    // a role without KMS permissions: refused
    expect(
      (await failure(ac().send(new CreateGatewayCommand({ name: "gw-bad", roleArn: `arn:aws:iam::${ACCOUNT}:role/ContractorRole`, authorizerType: "AWS_IAM", kmsKeyArn: k1 }))))
        .name,
    ).toBe("ValidationException");
  });

  it("SetTokenVaultCMK needs the key to allow use via bedrock-agentcore-identity", async () => {
    const onlyAdmin = await newKey(
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          root,
          {
            Effect: "Deny",
            Principal: "*",
            Action: ["kms:Encrypt", "kms:Decrypt"],
            Resource: "*",
            Condition: { StringLike: { "kms:ViaService": "bedrock-agentcore-identity.*.amazonaws.com" } },
          },
        ],
      }),
    );
    expect((await failure(ac().send(new SetTokenVaultCMKCommand({ kmsConfiguration: { keyType: "CustomerManagedKey", kmsKeyArn: onlyAdmin } })))).name).toBe("ValidationException");
    const ok = await newKey();
    const set = await ac().send(new SetTokenVaultCMKCommand({ kmsConfiguration: { keyType: "CustomerManagedKey", kmsKeyArn: ok } }));
    expect(set.kmsConfiguration!.kmsKeyArn).toBe(ok);
  });
});

describe("credential providers on external secrets (seed 004)", () => {
  it("refuses a secret in another region", async () => {
    const euSm = new SecretsManagerClient(clientConfig(sb, "eu-west-1"));
    const eu = await euSm.send(new CreateSecretCommand({ Name: "agents/eu-only", SecretString: '{"client_secret":"x"}' }));
    const ac = new BedrockAgentCoreControlClient(clientConfig(sb));
    const f = await failure(
      ac.send(
        new CreateOauth2CredentialProviderCommand({
          name: "cross-region",
          credentialProviderVendor: "GithubOauth2",
          oauth2ProviderConfigInput: { githubOauth2ProviderConfig: { clientId: "c", clientSecretConfig: { secretId: eu.ARN!, jsonKey: "client_secret" } } },
        }),
      ),
    );
    expect(f.name).toBe("ValidationException");
    expect(f.message).toMatch(/same Region/);
  });
});

describe("service KMS calls carry the documented encryption context", () => {
  it("bedrock agents use aws:bedrock:arn, recommendations aws:bedrock-agentcore:recommendationArn, secrets SecretARN", async () => {
    const full = await testSandbox({ trafficEnd: new Date("2026-11-01T00:00:00Z") });
    try {
      const ct = new CloudTrailClient(clientConfig(full));
      const events = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "GenerateDataKey" }], MaxResults: 50 }));
      const contexts = events.Events!.map((e) => JSON.parse(e.CloudTrailEvent!).requestParameters?.encryptionContext ?? {});
      expect(contexts.some((c) => String(c["aws:bedrock:arn"] ?? "").includes(":agent/"))).toBe(true);
      const recKey = [...full.state.keys.values()].find((k) => k.description === "Prompt recommendations")!;
      const rec = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: recKey.arn }], MaxResults: 50 }));
      const recCtx = rec.Events!.map((e) => JSON.parse(e.CloudTrailEvent!)).find((r) => r.eventName === "GenerateDataKey")!;
      expect(recCtx.requestParameters.encryptionContext["aws:bedrock-agentcore:recommendationArn"]).toMatch(/:recommendation\//);
      expect(recCtx.userIdentity.invokedBy).toBe("bedrock-agentcore.amazonaws.com");
      const svc = events.Events!.map((e) => JSON.parse(e.CloudTrailEvent!)).find((r) => r.userIdentity.type === "AWSService")!;
      expect(svc.userIdentity).toEqual({ type: "AWSService", invokedBy: svc.userIdentity.invokedBy });
      const sm = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "Username", AttributeValue: "secretsmanager-session" }], MaxResults: 50 }));
      expect(sm.Events!.length).toBeGreaterThanOrEqual(0);
      const secretKey = [...full.state.keys.values()].find((k) => k.description === "Agent credentials in Secrets Manager")!;
      const dec = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: secretKey.arn }], MaxResults: 5 }));
      expect(JSON.parse(dec.Events![0].CloudTrailEvent!).requestParameters.encryptionContext.SecretARN).toMatch(/:secret:agents\/github-client-/);
    } finally {
      await full.close();
    }
  });

  it("records an AccessDenied Decrypt without requestParameters or resources, the key only in errorMessage", async () => {
    const full = await testSandbox({ trafficEnd: new Date("2026-11-01T00:00:00Z") });
    try {
      const ct = new CloudTrailClient(clientConfig(full));
      let token: string | undefined;
      let found: Record<string, unknown> | undefined;
      for (let i = 0; i < 40 && !found; i++) {
        const page = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "Decrypt" }], MaxResults: 50, NextToken: token }));
        found = page.Events!.map((e) => JSON.parse(e.CloudTrailEvent!)).find((r) => r.errorCode === "AccessDenied");
        token = page.NextToken;
      }
      expect(found).toBeDefined();
      expect(found!.requestParameters).toBeNull();
      expect(found!.resources).toBeUndefined();
      expect(String(found!.errorMessage)).toMatch(/arn:aws:kms:us-east-1:111122223333:key\//);
    } finally {
      await full.close();
    }
  });
});

describe("re-enabling restores use", () => {
  it("a disabled key used by a recommendation works again after EnableKey", async () => {
    const key = await newKey();
    const dp = new BedrockAgentCoreClient(clientConfig(sb));
    const r = await dp.send(new StartRecommendationCommand({ name: "rec-reenable", type: "SYSTEM_PROMPT_RECOMMENDATION", recommendationConfig: recConfig, kmsKeyArn: key }));
    await kms.send(new DisableKeyCommand({ KeyId: key }));
    await kms.send(new EnableKeyCommand({ KeyId: key }));
    expect((await dp.send(new GetRecommendationCommand({ recommendationId: r.recommendationId }))).recommendationId).toBe(r.recommendationId);
    await kms.send(new PutKeyPolicyCommand({ KeyId: key, Policy: policy() }));
  });
});
