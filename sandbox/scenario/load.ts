// Scenario → sandbox state: resolves refs into ids and ARNs, fills policy placeholders, creates the
// account's resources and generates its CloudTrail history deterministically from the seed.
import { readFileSync } from "node:fs";

import { KEYED_SPECS, keyedId, READY_STATUS } from "../services/keyed";
import { awsManagedKey, createSecretRecord, secretArn } from "../services/secretsmanager";
import { emptyState, finishBulkLoad, newKey, type SandboxState, type Grant } from "../state";
import { stableId, stableUuid } from "../rng";
import { recordEvent } from "../trail";
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY } from "../defaults";
import readPolicies from "../../docs/iam-policy.json";

import { generateTraffic } from "./traffic";
import { parseScenario, ScenarioError, type ScenarioData } from "./schema";

const DAY = 86_400_000;

export function readScenarioFile(file: string): ScenarioData {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new ScenarioError(file, [{ path: "$", message: `cannot read file: ${(e as Error).message}` }]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ScenarioError(file, [{ path: "$", message: `not valid JSON: ${(e as Error).message}` }]);
  }
  return parseScenario(raw, file);
}

export interface Refs {
  account: string;
  keys: Map<string, string>;
  agents: Map<string, string>;
  memories: Map<string, string>;
  gateways: Map<string, string>;
  recommendations: Map<string, string>;
  secrets: Map<string, string>;
  knowledgeBases: Map<string, string>;
  /** Flows, prompts, data sources, policy engines... by ref. */
  resources: Map<string, string>;
}

/** Replaces ${account}, ${region}, ${self} and ${kind:ref} placeholders; leaves IAM policy variables alone. */
export function fillPlaceholders(doc: unknown, refs: Refs, region: string, self?: string): string {
  const text = JSON.stringify(doc);
  return text.replace(/\$\{([a-zA-Z]+)(?::([^}]+))?\}/g, (whole, kind: string, ref?: string) => {
    if (!ref) {
      if (kind === "account") return refs.account;
      if (kind === "region") return region;
      if (kind === "self" && self) return self;
      return whole;
    }
    const table: Record<string, Map<string, string>> = {
      key: refs.keys,
      agent: refs.agents,
      memory: refs.memories,
      gateway: refs.gateways,
      recommendation: refs.recommendations,
      secret: refs.secrets,
      knowledgeBase: refs.knowledgeBases,
      resource: refs.resources,
    };
    if (kind === "role") return `arn:aws:iam::${refs.account}:role/${ref}`;
    const hit = table[kind]?.get(ref);
    return hit ?? whole;
  });
}

export function keyArnFor(s: ScenarioData, ref: string, refs: Refs, region: string): string {
  if (ref.startsWith("arn:")) return ref;
  if (ref.startsWith("alias/")) return `arn:aws:kms:${region}:${s.account}:${ref}`;
  return refs.keys.get(ref) ?? ref;
}

export interface BuildOptions {
  /** When traffic ends; default the scenario's traffic.end or the start of the current hour. */
  trafficEnd?: Date;
  /** Skip generating traffic (fast state for unit tests). */
  noTraffic?: boolean;
}

export function buildState(s: ScenarioData, opts: BuildOptions = {}): SandboxState {
  const state = emptyState(s);
  const seed = String(s.seed);
  const end = opts.trafficEnd ?? (s.traffic.end ? new Date(s.traffic.end) : new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000));
  const ago = (days: number) => new Date(end.getTime() - days * DAY);
  state.trackingStart = ago(s.traffic.days);
  state.faults = s.faults;

  state.credentials.set(DEFAULT_ACCESS_KEY_ID, { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY, principal: "admin", account: s.account });
  for (const c of s.credentials)
    state.credentials.set(c.accessKeyId, { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, principal: c.principal, account: c.account ?? s.account });

  const refs: Refs = {
    account: s.account,
    keys: new Map(),
    agents: new Map(),
    memories: new Map(),
    gateways: new Map(),
    recommendations: new Map(),
    secrets: new Map(),
    knowledgeBases: new Map(),
    resources: new Map(),
  };
  for (const k of s.keys) refs.keys.set(k.ref, `arn:aws:kms:${k.region}:${k.account ?? s.account}:key/${stableUuid(seed, `key:${k.ref}`)}`);
  for (const a of s.agents) refs.agents.set(a.ref, `arn:aws:bedrock:${a.region}:${a.account ?? s.account}:agent/${stableId(seed, `agent:${a.ref}`, 10)}`);
  for (const m of s.memories)
    refs.memories.set(
      m.ref,
      `arn:aws:bedrock-agentcore:${m.region}:${m.account ?? s.account}:memory/${m.name}-${stableId(seed, `memory:${m.ref}`, 10, "abcdefghijklmnopqrstuvwxyz0123456789")}`,
    );
  for (const g of s.gateways)
    refs.gateways.set(
      g.ref,
      `arn:aws:bedrock-agentcore:${g.region}:${g.account ?? s.account}:gateway/${g.name.toLowerCase()}-${stableId(seed, `gw:${g.ref}`, 10, "abcdefghijklmnopqrstuvwxyz0123456789")}`,
    );
  for (const r of s.recommendations)
    refs.recommendations.set(
      r.ref,
      `arn:aws:bedrock-agentcore:${r.region}:${r.account ?? s.account}:recommendation/${stableId(seed, `rec:${r.ref}`, 12, "abcdefghijklmnopqrstuvwxyz0123456789")}`,
    );
  for (const x of s.secrets) refs.secrets.set(x.ref, secretArn(x.region, x.account ?? s.account, x.name, stableId(seed, `secret:${x.ref}`, 6)));
  for (const k of s.knowledgeBases) refs.knowledgeBases.set(k.ref, `arn:aws:bedrock:${k.region}:${k.account ?? s.account}:knowledge-base/${stableId(seed, `kb:${k.ref}`, 10)}`);
  for (const r of s.resources) {
    const spec = KEYED_SPECS.find((x) => x.kind === r.kind)!;
    const id = keyedId(spec, r.name, seed, `res:${r.ref}`);
    const parent = r.knowledgeBase ? refs.knowledgeBases.get(r.knowledgeBase)?.split("/").pop() : undefined;
    if (r.knowledgeBase && !parent) throw new ScenarioError(s.name, [{ path: `resources.${r.ref}.knowledgeBase`, message: `no knowledge base with ref ${r.knowledgeBase}` }]);
    refs.resources.set(r.ref, spec.arn({ region: r.region, account: r.account ?? s.account }, id, parent));
  }

  // IAM
  for (const p of s.iam.policies) {
    const arn = `arn:aws:iam::${s.account}:policy/${p.name}`;
    state.policies.set(arn, {
      arn,
      name: p.name,
      policyId: `ANPA${stableId(seed, `policy:${p.name}`, 17)}`,
      account: s.account,
      description: p.description,
      document: fillPlaceholders(p.document, refs, s.regions[0]),
      versionId: "v1",
      createdAt: ago(300),
      attachmentCount: 0,
    });
  }
  for (const r of s.iam.roles) {
    const account = r.account ?? s.account;
    const arn = `arn:aws:iam::${account}:role${r.path === "/" ? "/" : r.path}${r.name}`;
    const trust = r.assumeRolePolicy ?? { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "sts:AssumeRole" }] };
    state.roles.set(arn, {
      name: r.name,
      arn,
      roleId: `AROA${stableId(seed, `role:${r.name}`, 17)}`,
      account,
      path: r.path,
      description: r.description,
      assumeRolePolicy: fillPlaceholders(trust, refs, s.regions[0]),
      inlinePolicies: new Map(r.inlinePolicies.map((p) => [p.name, fillPlaceholders(p.document, refs, s.regions[0])])),
      attachedPolicies: r.attachedPolicies.map((a) => (a.startsWith("arn:") ? a : `arn:aws:iam::${s.account}:policy/${a}`)),
      createdAt: ago(r.createdDaysAgo),
    });
    for (const a of r.attachedPolicies) {
      const p = state.policies.get(a.startsWith("arn:") ? a : `arn:aws:iam::${s.account}:policy/${a}`);
      if (p) p.attachmentCount += 1;
    }
  }
  if (s.organization && s.organizationId) loadOrganization(state, s, seed, ago);
  for (const u of s.iam.users) {
    const arn = `arn:aws:iam::${s.account}:user/${u.name}`;
    state.users.set(arn, {
      name: u.name,
      arn,
      userId: `AIDA${stableId(seed, `user:${u.name}`, 17)}`,
      account: s.account,
      inlinePolicies: new Map(u.inlinePolicies.map((p) => [p.name, fillPlaceholders(p.document, refs, s.regions[0])])),
      attachedPolicies: u.attachedPolicies.map((a) => (a.startsWith("arn:") ? a : `arn:aws:iam::${s.account}:policy/${a}`)),
      createdAt: ago(400),
    });
  }

  // KMS
  for (const k of s.keys) {
    const arn = refs.keys.get(k.ref)!;
    const account = k.account ?? s.account;
    const key = newKey(state, {
      id: arn.split("/").pop()!,
      account,
      region: k.region,
      createdAt: ago(k.createdDaysAgo),
      description: k.description,
      spec: k.spec,
      usage: k.usage,
      state: k.state,
      manager: k.manager,
      rotation: k.rotation && k.spec === "SYMMETRIC_DEFAULT",
      policy: k.policy === "default" ? undefined : JSON.stringify(JSON.parse(fillPlaceholders(k.policy, refs, k.region, arn)), null, 2),
      multiRegion: k.multiRegion,
      tags: Object.entries(k.tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue })),
    });
    if (k.state === "PendingDeletion") {
      key.pendingWindowDays = 30;
      key.deletionDate = new Date(end.getTime() + k.deletionInDays * DAY);
    }
    key.grants = k.grants.map((g, i): Grant => ({
      GrantId: stableUuid(seed, `grant:${k.ref}:${i}`).replace(/-/g, "") + stableUuid(seed, `grant2:${k.ref}:${i}`).replace(/-/g, ""),
      GrantToken: stableId(seed, `token:${k.ref}:${i}`, 40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
      KeyArn: arn,
      Name: g.name,
      GranteePrincipal: fillPlaceholders(g.grantee, refs, k.region).replace(/^"|"$/g, ""),
      RetiringPrincipal: g.retiringPrincipal,
      IssuingAccount: g.issuingAccount ?? account,
      Operations: g.operations,
      Constraints: g.encryptionContextSubset
        ? { EncryptionContextSubset: JSON.parse(fillPlaceholders(g.encryptionContextSubset, refs, k.region)) as Record<string, string> }
        : undefined,
      CreationDate: ago(Math.max(0, k.createdDaysAgo - 1)),
      forAwsResource: g.forAwsResource,
    }));
    for (const alias of k.aliases) {
      const aliasArn = `arn:aws:kms:${k.region}:${account}:${alias}`;
      state.aliases.set(aliasArn, { name: alias, arn: aliasArn, targetKeyId: key.id, account, region: k.region, createdAt: key.createdAt });
    }
  }
  const keyArn = (ref: string | undefined, region: string) => (ref ? keyArnFor(s, ref, refs, region) : undefined);

  // Secrets
  for (const x of s.secrets) {
    const account = x.account ?? s.account;
    const kmsKeyId = keyArn(x.kmsKey, x.region);
    const secret = createSecretRecord(state, {
      name: x.name,
      region: x.region,
      account,
      description: x.description,
      kmsKeyId,
      value: JSON.stringify(x.value),
      tags: Object.entries(x.tags).map(([Key, Value]) => ({ Key, Value })),
      createdAt: ago(150),
      arn: refs.secrets.get(x.ref),
    });
    if (!kmsKeyId) awsManagedKey(state, x.region, account);
    if (x.policy) secret.policy = JSON.stringify(JSON.parse(fillPlaceholders(x.policy, refs, x.region, secret.arn)), null, 2);
    if (x.rotationDays) {
      secret.rotationEnabled = true;
      secret.rotationDays = x.rotationDays;
      secret.rotationLambdaArn = `arn:aws:lambda:${x.region}:${account}:function:SecretsManagerRotation`;
    }
  }

  // Agent resources
  const roleArn = (name: string, account: string) => (name.startsWith("arn:") ? name : `arn:aws:iam::${account}:role/${name}`);
  for (const a of s.agents) {
    const arn = refs.agents.get(a.ref)!;
    const account = a.account ?? s.account;
    state.agents.set(arn, {
      agentId: arn.split("/").pop()!,
      agentName: a.name,
      agentArn: arn,
      account,
      region: a.region,
      agentStatus: a.status,
      agentVersion: "DRAFT",
      customerEncryptionKeyArn: keyArn(a.key, a.region),
      agentResourceRoleArn: roleArn(a.role, account),
      foundationModel: a.foundationModel,
      instruction: a.instruction,
      description: a.description,
      idleSessionTTLInSeconds: 600,
      createdAt: ago(a.createdDaysAgo),
      updatedAt: ago(Math.max(0, a.createdDaysAgo - 10)),
      preparedAt: a.status === "PREPARED" ? ago(Math.max(0, a.createdDaysAgo - 10)) : undefined,
      tags: a.tags,
    });
  }
  for (const k of s.knowledgeBases) {
    const arn = refs.knowledgeBases.get(k.ref)!;
    const account = k.account ?? s.account;
    state.knowledgeBases.set(arn, {
      knowledgeBaseId: arn.split("/").pop()!,
      name: k.name,
      knowledgeBaseArn: arn,
      account,
      region: k.region,
      roleArn: roleArn(k.role, account),
      kmsKeyArn: keyArn(k.key, k.region),
      description: k.description,
      status: "ACTIVE",
      createdAt: ago(100),
      updatedAt: ago(90),
    });
  }
  for (const m of s.memories) {
    const arn = refs.memories.get(m.ref)!;
    const account = m.account ?? s.account;
    const created = ago(m.createdDaysAgo);
    state.memories.set(arn, {
      id: arn.split("/").pop()!,
      arn,
      name: m.name,
      account,
      region: m.region,
      status: "ACTIVE",
      description: m.description,
      encryptionKeyArn: keyArn(m.key, m.region),
      memoryExecutionRoleArn: m.role ? roleArn(m.role, account) : undefined,
      eventExpiryDuration: m.eventExpiryDays,
      strategies: m.strategies.map((t, i) => ({
        strategyId: `${t.toLowerCase()}-${stableId(seed, `strategy:${m.ref}:${i}`, 8, "abcdefghijklmnopqrstuvwxyz0123456789")}`,
        name: `${t.toLowerCase()}_strategy`,
        type: t,
        namespaces: ["/actor/{actorId}/"],
        namespaceTemplates: ["/actor/{actorId}/"],
        status: "ACTIVE",
        createdAt: created,
        updatedAt: created,
      })),
      createdAt: created,
      updatedAt: created,
    });
  }
  for (const g of s.gateways) {
    const arn = refs.gateways.get(g.ref)!;
    const account = g.account ?? s.account;
    const id = arn.split("/").pop()!;
    state.gateways.set(arn, {
      gatewayId: id,
      gatewayArn: arn,
      gatewayUrl: `https://${id}.gateway.bedrock-agentcore.${g.region}.amazonaws.com/mcp`,
      name: g.name,
      account,
      region: g.region,
      status: "READY",
      description: g.description,
      roleArn: roleArn(g.role, account),
      protocolType: "MCP",
      authorizerType: "CUSTOM_JWT",
      kmsKeyArn: keyArn(g.key, g.region),
      createdAt: ago(45),
      updatedAt: ago(30),
    });
  }
  for (const r of s.recommendations) {
    const arn = refs.recommendations.get(r.ref)!;
    state.recommendations.set(arn, {
      recommendationId: arn.split("/").pop()!,
      recommendationArn: arn,
      name: r.name,
      account: r.account ?? s.account,
      region: r.region,
      type: r.type,
      status: r.status,
      description: r.description,
      kmsKeyArn: keyArn(r.key, r.region),
      recommendationConfig: { systemPromptRecommendationConfig: { systemPrompt: { text: "You are a support agent." }, agentTraces: { sessionSpans: [] } } },
      createdAt: ago(20),
      updatedAt: ago(19),
    });
  }
  for (const r of s.resources) {
    const arn = refs.resources.get(r.ref)!;
    const account = r.account ?? s.account;
    state.keyedResources.set(arn, {
      kind: r.kind,
      id: r.kind === "data-source" ? arn.split("/").pop()! : arn.split("/")[1],
      arn,
      name: r.name,
      account,
      region: r.region,
      parentId: r.kind === "data-source" ? arn.split("/")[1] : undefined,
      keyArn: keyArn(r.key, r.region),
      roleArn: r.role ? roleArn(r.role, account) : undefined,
      description: r.description,
      status: READY_STATUS[r.kind],
      createdAt: ago(r.createdDaysAgo),
      updatedAt: ago(Math.max(0, r.createdDaysAgo - 1)),
    });
  }
  for (const cp of s.credentialProviders) {
    const account = cp.account ?? s.account;
    const kind = cp.type === "oauth2" ? "oauth2credentialprovider" : "apikeycredentialprovider";
    const arn = `arn:aws:bedrock-agentcore:${cp.region}:${account}:token-vault/default/${kind}/${cp.name}`;
    let secret = cp.secret ? refs.secrets.get(cp.secret)! : undefined;
    if (!secret) {
      secret = createSecretRecord(state, {
        name: `bedrock-agentcore-identity!default/${cp.type}/${cp.name}`,
        region: cp.region,
        account,
        value: JSON.stringify({ secret: "managed" }),
        createdAt: ago(40),
        owningService: "bedrock-agentcore-identity",
        arn: secretArn(cp.region, account, `bedrock-agentcore-identity!default/${cp.type}/${cp.name}`, stableId(seed, `cpsecret:${cp.ref}`, 6)),
      }).arn;
      awsManagedKey(state, cp.region, account);
    }
    state.credentialProviders.set(arn, {
      type: cp.type,
      name: cp.name,
      arn,
      account,
      region: cp.region,
      vendor: cp.type === "oauth2" ? cp.vendor : "ApiKey",
      secretArn: secret,
      secretSource: cp.secret ? "EXTERNAL" : "MANAGED",
      jsonKey: cp.jsonKey,
      createdAt: ago(40),
      updatedAt: ago(40),
    });
  }
  for (const v of s.tokenVaults) {
    const k = keyArn(v.key, v.region);
    state.tokenVaults.set(`${s.account}:${v.region}`, {
      account: s.account,
      region: v.region,
      tokenVaultId: "default",
      keyType: k ? "CustomerManagedKey" : "ServiceManagedKey",
      kmsKeyArn: k,
      lastModifiedDate: ago(30),
    });
  }
  for (const w of s.workloadIdentities) {
    const arn = `arn:aws:bedrock-agentcore:${w.region}:${s.account}:workload-identity-directory/default/workload-identity/${w.name}`;
    state.workloadIdentities.set(arn, { name: w.name, arn, account: s.account, region: w.region });
  }
  for (const t of s.trails) {
    const arn = `arn:aws:cloudtrail:${t.homeRegion}:${s.account}:trail/${t.name}`;
    state.trails.set(arn, {
      name: t.name,
      arn,
      account: s.account,
      homeRegion: t.homeRegion,
      multiRegion: t.multiRegion,
      logging: t.logging,
      bucket: t.bucket,
      readWriteType: t.readWriteType,
      includeManagementEvents: t.includeManagementEvents,
      excludeManagementEventSources: t.excludeManagementEventSources,
      advanced: t.advanced,
      startedAt: ago(365),
      stoppedAt: t.logging ? undefined : ago(12),
    });
  }

  if (!opts.noTraffic) {
    state.bulkLoading = true;
    generateTraffic(state, s, refs, end);
    for (const rec of s.traffic.records) recordEvent(state, rec);
    finishBulkLoad(state);
  }
  return state;
}

/**
 * The organization the scenario's account manages: its root, units and accounts (ids as AWS forms
 * them), and in each member account that has it the read role Keyward assumes, trusting the
 * management account (with the external id when one is set) and holding Keyward's read policy.
 */
function loadOrganization(state: SandboxState, s: ScenarioData, seed: string, ago: (days: number) => Date): void {
  const org = s.organization!;
  const id = s.organizationId!;
  const lower = "abcdefghijklmnopqrstuvwxyz0123456789";
  const rootSuffix = stableId(seed, "org:root", 4, lower);
  const rootId = `r-${rootSuffix}`;
  const unitIds = new Map(org.units.map((u) => [u.ref, `ou-${rootSuffix}-${stableId(seed, `org:ou:${u.ref}`, 8, lower)}`]));
  const arnBase = `arn:aws:organizations::${s.account}`;
  const units = new Map(
    org.units.map((u) => {
      const uid = unitIds.get(u.ref)!;
      return [uid, { id: uid, arn: `${arnBase}:ou/${id}/${uid}`, name: u.name, parentId: u.parent ? unitIds.get(u.parent)! : rootId }];
    }),
  );
  const account = (aid: string, name: string, parentId: string, status: "ACTIVE" | "SUSPENDED" | "PENDING_CLOSURE", days: number) => ({
    id: aid,
    arn: `${arnBase}:account/${id}/${aid}`,
    name,
    email: `aws+${aid}@example.com`,
    parentId,
    status,
    joined: ago(days),
  });
  const accounts = new Map([[s.account, account(s.account, "management", rootId, "ACTIVE", 900)]]);
  org.accounts.forEach((a, i) => accounts.set(a.id, account(a.id, a.name, a.unit ? unitIds.get(a.unit)! : rootId, a.status, 600 - i)));
  const agg = org.configAggregator;
  state.organization = {
    id,
    arn: `${arnBase}:organization/${id}`,
    managementAccount: s.account,
    rootId,
    units,
    accounts,
    readRole: org.readRole,
    configAggregator: agg && {
      name: agg.name,
      region: agg.region,
      arn: `arn:aws:config:${agg.region}:${s.account}:config-aggregator/config-aggregator-${stableId(seed, `config:${agg.name}`, 8, lower)}`,
      createdAt: ago(800),
      exceptions: agg.exceptions,
    },
  };
  const read = (readPolicies as { read: unknown }).read;
  for (const a of org.accounts) {
    if (!a.readRole) continue;
    const arn = `arn:aws:iam::${a.id}:role/${org.readRole.name}`;
    const trust = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${s.account}:root` },
          Action: "sts:AssumeRole",
          ...(org.readRole.externalId ? { Condition: { StringEquals: { "sts:ExternalId": org.readRole.externalId } } } : {}),
        },
      ],
    };
    state.roles.set(arn, {
      name: org.readRole.name,
      arn,
      roleId: `AROA${stableId(seed, `role:${a.id}:${org.readRole.name}`, 17)}`,
      account: a.id,
      path: "/",
      description: "Keyward read role (organization)",
      assumeRolePolicy: JSON.stringify(trust),
      inlinePolicies: new Map([["KeywardRead", JSON.stringify(read)]]),
      attachedPolicies: [],
      createdAt: ago(300),
    });
  }
}
