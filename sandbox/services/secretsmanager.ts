// AWS Secrets Manager: secrets encrypted under a KMS key (aws/secretsmanager by default), resource
// policies, rotation. GetSecretValue exists for AgentCore's own reads; Keyward never calls it.
import { randomBytes, randomUUID } from "node:crypto";

import { AwsError, requireStr, str, type CallContext, type ServiceHandlers } from "../core";
import { authorize } from "../principals";
import type { Secret, SandboxState } from "../state";
import { newKey, awsManagedKeyPolicy } from "../state";

import { findKey, open, principalCan, seal } from "./kms";
import { offsetPage } from "./paging";

const SECRET_ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** Finds a secret by name, full ARN or partial ARN (no random suffix), as Secrets Manager does. */
export function findSecret(state: SandboxState, id: string, region: string, account: string): Secret | undefined {
  const exact = state.secrets.get(id);
  if (exact) return exact;
  for (const s of state.secrets.values()) {
    if (s.region !== region && !id.startsWith("arn:")) continue;
    if (s.account !== account && !id.startsWith("arn:")) continue;
    if (s.name === id || s.arn.slice(0, -7) === id) return s;
  }
  return undefined;
}

function resolve(ctx: CallContext, id: string): Secret {
  const s = findSecret(ctx.state, id, ctx.region, ctx.account);
  if (!s) throw new AwsError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
  if (s.region !== ctx.region) throw new AwsError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
  ctx.trail.resources = [{ accountId: s.account, type: "AWS::SecretsManager::Secret", ARN: s.arn }];
  return s;
}

export function secretArn(region: string, account: string, name: string, suffixSeed?: string): string {
  let suffix = "";
  const bytes = suffixSeed ? Buffer.from(suffixSeed.padEnd(6, "x")) : randomBytes(6);
  for (let i = 0; i < 6; i++) suffix += SECRET_ID_CHARS[bytes[i] % SECRET_ID_CHARS.length];
  return `arn:aws:secretsmanager:${region}:${account}:secret:${name}-${suffix}`;
}

/** The aws/secretsmanager key of a region, created on first use as AWS does. */
export function awsManagedKey(state: SandboxState, region: string, account: string, service = "secretsmanager") {
  const aliasArn = `arn:aws:kms:${region}:${account}:alias/aws/${service}`;
  const alias = state.aliases.get(aliasArn);
  if (alias?.targetKeyId) {
    const k = state.keys.get(`arn:aws:kms:${region}:${account}:key/${alias.targetKeyId}`);
    if (k) return k;
  }
  const id = randomUUID();
  const key = newKey(state, {
    id,
    account,
    region,
    createdAt: new Date(),
    manager: "AWS",
    rotation: true,
    description: `Default key that protects my ${service === "secretsmanager" ? "Secrets Manager" : service} data when no other key is defined`,
    policy: awsManagedKeyPolicy(account, service).replace("${region}", region),
  });
  state.aliases.set(aliasArn, { name: `alias/aws/${service}`, arn: aliasArn, targetKeyId: id, account, region, createdAt: key.createdAt });
  return key;
}

function describe(s: Secret) {
  return {
    ARN: s.arn,
    Name: s.name,
    Description: s.description || undefined,
    KmsKeyId: s.kmsKeyId,
    RotationEnabled: s.rotationEnabled,
    RotationLambdaARN: s.rotationLambdaArn,
    RotationRules: s.rotationDays ? { AutomaticallyAfterDays: s.rotationDays } : undefined,
    LastChangedDate: s.lastChangedDate,
    LastAccessedDate: s.lastAccessedDate,
    NextRotationDate: s.rotationEnabled && s.rotationDays ? new Date(s.lastChangedDate.getTime() + s.rotationDays * 86_400_000) : undefined,
    Tags: s.tags,
    OwningService: s.owningService,
    CreatedDate: s.createdAt,
  };
}

export function createSecretRecord(
  state: SandboxState,
  p: {
    name: string;
    region: string;
    account: string;
    description?: string;
    kmsKeyId?: string;
    value: string;
    tags?: { Key: string; Value: string }[];
    createdAt: Date;
    owningService?: string;
    arn?: string;
  },
): Secret {
  const arn = p.arn ?? secretArn(p.region, p.account, p.name);
  const s: Secret = {
    arn,
    name: p.name,
    account: p.account,
    region: p.region,
    description: p.description ?? "",
    kmsKeyId: p.kmsKeyId,
    createdAt: p.createdAt,
    lastChangedDate: p.createdAt,
    rotationEnabled: false,
    policy: undefined,
    tags: p.tags ?? [],
    value: p.value,
    versionId: randomUUID(),
    owningService: p.owningService,
  };
  state.secrets.set(arn, s);
  return s;
}

function keyFor(state: SandboxState, s: Secret) {
  return s.kmsKeyId ? findKey(state, s.kmsKeyId, s.region, s.account) : awsManagedKey(state, s.region, s.account);
}

export const secretsManagerHandlers: ServiceHandlers = {
  async ListSecrets(ctx, input) {
    if (!ctx.caller.admin) await authorize(ctx, { action: "secretsmanager:ListSecrets", resourceArn: "*" });
    const max = (input.MaxResults as number | undefined) ?? 100;
    if (max < 1 || max > 100) throw new AwsError("InvalidParameterException", "MaxResults must be between 1 and 100.");
    let list = [...ctx.state.secrets.values()].filter((s) => s.region === ctx.region && s.account === ctx.account);
    for (const f of (input.Filters as { Key?: string; Values?: string[] }[] | undefined) ?? []) {
      if (f.Key === "name") list = list.filter((s) => (f.Values ?? []).some((v) => s.name.startsWith(v)));
    }
    list.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    const p = offsetPage(list, str(input, "NextToken"), max, new AwsError("InvalidNextTokenException", "The NextToken value is invalid."));
    return { SecretList: p.items.map(describe), NextToken: p.next };
  },

  async DescribeSecret(ctx, input) {
    const s = resolve(ctx, requireStr(input, "SecretId"));
    await authorize(ctx, { action: "secretsmanager:DescribeSecret", resourceArn: s.arn, resourcePolicy: s.policy });
    return describe(s);
  },

  async CreateSecret(ctx, input) {
    const name = requireStr(input, "Name");
    if (!/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(name))
      throw new AwsError("InvalidParameterException", "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!");
    if ([...ctx.state.secrets.values()].some((s) => s.name === name && s.region === ctx.region && s.account === ctx.account)) {
      throw new AwsError("ResourceExistsException", `The operation failed because the secret ${name} already exists.`);
    }
    if (!ctx.caller.admin) await authorize(ctx, { action: "secretsmanager:CreateSecret", resourceArn: `arn:aws:secretsmanager:${ctx.region}:${ctx.account}:secret:${name}` });
    const kmsKeyId = str(input, "KmsKeyId");
    if (kmsKeyId) {
      const key = findKey(ctx.state, kmsKeyId, ctx.region, ctx.account);
      if (!key) throw new AwsError("InvalidRequestException", `The KMS key ${kmsKeyId} is not found or not in the secret's Region.`);
      if (key.state !== "Enabled") throw new AwsError("EncryptionFailure", `Secrets Manager can't encrypt the secret: the KMS key ${key.arn} is ${key.state}.`);
    }
    const value = str(input, "SecretString") ?? "";
    const s = createSecretRecord(ctx.state, {
      name,
      region: ctx.region,
      account: ctx.account,
      description: str(input, "Description"),
      kmsKeyId,
      value,
      tags: input.Tags as { Key: string; Value: string }[] | undefined,
      createdAt: ctx.now,
    });
    ctx.trail.resources = [{ accountId: s.account, type: "AWS::SecretsManager::Secret", ARN: s.arn }];
    ctx.trail.responseElements = { aRN: s.arn, name: s.name, versionId: s.versionId };
    return { ARN: s.arn, Name: s.name, VersionId: s.versionId };
  },

  async GetResourcePolicy(ctx, input) {
    const s = resolve(ctx, requireStr(input, "SecretId"));
    await authorize(ctx, { action: "secretsmanager:GetResourcePolicy", resourceArn: s.arn, resourcePolicy: s.policy });
    return { ARN: s.arn, Name: s.name, ResourcePolicy: s.policy };
  },

  async PutResourcePolicy(ctx, input) {
    const s = resolve(ctx, requireStr(input, "SecretId"));
    const text = requireStr(input, "ResourcePolicy");
    let doc: { Statement?: unknown };
    try {
      doc = JSON.parse(text) as { Statement?: unknown };
    } catch {
      throw new AwsError("MalformedPolicyDocumentException", "The resource policy has syntax errors.");
    }
    if (!doc || !doc.Statement) throw new AwsError("MalformedPolicyDocumentException", "The resource policy has no Statement.");
    if (input.BlockPublicPolicy === true) {
      const sts = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
      const open = (sts as { Effect?: string; Principal?: unknown; Condition?: unknown }[]).some(
        (st) => st.Effect === "Allow" && (st.Principal === "*" || (st.Principal as { AWS?: unknown })?.AWS === "*") && !st.Condition,
      );
      if (open) throw new AwsError("PublicPolicyException", "The BlockPublicPolicy parameter is set to true, and the resource policy did not prevent broad access to the secret.");
    }
    await authorize(ctx, { action: "secretsmanager:PutResourcePolicy", resourceArn: s.arn, resourcePolicy: s.policy });
    s.policy = text;
    ctx.trail.responseElements = { aRN: s.arn, name: s.name };
    return { ARN: s.arn, Name: s.name };
  },

  async DeleteResourcePolicy(ctx, input) {
    const s = resolve(ctx, requireStr(input, "SecretId"));
    await authorize(ctx, { action: "secretsmanager:DeleteResourcePolicy", resourceArn: s.arn, resourcePolicy: s.policy });
    s.policy = undefined;
    return { ARN: s.arn, Name: s.name };
  },

  async RotateSecret(ctx, input) {
    const s = resolve(ctx, requireStr(input, "SecretId"));
    await authorize(ctx, { action: "secretsmanager:RotateSecret", resourceArn: s.arn, resourcePolicy: s.policy });
    const lambda = str(input, "RotationLambdaARN") ?? s.rotationLambdaArn;
    if (!lambda) throw new AwsError("InvalidRequestException", "No Lambda rotation function ARN is associated with this secret.");
    const rules = input.RotationRules as { AutomaticallyAfterDays?: number } | undefined;
    s.rotationEnabled = true;
    s.rotationLambdaArn = lambda;
    s.rotationDays = rules?.AutomaticallyAfterDays ?? s.rotationDays ?? 30;
    s.versionId = randomUUID();
    s.lastChangedDate = ctx.now;
    return { ARN: s.arn, Name: s.name, VersionId: s.versionId };
  },

  async GetSecretValue(ctx, input) {
    const id = requireStr(input, "SecretId");
    const s = resolve(ctx, id);
    ctx.trail.requestParameters = { secretId: id };
    await authorize(ctx, { action: "secretsmanager:GetSecretValue", resourceArn: s.arn, resourcePolicy: s.policy });
    // Secrets Manager decrypts with the secret's key on the caller's behalf (kms:ViaService).
    const key = keyFor(ctx.state, s);
    if (!key) throw new AwsError("DecryptionFailure", "Secrets Manager can't decrypt the protected secret text using the provided KMS key.");
    if (key.state !== "Enabled") throw new AwsError("DecryptionFailure", `Secrets Manager can't decrypt the protected secret text: the KMS key ${key.arn} is ${key.state}.`);
    if (key.manager === "CUSTOMER" && !ctx.caller.admin) {
      const ok = await principalCan(ctx.state, key, ctx.caller.roleArn ?? ctx.caller.arn, "Decrypt", {
        "kms:ViaService": `secretsmanager.${s.region}.amazonaws.com`,
        "kms:EncryptionContext:SecretARN": s.arn,
        "kms:EncryptionContext:SecretVersionId": s.versionId,
      });
      if (!ok) throw new AwsError("AccessDeniedException", `Access to KMS is not allowed. The caller is not authorized to perform kms:Decrypt on ${key.arn}.`);
    }
    const ec = { SecretARN: s.arn, SecretVersionId: s.versionId };
    const plaintext = open(key, seal(key, Buffer.from(s.value), ec), ec).toString();
    s.lastAccessedDate = new Date(Date.UTC(ctx.now.getUTCFullYear(), ctx.now.getUTCMonth(), ctx.now.getUTCDate()));
    return { ARN: s.arn, Name: s.name, VersionId: s.versionId, SecretString: plaintext, VersionStages: ["AWSCURRENT"], CreatedDate: s.lastChangedDate };
  },
};
