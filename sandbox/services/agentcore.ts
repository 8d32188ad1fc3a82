// Amazon Bedrock AgentCore: control plane (memories, gateways, credential providers, token vault,
// workload identities) and data plane (recommendations). Both sign as bedrock-agentcore.
import { randomBytes, randomUUID } from "node:crypto";

import { AwsError, requireStr, str, type CallContext, type ServiceHandlers } from "../core";
import { policyPrincipal } from "../principals";
import { stableId } from "../rng";
import type { CredentialProvider, Gateway, Memory, Recommendation, TokenVault } from "../state";

import { checkGatewayKey, checkMemoryKey, checkRecommendationKey, checkTokenVaultKey, keyForResource } from "./agent-keys";
import { findKey } from "./kms";
import { createSecretRecord, findSecret } from "./secretsmanager";
import { offsetPage } from "./paging";

function pageOf<T>(items: T[], input: Record<string, unknown>, def = 20, max = 100): { items: T[]; nextToken?: string } {
  const n = (input.maxResults as number | undefined) ?? def;
  if (n < 1 || n > max) throw new AwsError("ValidationException", `maxResults must be between 1 and ${max}.`);
  const p = offsetPage(items, str(input, "nextToken"), n, new AwsError("ValidationException", "Invalid nextToken."));
  return { items: p.items, nextToken: p.next };
}

function inScope<T extends { region: string; account: string }>(ctx: CallContext, items: Iterable<T>): T[] {
  return [...items].filter((x) => x.region === ctx.region && x.account === ctx.account);
}

function idempotent(ctx: CallContext, op: string, input: Record<string, unknown>): string | undefined {
  const token = str(input, "clientToken");
  return token ? ctx.state.clientTokens.get(`${op}:${ctx.account}:${token}`) : undefined;
}

function remember(ctx: CallContext, op: string, input: Record<string, unknown>, arn: string): void {
  const token = str(input, "clientToken");
  if (token) ctx.state.clientTokens.set(`${op}:${ctx.account}:${token}`, arn);
}

// ------------------------------------------------------------------ memory

function memoryShape(m: Memory) {
  return {
    arn: m.arn,
    id: m.id,
    name: m.name,
    eventExpiryDuration: m.eventExpiryDuration,
    status: m.status,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
    description: m.description || undefined,
    encryptionKeyArn: m.encryptionKeyArn,
    memoryExecutionRoleArn: m.memoryExecutionRoleArn,
    strategies: m.strategies,
  };
}

function findMemory(ctx: CallContext, id: string): Memory {
  const m = inScope(ctx, ctx.state.memories.values()).find((x) => x.id === id || x.arn === id);
  if (!m) throw new AwsError("ResourceNotFoundException", `Memory ${id} not found.`, 404);
  return m;
}

const STRATEGY_TYPES: Record<string, string> = {
  semanticMemoryStrategy: "SEMANTIC",
  summaryMemoryStrategy: "SUMMARIZATION",
  userPreferenceMemoryStrategy: "USER_PREFERENCE",
  customMemoryStrategy: "CUSTOM",
  episodicMemoryStrategy: "EPISODIC",
};

// ------------------------------------------------------------------ credential providers

function providerByName(ctx: CallContext, type: CredentialProvider["type"], name: string): CredentialProvider {
  const p = inScope(ctx, ctx.state.credentialProviders.values()).find((x) => x.type === type && x.name === name);
  if (!p) throw new AwsError("ResourceNotFoundException", `Credential provider ${name} not found.`, 404);
  return p;
}

function resolveExternalSecret(ctx: CallContext, secretId: string): string {
  if (secretId.startsWith("arn:")) {
    const region = secretId.split(":")[3];
    if (region !== ctx.region) {
      throw new AwsError("ValidationException", `The secret ${secretId} is in ${region}; AgentCore Identity only supports secrets in the same Region (${ctx.region}).`);
    }
  }
  const s = findSecret(ctx.state, secretId, ctx.region, ctx.account);
  if (!s) throw new AwsError("ValidationException", `Secrets Manager secret ${secretId} was not found.`);
  if (s.region !== ctx.region) throw new AwsError("ValidationException", `The secret ${secretId} is not in ${ctx.region}; cross-Region secrets are not supported.`);
  return s.arn;
}

function createProvider(
  ctx: CallContext,
  type: CredentialProvider["type"],
  input: Record<string, unknown>,
  vendor: string,
  secretValue: string | undefined,
  config: { secretId: string; jsonKey: string } | undefined,
): CredentialProvider {
  const name = requireStr(input, "name");
  if (!/^[a-zA-Z0-9\-_]{1,128}$/.test(name)) throw new AwsError("ValidationException", "name must match [a-zA-Z0-9\\-_]+.");
  if (inScope(ctx, ctx.state.credentialProviders.values()).some((p) => p.name === name && p.type === type)) {
    throw new AwsError("ValidationException", `A credential provider named ${name} already exists.`);
  }
  if (!secretValue && !config) throw new AwsError("ValidationException", "Either a secret value or a secret reference (secretId + jsonKey) is required.");
  if (secretValue && config) throw new AwsError("ValidationException", "Specify a secret value or a secret reference, not both.");
  const kind = type === "oauth2" ? "oauth2credentialprovider" : "apikeycredentialprovider";
  const arn = `arn:aws:bedrock-agentcore:${ctx.region}:${ctx.account}:token-vault/default/${kind}/${name}`;
  let secretArn: string;
  if (config) {
    secretArn = resolveExternalSecret(ctx, config.secretId);
  } else {
    const secret = createSecretRecord(ctx.state, {
      name: `bedrock-agentcore-identity!default/${type}/${name}`,
      region: ctx.region,
      account: ctx.account,
      value: JSON.stringify({ [type === "oauth2" ? "client_secret" : "api_key"]: secretValue }),
      createdAt: ctx.now,
      owningService: "bedrock-agentcore-identity",
    });
    secretArn = secret.arn;
  }
  const p: CredentialProvider = {
    type,
    name,
    arn,
    account: ctx.account,
    region: ctx.region,
    vendor,
    secretArn,
    secretSource: config ? "EXTERNAL" : "MANAGED",
    jsonKey: config?.jsonKey,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  ctx.state.credentialProviders.set(arn, p);
  ctx.trail.resources = [{ accountId: ctx.account, type: "AWS::BedrockAgentCore::CredentialProvider", ARN: arn }];
  return p;
}

function oauthOutput(p: CredentialProvider) {
  const key = `${p.vendor.charAt(0).toLowerCase()}${p.vendor.slice(1).replace(/Oauth2$/, "")}Oauth2ProviderConfig`;
  const configKey = ["customOauth2ProviderConfig", "googleOauth2ProviderConfig", "githubOauth2ProviderConfig", "slackOauth2ProviderConfig"].includes(key)
    ? key
    : "customOauth2ProviderConfig";
  return { [configKey]: { oauthDiscovery: { discoveryUrl: "https://auth.example.com/.well-known/openid-configuration" }, clientId: p.clientId ?? `${p.name}-client` } };
}

export function tokenVaultOf(ctx: CallContext, id = "default"): TokenVault {
  if (id !== "default") throw new AwsError("ResourceNotFoundException", `Token vault ${id} not found.`, 404);
  const k = `${ctx.account}:${ctx.region}`;
  let v = ctx.state.tokenVaults.get(k);
  if (!v) {
    v = { account: ctx.account, region: ctx.region, tokenVaultId: "default", keyType: "ServiceManagedKey", lastModifiedDate: ctx.now };
    ctx.state.tokenVaults.set(k, v);
  }
  return v;
}

function vaultShape(v: TokenVault) {
  return { tokenVaultId: v.tokenVaultId, kmsConfiguration: { keyType: v.keyType, kmsKeyArn: v.kmsKeyArn }, lastModifiedDate: v.lastModifiedDate };
}

// ------------------------------------------------------------------ gateways

function gatewayShape(g: Gateway) {
  return {
    gatewayArn: g.gatewayArn,
    gatewayId: g.gatewayId,
    gatewayUrl: g.gatewayUrl,
    createdAt: g.createdAt,
    updatedAt: g.updatedAt,
    status: g.status,
    name: g.name,
    description: g.description || undefined,
    roleArn: g.roleArn,
    protocolType: g.protocolType,
    authorizerType: g.authorizerType,
    kmsKeyArn: g.kmsKeyArn,
  };
}

export const agentCoreControlHandlers: ServiceHandlers = {
  ListMemories(ctx, input) {
    const p = pageOf(inScope(ctx, ctx.state.memories.values()), input);
    return { memories: p.items.map((m) => ({ arn: m.arn, id: m.id, status: m.status, createdAt: m.createdAt, updatedAt: m.updatedAt })), nextToken: p.nextToken };
  },
  GetMemory(ctx, input) {
    return { memory: memoryShape(findMemory(ctx, requireStr(input, "memoryId"))) };
  },
  async CreateMemory(ctx, input) {
    const prev = idempotent(ctx, "CreateMemory", input);
    if (prev && ctx.state.memories.get(prev)) return { memory: memoryShape(ctx.state.memories.get(prev)!) };
    const name = requireStr(input, "name");
    if (!/^[a-zA-Z][a-zA-Z0-9_]{0,47}$/.test(name)) throw new AwsError("ValidationException", "name must match [a-zA-Z][a-zA-Z0-9_]{0,47}.");
    const days = input.eventExpiryDuration as number;
    if (days < 3 || days > 365) throw new AwsError("ValidationException", "eventExpiryDuration must be between 3 and 365 days.");
    if (inScope(ctx, ctx.state.memories.values()).some((m) => m.name === name)) throw new AwsError("ConflictException", `A memory named ${name} already exists.`, 409);
    const id = `${name}-${stableId(randomUUID(), "memory", 10, "abcdefghijklmnopqrstuvwxyz0123456789")}`;
    const arn = `arn:aws:bedrock-agentcore:${ctx.region}:${ctx.account}:memory/${id}`;
    const keyArn = str(input, "encryptionKeyArn");
    if (keyArn) {
      const key = keyForResource(ctx, keyArn, "memory");
      await checkMemoryKey(ctx, key, arn);
      ctx.trail.keyArn = key.arn;
    }
    const strategies = ((input.memoryStrategies as Record<string, { name: string; namespaces?: string[] }>[] | undefined) ?? []).map((s) => {
      const [kind, conf] = Object.entries(s)[0];
      return {
        strategyId: `${conf.name}-${randomBytes(4).toString("hex")}`,
        name: conf.name,
        type: STRATEGY_TYPES[kind] ?? "CUSTOM",
        namespaces: conf.namespaces ?? ["/"],
        namespaceTemplates: conf.namespaces ?? ["/"],
        status: "ACTIVE",
        createdAt: ctx.now,
        updatedAt: ctx.now,
      };
    });
    const m: Memory = {
      id,
      arn,
      name,
      account: ctx.account,
      region: ctx.region,
      status: "ACTIVE",
      description: str(input, "description") ?? "",
      encryptionKeyArn: keyArn,
      memoryExecutionRoleArn: str(input, "memoryExecutionRoleArn"),
      eventExpiryDuration: days,
      strategies,
      createdAt: ctx.now,
      updatedAt: ctx.now,
      clientToken: str(input, "clientToken"),
    };
    ctx.state.memories.set(arn, m);
    remember(ctx, "CreateMemory", input, arn);
    ctx.trail.resources = [{ accountId: ctx.account, type: "AWS::BedrockAgentCore::Memory", ARN: arn }];
    return { memory: memoryShape(m) };
  },
  DeleteMemory(ctx, input) {
    const m = findMemory(ctx, requireStr(input, "memoryId"));
    ctx.state.memories.delete(m.arn);
    return { memoryId: m.id, status: "DELETING" };
  },

  ListGateways(ctx, input) {
    const p = pageOf(inScope(ctx, ctx.state.gateways.values()), input, 50, 1000);
    return {
      items: p.items.map((g) => ({
        gatewayId: g.gatewayId,
        name: g.name,
        status: g.status,
        createdAt: g.createdAt,
        updatedAt: g.updatedAt,
        authorizerType: g.authorizerType,
        description: g.description || undefined,
        protocolType: g.protocolType,
      })),
      nextToken: p.nextToken,
    };
  },
  GetGateway(ctx, input) {
    const id = requireStr(input, "gatewayIdentifier");
    const g = inScope(ctx, ctx.state.gateways.values()).find((x) => x.gatewayId === id || x.gatewayArn === id);
    if (!g) throw new AwsError("ResourceNotFoundException", `Gateway ${id} not found.`, 404);
    return gatewayShape(g);
  },
  async CreateGateway(ctx, input) {
    const prev = idempotent(ctx, "CreateGateway", input);
    if (prev && ctx.state.gateways.get(prev)) return gatewayShape(ctx.state.gateways.get(prev)!);
    const name = requireStr(input, "name");
    if (!/^([0-9a-zA-Z][-]?){1,100}$/.test(name)) throw new AwsError("ValidationException", "name must match ([0-9a-zA-Z][-]?){1,100}.");
    const roleArn = requireStr(input, "roleArn");
    const id = `${name.toLowerCase()}-${stableId(randomUUID(), "gw", 10, "abcdefghijklmnopqrstuvwxyz0123456789")}`;
    const arn = `arn:aws:bedrock-agentcore:${ctx.region}:${ctx.account}:gateway/${id}`;
    const keyArn = str(input, "kmsKeyArn");
    if (keyArn) {
      const key = keyForResource(ctx, keyArn, "gateway");
      await checkGatewayKey(ctx, key, roleArn, arn);
      ctx.trail.keyArn = key.arn;
    }
    const g: Gateway = {
      gatewayId: id,
      gatewayArn: arn,
      gatewayUrl: `https://${id}.gateway.bedrock-agentcore.${ctx.region}.amazonaws.com/mcp`,
      name,
      account: ctx.account,
      region: ctx.region,
      status: "READY",
      description: str(input, "description") ?? "",
      roleArn,
      protocolType: str(input, "protocolType") ?? "MCP",
      authorizerType: requireStr(input, "authorizerType"),
      kmsKeyArn: keyArn,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    };
    ctx.state.gateways.set(arn, g);
    remember(ctx, "CreateGateway", input, arn);
    ctx.trail.resources = [{ accountId: ctx.account, type: "AWS::BedrockAgentCore::Gateway", ARN: arn }];
    return gatewayShape(g);
  },

  DeleteGateway(ctx, input) {
    const id = requireStr(input, "gatewayIdentifier");
    const g = inScope(ctx, ctx.state.gateways.values()).find((x) => x.gatewayId === id || x.gatewayArn === id);
    if (!g) throw new AwsError("ResourceNotFoundException", `Gateway ${id} not found.`, 404);
    ctx.state.gateways.delete(g.gatewayArn);
    return { gatewayId: g.gatewayId, status: "DELETING" };
  },

  ListOauth2CredentialProviders(ctx, input) {
    const p = pageOf(
      inScope(ctx, ctx.state.credentialProviders.values()).filter((x) => x.type === "oauth2"),
      input,
    );
    return {
      credentialProviders: p.items.map((x) => ({
        name: x.name,
        credentialProviderVendor: x.vendor,
        credentialProviderArn: x.arn,
        createdTime: x.createdAt,
        lastUpdatedTime: x.updatedAt,
      })),
      nextToken: p.nextToken,
    };
  },
  GetOauth2CredentialProvider(ctx, input) {
    const p = providerByName(ctx, "oauth2", requireStr(input, "name"));
    return {
      clientSecretArn: { secretArn: p.secretArn },
      name: p.name,
      credentialProviderArn: p.arn,
      credentialProviderVendor: p.vendor,
      oauth2ProviderConfigOutput: oauthOutput(p),
      createdTime: p.createdAt,
      lastUpdatedTime: p.updatedAt,
      clientSecretJsonKey: p.jsonKey,
      clientSecretSource: p.secretSource,
    };
  },
  CreateOauth2CredentialProvider(ctx, input) {
    const vendor = requireStr(input, "credentialProviderVendor");
    const cfgUnion = (input.oauth2ProviderConfigInput ?? {}) as Record<
      string,
      { clientId?: string; clientSecret?: string; clientSecretConfig?: { secretId: string; jsonKey: string } }
    >;
    const cfg = Object.values(cfgUnion)[0] ?? {};
    const p = createProvider(ctx, "oauth2", input, vendor, cfg.clientSecret, cfg.clientSecretConfig);
    p.clientId = cfg.clientId;
    return {
      clientSecretArn: { secretArn: p.secretArn },
      name: p.name,
      credentialProviderArn: p.arn,
      clientSecretJsonKey: p.jsonKey,
      clientSecretSource: p.secretSource,
      oauth2ProviderConfigOutput: oauthOutput(p),
    };
  },
  ListApiKeyCredentialProviders(ctx, input) {
    const p = pageOf(
      inScope(ctx, ctx.state.credentialProviders.values()).filter((x) => x.type === "apikey"),
      input,
    );
    return {
      credentialProviders: p.items.map((x) => ({ name: x.name, credentialProviderArn: x.arn, createdTime: x.createdAt, lastUpdatedTime: x.updatedAt })),
      nextToken: p.nextToken,
    };
  },
  GetApiKeyCredentialProvider(ctx, input) {
    const p = providerByName(ctx, "apikey", requireStr(input, "name"));
    return {
      apiKeySecretArn: { secretArn: p.secretArn },
      name: p.name,
      credentialProviderArn: p.arn,
      createdTime: p.createdAt,
      lastUpdatedTime: p.updatedAt,
      apiKeySecretJsonKey: p.jsonKey,
      apiKeySecretSource: p.secretSource,
    };
  },
  CreateApiKeyCredentialProvider(ctx, input) {
    const p = createProvider(ctx, "apikey", input, "ApiKey", str(input, "apiKey"), input.apiKeySecretConfig as { secretId: string; jsonKey: string } | undefined);
    return { apiKeySecretArn: { secretArn: p.secretArn }, name: p.name, credentialProviderArn: p.arn, apiKeySecretJsonKey: p.jsonKey, apiKeySecretSource: p.secretSource };
  },

  DeleteApiKeyCredentialProvider(ctx, input) {
    const p = providerByName(ctx, "apikey", requireStr(input, "name"));
    ctx.state.credentialProviders.delete(p.arn);
    return {};
  },

  GetTokenVault(ctx, input) {
    return vaultShape(tokenVaultOf(ctx, str(input, "tokenVaultId") ?? "default"));
  },
  async SetTokenVaultCMK(ctx, input) {
    const v = tokenVaultOf(ctx, str(input, "tokenVaultId") ?? "default");
    const conf = input.kmsConfiguration as { keyType: string; kmsKeyArn?: string };
    if (conf.keyType === "CustomerManagedKey") {
      if (!conf.kmsKeyArn) throw new AwsError("ValidationException", "kmsKeyArn is required when keyType is CustomerManagedKey.");
      const key = keyForResource(ctx, conf.kmsKeyArn, "token vault");
      await checkTokenVaultKey(ctx, key, ctx.caller.admin ? `arn:aws:iam::${ctx.account}:root` : policyPrincipal(ctx.caller));
      v.keyType = "CustomerManagedKey";
      v.kmsKeyArn = key.arn;
      ctx.trail.keyArn = key.arn;
    } else if (conf.keyType === "ServiceManagedKey") {
      v.keyType = "ServiceManagedKey";
      v.kmsKeyArn = undefined;
    } else {
      throw new AwsError("ValidationException", `Unknown keyType ${conf.keyType}.`);
    }
    v.lastModifiedDate = ctx.now;
    return vaultShape(v);
  },
  ListWorkloadIdentities(ctx, input) {
    const p = pageOf(inScope(ctx, ctx.state.workloadIdentities.values()), input);
    return { workloadIdentities: p.items.map((w) => ({ name: w.name, workloadIdentityArn: w.arn })), nextToken: p.nextToken };
  },
};

// ------------------------------------------------------------------ recommendations (data plane)

function recShape(r: Recommendation) {
  return {
    recommendationId: r.recommendationId,
    recommendationArn: r.recommendationArn,
    name: r.name,
    type: r.type,
    recommendationConfig: r.recommendationConfig,
    status: r.status,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    description: r.description || undefined,
  };
}

function findRec(ctx: CallContext, id: string): Recommendation {
  const r = inScope(ctx, ctx.state.recommendations.values()).find((x) => x.recommendationId === id || x.recommendationArn === id);
  if (!r) throw new AwsError("ResourceNotFoundException", `Recommendation ${id} not found.`, 404);
  return r;
}

export const agentCoreDataHandlers: ServiceHandlers = {
  async StartRecommendation(ctx, input) {
    const prev = idempotent(ctx, "StartRecommendation", input);
    if (prev && ctx.state.recommendations.get(prev)) return recShape(ctx.state.recommendations.get(prev)!);
    const name = requireStr(input, "name");
    const type = requireStr(input, "type");
    const id = stableId(randomUUID(), "rec", 12, "abcdefghijklmnopqrstuvwxyz0123456789");
    const arn = `arn:aws:bedrock-agentcore:${ctx.region}:${ctx.account}:recommendation/${id}`;
    const keyArn = str(input, "kmsKeyArn");
    if (keyArn) {
      const key = keyForResource(ctx, keyArn, "recommendation");
      await checkRecommendationKey(ctx, key, ctx.caller.admin ? `arn:aws:iam::${ctx.account}:root` : policyPrincipal(ctx.caller), arn);
      ctx.trail.keyArn = key.arn;
    }
    const r: Recommendation = {
      recommendationId: id,
      recommendationArn: arn,
      name,
      account: ctx.account,
      region: ctx.region,
      type,
      status: "PENDING",
      description: str(input, "description") ?? "",
      kmsKeyArn: keyArn,
      recommendationConfig: input.recommendationConfig as Record<string, unknown>,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    };
    ctx.state.recommendations.set(arn, r);
    remember(ctx, "StartRecommendation", input, arn);
    ctx.trail.resources = [{ accountId: ctx.account, type: "AWS::BedrockAgentCore::Recommendation", ARN: arn }];
    return recShape(r);
  },
  GetRecommendation(ctx, input) {
    const r = findRec(ctx, requireStr(input, "recommendationId"));
    if (r.kmsKeyArn) {
      const key = findKey(ctx.state, r.kmsKeyArn, r.region, r.account);
      if (!key) throw new AwsError("ValidationException", `The KMS key ${r.kmsKeyArn} for this recommendation has been deleted.`);
      if (key.state === "Disabled") throw new AwsError("ValidationException", `The KMS key ${key.arn} for this recommendation is disabled.`);
      if (key.state === "PendingDeletion") throw new AwsError("ValidationException", `The KMS key ${key.arn} for this recommendation is pending deletion.`);
    }
    return { ...recShape(r), kmsKeyArn: r.kmsKeyArn };
  },
  ListRecommendations(ctx, input) {
    let list = inScope(ctx, ctx.state.recommendations.values());
    const status = str(input, "statusFilter");
    if (status) list = list.filter((r) => r.status === status);
    const p = pageOf(list, input);
    return {
      recommendationSummaries: p.items.map((r) => ({
        recommendationId: r.recommendationId,
        recommendationArn: r.recommendationArn,
        name: r.name,
        type: r.type,
        status: r.status,
        createdAt: r.createdAt,
        updatedAt: r.updatedAt,
        description: r.description || undefined,
      })),
      nextToken: p.nextToken,
    };
  },
  DeleteRecommendation(ctx, input) {
    const r = findRec(ctx, requireStr(input, "recommendationId"));
    ctx.state.recommendations.delete(r.recommendationArn);
    return { recommendationId: r.recommendationId, status: "DELETING" };
  },
};
