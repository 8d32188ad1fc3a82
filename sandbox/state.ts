// The sandbox's account state: what a scenario declares, resolved into AWS-shaped records with
// ARNs and ids, plus everything changed since (keys created, policies put, events recorded).
import type { ScenarioData, Fault } from "./scenario/schema";
import { keyMaterial } from "./rng";

export type PolicyDocument = { Version?: string; Statement: unknown } & Record<string, unknown>;

export interface Grant {
  GrantId: string;
  GrantToken: string;
  KeyArn: string;
  Name?: string;
  GranteePrincipal: string;
  RetiringPrincipal?: string;
  IssuingAccount: string;
  Operations: string[];
  Constraints?: { EncryptionContextSubset?: Record<string, string>; EncryptionContextEquals?: Record<string, string> };
  CreationDate: Date;
  /** Created by an AWS service for a resource (kms:GrantIsForAWSResource). */
  forAwsResource: boolean;
}

export interface KmsKey {
  arn: string;
  id: string;
  account: string;
  region: string;
  description: string;
  spec: string;
  usage: string;
  state: "Enabled" | "Disabled" | "PendingDeletion" | "PendingImport" | "Unavailable";
  manager: "CUSTOMER" | "AWS";
  origin: "AWS_KMS";
  createdAt: Date;
  deletionDate?: Date;
  pendingWindowDays?: number;
  rotation: boolean;
  rotationPeriodDays: number;
  nextRotationDate?: Date;
  policy: string;
  tags: { TagKey: string; TagValue: string }[];
  multiRegion: boolean;
  grants: Grant[];
  material: Buffer;
}

export interface Alias {
  name: string;
  arn: string;
  targetKeyId?: string;
  account: string;
  region: string;
  createdAt: Date;
}

export interface Secret {
  arn: string;
  name: string;
  account: string;
  region: string;
  description: string;
  kmsKeyId?: string;
  createdAt: Date;
  lastChangedDate: Date;
  lastAccessedDate?: Date;
  rotationEnabled: boolean;
  rotationDays?: number;
  rotationLambdaArn?: string;
  policy?: string;
  tags: { Key: string; Value: string }[];
  value: string;
  versionId: string;
  /** Owned by AgentCore Identity (service-managed provider secret). */
  owningService?: string;
}

export interface Role {
  name: string;
  arn: string;
  roleId: string;
  account: string;
  path: string;
  description: string;
  assumeRolePolicy: string;
  inlinePolicies: Map<string, string>;
  attachedPolicies: string[];
  createdAt: Date;
}

export interface User {
  name: string;
  arn: string;
  userId: string;
  account: string;
  inlinePolicies: Map<string, string>;
  attachedPolicies: string[];
  createdAt: Date;
}

export interface ManagedPolicy {
  arn: string;
  name: string;
  policyId: string;
  account: string;
  description: string;
  document: string;
  versionId: string;
  createdAt: Date;
  attachmentCount: number;
}

export interface Agent {
  agentId: string;
  agentName: string;
  agentArn: string;
  account: string;
  region: string;
  agentStatus: string;
  agentVersion: string;
  customerEncryptionKeyArn?: string;
  agentResourceRoleArn: string;
  foundationModel: string;
  instruction: string;
  description: string;
  idleSessionTTLInSeconds: number;
  createdAt: Date;
  updatedAt: Date;
  preparedAt?: Date;
  tags: Record<string, string>;
  clientToken?: string;
}

export interface KnowledgeBase {
  knowledgeBaseId: string;
  name: string;
  knowledgeBaseArn: string;
  account: string;
  region: string;
  roleArn: string;
  kmsKeyArn?: string;
  description: string;
  status: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface Memory {
  id: string;
  arn: string;
  name: string;
  account: string;
  region: string;
  status: string;
  description: string;
  encryptionKeyArn?: string;
  memoryExecutionRoleArn?: string;
  eventExpiryDuration: number;
  strategies: { strategyId: string; name: string; type: string; namespaces: string[]; namespaceTemplates: string[]; status: string; createdAt: Date; updatedAt: Date }[];
  createdAt: Date;
  updatedAt: Date;
  clientToken?: string;
}

/** The kinds kept in `keyedResources` (sandbox/services/keyed.ts). */
export const KEYED_RESOURCE_KINDS = ["guardrail", "flow", "prompt", "data-source", "policy-engine", "evaluator", "dataset", "configuration-bundle", "payment-manager"] as const;
export type KeyedResourceKind = (typeof KEYED_RESOURCE_KINDS)[number];

/** A resource that carries little besides a name, a key and a role (flows, prompts, policy engines...). */
export interface KeyedResource {
  kind: KeyedResourceKind;
  id: string;
  arn: string;
  name: string;
  account: string;
  region: string;
  /** A data source's knowledge base id. */
  parentId?: string;
  keyArn?: string;
  roleArn?: string;
  description: string;
  status: string;
  /** The configuration given at creation (evaluatorConfig, components, dataSourceConfiguration). */
  config?: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export interface Gateway {
  gatewayId: string;
  gatewayArn: string;
  gatewayUrl: string;
  name: string;
  account: string;
  region: string;
  status: string;
  description: string;
  roleArn: string;
  protocolType: string;
  authorizerType: string;
  kmsKeyArn?: string;
  createdAt: Date;
  updatedAt: Date;
  clientToken?: string;
}

export interface CredentialProvider {
  type: "oauth2" | "apikey";
  name: string;
  arn: string;
  account: string;
  region: string;
  vendor: string;
  secretArn: string;
  /** "MANAGED" (AgentCore created the secret) or "EXTERNAL" (a customer secret + JSON key). */
  secretSource: "MANAGED" | "EXTERNAL";
  jsonKey?: string;
  clientId?: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface TokenVault {
  account: string;
  region: string;
  tokenVaultId: string;
  keyType: "ServiceManagedKey" | "CustomerManagedKey";
  kmsKeyArn?: string;
  lastModifiedDate: Date;
}

export interface WorkloadIdentity {
  name: string;
  arn: string;
  account: string;
  region: string;
}

export interface Recommendation {
  recommendationId: string;
  recommendationArn: string;
  name: string;
  account: string;
  region: string;
  type: string;
  status: string;
  description: string;
  kmsKeyArn?: string;
  recommendationConfig: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
  clientToken?: string;
}

export interface Trail {
  name: string;
  arn: string;
  account: string;
  homeRegion: string;
  multiRegion: boolean;
  logging: boolean;
  bucket: string;
  readWriteType: "All" | "ReadOnly" | "WriteOnly";
  includeManagementEvents: boolean;
  excludeManagementEventSources: string[];
  advanced: boolean;
  startedAt?: Date;
  stoppedAt?: Date;
}

/** A CloudTrail record in AWS's format, kept with the fields LookupEvents filters on. */
export interface StoredEvent {
  time: number;
  account: string;
  region: string;
  eventId: string;
  eventName: string;
  eventSource: string;
  readOnly: boolean;
  accessKeyId?: string;
  username?: string;
  resources: { type: string; name: string }[];
  /** The record itself, serialized once. */
  json: string;
}

export interface CallerCredential {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  principal: string; // admin | role/NAME | user/NAME
  account: string;
  sessionName?: string;
  expiresAt?: Date;
}

export interface OrgUnit {
  id: string;
  arn: string;
  name: string;
  parentId: string;
}
export interface OrgAccount {
  id: string;
  arn: string;
  name: string;
  email: string;
  parentId: string;
  status: "ACTIVE" | "SUSPENDED" | "PENDING_CLOSURE";
  joined: Date;
}
export interface Organization {
  id: string;
  arn: string;
  managementAccount: string;
  rootId: string;
  units: Map<string, OrgUnit>;
  /** The management account included. */
  accounts: Map<string, OrgAccount>;
  /** The read role every member holds (unless left out). */
  readRole: { name: string; externalId?: string };
  /** An AWS Config organization aggregator in the management account (sandbox/services/config.ts). */
  configAggregator?: ConfigAggregator;
}

/** An organization aggregator: every active account and region is a source, each recording every supported type unless an exception says otherwise. */
export interface ConfigAggregator {
  name: string;
  arn: string;
  region: string;
  createdAt: Date;
  exceptions: { account: string; region?: string; status?: "SUCCEEDED" | "FAILED" | "OUTDATED"; recording?: boolean; excludedTypes?: string[] }[];
}

export interface SandboxState {
  seed: string;
  scenarioName: string;
  account: string;
  otherAccounts: string[];
  organizationId?: string;
  organization?: Organization;
  regions: string[];
  agentCoreUnavailableIn: string[];
  credentials: Map<string, CallerCredential>;
  roles: Map<string, Role>; // by ARN
  users: Map<string, User>;
  policies: Map<string, ManagedPolicy>;
  keys: Map<string, KmsKey>; // by ARN
  aliases: Map<string, Alias>; // by alias ARN
  secrets: Map<string, Secret>;
  agents: Map<string, Agent>;
  knowledgeBases: Map<string, KnowledgeBase>;
  memories: Map<string, Memory>;
  gateways: Map<string, Gateway>;
  credentialProviders: Map<string, CredentialProvider>;
  tokenVaults: Map<string, TokenVault>; // by `${account}:${region}`
  workloadIdentities: Map<string, WorkloadIdentity>;
  recommendations: Map<string, Recommendation>;
  keyedResources: Map<string, KeyedResource>;
  trails: Map<string, Trail>;
  faults: Fault[];
  /** Events per `${account}:${region}`, ascending by time. */
  events: Map<string, StoredEvent[]>;
  /** Idempotency: clientToken → resource ARN, per operation. */
  clientTokens: Map<string, string>;
  /** Last cryptographic use per key ARN, from recorded events (GetKeyLastUsage). */
  keyLastUsage: Map<string, { operation: string; time: number; eventId: string; requestId: string }>;
  /** Security Hub findings imported (BatchImportFindings), by `${ProductArn}|${Id}`. */
  securityHubFindings: Map<string, Record<string, unknown>>;
  /** While true, events are appended unordered and sorted once by finishBulkLoad. */
  bulkLoading?: boolean;
  /** When usage tracking began (the start of the scenario's traffic window). */
  trackingStart: Date;
  counter: number;
}

export function emptyState(s: Pick<ScenarioData, "seed" | "name" | "account" | "otherAccounts" | "organizationId" | "regions" | "agentCoreUnavailableIn">): SandboxState {
  return {
    seed: String(s.seed),
    scenarioName: s.name,
    account: s.account,
    otherAccounts: s.otherAccounts,
    organizationId: s.organizationId,
    regions: s.regions,
    agentCoreUnavailableIn: s.agentCoreUnavailableIn,
    credentials: new Map(),
    roles: new Map(),
    users: new Map(),
    policies: new Map(),
    keys: new Map(),
    aliases: new Map(),
    secrets: new Map(),
    agents: new Map(),
    knowledgeBases: new Map(),
    memories: new Map(),
    gateways: new Map(),
    credentialProviders: new Map(),
    tokenVaults: new Map(),
    workloadIdentities: new Map(),
    recommendations: new Map(),
    keyedResources: new Map(),
    trails: new Map(),
    faults: [],
    events: new Map(),
    clientTokens: new Map(),
    keyLastUsage: new Map(),
    securityHubFindings: new Map(),
    trackingStart: new Date(Date.now() - 90 * 86_400_000),
    counter: 0,
  };
}

export function defaultKeyPolicy(account: string): string {
  return JSON.stringify(
    {
      Version: "2012-10-17",
      Id: "key-default-1",
      Statement: [
        {
          Sid: "Enable IAM User Permissions",
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${account}:root` },
          Action: "kms:*",
          Resource: "*",
        },
      ],
    },
    null,
    2,
  );
}

/** The policy AWS writes on an AWS managed key (aws/SERVICE): usable via that service only. */
export function awsManagedKeyPolicy(account: string, service: string): string {
  return JSON.stringify(
    {
      Version: "2012-10-17",
      Id: `auto-${service}-2`,
      Statement: [
        {
          Sid: `Allow access through ${service} for all principals in the account that are authorized to use ${service}`,
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"],
          Resource: "*",
          Condition: { StringEquals: { "kms:CallerAccount": account, "kms:ViaService": `${service}.${"${region}"}.amazonaws.com` } },
        },
        {
          Sid: "Allow direct access to key metadata to the account",
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${account}:root` },
          Action: ["kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant"],
          Resource: "*",
        },
      ],
    },
    null,
    2,
  );
}

export function newKey(state: SandboxState, opts: { id: string; account: string; region: string; createdAt: Date } & Partial<KmsKey>): KmsKey {
  const arn = `arn:aws:kms:${opts.region}:${opts.account}:key/${opts.id}`;
  const spec = opts.spec ?? "SYMMETRIC_DEFAULT";
  const key: KmsKey = {
    arn,
    id: opts.id,
    account: opts.account,
    region: opts.region,
    description: opts.description ?? "",
    spec,
    usage: opts.usage ?? (spec.startsWith("HMAC") ? "GENERATE_VERIFY_MAC" : "ENCRYPT_DECRYPT"),
    state: opts.state ?? "Enabled",
    manager: opts.manager ?? "CUSTOMER",
    origin: "AWS_KMS",
    createdAt: opts.createdAt,
    deletionDate: opts.deletionDate,
    pendingWindowDays: opts.pendingWindowDays,
    rotation: opts.rotation ?? false,
    rotationPeriodDays: 365,
    policy: opts.policy ?? defaultKeyPolicy(opts.account),
    tags: opts.tags ?? [],
    multiRegion: opts.multiRegion ?? false,
    grants: opts.grants ?? [],
    material: keyMaterial(state.seed, arn),
  };
  state.keys.set(arn, key);
  return key;
}

export function eventsFor(state: SandboxState, account: string, region: string): StoredEvent[] {
  const k = `${account}:${region}`;
  let list = state.events.get(k);
  if (!list) {
    list = [];
    state.events.set(k, list);
  }
  return list;
}

/** Inserts keeping ascending time order (appends are the common case). */
export function insertEvent(state: SandboxState, e: StoredEvent): void {
  const list = eventsFor(state, e.account, e.region);
  if (state.bulkLoading || !list.length || list[list.length - 1].time <= e.time) {
    list.push(e);
    return;
  }
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].time <= e.time) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, e);
}

/** Ends a bulk load: one sort per region instead of an ordered insert per event. */
export function finishBulkLoad(state: SandboxState): void {
  state.bulkLoading = false;
  for (const list of state.events.values()) list.sort((a, b) => a.time - b.time);
}

export function nextId(state: SandboxState): number {
  state.counter += 1;
  return state.counter;
}
