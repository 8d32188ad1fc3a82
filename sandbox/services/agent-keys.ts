// What each agent service checks of a customer managed key before it accepts it, per the
// documented key policies (AWS's pages for Bedrock agents, AgentCore Memory, gateways, the token
// vault and recommendations; the source documents for secrets).
import { AwsError, type CallContext } from "../core";
import type { KmsKey } from "../state";
import { policyPrincipal } from "../principals";

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

/**
 * Bedrock Agents: for agents created since January 22, 2025 the caller of the agent APIs uses the key
 * with its own permissions (kms:GenerateDataKey and Decrypt for the agent's encryption context); the
 * earlier policy lets bedrock.amazonaws.com do so. Either is accepted.
 */
export async function checkAgentKey(ctx: CallContext, key: KmsKey, agentArn: string): Promise<void> {
  const ec = { "aws:bedrock:arn": agentArn };
  const caller = ctx.caller.admin ? `arn:aws:iam::${ctx.account}:root` : policyPrincipal(ctx.caller);
  let callerCan = true;
  for (const op of ["GenerateDataKey", "Decrypt"]) if (!(await principalCan(ctx.state, key, caller, op, { "kms:EncryptionContext:aws:bedrock:arn": agentArn }))) callerCan = false;
  if (callerCan) return;
  await requireAll(
    ["GenerateDataKey", "Decrypt"],
    (op) => servicePrincipalCan(ctx.state, key, "bedrock.amazonaws.com", op, { ec, sourceAccount: ctx.account, sourceArn: agentArn }),
    "bedrock.amazonaws.com",
    key,
  );
}

const MEMORY_OPS = ["CreateGrant", "Decrypt", "DescribeKey", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo"];

/**
 * AgentCore Memory: AWS's page has the caller use the key through AgentCore with its own IAM
 * permissions (kms:ViaService), which the key policy must let IAM grant. A key policy that grants the
 * bedrock-agentcore.amazonaws.com service principal these actions for this account's memories is
 * also accepted.
 */
export async function checkMemoryKey(ctx: CallContext, key: KmsKey, memoryArn: string): Promise<void> {
  const caller = ctx.caller.admin ? `arn:aws:iam::${ctx.account}:root` : policyPrincipal(ctx.caller);
  const via = { "kms:ViaService": `bedrock-agentcore.${ctx.region}.amazonaws.com` };
  const callerMissing: string[] = [];
  for (const op of MEMORY_OPS) if (!(await principalCan(ctx.state, key, caller, op, via))) callerMissing.push(op);
  if (!callerMissing.length) return;
  const serviceCan = async (op: string) =>
    servicePrincipalCan(ctx.state, key, "bedrock-agentcore.amazonaws.com", op, { sourceAccount: ctx.account, sourceArn: memoryArn, forAwsResource: true });
  const serviceMissing: string[] = [];
  for (const op of MEMORY_OPS) if (!(await serviceCan(op))) serviceMissing.push(op);
  if (!serviceMissing.length) return;
  throw new AwsError(
    "ValidationException",
    `The key policy of ${key.arn} does not let the caller use the key through AgentCore (missing ${callerMissing.map((o) => `kms:${o}`).join(", ")}): allow the account's IAM policies to grant it (the account-root statement) and give the caller kms:CreateGrant, Decrypt, DescribeKey, GenerateDataKey*, ReEncrypt* through bedrock-agentcore.${ctx.region}.amazonaws.com.`,
  );
}

/** AgentCore Gateway: the gateway service role, through AgentCore, for the gateway's encryption context; grants constrained to it. */
export async function checkGatewayKey(ctx: CallContext, key: KmsKey, roleArn: string, gatewayArn: string): Promise<void> {
  await requireAll(
    ["CreateGrant", "DescribeKey", "Decrypt", "GenerateDataKey"],
    (op) =>
      principalCan(ctx.state, key, roleArn, op, {
        "kms:ViaService": `bedrock-agentcore.${ctx.region}.amazonaws.com`,
        "kms:EncryptionContext:aws:bedrock-agentcore-gateway:arn": gatewayArn,
        ...(op === "CreateGrant" ? { "kms:GrantConstraintType": "EncryptionContextSubset", "kms:GrantOperations": ["Decrypt", "GenerateDataKey"] } : {}),
      }),
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
