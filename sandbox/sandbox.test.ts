// Every operation Keyward uses, through the real SDK clients, against the sandbox in strict mode
// (each response is checked against the SDK's output schema by the sandbox itself).
import {
  BedrockAgentClient,
  CreateAgentCommand,
  DeleteAgentCommand,
  GetAgentCommand,
  GetKnowledgeBaseCommand,
  ListAgentsCommand,
  ListKnowledgeBasesCommand,
  UpdateAgentCommand,
} from "@aws-sdk/client-bedrock-agent";
import {
  BedrockAgentCoreClient,
  DeleteRecommendationCommand,
  GetRecommendationCommand,
  ListRecommendationsCommand,
  StartRecommendationCommand,
} from "@aws-sdk/client-bedrock-agentcore";
import {
  BedrockAgentCoreControlClient,
  CreateApiKeyCredentialProviderCommand,
  CreateGatewayCommand,
  CreateMemoryCommand,
  CreateOauth2CredentialProviderCommand,
  DeleteMemoryCommand,
  GetApiKeyCredentialProviderCommand,
  GetGatewayCommand,
  GetMemoryCommand,
  GetOauth2CredentialProviderCommand,
  GetTokenVaultCommand,
  ListApiKeyCredentialProvidersCommand,
  ListGatewaysCommand,
  ListMemoriesCommand,
  ListOauth2CredentialProvidersCommand,
  ListWorkloadIdentitiesCommand,
  SetTokenVaultCMKCommand,
} from "@aws-sdk/client-bedrock-agentcore-control";
import { CloudTrailClient, DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
} from "@aws-sdk/client-iam";
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GetKeyLastUsageCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListAliasesCommand,
  ListGrantsCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  PutKeyPolicyCommand,
  ReEncryptCommand,
  RetireGrantCommand,
  RevokeGrantCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
} from "@aws-sdk/client-kms";
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetResourcePolicyCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutResourcePolicyCommand,
  RotateSecretCommand,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { clientConfig, testSandbox } from "./testing/index";

import type { RunningSandbox } from "./index";

let sb: RunningSandbox;
let kms: KMSClient;

beforeAll(async () => {
  sb = await testSandbox({ trafficEnd: new Date("2026-11-01T00:00:00Z") });
  kms = new KMSClient(clientConfig(sb));
});
afterAll(async () => {
  // Every response the suite received matched the SDK output schema.
  expect(sb.server.violations).toEqual([]);
  await sb.close();
});

async function err(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    const x = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: x.name, message: x.message, status: x.$metadata?.httpStatusCode };
  }
  throw new Error("expected the call to fail");
}

describe("authentication", () => {
  it("rejects a wrong secret with the service's signature error", async () => {
    const bad = { accessKeyId: sb.accessKeyId, secretAccessKey: "not-the-secret" };
    expect((await err(new KMSClient(clientConfig(sb, "us-east-1", bad)).send(new ListKeysCommand({})))).name).toBe("InvalidSignatureException");
    expect((await err(new STSClient(clientConfig(sb, "us-east-1", bad)).send(new GetCallerIdentityCommand({})))).name).toBe("SignatureDoesNotMatch");
    expect((await err(new BedrockAgentClient(clientConfig(sb, "us-east-1", bad)).send(new ListAgentsCommand({})))).name).toBe("InvalidSignatureException");
  });
  it("rejects an unknown access key id", async () => {
    const unknown = { accessKeyId: "AKIAUNKNOWNKEY000000", secretAccessKey: "x" };
    expect((await err(new KMSClient(clientConfig(sb, "us-east-1", unknown)).send(new ListKeysCommand({})))).name).toBe("UnrecognizedClientException");
    expect((await err(new IAMClient(clientConfig(sb, "us-east-1", unknown)).send(new ListRolesCommand({})))).name).toBe("InvalidClientTokenId");
  });
  it("answers an unsigned request with MissingAuthenticationToken", async () => {
    const r = await fetch(`${sb.url}/`, { method: "POST", headers: { "x-amz-target": "TrentService.ListKeys", "content-type": "application/x-amz-json-1.1" }, body: "{}" });
    expect(r.status).toBe(403);
    expect(((await r.json()) as { __type: string }).__type).toBe("MissingAuthenticationTokenException");
  });
});

describe("STS and IAM", () => {
  it("tells the caller who it is and issues role sessions the sandbox accepts", async () => {
    const sts = new STSClient(clientConfig(sb));
    const me = await sts.send(new GetCallerIdentityCommand({}));
    expect(me).toMatchObject({ Account: "111122223333", Arn: "arn:aws:iam::111122223333:root" });
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::111122223333:role/KeywardReadOnly", RoleSessionName: "scan" }));
    const c = assumed.Credentials!;
    const asRole = new STSClient({ ...clientConfig(sb), credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! } });
    const who = await asRole.send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe("arn:aws:sts::111122223333:assumed-role/KeywardReadOnly/scan");
    expect((await err(sts.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::111122223333:role/Nope", RoleSessionName: "x1" })))).name).toBe("AccessDenied");
  });
  it("lists roles with Marker pagination and returns URL-encoded policy documents", async () => {
    const iam = new IAMClient(clientConfig(sb));
    const first = await iam.send(new ListRolesCommand({ MaxItems: 3 }));
    expect(first.Roles).toHaveLength(3);
    expect(first.IsTruncated).toBe(true);
    const rest = await iam.send(new ListRolesCommand({ Marker: first.Marker }));
    expect(first.Roles!.length + rest.Roles!.length).toBe(sb.state.roles.size);
    const role = await iam.send(new GetRoleCommand({ RoleName: "WildcardAgentRole" }));
    expect(JSON.parse(decodeURIComponent(role.Role!.AssumeRolePolicyDocument!)).Statement[0].Principal.Service).toBe("bedrock.amazonaws.com");
    const names = await iam.send(new ListRolePoliciesCommand({ RoleName: "WildcardAgentRole" }));
    expect(names.PolicyNames).toEqual(["DoEverything"]);
    const doc = await iam.send(new GetRolePolicyCommand({ RoleName: "WildcardAgentRole", PolicyName: "DoEverything" }));
    expect(JSON.parse(decodeURIComponent(doc.PolicyDocument!)).Statement[0].Action).toBe("*");
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "BedrockAgentRole" }));
    const arn = attached.AttachedPolicies![0].PolicyArn!;
    const pol = await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
    const ver = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: pol.Policy!.DefaultVersionId! }));
    expect(decodeURIComponent(ver.PolicyVersion!.Document!)).toContain("kms:Decrypt");
    expect((await err(iam.send(new GetRoleCommand({ RoleName: "Missing" })))).name).toBe("NoSuchEntityException");
  });
});

describe("KMS", () => {
  it("creates keys with the default policy KMS writes, aliases, tags and rotation", async () => {
    const created = await kms.send(new CreateKeyCommand({ Description: "t1", Tags: [{ TagKey: "team", TagValue: "qa" }] }));
    const id = created.KeyMetadata!.KeyId!;
    expect(created.KeyMetadata).toMatchObject({ KeySpec: "SYMMETRIC_DEFAULT", KeyUsage: "ENCRYPT_DECRYPT", KeyState: "Enabled", KeyManager: "CUSTOMER", Enabled: true });
    const pol = JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: id }))).Policy!);
    expect(pol.Statement).toEqual([{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" }]);
    await kms.send(new CreateAliasCommand({ AliasName: "alias/test/one", TargetKeyId: id }));
    expect((await err(kms.send(new CreateAliasCommand({ AliasName: "alias/test/one", TargetKeyId: id })))).name).toBe("AlreadyExistsException");
    const aliases = await kms.send(new ListAliasesCommand({ KeyId: id }));
    expect(aliases.Aliases!.map((a) => a.AliasName)).toEqual(["alias/test/one"]);
    await kms.send(new TagResourceCommand({ KeyId: id, Tags: [{ TagKey: "env", TagValue: "dev" }] }));
    expect((await kms.send(new ListResourceTagsCommand({ KeyId: id }))).Tags).toHaveLength(2);
    expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId: id }))).KeyRotationEnabled).toBe(false);
    await kms.send(new EnableKeyRotationCommand({ KeyId: id }));
    expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId: id }))).RotationPeriodInDays).toBe(365);
    await kms.send(new DisableKeyRotationCommand({ KeyId: id }));
    expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId: "alias/test/one" }))).KeyRotationEnabled).toBe(false);
  });

  it("pages ListKeys with Marker and enforces Limit", async () => {
    const first = await kms.send(new ListKeysCommand({ Limit: 5 }));
    expect(first.Keys).toHaveLength(5);
    expect(first.Truncated).toBe(true);
    let all = [...first.Keys!];
    let marker = first.NextMarker;
    while (marker) {
      const page = await kms.send(new ListKeysCommand({ Limit: 5, Marker: marker }));
      all = all.concat(page.Keys!);
      marker = page.NextMarker;
    }
    expect(new Set(all.map((k) => k.KeyId)).size).toBe(all.length);
    expect(all.length).toBe([...sb.state.keys.values()].filter((k) => k.region === "us-east-1").length);
    expect((await err(kms.send(new ListKeysCommand({ Limit: 1001 })))).name).toBe("ValidationException");
  });

  it("binds the encryption context to the ciphertext (AES-256-GCM)", async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const ec = { "aws:bedrock:arn": "arn:aws:bedrock:us-east-1:111122223333:agent/X" };
    const enc = await kms.send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: Buffer.from("secret"), EncryptionContext: ec }));
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ec }));
    expect(Buffer.from(dec.Plaintext!).toString()).toBe("secret");
    expect(dec.KeyId).toBe(KeyMetadata!.Arn);
    expect((await err(kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { other: "x" } })))).name).toBe("InvalidCiphertextException");
    expect((await err(kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })))).name).toBe("InvalidCiphertextException");
    const dk = await kms.send(new GenerateDataKeyCommand({ KeyId: KeyMetadata!.Arn, KeySpec: "AES_256", EncryptionContext: ec }));
    expect(dk.Plaintext).toHaveLength(32);
    const back = await kms.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob, EncryptionContext: ec }));
    expect(Buffer.from(back.Plaintext!).equals(Buffer.from(dk.Plaintext!))).toBe(true);
    const wp = await kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: KeyMetadata!.KeyId, NumberOfBytes: 16 }));
    expect(wp.CiphertextBlob!.length).toBeGreaterThan(16);
    const other = await kms.send(new CreateKeyCommand({}));
    const re = await kms.send(
      new ReEncryptCommand({
        CiphertextBlob: enc.CiphertextBlob,
        SourceEncryptionContext: ec,
        DestinationKeyId: other.KeyMetadata!.KeyId,
        DestinationEncryptionContext: { b: "c" },
      }),
    );
    expect(re.KeyId).toBe(other.KeyMetadata!.Arn);
    expect(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob, EncryptionContext: { b: "c" } }))).Plaintext!).toString()).toBe("secret");
  });

  it("enforces key state: disabled, pending deletion (7-30 days), cancel leaves it disabled", async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const id = KeyMetadata!.KeyId!;
    const enc = await kms.send(new EncryptCommand({ KeyId: id, Plaintext: Buffer.from("x") }));
    await kms.send(new DisableKeyCommand({ KeyId: id }));
    expect((await err(kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })))).name).toBe("DisabledException");
    expect((await err(kms.send(new GenerateDataKeyCommand({ KeyId: id, KeySpec: "AES_256" })))).name).toBe("DisabledException");
    await kms.send(new EnableKeyCommand({ KeyId: id }));
    expect((await err(kms.send(new ScheduleKeyDeletionCommand({ KeyId: id, PendingWindowInDays: 6 })))).name).toBe("ValidationException");
    expect((await err(kms.send(new ScheduleKeyDeletionCommand({ KeyId: id, PendingWindowInDays: 31 })))).name).toBe("ValidationException");
    const sched = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: id, PendingWindowInDays: 7 }));
    expect(sched.KeyState).toBe("PendingDeletion");
    expect(sched.DeletionDate!.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    expect((await err(kms.send(new EncryptCommand({ KeyId: id, Plaintext: Buffer.from("x") })))).name).toBe("KMSInvalidStateException");
    expect((await kms.send(new DescribeKeyCommand({ KeyId: id }))).KeyMetadata!.PendingDeletionWindowInDays).toBe(7);
    await kms.send(new CancelKeyDeletionCommand({ KeyId: id }));
    expect((await kms.send(new DescribeKeyCommand({ KeyId: id }))).KeyMetadata!.KeyState).toBe("Disabled");
  });

  it("refuses Encrypt and GenerateDataKey with an asymmetric key", async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ KeySpec: "RSA_2048", KeyUsage: "ENCRYPT_DECRYPT" }));
    expect((await err(kms.send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: Buffer.from("x") })))).name).toBe("InvalidKeyUsageException");
    expect((await err(kms.send(new GenerateDataKeyCommand({ KeyId: KeyMetadata!.KeyId, KeySpec: "AES_256" })))).name).toBe("InvalidKeyUsageException");
  });

  it("refuses malformed and oversized key policies and keeps the old one", async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const id = KeyMetadata!.KeyId!;
    const before = (await kms.send(new GetKeyPolicyCommand({ KeyId: id }))).Policy;
    expect((await err(kms.send(new PutKeyPolicyCommand({ KeyId: id, Policy: "{not json" })))).name).toBe("MalformedPolicyDocumentException");
    const huge = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*", Sid: "x".repeat(33 * 1024) }],
    });
    expect((await err(kms.send(new PutKeyPolicyCommand({ KeyId: id, Policy: huge })))).name).toBe("MalformedPolicyDocumentException");
    const lockout = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "bedrock.amazonaws.com" }, Action: "kms:Decrypt", Resource: "*" }],
    });
    expect((await err(kms.send(new PutKeyPolicyCommand({ KeyId: id, Policy: lockout })))).message).toMatch(/will not allow you to update the key policy/);
    expect((await kms.send(new GetKeyPolicyCommand({ KeyId: id }))).Policy).toBe(before);
  });

  it("creates, lists, retires and revokes grants", async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const id = KeyMetadata!.KeyId!;
    const g1 = await kms.send(
      new CreateGrantCommand({
        KeyId: id,
        GranteePrincipal: "arn:aws:iam::111122223333:role/BedrockAgentRole",
        Operations: ["Decrypt"],
        RetiringPrincipal: "arn:aws:iam::111122223333:root",
      }),
    );
    const g2 = await kms.send(new CreateGrantCommand({ KeyId: id, GranteePrincipal: "arn:aws:iam::444455556666:root", Operations: ["Encrypt", "Decrypt"], Name: "partner" }));
    const list = await kms.send(new ListGrantsCommand({ KeyId: id }));
    expect(list.Grants!.map((g) => g.GrantId).sort()).toEqual([g1.GrantId, g2.GrantId].sort());
    expect(list.Grants!.find((g) => g.GrantId === g2.GrantId)!.Operations).toEqual(["Encrypt", "Decrypt"]);
    await kms.send(new RetireGrantCommand({ GrantToken: g1.GrantToken }));
    await kms.send(new RevokeGrantCommand({ KeyId: id, GrantId: g2.GrantId }));
    expect((await kms.send(new ListGrantsCommand({ KeyId: id }))).Grants).toEqual([]);
    expect((await err(kms.send(new CreateGrantCommand({ KeyId: id, GranteePrincipal: "x", Operations: ["Fly" as never] })))).name).toBe("ValidationException");
  });

  it("answers NotFound for unknown keys and keys named in another region", async () => {
    expect((await err(kms.send(new DescribeKeyCommand({ KeyId: "alias/does-not-exist" })))).name).toBe("NotFoundException");
    const eu = [...sb.state.keys.values()].find((k) => k.region === "eu-west-1")!;
    expect((await err(kms.send(new DescribeKeyCommand({ KeyId: eu.arn })))).message).toMatch(/Invalid arn eu-west-1/);
    const euKms = new KMSClient(clientConfig(sb, "eu-west-1"));
    expect((await euKms.send(new DescribeKeyCommand({ KeyId: eu.arn }))).KeyMetadata!.Arn).toBe(eu.arn);
  });

  it("reports a key's last use from its recorded events", async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const empty = await kms.send(new GetKeyLastUsageCommand({ KeyId: KeyMetadata!.KeyId }));
    expect(empty.KeyLastUsage).toBeUndefined();
    await kms.send(new GenerateDataKeyCommand({ KeyId: KeyMetadata!.KeyId, KeySpec: "AES_256" }));
    const used = await kms.send(new GetKeyLastUsageCommand({ KeyId: KeyMetadata!.KeyId }));
    expect(used.KeyLastUsage!.Operation).toBe("GenerateDataKey");
    const ct = new CloudTrailClient(clientConfig(sb));
    const ev = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "EventId", AttributeValue: used.KeyLastUsage!.CloudTrailEventId! }] }));
    expect(ev.Events![0].EventName).toBe("GenerateDataKey");
  });
});

describe("key policy and IAM evaluation", () => {
  it("denies a role whose identity policies do not allow the key, and allows via key policy + IAM", async () => {
    const ro = new KMSClient(clientConfig(sb, "us-east-1", { accessKeyId: "AKIAKEYWARDREADONLY1", secretAccessKey: "keyward-readonly-secret" }));
    const key = [...sb.state.keys.values()].find((k) => k.description === "Support agent sessions")!;
    // KeywardReadOnly may describe (kms:Describe*) thanks to the root delegation in the key policy...
    expect((await ro.send(new DescribeKeyCommand({ KeyId: key.arn }))).KeyMetadata!.KeyId).toBe(key.id);
    // ...but not decrypt.
    const enc = await kms.send(new EncryptCommand({ KeyId: key.arn, Plaintext: Buffer.from("x") }));
    const denied = await err(ro.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })));
    expect(denied.name).toBe("AccessDeniedException");
    expect(denied.message).toContain("kms:Decrypt");
  });
});

describe("Secrets Manager", () => {
  it("describes, creates, sets policies and rotates; GetSecretValue decrypts with the secret's key", async () => {
    const sm = new SecretsManagerClient(clientConfig(sb));
    const list = await sm.send(new ListSecretsCommand({ MaxResults: 2 }));
    expect(list.SecretList).toHaveLength(2);
    expect(list.NextToken).toBeDefined();
    const github = await sm.send(new DescribeSecretCommand({ SecretId: "agents/github-client" }));
    expect(github.KmsKeyId).toMatch(/^arn:aws:kms:us-east-1:111122223333:key\//);
    expect(github.RotationEnabled).toBe(true);
    const pol = await sm.send(new GetResourcePolicyCommand({ SecretId: github.ARN }));
    expect(JSON.parse(pol.ResourcePolicy!).Statement[0].Action).toBe("secretsmanager:GetSecretValue");
    const created = await sm.send(new CreateSecretCommand({ Name: "agents/test-secret", SecretString: '{"api_key":"v"}' }));
    expect(created.ARN).toMatch(/:secret:agents\/test-secret-[A-Za-z0-9]{6}$/);
    expect((await err(sm.send(new CreateSecretCommand({ Name: "agents/test-secret", SecretString: "x" })))).name).toBe("ResourceExistsException");
    await sm.send(
      new PutResourcePolicyCommand({
        SecretId: created.ARN,
        ResourcePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:role/AgentCoreIdentityRole" }, Action: "secretsmanager:GetSecretValue", Resource: "*" }],
        }),
      }),
    );
    expect((await err(sm.send(new PutResourcePolicyCommand({ SecretId: created.ARN, ResourcePolicy: "nope" })))).name).toBe("MalformedPolicyDocumentException");
    await sm.send(
      new RotateSecretCommand({ SecretId: created.ARN, RotationLambdaARN: "arn:aws:lambda:us-east-1:111122223333:function:rot", RotationRules: { AutomaticallyAfterDays: 14 } }),
    );
    expect((await sm.send(new DescribeSecretCommand({ SecretId: created.Name }))).RotationRules?.AutomaticallyAfterDays).toBe(14);
    // by partial ARN (no suffix)
    const byPartial = await sm.send(new GetSecretValueCommand({ SecretId: created.ARN!.slice(0, -7) }));
    expect(byPartial.SecretString).toBe('{"api_key":"v"}');
  });
});

describe("CloudTrail", () => {
  const ct = () => new CloudTrailClient(clientConfig(sb));
  it("looks up newest first, one attribute per call, MaxResults 1-50, NextToken bound to the parameters", async () => {
    const key = [...sb.state.keys.values()].find((k) => k.description === "Customer profile memory")!;
    const page1 = await ct().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: key.arn }], MaxResults: 50 }));
    expect(page1.Events).toHaveLength(50);
    const times = page1.Events!.map((e) => e.EventTime!.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const page2 = await ct().send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: key.arn }], MaxResults: 50, NextToken: page1.NextToken }),
    );
    expect(page2.Events![0].EventTime!.getTime()).toBeLessThanOrEqual(times[times.length - 1]);
    const ids = new Set([...page1.Events!, ...page2.Events!].map((e) => e.EventId));
    expect(ids.size).toBe(100);
    expect((await err(ct().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "Decrypt" }], NextToken: page1.NextToken })))).name).toBe(
      "InvalidNextTokenException",
    );
    expect((await err(ct().send(new LookupEventsCommand({ MaxResults: 51 })))).name).toBe("InvalidMaxResultsException");
    expect(
      (
        await err(
          ct().send(
            new LookupEventsCommand({
              LookupAttributes: [
                { AttributeKey: "EventName", AttributeValue: "Decrypt" },
                { AttributeKey: "Username", AttributeValue: "x" },
              ],
            }),
          ),
        )
      ).name,
    ).toBe("InvalidLookupAttributesException");
    expect((await err(ct().send(new LookupEventsCommand({ StartTime: new Date(), EndTime: new Date(Date.now() - 1000) })))).name).toBe("InvalidTimeRangeException");
  });
  it("supports every lookup attribute AWS does", async () => {
    const [sample] = (await ct().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "GenerateDataKey" }], MaxResults: 1 }))).Events!;
    const rec = JSON.parse(sample.CloudTrailEvent!);
    const cases: [string, string][] = [
      ["EventId", sample.EventId!],
      ["EventName", "GenerateDataKey"],
      ["ReadOnly", "true"],
      ["EventSource", "kms.amazonaws.com"],
      ["ResourceType", "AWS::KMS::Key"],
      ["ResourceName", sample.Resources![0].ResourceName!],
      ["Username", sample.Username!],
    ];
    if (rec.userIdentity.accessKeyId) cases.push(["AccessKeyId", rec.userIdentity.accessKeyId]);
    for (const [k, v] of cases) {
      const r = await ct().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: k as never, AttributeValue: v }], MaxResults: 5 }));
      expect(r.Events!.length, k).toBeGreaterThan(0);
    }
  });
  it("keeps 90 days of history and honours StartTime/EndTime", async () => {
    const end = new Date("2026-11-01T00:00:00Z");
    const r = await ct().send(new LookupEventsCommand({ StartTime: new Date(end.getTime() - 86_400_000), EndTime: end, MaxResults: 50 }));
    for (const e of r.Events!) {
      expect(e.EventTime!.getTime()).toBeGreaterThanOrEqual(end.getTime() - 86_400_000);
      expect(e.EventTime!.getTime()).toBeLessThanOrEqual(end.getTime());
    }
    const old = await ct().send(new LookupEventsCommand({ StartTime: new Date(Date.now() - 400 * 86_400_000), EndTime: new Date(Date.now() - 91 * 86_400_000) }));
    expect(old.Events).toEqual([]);
  });
  it("records every served call as a CloudTrail record in AWS's format", async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: "recorded" }));
    const r = await ct().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: KeyMetadata!.Arn! }] }));
    const rec = JSON.parse(r.Events!.find((e) => e.EventName === "CreateKey")!.CloudTrailEvent!);
    expect(rec).toMatchObject({
      eventVersion: "1.11",
      eventSource: "kms.amazonaws.com",
      eventName: "CreateKey",
      awsRegion: "us-east-1",
      readOnly: false,
      eventType: "AwsApiCall",
      managementEvent: true,
      recipientAccountId: "111122223333",
      eventCategory: "Management",
    });
    expect(rec.userIdentity).toMatchObject({ type: "Root", accountId: "111122223333", accessKeyId: sb.accessKeyId });
    expect(rec.requestParameters).toMatchObject({ description: "recorded" });
    expect(rec.resources).toEqual([{ accountId: "111122223333", type: "AWS::KMS::Key", ARN: KeyMetadata!.Arn }]);
    expect(rec.eventID).toMatch(/^[0-9a-f-]{36}$/);
  });
  it("describes trails, their status and event selectors", async () => {
    const us = await ct().send(new DescribeTrailsCommand({}));
    expect(us.trailList!.map((t) => t.Name)).toEqual(["management-events"]);
    const eu = new CloudTrailClient(clientConfig(sb, "eu-west-1"));
    const sel = await eu.send(new GetEventSelectorsCommand({ TrailName: "eu-audit" }));
    expect(sel.EventSelectors![0].ExcludeManagementEventSources).toEqual(["kms.amazonaws.com"]);
    expect((await ct().send(new GetTrailStatusCommand({ Name: "management-events" }))).IsLogging).toBe(true);
    expect((await err(ct().send(new GetTrailStatusCommand({ Name: "nope" })))).name).toBe("TrailNotFoundException");
  });
});

describe("Bedrock Agents", () => {
  const ba = () => new BedrockAgentClient(clientConfig(sb));
  it("lists with nextToken and gets agents with their key and role", async () => {
    const p1 = await ba().send(new ListAgentsCommand({ maxResults: 3 }));
    expect(p1.agentSummaries).toHaveLength(3);
    const p2 = await ba().send(new ListAgentsCommand({ maxResults: 50, nextToken: p1.nextToken }));
    expect(p1.agentSummaries!.length + p2.agentSummaries!.length).toBe([...sb.state.agents.values()].filter((a) => a.region === "us-east-1").length);
    const support = [...p1.agentSummaries!, ...p2.agentSummaries!].find((a) => a.agentName === "support-bot")!;
    const got = await ba().send(new GetAgentCommand({ agentId: support.agentId }));
    expect(got.agent!.customerEncryptionKeyArn).toMatch(/^arn:aws:kms:us-east-1:/);
    expect(got.agent!.agentResourceRoleArn).toBe("arn:aws:iam::111122223333:role/BedrockAgentRole");
    expect((await err(ba().send(new GetAgentCommand({ agentId: "NOPE000000" })))).status).toBe(404);
  });
  it("creates, updates and deletes agents; knowledge bases", async () => {
    const created = await ba().send(
      new CreateAgentCommand({ agentName: "tmp-agent", foundationModel: "m", agentResourceRoleArn: "arn:aws:iam::111122223333:role/BedrockAgentRole" }),
    );
    const id = created.agent!.agentId!;
    const updated = await ba().send(
      new UpdateAgentCommand({ agentId: id, agentName: "tmp-agent", foundationModel: "m2", agentResourceRoleArn: "arn:aws:iam::111122223333:role/BedrockAgentRole" }),
    );
    expect(updated.agent!.foundationModel).toBe("m2");
    expect((await ba().send(new DeleteAgentCommand({ agentId: id }))).agentStatus).toBe("DELETING");
    const kbs = await ba().send(new ListKnowledgeBasesCommand({}));
    const kb = await ba().send(new GetKnowledgeBaseCommand({ knowledgeBaseId: kbs.knowledgeBaseSummaries![0].knowledgeBaseId }));
    expect(kb.knowledgeBase!.roleArn).toContain("BedrockAgentRole");
  });
});

describe("AgentCore control plane", () => {
  const ac = () => new BedrockAgentCoreControlClient(clientConfig(sb));
  it("memories: list, get, create (idempotent with clientToken), delete", async () => {
    const list = await ac().send(new ListMemoriesCommand({ maxResults: 2 }));
    expect(list.memories).toHaveLength(2);
    const m = await ac().send(new GetMemoryCommand({ memoryId: list.memories![0].id }));
    expect(m.memory!.arn).toBe(list.memories![0].arn);
    const input = {
      name: "tmp_memory",
      eventExpiryDuration: 30,
      clientToken: "token-1234567890-abcdefghijklmnop",
      memoryStrategies: [{ semanticMemoryStrategy: { name: "facts" } }],
    };
    const c1 = await ac().send(new CreateMemoryCommand(input));
    const c2 = await ac().send(new CreateMemoryCommand(input));
    expect(c2.memory!.id).toBe(c1.memory!.id);
    expect(c1.memory!.strategies![0].type).toBe("SEMANTIC");
    expect((await ac().send(new DeleteMemoryCommand({ memoryId: c1.memory!.id }))).status).toBe("DELETING");
  });
  it("gateways, credential providers, token vault and workload identities", async () => {
    const gws = await ac().send(new ListGatewaysCommand({}));
    expect(gws.items).toHaveLength(2);
    const gw = await ac().send(new GetGatewayCommand({ gatewayIdentifier: gws.items![0].gatewayId }));
    expect(gw.roleArn).toContain("AgentCoreGatewayRole");
    const created = await ac().send(
      new CreateGatewayCommand({ name: "tmp-gw", roleArn: "arn:aws:iam::111122223333:role/AgentCoreGatewayRole", authorizerType: "AWS_IAM", protocolType: "MCP" }),
    );
    expect(created.status).toBe("READY");
    const oauth = await ac().send(new ListOauth2CredentialProvidersCommand({}));
    expect(oauth.credentialProviders!.length).toBeGreaterThanOrEqual(3);
    const gh = await ac().send(new GetOauth2CredentialProviderCommand({ name: "github-oauth" }));
    expect(gh.clientSecretArn!.secretArn).toContain(":secret:agents/github-client-");
    const apikeys = await ac().send(new ListApiKeyCredentialProvidersCommand({}));
    expect(apikeys.credentialProviders!.map((p) => p.name)).toContain("jira-apikey");
    const jira = await ac().send(new GetApiKeyCredentialProviderCommand({ name: "jira-apikey" }));
    expect(jira.apiKeySecretJsonKey).toBe("api_key");
    const newProvider = await ac().send(new CreateApiKeyCredentialProviderCommand({ name: "tmp-apikey", apiKey: "v" }));
    expect(newProvider.apiKeySecretArn!.secretArn).toContain("bedrock-agentcore-identity");
    const ext = await ac().send(
      new CreateOauth2CredentialProviderCommand({
        name: "tmp-oauth",
        credentialProviderVendor: "GithubOauth2",
        oauth2ProviderConfigInput: { githubOauth2ProviderConfig: { clientId: "c", clientSecretConfig: { secretId: "agents/github-client", jsonKey: "client_secret" } } },
      }),
    );
    expect(ext.clientSecretSource).toBe("EXTERNAL");
    const vault = await ac().send(new GetTokenVaultCommand({}));
    expect(vault.kmsConfiguration!.keyType).toBe("CustomerManagedKey");
    const eu = new BedrockAgentCoreControlClient(clientConfig(sb, "eu-west-1"));
    expect((await eu.send(new GetTokenVaultCommand({}))).kmsConfiguration!.keyType).toBe("ServiceManagedKey");
    const set = await eu.send(new SetTokenVaultCMKCommand({ kmsConfiguration: { keyType: "ServiceManagedKey" } }));
    expect(set.tokenVaultId).toBe("default");
    expect((await ac().send(new ListWorkloadIdentitiesCommand({}))).workloadIdentities).toHaveLength(1);
  });
});

describe("AgentCore recommendations", () => {
  it("starts, gets, lists and deletes recommendations", async () => {
    const dp = new BedrockAgentCoreClient(clientConfig(sb));
    const started = await dp.send(
      new StartRecommendationCommand({
        name: "tmp-rec",
        type: "SYSTEM_PROMPT_RECOMMENDATION",
        recommendationConfig: { systemPromptRecommendationConfig: { systemPrompt: { text: "hi" }, agentTraces: { sessionSpans: [] } } },
      }),
    );
    expect(started.status).toBe("PENDING");
    const got = await dp.send(new GetRecommendationCommand({ recommendationId: started.recommendationId }));
    expect(got.recommendationArn).toBe(started.recommendationArn);
    const list = await dp.send(new ListRecommendationsCommand({}));
    expect(list.recommendationSummaries!.map((r) => r.recommendationId)).toContain(started.recommendationId);
    expect((await dp.send(new DeleteRecommendationCommand({ recommendationId: started.recommendationId }))).status).toBe("DELETING");
  });
});
