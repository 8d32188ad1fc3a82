// AWS KMS: keys, aliases, policies, rotation, grants, tags and real AES-256-GCM envelope crypto
// whose ciphertext is bound to the encryption context. Key state and key policy are enforced.
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from "node:crypto";

import { AwsError, requireStr, str, type CallContext, type ServiceHandlers } from "../core";
import { authorize, identityPoliciesFor, policyPrincipal } from "../principals";
import { newKey, type Grant, type KmsKey, type SandboxState } from "../state";
import { ALLOW_ALL_POLICY, evaluate } from "../../lib/policy/evaluate";

import { offsetPage } from "./paging";

const ADMIN_POLICY = { name: "admin", policy: ALLOW_ALL_POLICY };
const MAX_POLICY_BYTES = 32 * 1024;
const MAGIC = Buffer.from("KWv1");

// ------------------------------------------------------------------ lookup

export function findKey(state: SandboxState, ref: string, region: string, account: string): KmsKey | undefined {
  if (ref.startsWith("arn:")) {
    const parts = ref.split(":");
    if (parts[2] !== "kms") return undefined;
    if (parts[5]?.startsWith("alias/")) {
      const alias = state.aliases.get(ref);
      return alias?.targetKeyId ? state.keys.get(`arn:aws:kms:${parts[3]}:${parts[4]}:key/${alias.targetKeyId}`) : undefined;
    }
    return state.keys.get(ref);
  }
  if (ref.startsWith("alias/")) {
    const alias = state.aliases.get(`arn:aws:kms:${region}:${account}:${ref}`);
    return alias?.targetKeyId ? state.keys.get(`arn:aws:kms:${region}:${account}:key/${alias.targetKeyId}`) : undefined;
  }
  return state.keys.get(`arn:aws:kms:${region}:${account}:key/${ref}`);
}

function resolve(ctx: CallContext, ref: string): KmsKey {
  if (ref.startsWith("arn:")) {
    const region = ref.split(":")[3];
    if (region && region !== ctx.region) throw new AwsError("NotFoundException", `Invalid arn ${region}`);
  }
  const key = findKey(ctx.state, ref, ctx.region, ctx.account);
  if (!key) {
    const shown = ref.startsWith("arn:")
      ? ref
      : ref.startsWith("alias/")
        ? `Alias arn:aws:kms:${ctx.region}:${ctx.account}:${ref}`
        : `Key 'arn:aws:kms:${ctx.region}:${ctx.account}:key/${ref}'`;
    throw new AwsError("NotFoundException", ref.startsWith("arn:") ? `Key '${shown}' does not exist` : `${shown} is not found.`);
  }
  ctx.trail.resources = [{ accountId: key.account, type: "AWS::KMS::Key", ARN: key.arn }];
  ctx.trail.keyArn = key.arn;
  return key;
}

function isSymmetric(key: KmsKey): boolean {
  return key.spec === "SYMMETRIC_DEFAULT" && key.usage === "ENCRYPT_DECRYPT";
}

function requireUsable(key: KmsKey): void {
  if (key.state === "Disabled") throw new AwsError("DisabledException", `${key.arn} is disabled.`);
  if (key.state === "PendingDeletion") throw new AwsError("KMSInvalidStateException", `${key.arn} is pending deletion.`);
  if (key.state !== "Enabled") throw new AwsError("KMSInvalidStateException", `${key.arn} is ${key.state}.`);
}

function requireSymmetric(key: KmsKey, op: string): void {
  if (!isSymmetric(key)) {
    throw new AwsError("InvalidKeyUsageException", `You cannot generate a data key or perform ${op} with an asymmetric or non-encryption KMS key (${key.spec}, ${key.usage}).`);
  }
}

function ecContext(ec: Record<string, string> | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (!ec) return out;
  for (const [k, v] of Object.entries(ec)) out[`kms:EncryptionContext:${k}`] = v;
  out["kms:EncryptionContextKeys"] = Object.keys(ec);
  return out;
}

function grantAllows(key: KmsKey, principal: string, op: string, ec: Record<string, string> | undefined): boolean {
  return key.grants.some((g) => {
    if (g.GranteePrincipal !== principal || !g.Operations.includes(op)) return false;
    const c = g.Constraints;
    if (c?.EncryptionContextEquals) {
      const want = c.EncryptionContextEquals;
      const have = ec ?? {};
      if (Object.keys(want).length !== Object.keys(have).length) return false;
      if (!Object.entries(want).every(([k, v]) => have[k] === v)) return false;
    }
    if (c?.EncryptionContextSubset && !Object.entries(c.EncryptionContextSubset).every(([k, v]) => ec?.[k] === v)) return false;
    return true;
  });
}

/** Key policy + IAM + grants, as KMS decides. */
async function authorizeKey(ctx: CallContext, key: KmsKey, op: string, extra: Record<string, string | string[]> = {}, ec?: Record<string, string>): Promise<void> {
  const principal = policyPrincipal(ctx.caller);
  if (grantAllows(key, principal, op, ec)) return;
  await authorize(ctx, {
    action: `kms:${op}`,
    resourceArn: key.arn,
    resourceAccount: key.account,
    resourcePolicy: key.policy,
    context: { "kms:CallerAccount": ctx.caller.account, ...ecContext(ec), ...extra },
    deniedMessage: (arn) => `User: ${arn} is not authorized to perform: kms:${op} on resource: ${key.arn} because no resource-based policy allows the kms:${op} action`,
  });
}

/** Can a service principal perform `op` on the key for a resource? Used by Bedrock and AgentCore. */
export async function servicePrincipalCan(
  state: SandboxState,
  key: KmsKey,
  servicePrincipal: string,
  op: string,
  context: { ec?: Record<string, string>; sourceArn?: string; sourceAccount?: string; viaService?: string; callerAccount?: string; forAwsResource?: boolean },
): Promise<boolean> {
  if (grantAllows(key, servicePrincipal, op, context.ec)) return true;
  const r = await evaluate({
    principal: servicePrincipal,
    action: `kms:${op}`,
    resourceArn: key.arn,
    resourceAccount: key.account,
    resourcePolicy: JSON.parse(key.policy),
    context: {
      ...ecContext(context.ec),
      ...(context.sourceArn ? { "aws:SourceArn": context.sourceArn } : {}),
      ...(context.sourceAccount ? { "aws:SourceAccount": context.sourceAccount } : {}),
      ...(context.viaService ? { "kms:ViaService": context.viaService } : {}),
      ...(context.callerAccount ? { "kms:CallerAccount": context.callerAccount } : {}),
      ...(context.forAwsResource !== undefined ? { "kms:GrantIsForAWSResource": String(context.forAwsResource) } : {}),
    },
  });
  return r.decision === "Allowed";
}

/** Can an IAM principal (role ARN) use the key, by key policy + its identity policies? */
export async function principalCan(state: SandboxState, key: KmsKey, principalArn: string, op: string, context: Record<string, string | string[]> = {}): Promise<boolean> {
  if (grantAllows(key, principalArn, op, undefined)) return true;
  const r = await evaluate({
    principal: principalArn,
    action: `kms:${op}`,
    resourceArn: key.arn,
    resourceAccount: key.account,
    resourcePolicy: JSON.parse(key.policy),
    identityPolicies: principalArn.endsWith(":root") ? [ADMIN_POLICY] : identityPoliciesFor(state, principalArn),
    context: { "kms:CallerAccount": principalArn.split(":")[4] ?? "", ...context },
  });
  return r.decision === "Allowed";
}

// ------------------------------------------------------------------ crypto

function aad(ec: Record<string, string> | undefined): Buffer {
  const sorted = Object.keys(ec ?? {})
    .sort()
    .map((k) => [k, ec![k]]);
  return Buffer.from(JSON.stringify(sorted));
}

export function seal(key: KmsKey, plaintext: Buffer, ec?: Record<string, string>): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key.material, iv);
  cipher.setAAD(aad(ec));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const arn = Buffer.from(key.arn);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(arn.length);
  return Buffer.concat([MAGIC, len, arn, iv, cipher.getAuthTag(), ct]);
}

function keyArnOf(blob: Buffer): string | undefined {
  if (blob.length < 6 || !blob.subarray(0, 4).equals(MAGIC)) return undefined;
  const n = blob.readUInt16BE(4);
  return blob.subarray(6, 6 + n).toString();
}

export function open(key: KmsKey, blob: Buffer, ec?: Record<string, string>): Buffer {
  const n = blob.readUInt16BE(4);
  let o = 6 + n;
  const iv = blob.subarray(o, (o += 12));
  const tag = blob.subarray(o, (o += 16));
  const ct = blob.subarray(o);
  try {
    const d = createDecipheriv("aes-256-gcm", key.material, iv);
    d.setAAD(aad(ec));
    d.setAuthTag(tag);
    return Buffer.concat([d.update(ct), d.final()]);
  } catch {
    throw new AwsError("InvalidCiphertextException", "");
  }
}

function dataKeyBytes(input: Record<string, unknown>): number {
  const n = input.NumberOfBytes as number | undefined;
  const spec = str(input, "KeySpec");
  if (n !== undefined && spec) throw new AwsError("ValidationException", "Please specify either number of bytes or key spec.");
  if (n !== undefined) {
    if (n < 1 || n > 1024)
      throw new AwsError("ValidationException", "1 validation error detected: Value at 'numberOfBytes' failed to satisfy constraint: Member must have value between 1 and 1024");
    return n;
  }
  if (spec === "AES_256") return 32;
  if (spec === "AES_128") return 16;
  throw new AwsError("ValidationException", "Please specify either number of bytes or key spec.");
}

// ------------------------------------------------------------------ shapes

export function keyMetadata(key: KmsKey): Record<string, unknown> {
  const sym = isSymmetric(key);
  return {
    KeyId: key.id,
    AWSAccountId: key.account,
    Arn: key.arn,
    CreationDate: key.createdAt,
    Enabled: key.state === "Enabled",
    Description: key.description,
    KeyUsage: key.usage,
    KeyState: key.state,
    DeletionDate: key.state === "PendingDeletion" ? key.deletionDate : undefined,
    PendingDeletionWindowInDays: key.state === "PendingDeletion" ? key.pendingWindowDays : undefined,
    Origin: key.origin,
    KeyManager: key.manager,
    CustomerMasterKeySpec: key.spec,
    KeySpec: key.spec,
    EncryptionAlgorithms: sym ? ["SYMMETRIC_DEFAULT"] : key.usage === "ENCRYPT_DECRYPT" ? ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"] : undefined,
    SigningAlgorithms: key.usage === "SIGN_VERIFY" ? (key.spec.startsWith("RSA") ? ["RSASSA_PSS_SHA_256", "RSASSA_PKCS1_V1_5_SHA_256"] : ["ECDSA_SHA_256"]) : undefined,
    MacAlgorithms: key.usage === "GENERATE_VERIFY_MAC" ? ["HMAC_SHA_256"] : undefined,
    MultiRegion: key.multiRegion,
    MultiRegionConfiguration: key.multiRegion ? { MultiRegionKeyType: "PRIMARY", PrimaryKey: { Arn: key.arn, Region: key.region }, ReplicaKeys: [] } : undefined,
    CurrentKeyMaterialId: sym ? key.material.subarray(0, 32).toString("hex") : undefined,
  };
}

function page<T>(items: T[], input: Record<string, unknown>, max: number, def: number): { items: T[]; next?: string } {
  const limit = input.Limit as number | undefined;
  if (limit !== undefined && (limit < 1 || limit > max)) {
    throw new AwsError(
      "ValidationException",
      `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to ${max}`,
    );
  }
  return offsetPage(items, str(input, "Marker"), limit ?? def, new AwsError("InvalidMarkerException", "Invalid marker"));
}

function parsePolicy(text: string): void {
  if (Buffer.byteLength(text) > MAX_POLICY_BYTES) {
    throw new AwsError("MalformedPolicyDocumentException", `The key policy is larger than the maximum size of ${MAX_POLICY_BYTES} bytes.`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new AwsError("MalformedPolicyDocumentException", "The new key policy contains invalid JSON.");
  }
  const d = doc as { Statement?: unknown };
  if (!d || typeof d !== "object" || !d.Statement) {
    throw new AwsError("MalformedPolicyDocumentException", "The new key policy has no Statement.");
  }
  const statements = Array.isArray(d.Statement) ? d.Statement : [d.Statement];
  for (const st of statements as Record<string, unknown>[]) {
    if (!st || typeof st !== "object" || !["Allow", "Deny"].includes(String(st.Effect)) || (!st.Principal && !st.NotPrincipal) || (!st.Action && !st.NotAction)) {
      throw new AwsError("MalformedPolicyDocumentException", "Policy contains a statement with no principal, no action or an invalid effect.");
    }
  }
}

// ------------------------------------------------------------------ handlers

export const kmsHandlers: ServiceHandlers = {
  async CreateKey(ctx, input) {
    const spec = str(input, "KeySpec") ?? str(input, "CustomerMasterKeySpec") ?? "SYMMETRIC_DEFAULT";
    const usage = str(input, "KeyUsage") ?? (spec.startsWith("HMAC") ? "GENERATE_VERIFY_MAC" : "ENCRYPT_DECRYPT");
    if (spec === "SYMMETRIC_DEFAULT" && usage !== "ENCRYPT_DECRYPT") throw new AwsError("ValidationException", `KeyUsage ${usage} is not compatible with KeySpec ${spec}`);
    const policy = str(input, "Policy");
    if (policy !== undefined) parsePolicy(policy);
    if (!ctx.caller.admin) {
      await authorize(ctx, { action: "kms:CreateKey", resourceArn: "*" });
    }
    const multiRegion = input.MultiRegion === true;
    const id = multiRegion ? `mrk-${randomUUID().replace(/-/g, "")}` : randomUUID();
    const key = newKey(ctx.state, {
      id,
      account: ctx.account,
      region: ctx.region,
      createdAt: ctx.now,
      description: str(input, "Description") ?? "",
      spec,
      usage,
      policy,
      multiRegion,
      tags: ((input.Tags as { TagKey: string; TagValue: string }[] | undefined) ?? []).map((t) => ({ TagKey: t.TagKey, TagValue: t.TagValue })),
    });
    if (policy !== undefined && input.BypassPolicyLockoutSafetyCheck !== true && !ctx.caller.admin) {
      // The lockout check: the creator must be able to change the policy later.
      if (!(await principalCan(ctx.state, key, policyPrincipal(ctx.caller), "PutKeyPolicy"))) {
        ctx.state.keys.delete(key.arn);
        throw new AwsError("MalformedPolicyDocumentException", "The new key policy will not allow you to update the key policy in the future.");
      }
    }
    ctx.trail.resources = [{ accountId: key.account, type: "AWS::KMS::Key", ARN: key.arn }];
    ctx.trail.responseElements = { keyMetadata: { ...keyMetadata(key), CreationDate: undefined } };
    return { KeyMetadata: keyMetadata(key) };
  },

  async DescribeKey(ctx, input) {
    const key = resolve(ctx, requireStr(input, "KeyId"));
    await authorizeKey(ctx, key, "DescribeKey");
    return { KeyMetadata: keyMetadata(key) };
  },

  async ListKeys(ctx, input) {
    if (!ctx.caller.admin) await authorize(ctx, { action: "kms:ListKeys", resourceArn: "*" });
    const keys = [...ctx.state.keys.values()].filter((k) => k.region === ctx.region && k.account === ctx.account);
    const p = page(keys, input, 1000, 100);
    return { Keys: p.items.map((k) => ({ KeyId: k.id, KeyArn: k.arn })), NextMarker: p.next, Truncated: !!p.next };
  },

  async ListAliases(ctx, input) {
    if (!ctx.caller.admin) await authorize(ctx, { action: "kms:ListAliases", resourceArn: "*" });
    let aliases = [...ctx.state.aliases.values()].filter((a) => a.region === ctx.region && a.account === ctx.account);
    const keyId = str(input, "KeyId");
    if (keyId) {
      const key = resolve(ctx, keyId);
      aliases = aliases.filter((a) => a.targetKeyId === key.id);
    }
    aliases.sort((a, b) => a.name.localeCompare(b.name));
    const p = page(aliases, input, 100, 50);
    return {
      Aliases: p.items.map((a) => ({ AliasName: a.name, AliasArn: a.arn, TargetKeyId: a.targetKeyId, CreationDate: a.createdAt, LastUpdatedDate: a.createdAt })),
      NextMarker: p.next,
      Truncated: !!p.next,
    };
  },

  async CreateAlias(ctx, input) {
    const name = requireStr(input, "AliasName");
    if (!/^alias\/[a-zA-Z0-9/_-]{1,250}$/.test(name)) throw new AwsError("ValidationException", "Alias must begin with 'alias/' followed by letters, digits, '/', '_' or '-'.");
    if (name.startsWith("alias/aws/")) throw new AwsError("NotAuthorizedException", "Alias names starting with alias/aws/ are reserved for AWS managed keys.");
    const key = resolve(ctx, requireStr(input, "TargetKeyId"));
    await authorizeKey(ctx, key, "CreateAlias");
    const arn = `arn:aws:kms:${ctx.region}:${ctx.account}:${name}`;
    if (ctx.state.aliases.has(arn)) throw new AwsError("AlreadyExistsException", `An alias with the name ${arn} already exists`);
    ctx.state.aliases.set(arn, { name, arn, targetKeyId: key.id, account: ctx.account, region: ctx.region, createdAt: ctx.now });
    return {};
  },

  async DeleteAlias(ctx, input) {
    const name = requireStr(input, "AliasName");
    const arn = `arn:aws:kms:${ctx.region}:${ctx.account}:${name}`;
    const alias = ctx.state.aliases.get(arn);
    if (!alias?.targetKeyId) throw new AwsError("NotFoundException", `Alias ${arn} is not found.`);
    const key = resolve(ctx, alias.targetKeyId);
    await authorizeKey(ctx, key, "DeleteAlias");
    ctx.state.aliases.delete(arn);
    return {};
  },

  async GetKeyPolicy(ctx, input) {
    const key = resolve(ctx, requireStr(input, "KeyId"));
    const name = str(input, "PolicyName") ?? "default";
    if (name !== "default") throw new AwsError("NotFoundException", `No such policy exists: ${name}`);
    await authorizeKey(ctx, key, "GetKeyPolicy");
    return { Policy: key.policy, PolicyName: "default" };
  },

  async PutKeyPolicy(ctx, input) {
    const key = resolve(ctx, requireStr(input, "KeyId"));
    const policy = requireStr(input, "Policy");
    parsePolicy(policy);
    if (key.manager === "AWS") throw new AwsError("AccessDeniedException", `You cannot change the key policy of an AWS managed key (${key.arn}).`);
    await authorizeKey(ctx, key, "PutKeyPolicy");
    const before = key.policy;
    key.policy = policy;
    if (input.BypassPolicyLockoutSafetyCheck !== true) {
      const principal = ctx.caller.admin ? `arn:aws:iam::${ctx.account}:root` : policyPrincipal(ctx.caller);
      const can = ctx.caller.admin
        ? (
            await evaluate({
              principal,
              action: "kms:PutKeyPolicy",
              resourceArn: key.arn,
              resourceAccount: key.account,
              resourcePolicy: JSON.parse(policy),
              identityPolicies: [ADMIN_POLICY],
            })
          ).decision === "Allowed"
        : await principalCan(ctx.state, key, principal, "PutKeyPolicy");
      if (!can) {
        key.policy = before;
        throw new AwsError("MalformedPolicyDocumentException", "The new key policy will not allow you to update the key policy in the future.");
      }
    }
    ctx.trail.requestParameters = { keyId: key.arn, policyName: "default", policy, bypassPolicyLockoutSafetyCheck: input.BypassPolicyLockoutSafetyCheck === true };
    return {};
  },

  async GetKeyRotationStatus(ctx, input) {
    const key = resolve(ctx, requireStr(input, "KeyId"));
    await authorizeKey(ctx, key, "GetKeyRotationStatus");
    if (!isSymmetric(key)) throw new AwsError("UnsupportedOperationException", `${key.arn} key usage or spec does not support automatic key rotation.`);
    return {
      KeyRotationEnabled: key.rotation,
      KeyId: key.arn,
      RotationPeriodInDays: key.rotation ? key.rotationPeriodDays : undefined,
      NextRotationDate: key.rotation
        ? (key.nextRotationDate ??
          new Date(key.createdAt.getTime() + key.rotationPeriodDays * 86_400_000 * Math.ceil((Date.now() - key.createdAt.getTime()) / (key.rotationPeriodDays * 86_400_000) || 1)))
        : undefined,
    };
  },

  async EnableKeyRotation(ctx, input) {
    const key = resolve(ctx, requireStr(input, "KeyId"));
    await authorizeKey(ctx, key, "EnableKeyRotation");
    if (!isSymmetric(key)) throw new AwsError("UnsupportedOperationException", `${key.arn} key usage or spec does not support automatic key rotation.`);
    if (key.state === "Disabled") throw new AwsError("DisabledException", `${key.arn} is disabled.`);
    if (key.state === "PendingDeletion") throw new AwsError("KMSInvalidStateException", `${key.arn} is pending deletion.`);
    const period = input.RotationPeriodInDays as number | undefined;
    if (period !== undefined && (period < 90 || period > 2560)) throw new AwsError("ValidationException", "RotationPeriodInDays must be between 90 and 2560.");
    key.rotation = true;
    key.rotationPeriodDays = period ?? 365;
    key.nextRotationDate = new Date(ctx.now.getTime() + key.rotationPeriodDays * 86_400_000);
    return {};
  },

  async DisableKeyRotation(ctx, input) {
    const key = resolve(ctx, requireStr(input, "KeyId"));
    await authorizeKey(ctx, key, "DisableKeyRotation");
    if (key.state === "PendingDeletion") throw new AwsError("KMSInvalidStateException", `${key.arn} is pending deletion.`);
    key.rotation = false;
    key.nextRotationDate = undefined;
    return {};
  },

  async ListGrants(ctx, input) {
    const key = resolve(ctx, requireStr(input, "KeyId"));
    await authorizeKey(ctx, key, "ListGrants");
    let grants = key.grants;
    const gid = str(input, "GrantId");
    const grantee = str(input, "GranteePrincipal");
    if (gid) grants = grants.filter((g) => g.GrantId === gid);
    if (grantee) grants = grants.filter((g) => g.GranteePrincipal === grantee);
    const p = page(grants, input, 100, 50);
    return {
      Grants: p.items.map((g) => ({
        KeyId: g.KeyArn,
        GrantId: g.GrantId,
        Name: g.Name ?? "",
        CreationDate: g.CreationDate,
        GranteePrincipal: g.GranteePrincipal,
        RetiringPrincipal: g.RetiringPrincipal,
        IssuingAccount: `arn:aws:iam::${g.IssuingAccount}:root`,
        Operations: g.Operations,
        Constraints: g.Constraints,
      })),
      NextMarker: p.next,
      Truncated: !!p.next,
    };
  },

  async CreateGrant(ctx, input) {
    const key = resolve(ctx, requireStr(input, "KeyId"));
    const grantee = str(input, "GranteePrincipal");
    if (!grantee) throw new AwsError("ValidationException", "GranteePrincipal is required.");
    const ops = input.Operations as string[];
    const allowed = new Set([
      "Decrypt",
      "Encrypt",
      "GenerateDataKey",
      "GenerateDataKeyWithoutPlaintext",
      "ReEncryptFrom",
      "ReEncryptTo",
      "Sign",
      "Verify",
      "GetPublicKey",
      "CreateGrant",
      "RetireGrant",
      "DescribeKey",
      "GenerateDataKeyPair",
      "GenerateDataKeyPairWithoutPlaintext",
      "GenerateMac",
      "VerifyMac",
      "DeriveSharedSecret",
    ]);
    const bad = ops.find((o) => !allowed.has(o));
    if (bad)
      throw new AwsError("ValidationException", `1 validation error detected: Value '[${bad}]' at 'operations' failed to satisfy constraint: Member must satisfy enum value set`);
    requireUsable(key);
    const forAws = ctx.caller.type === "AWSService" || !!ctx.caller.invokedBy;
    await authorizeKey(ctx, key, "CreateGrant", { "kms:GrantIsForAWSResource": String(forAws), "kms:GranteePrincipal": grantee, "kms:GrantOperations": ops });
    if (input.DryRun === true) throw new AwsError("DryRunOperationException", "The request would have succeeded, but the DryRun option is set.");
    const grant: Grant = {
      GrantId: randomBytes(32).toString("hex"),
      GrantToken: randomBytes(48).toString("base64url"),
      KeyArn: key.arn,
      Name: str(input, "Name"),
      GranteePrincipal: grantee,
      RetiringPrincipal: str(input, "RetiringPrincipal"),
      IssuingAccount: ctx.caller.account,
      Operations: ops,
      Constraints: input.Constraints as Grant["Constraints"],
      CreationDate: ctx.now,
      forAwsResource: forAws,
    };
    key.grants.push(grant);
    ctx.trail.responseElements = { grantId: grant.GrantId };
    return { GrantToken: grant.GrantToken, GrantId: grant.GrantId };
  },

  async RevokeGrant(ctx, input) {
    const key = resolve(ctx, requireStr(input, "KeyId"));
    const gid = requireStr(input, "GrantId");
    await authorizeKey(ctx, key, "RevokeGrant");
    const i = key.grants.findIndex((g) => g.GrantId === gid);
    if (i < 0) throw new AwsError("NotFoundException", `Grant ID ${gid} not found`);
    key.grants.splice(i, 1);
    return {};
  },

  async RetireGrant(ctx, input) {
    const token = str(input, "GrantToken");
    const gid = str(input, "GrantId");
    const keyRef = str(input, "KeyId");
    for (const key of ctx.state.keys.values()) {
      if (keyRef && key.arn !== keyRef && key.id !== keyRef) continue;
      const i = key.grants.findIndex((g) => (token && g.GrantToken === token) || (gid && g.GrantId === gid));
      if (i < 0) continue;
      const g = key.grants[i];
      const me = policyPrincipal(ctx.caller);
      if (!ctx.caller.admin && g.RetiringPrincipal !== me && g.GranteePrincipal !== me) {
        throw new AwsError("AccessDeniedException", `User: ${ctx.caller.arn} is not authorized to retire grant ${g.GrantId}`);
      }
      ctx.trail.resources = [{ accountId: key.account, type: "AWS::KMS::Key", ARN: key.arn }];
      key.grants.splice(i, 1);
      return {};
    }
    throw new AwsError("NotFoundException", "Grant not found");
  },

  async EnableKey(ctx, input) {
    const key = resolve(ctx, requireStr(input, "KeyId"));
    await authorizeKey(ctx, key, "EnableKey");
    if (key.state === "PendingDeletion") throw new AwsError("KMSInvalidStateException", `${key.arn} is pending deletion.`);
    key.state = "Enabled";
    return {};
  },

  async DisableKey(ctx, input) {
    const key = resolve(ctx, requireStr(input, "KeyId"));
    await authorizeKey(ctx, key, "DisableKey");
    if (key.manager === "AWS") throw new AwsError("AccessDeniedException", `You cannot disable an AWS managed key (${key.arn}).`);
    if (key.state === "PendingDeletion") throw new AwsError("KMSInvalidStateException", `${key.arn} is pending deletion.`);
    key.state = "Disabled";
    return {};
  },

  async ScheduleKeyDeletion(ctx, input) {
    const key = resolve(ctx, requireStr(input, "KeyId"));
    await authorizeKey(ctx, key, "ScheduleKeyDeletion");
    const days = (input.PendingWindowInDays as number | undefined) ?? 30;
    if (days < 7 || days > 30) {
      throw new AwsError(
        "ValidationException",
        `1 validation error detected: Value '${days}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value between 7 and 30`,
      );
    }
    if (key.manager === "AWS") throw new AwsError("AccessDeniedException", `You cannot delete an AWS managed key (${key.arn}).`);
    if (key.state === "PendingDeletion") throw new AwsError("KMSInvalidStateException", `${key.arn} is pending deletion.`);
    key.state = "PendingDeletion";
    key.pendingWindowDays = days;
    key.deletionDate = new Date(ctx.now.getTime() + days * 86_400_000);
    ctx.trail.responseElements = { keyId: key.arn, deletionDate: key.deletionDate.toISOString(), keyState: "PendingDeletion", pendingWindowInDays: days };
    return { KeyId: key.arn, DeletionDate: key.deletionDate, KeyState: "PendingDeletion", PendingWindowInDays: days };
  },

  async CancelKeyDeletion(ctx, input) {
    const key = resolve(ctx, requireStr(input, "KeyId"));
    await authorizeKey(ctx, key, "CancelKeyDeletion");
    if (key.state !== "PendingDeletion") throw new AwsError("KMSInvalidStateException", `${key.arn} is not pending deletion.`);
    key.state = "Disabled";
    key.deletionDate = undefined;
    key.pendingWindowDays = undefined;
    ctx.trail.responseElements = { keyId: key.arn };
    return { KeyId: key.arn };
  },

  async Encrypt(ctx, input) {
    const key = resolve(ctx, requireStr(input, "KeyId"));
    const ec = input.EncryptionContext as Record<string, string> | undefined;
    requireUsable(key);
    requireSymmetric(key, "Encrypt");
    await authorizeKey(ctx, key, "Encrypt", {}, ec);
    const pt = Buffer.from((input.Plaintext as Uint8Array | undefined) ?? new Uint8Array());
    if (pt.length < 1 || pt.length > 4096) throw new AwsError("ValidationException", "Plaintext must be between 1 and 4096 bytes.");
    ctx.trail.requestParameters = { keyId: str(input, "KeyId"), encryptionAlgorithm: "SYMMETRIC_DEFAULT", ...(ec ? { encryptionContext: ec } : {}) };
    return { CiphertextBlob: new Uint8Array(seal(key, pt, ec)), KeyId: key.arn, EncryptionAlgorithm: "SYMMETRIC_DEFAULT" };
  },

  async Decrypt(ctx, input) {
    const blob = Buffer.from((input.CiphertextBlob as Uint8Array | undefined) ?? new Uint8Array());
    const ec = input.EncryptionContext as Record<string, string> | undefined;
    const embedded = keyArnOf(blob);
    if (!embedded) throw new AwsError("InvalidCiphertextException", "");
    const keyRef = str(input, "KeyId");
    const key = ctx.state.keys.get(embedded);
    if (!key) throw new AwsError("NotFoundException", `Key '${embedded}' does not exist`);
    if (keyRef && findKey(ctx.state, keyRef, ctx.region, ctx.account)?.arn !== key.arn) {
      throw new AwsError("IncorrectKeyException", "The key ID in the request does not identify a KMS key that can perform this operation.");
    }
    ctx.trail.resources = [{ accountId: key.account, type: "AWS::KMS::Key", ARN: key.arn }];
    ctx.trail.keyArn = key.arn;
    ctx.trail.requestParameters = { encryptionAlgorithm: "SYMMETRIC_DEFAULT", ...(ec ? { encryptionContext: ec } : {}) };
    await authorizeKey(ctx, key, "Decrypt", {}, ec);
    requireUsable(key);
    const pt = open(key, blob, ec);
    return { KeyId: key.arn, Plaintext: new Uint8Array(pt), EncryptionAlgorithm: "SYMMETRIC_DEFAULT" };
  },

  async GenerateDataKey(ctx, input) {
    const key = resolve(ctx, requireStr(input, "KeyId"));
    const ec = input.EncryptionContext as Record<string, string> | undefined;
    const n = dataKeyBytes(input);
    requireUsable(key);
    requireSymmetric(key, "GenerateDataKey");
    await authorizeKey(ctx, key, "GenerateDataKey", {}, ec);
    const pt = randomBytes(n);
    ctx.trail.requestParameters = { keyId: str(input, "KeyId"), ...(input.KeySpec ? { keySpec: input.KeySpec } : { numberOfBytes: n }), ...(ec ? { encryptionContext: ec } : {}) };
    return { CiphertextBlob: new Uint8Array(seal(key, pt, ec)), Plaintext: new Uint8Array(pt), KeyId: key.arn };
  },

  async GenerateDataKeyWithoutPlaintext(ctx, input) {
    const key = resolve(ctx, requireStr(input, "KeyId"));
    const ec = input.EncryptionContext as Record<string, string> | undefined;
    const n = dataKeyBytes(input);
    requireUsable(key);
    requireSymmetric(key, "GenerateDataKeyWithoutPlaintext");
    await authorizeKey(ctx, key, "GenerateDataKeyWithoutPlaintext", {}, ec);
    ctx.trail.requestParameters = { keyId: str(input, "KeyId"), ...(input.KeySpec ? { keySpec: input.KeySpec } : { numberOfBytes: n }), ...(ec ? { encryptionContext: ec } : {}) };
    return { CiphertextBlob: new Uint8Array(seal(key, randomBytes(n), ec)), KeyId: key.arn };
  },

  async ReEncrypt(ctx, input) {
    const blob = Buffer.from((input.CiphertextBlob as Uint8Array | undefined) ?? new Uint8Array());
    const srcEc = input.SourceEncryptionContext as Record<string, string> | undefined;
    const dstEc = input.DestinationEncryptionContext as Record<string, string> | undefined;
    const embedded = keyArnOf(blob);
    if (!embedded) throw new AwsError("InvalidCiphertextException", "");
    const src = ctx.state.keys.get(embedded);
    if (!src) throw new AwsError("NotFoundException", `Key '${embedded}' does not exist`);
    const dst = resolve(ctx, requireStr(input, "DestinationKeyId"));
    ctx.trail.resources = [
      { accountId: src.account, type: "AWS::KMS::Key", ARN: src.arn },
      { accountId: dst.account, type: "AWS::KMS::Key", ARN: dst.arn },
    ];
    requireUsable(src);
    requireUsable(dst);
    requireSymmetric(dst, "ReEncrypt");
    await authorizeKey(ctx, src, "ReEncryptFrom", {}, srcEc);
    await authorizeKey(ctx, dst, "ReEncryptTo", {}, dstEc);
    const pt = open(src, blob, srcEc);
    return {
      CiphertextBlob: new Uint8Array(seal(dst, pt, dstEc)),
      SourceKeyId: src.arn,
      KeyId: dst.arn,
      SourceEncryptionAlgorithm: "SYMMETRIC_DEFAULT",
      DestinationEncryptionAlgorithm: "SYMMETRIC_DEFAULT",
    };
  },

  async ListResourceTags(ctx, input) {
    const key = resolve(ctx, requireStr(input, "KeyId"));
    await authorizeKey(ctx, key, "ListResourceTags");
    const p = page(key.tags, input, 50, 50);
    return { Tags: p.items, NextMarker: p.next, Truncated: !!p.next };
  },

  async TagResource(ctx, input) {
    const key = resolve(ctx, requireStr(input, "KeyId"));
    await authorizeKey(ctx, key, "TagResource");
    if (key.state === "PendingDeletion") throw new AwsError("KMSInvalidStateException", `${key.arn} is pending deletion.`);
    for (const t of (input.Tags as { TagKey: string; TagValue: string }[]) ?? []) {
      if (t.TagKey.startsWith("aws:")) throw new AwsError("TagException", "Tag keys beginning with aws: are reserved.");
      const existing = key.tags.find((x) => x.TagKey === t.TagKey);
      if (existing) existing.TagValue = t.TagValue;
      else key.tags.push({ TagKey: t.TagKey, TagValue: t.TagValue });
    }
    return {};
  },

  async GetKeyLastUsage(ctx, input) {
    const key = resolve(ctx, requireStr(input, "KeyId"));
    await authorizeKey(ctx, key, "GetKeyLastUsage");
    const last = ctx.state.keyLastUsage.get(key.arn);
    const trackingStart = key.createdAt > ctx.state.trackingStart ? key.createdAt : ctx.state.trackingStart;
    return {
      KeyId: key.arn,
      KeyLastUsage: last ? { Operation: last.operation, Timestamp: new Date(last.time), CloudTrailEventId: last.eventId, KmsRequestId: last.requestId } : undefined,
      TrackingStartDate: trackingStart,
      KeyCreationDate: key.createdAt,
    };
  },
};
