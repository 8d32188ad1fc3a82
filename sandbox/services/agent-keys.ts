// What each agent service checks of a customer managed key before it accepts it, per the
// documented key policies (seeds 000-002, 004; AgentCore gateway and token-vault docs).
import { AwsError, type CallContext } from "../core";
import type { KmsKey } from "../state";

import { findKey, principalCan, servicePrincipalCan } from "./kms";

export function keyForResource(ctx: CallContext, arn: string, what: string): KmsKey {
  const region = arn.split(":")[3];
  const key = arn.startsWith("arn:aws:kms:") ? findKey(ctx.state, arn, region, arn.split(":")[4]) : undefined;
  if (!key) throw new AwsError("ValidationException", `The KMS key ${arn} provided for ${what} was not found or is not accessible.`);
  if (key.region !== ctx.region) throw new AwsError("ValidationException", `The KMS key ${arn} must be in the same Region (${ctx.region}) as the ${what}.`);
  if (key.state === "Disabled") throw new AwsError("ValidationException", `The KMS key ${arn} is disabled.`);
  if (key.state === "PendingDeletion") throw new AwsError("ValidationException", `The KMS key ${arn} is pending deletion.`);
  if (key.spec !== "SYMMETRIC_DEFAULT" || key.usage !== "ENCRYPT_DECRYPT") {
    throw new AwsError("ValidationException", `The KMS key ${arn} must be a symmetric encryption key (found ${key.spec}).`);
  }
  return key;
}

async function requireAll(ops: string[], can: (op: string) => Promise<boolean>, who: string, key: KmsKey): Promise<void> {
  const missing: string[] = [];
  for (const op of ops) if (!(await can(op))) missing.push(`kms:${op}`);
  if (missing.length) {
    throw new AwsError("ValidationException", `The key policy of ${key.arn} does not allow ${who} to perform ${missing.join(", ")}.`);
  }
}

/** Bedrock Agents: bedrock.amazonaws.com GenerateDataKey + Decrypt with aws:bedrock:arn = the agent. */
export async function checkAgentKey(ctx: CallContext, key: KmsKey, agentArn: string): Promise<void> {
  const ec = { "aws:bedrock:arn": agentArn };
  await requireAll(
    ["GenerateDataKey", "Decrypt"],
    (op) => servicePrincipalCan(ctx.state, key, "bedrock.amazonaws.com", op, { ec, sourceAccount: ctx.account, sourceArn: agentArn }),
    "bedrock.amazonaws.com",
    key,
  );
}

/** AgentCore Memory: the service principal needs the seed-002 actions. */
export async function checkMemoryKey(ctx: CallContext, key: KmsKey, memoryArn: string): Promise<void> {
  await requireAll(
    ["CreateGrant", "Decrypt", "DescribeKey", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo"],
    (op) => servicePrincipalCan(ctx.state, key, "bedrock-agentcore.amazonaws.com", op, { sourceAccount: ctx.account, sourceArn: memoryArn, forAwsResource: true }),
    "bedrock-agentcore.amazonaws.com",
    key,
  );
}

/** AgentCore Gateway: the gateway service role needs CreateGrant, DescribeKey, Decrypt, GenerateDataKey. */
export async function checkGatewayKey(ctx: CallContext, key: KmsKey, roleArn: string): Promise<void> {
  await requireAll(
    ["CreateGrant", "DescribeKey", "Decrypt", "GenerateDataKey"],
    (op) => principalCan(ctx.state, key, roleArn, op, { "kms:ViaService": `bedrock-agentcore.${ctx.region}.amazonaws.com` }),
    roleArn,
    key,
  );
}

/** Token vault: the caller, via bedrock-agentcore-identity, with the token-vault encryption context. */
export async function checkTokenVaultKey(ctx: CallContext, key: KmsKey, principalArn: string): Promise<void> {
  const vault = `arn:aws:bedrock-agentcore:${ctx.region}:${ctx.account}:token-vault/default`;
  const via = `bedrock-agentcore-identity.${ctx.region}.amazonaws.com`;
  await requireAll(
    ["Encrypt", "Decrypt", "GenerateDataKeyWithoutPlaintext"],
    (op) =>
      principalCan(ctx.state, key, principalArn, op, {
        "kms:ViaService": via,
        "kms:EncryptionContext:aws-crypto-ec:aws:bedrock-agentcore-identity:token-vault-arn": vault,
        "aws:ResourceAccount": key.account,
      }),
    principalArn,
    key,
  );
  await requireAll(["DescribeKey"], (op) => principalCan(ctx.state, key, principalArn, op, { "kms:ViaService": via, "aws:ResourceAccount": key.account }), principalArn, key);
}

/** Recommendations: a dry run of the caller's own KMS access (forward access sessions, seed 001). */
export async function checkRecommendationKey(ctx: CallContext, key: KmsKey, principalArn: string, recommendationArn: string): Promise<void> {
  const ec = { "kms:EncryptionContext:aws:bedrock-agentcore:recommendationArn": recommendationArn, "kms:ViaService": `bedrock-agentcore.${ctx.region}.amazonaws.com` };
  const ok =
    (await principalCan(ctx.state, key, principalArn, "DescribeKey")) &&
    (await principalCan(ctx.state, key, principalArn, "GenerateDataKey", ec)) &&
    (await principalCan(ctx.state, key, principalArn, "Decrypt", ec));
  if (!ok)
    throw new AwsError("ValidationException", `The caller is not authorized to use the KMS key ${key.arn} (kms:DescribeKey, kms:GenerateDataKey and kms:Decrypt are required).`);
}
