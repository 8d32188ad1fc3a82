// The agent resources that carry little besides a name, a customer managed key and a role: Bedrock
// guardrails, flows, prompts and knowledge-base data sources; AgentCore policy engines, evaluators, datasets,
// configuration bundles and payment managers. One table describes each (its operations, id and ARN
// forms, the fields its answers carry); the handlers are built from it. A key given at creation must
// be usable: enabled, symmetric, in the resource's region, and the caller must be able to use it
// through the service (kms:ViaService; for flows, with the flow's encryption context as AWS's page
// documents it).
import { randomUUID } from "node:crypto";

import { AwsError, requireStr, str, type CallContext, type ServiceHandlers } from "../core";
import { policyPrincipal } from "../principals";
import { stableId } from "../rng";
import type { KeyedResource, KeyedResourceKind } from "../state";

import { keyForResource } from "./agent-keys";
import { principalCan } from "./kms";
import { offsetPage } from "./paging";

type Shape = Record<string, unknown>;

interface KeyedSpec {
  kind: KeyedResourceKind;
  service: "bedrock" | "bedrock-agent" | "agentcore-control";
  label: string;
  /** The trail's resource type for creations. */
  cfnType: string;
  ops: { list: string; get: string; create: string; delete: string };
  /** Input member naming the resource in Get/Delete. */
  idInput: string;
  /** Input member holding the name and the key at creation. */
  nameInput: string;
  keyInput: string;
  roleInput?: string;
  namePattern: RegExp;
  /** The id AWS assigns: ten upper-case letters and digits (Bedrock), or the name and a ten-character suffix (AgentCore). */
  idStyle: "upper" | "suffix" | "lower";
  arn(ctx: { region: string; account: string }, id: string, parentId?: string): string;
  listField: string;
  summary(r: KeyedResource): Shape;
  get(r: KeyedResource): Shape;
  created(r: KeyedResource): Shape;
  deleted(r: KeyedResource): Shape;
  maxResults: [def: number, max: number];
  /** The encryption context AWS's page says the service uses the key with (checked at creation). */
  context?(arn: string): Record<string, string>;
  /** What the caller must be allowed to do with the key, through the service. */
  keyOps: string[];
}

/** An id in the kind's style, stable for a seed. */
export function keyedId(spec: Pick<KeyedSpec, "idStyle">, name: string, seed: string, key: string): string {
  if (spec.idStyle === "upper") return stableId(seed, key, 10, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
  if (spec.idStyle === "lower") return stableId(seed, key, 12, "abcdefghijklmnopqrstuvwxyz0123456789");
  return `${name}-${stableId(seed, key, 10, "abcdefghijklmnopqrstuvwxyz0123456789")}`;
}

const bedrockArn = (type: string) => (ctx: { region: string; account: string }, id: string) => `arn:aws:bedrock:${ctx.region}:${ctx.account}:${type}/${id}`;
const agentCoreArn = (type: string) => (ctx: { region: string; account: string }, id: string) => `arn:aws:bedrock-agentcore:${ctx.region}:${ctx.account}:${type}/${id}`;

const times = (r: KeyedResource) => ({ createdAt: r.createdAt, updatedAt: r.updatedAt });

export const KEYED_SPECS: KeyedSpec[] = [
  {
    kind: "guardrail",
    service: "bedrock",
    label: "guardrail",
    cfnType: "AWS::Bedrock::Guardrail",
    ops: { list: "ListGuardrails", get: "GetGuardrail", create: "CreateGuardrail", delete: "DeleteGuardrail" },
    idInput: "guardrailIdentifier",
    nameInput: "name",
    keyInput: "kmsKeyId",
    namePattern: /^[0-9a-zA-Z_-]{1,50}$/,
    idStyle: "lower",
    arn: bedrockArn("guardrail"),
    listField: "guardrails",
    summary: (r) => ({ id: r.id, arn: r.arn, status: r.status, name: r.name, description: r.description || undefined, version: "DRAFT", ...times(r) }),
    get: (r) => ({
      name: r.name,
      description: r.description || undefined,
      guardrailId: r.id,
      guardrailArn: r.arn,
      version: "DRAFT",
      status: r.status,
      blockedInputMessaging: "Sorry, the model cannot answer this question.",
      blockedOutputsMessaging: "Sorry, the model cannot answer this question.",
      kmsKeyArn: r.keyArn,
      ...times(r),
    }),
    created: (r) => ({ guardrailId: r.id, guardrailArn: r.arn, version: "DRAFT", createdAt: r.createdAt }),
    deleted: () => ({}),
    maxResults: [20, 1000],
    keyOps: ["GenerateDataKey", "Decrypt", "DescribeKey"],
  },
  {
    kind: "flow",
    service: "bedrock-agent",
    label: "flow",
    cfnType: "AWS::Bedrock::Flow",
    ops: { list: "ListFlows", get: "GetFlow", create: "CreateFlow", delete: "DeleteFlow" },
    idInput: "flowIdentifier",
    nameInput: "name",
    keyInput: "customerEncryptionKeyArn",
    roleInput: "executionRoleArn",
    namePattern: /^([0-9a-zA-Z][_-]?){1,100}$/,
    idStyle: "upper",
    arn: bedrockArn("flow"),
    listField: "flowSummaries",
    summary: (r) => ({ name: r.name, id: r.id, arn: r.arn, status: r.status, version: "DRAFT", description: r.description || undefined, ...times(r) }),
    get: (r) => ({
      name: r.name,
      id: r.id,
      arn: r.arn,
      status: r.status,
      version: "DRAFT",
      executionRoleArn: r.roleArn,
      customerEncryptionKeyArn: r.keyArn,
      description: r.description || undefined,
      ...times(r),
    }),
    created: (r) => ({ name: r.name, id: r.id, arn: r.arn, status: r.status, version: "DRAFT", executionRoleArn: r.roleArn, customerEncryptionKeyArn: r.keyArn, ...times(r) }),
    deleted: (r) => ({ id: r.id }),
    maxResults: [10, 1000],
    context: (arn) => ({ "kms:EncryptionContext:aws:bedrock-flows:arn": arn }),
    keyOps: ["GenerateDataKey", "Decrypt"],
  },
  {
    kind: "prompt",
    service: "bedrock-agent",
    label: "prompt",
    cfnType: "AWS::Bedrock::Prompt",
    ops: { list: "ListPrompts", get: "GetPrompt", create: "CreatePrompt", delete: "DeletePrompt" },
    idInput: "promptIdentifier",
    nameInput: "name",
    keyInput: "customerEncryptionKeyArn",
    namePattern: /^([0-9a-zA-Z][_-]?){1,100}$/,
    idStyle: "upper",
    arn: bedrockArn("prompt"),
    listField: "promptSummaries",
    summary: (r) => ({ name: r.name, id: r.id, arn: r.arn, version: "DRAFT", description: r.description || undefined, ...times(r) }),
    get: (r) => ({ name: r.name, id: r.id, arn: r.arn, version: "DRAFT", customerEncryptionKeyArn: r.keyArn, description: r.description || undefined, ...times(r) }),
    created: (r) => ({ name: r.name, id: r.id, arn: r.arn, version: "DRAFT", customerEncryptionKeyArn: r.keyArn, ...times(r) }),
    deleted: (r) => ({ id: r.id }),
    maxResults: [10, 1000],
    context: (arn) => ({ "kms:EncryptionContext:aws:bedrock-prompts:arn": arn }),
    keyOps: ["GenerateDataKey", "Decrypt"],
  },
  {
    kind: "data-source",
    service: "bedrock-agent",
    label: "data source",
    cfnType: "AWS::Bedrock::DataSource",
    ops: { list: "ListDataSources", get: "GetDataSource", create: "CreateDataSource", delete: "DeleteDataSource" },
    idInput: "dataSourceId",
    nameInput: "name",
    keyInput: "serverSideEncryptionConfiguration.kmsKeyArn",
    namePattern: /^([0-9a-zA-Z][_-]?){1,100}$/,
    idStyle: "upper",
    arn: (ctx, id, parentId) => `arn:aws:bedrock:${ctx.region}:${ctx.account}:knowledge-base/${parentId}/data-source/${id}`,
    listField: "dataSourceSummaries",
    summary: (r) => ({ knowledgeBaseId: r.parentId, dataSourceId: r.id, name: r.name, status: r.status, description: r.description || undefined, updatedAt: r.updatedAt }),
    get: (r) => ({ dataSource: dataSourceShape(r) }),
    created: (r) => ({ dataSource: dataSourceShape(r) }),
    deleted: (r) => ({ knowledgeBaseId: r.parentId, dataSourceId: r.id, status: "DELETING" }),
    maxResults: [10, 1000],
    keyOps: ["GenerateDataKey", "Decrypt"],
  },
  {
    kind: "policy-engine",
    service: "agentcore-control",
    label: "policy engine",
    cfnType: "AWS::BedrockAgentCore::PolicyEngine",
    ops: { list: "ListPolicyEngines", get: "GetPolicyEngine", create: "CreatePolicyEngine", delete: "DeletePolicyEngine" },
    idInput: "policyEngineId",
    nameInput: "name",
    keyInput: "encryptionKeyArn",
    namePattern: /^[A-Za-z][A-Za-z0-9_]{0,47}$/,
    idStyle: "suffix",
    arn: agentCoreArn("policy-engine"),
    listField: "policyEngines",
    summary: (r) => policyEngineShape(r),
    get: (r) => policyEngineShape(r),
    created: (r) => policyEngineShape(r),
    deleted: (r) => ({ ...policyEngineShape(r), status: "DELETING" }),
    maxResults: [10, 100],
    keyOps: ["GenerateDataKey", "Decrypt"],
  },
  {
    kind: "evaluator",
    service: "agentcore-control",
    label: "evaluator",
    cfnType: "AWS::BedrockAgentCore::Evaluator",
    ops: { list: "ListEvaluators", get: "GetEvaluator", create: "CreateEvaluator", delete: "DeleteEvaluator" },
    idInput: "evaluatorId",
    nameInput: "evaluatorName",
    keyInput: "kmsKeyArn",
    namePattern: /^[a-zA-Z][a-zA-Z0-9_]{0,47}$/,
    idStyle: "suffix",
    arn: agentCoreArn("evaluator"),
    listField: "evaluators",
    summary: (r) => evaluatorSummary(r),
    get: (r) => ({
      ...evaluatorSummary(r),
      evaluatorConfig: r.config ?? { codeBased: { lambdaConfig: { lambdaArn: `arn:aws:lambda:${r.region}:${r.account}:function:${r.name}` } } },
    }),
    created: (r) => ({ evaluatorArn: r.arn, evaluatorId: r.id, createdAt: r.createdAt, status: r.status }),
    deleted: (r) => ({ evaluatorArn: r.arn, evaluatorId: r.id, status: "DELETING" }),
    maxResults: [20, 100],
    keyOps: ["GenerateDataKey", "Decrypt"],
  },
  {
    kind: "dataset",
    service: "agentcore-control",
    label: "dataset",
    cfnType: "AWS::BedrockAgentCore::Dataset",
    ops: { list: "ListDatasets", get: "GetDataset", create: "CreateDataset", delete: "DeleteDataset" },
    idInput: "datasetId",
    nameInput: "datasetName",
    keyInput: "kmsKeyArn",
    namePattern: /^[a-zA-Z][a-zA-Z0-9_]{0,47}$/,
    idStyle: "suffix",
    arn: agentCoreArn("dataset"),
    listField: "datasets",
    summary: (r) => datasetSummary(r),
    get: (r) => ({ ...datasetSummary(r), datasetVersion: "DRAFT", kmsKeyArn: r.keyArn }),
    created: (r) => ({ datasetArn: r.arn, datasetId: r.id, status: r.status, createdAt: r.createdAt }),
    deleted: (r) => ({ datasetArn: r.arn, datasetId: r.id, status: "DELETING", datasetVersion: "DRAFT", updatedAt: r.updatedAt }),
    maxResults: [20, 100],
    keyOps: ["GenerateDataKey", "Decrypt"],
  },
  {
    kind: "configuration-bundle",
    service: "agentcore-control",
    label: "configuration bundle",
    cfnType: "AWS::BedrockAgentCore::ConfigurationBundle",
    ops: { list: "ListConfigurationBundles", get: "GetConfigurationBundle", create: "CreateConfigurationBundle", delete: "DeleteConfigurationBundle" },
    idInput: "bundleId",
    nameInput: "bundleName",
    keyInput: "kmsKeyArn",
    namePattern: /^[a-zA-Z][a-zA-Z0-9_-]{0,47}$/,
    idStyle: "suffix",
    arn: agentCoreArn("configuration-bundle"),
    listField: "bundles",
    // The listing carries no update time: a reader must get each bundle to see its key.
    summary: (r) => ({ bundleArn: r.arn, bundleId: r.id, bundleName: r.name, description: r.description || undefined, createdAt: r.createdAt }),
    get: (r) => ({
      bundleArn: r.arn,
      bundleId: r.id,
      bundleName: r.name,
      description: r.description || undefined,
      versionId: "1",
      components: r.config ?? {},
      kmsKeyArn: r.keyArn,
      ...times(r),
    }),
    created: (r) => ({ bundleArn: r.arn, bundleId: r.id, versionId: "1", createdAt: r.createdAt }),
    deleted: (r) => ({ bundleId: r.id, status: "DELETING" }),
    maxResults: [20, 100],
    keyOps: ["GenerateDataKey", "Decrypt"],
  },
  {
    kind: "payment-manager",
    service: "agentcore-control",
    label: "payment manager",
    cfnType: "AWS::BedrockAgentCore::PaymentManager",
    ops: { list: "ListPaymentManagers", get: "GetPaymentManager", create: "CreatePaymentManager", delete: "DeletePaymentManager" },
    idInput: "paymentManagerId",
    nameInput: "name",
    keyInput: "kmsKeyArn",
    roleInput: "roleArn",
    namePattern: /^[a-zA-Z][a-zA-Z0-9_-]{0,47}$/,
    idStyle: "suffix",
    arn: agentCoreArn("payment-manager"),
    listField: "paymentManagers",
    summary: (r) => paymentManagerShape(r),
    get: (r) => paymentManagerShape(r),
    created: (r) => ({
      paymentManagerArn: r.arn,
      paymentManagerId: r.id,
      name: r.name,
      authorizerType: "AWS_IAM",
      roleArn: r.roleArn,
      createdAt: r.createdAt,
      status: r.status,
      kmsKeyArn: r.keyArn,
    }),
    deleted: (r) => ({ status: "DELETING", paymentManagerId: r.id }),
    maxResults: [20, 100],
    keyOps: ["GenerateDataKey", "Decrypt"],
  },
];

function evaluatorSummary(r: KeyedResource) {
  return {
    evaluatorArn: r.arn,
    evaluatorId: r.id,
    evaluatorName: r.name,
    description: r.description || undefined,
    evaluatorType: "Custom",
    level: "TRACE",
    status: r.status,
    kmsKeyArn: r.keyArn,
    ...times(r),
  };
}

function datasetSummary(r: KeyedResource) {
  return {
    datasetArn: r.arn,
    datasetId: r.id,
    datasetName: r.name,
    description: r.description || undefined,
    status: r.status,
    schemaType: "AGENTCORE_EVALUATION_PREDEFINED_V1",
    exampleCount: 0,
    ...times(r),
  };
}

function paymentManagerShape(r: KeyedResource) {
  return {
    paymentManagerArn: r.arn,
    paymentManagerId: r.id,
    name: r.name,
    description: r.description || undefined,
    authorizerType: "AWS_IAM",
    roleArn: r.roleArn,
    status: r.status,
    createdAt: r.createdAt,
    lastUpdatedAt: r.updatedAt,
    kmsKeyArn: r.keyArn,
  };
}

function dataSourceShape(r: KeyedResource) {
  return {
    knowledgeBaseId: r.parentId,
    dataSourceId: r.id,
    name: r.name,
    status: r.status,
    description: r.description || undefined,
    dataSourceConfiguration: r.config ?? { type: "CUSTOM" },
    serverSideEncryptionConfiguration: r.keyArn ? { kmsKeyArn: r.keyArn } : undefined,
    dataDeletionPolicy: "RETAIN",
    ...times(r),
  };
}

function policyEngineShape(r: KeyedResource) {
  return {
    policyEngineId: r.id,
    name: r.name,
    policyEngineArn: r.arn,
    status: r.status,
    encryptionKeyArn: r.keyArn,
    description: r.description || undefined,
    statusReasons: [],
    ...times(r),
  };
}

/** The status a resource of each kind has once created (AWS's enums differ). */
export const READY_STATUS: Record<KeyedResourceKind, string> = {
  guardrail: "READY",
  flow: "NotPrepared",
  prompt: "",
  "data-source": "AVAILABLE",
  "policy-engine": "ACTIVE",
  evaluator: "ACTIVE",
  dataset: "ACTIVE",
  "configuration-bundle": "ACTIVE",
  "payment-manager": "READY",
};

function inScope(ctx: CallContext, spec: KeyedSpec, parentId?: string): KeyedResource[] {
  return [...ctx.state.keyedResources.values()]
    .filter((r) => r.kind === spec.kind && r.region === ctx.region && r.account === ctx.account && (parentId === undefined || r.parentId === parentId))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

function find(ctx: CallContext, spec: KeyedSpec, input: Record<string, unknown>): KeyedResource {
  const id = requireStr(input, spec.idInput);
  const parentId = spec.kind === "data-source" ? requireStr(input, "knowledgeBaseId") : undefined;
  const r = inScope(ctx, spec, parentId).find((x) => x.id === id || x.arn === id);
  if (!r) throw new AwsError("ResourceNotFoundException", `The ${spec.label} ${id} was not found.`, 404);
  return r;
}

function nested(input: Record<string, unknown>, path: string): string | undefined {
  const v = path.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), input);
  return typeof v === "string" ? v : undefined;
}

async function checkKey(ctx: CallContext, spec: KeyedSpec, keyArn: string, arn: string): Promise<string> {
  // A key may be named by id, alias or ARN where the API says so (CreateGuardrail kmsKeyId).
  const arn0 = keyArn.startsWith("arn:")
    ? keyArn
    : keyArn.startsWith("alias/")
      ? `arn:aws:kms:${ctx.region}:${ctx.account}:${keyArn}`
      : `arn:aws:kms:${ctx.region}:${ctx.account}:key/${keyArn}`;
  const key = keyForResource(ctx, arn0, spec.label);
  const caller = ctx.caller.admin ? `arn:aws:iam::${ctx.account}:root` : policyPrincipal(ctx.caller);
  const via = { "kms:ViaService": `${spec.service === "agentcore-control" ? "bedrock-agentcore" : "bedrock"}.${ctx.region}.amazonaws.com`, ...(spec.context?.(arn) ?? {}) };
  const missing: string[] = [];
  for (const op of spec.keyOps) if (!(await principalCan(ctx.state, key, caller, op, via))) missing.push(`kms:${op}`);
  if (missing.length)
    throw new AwsError("ValidationException", `The key policy of ${key.arn} does not let the caller use the key for this ${spec.label} (missing ${missing.join(", ")}).`);
  ctx.trail.keyArn = key.arn;
  return key.arn;
}

function handlersFor(spec: KeyedSpec): ServiceHandlers {
  return {
    [spec.ops.list](ctx, input) {
      const parentId = spec.kind === "data-source" ? requireStr(input, "knowledgeBaseId") : undefined;
      if (parentId && ![...ctx.state.knowledgeBases.values()].some((k) => k.knowledgeBaseId === parentId && k.region === ctx.region && k.account === ctx.account))
        throw new AwsError("ResourceNotFoundException", `Knowledge base ${parentId} not found.`, 404);
      const n = (input.maxResults as number | undefined) ?? spec.maxResults[0];
      if (n < 1 || n > spec.maxResults[1]) throw new AwsError("ValidationException", `maxResults must be between 1 and ${spec.maxResults[1]}.`);
      const p = offsetPage(inScope(ctx, spec, parentId), str(input, "nextToken"), n, new AwsError("ValidationException", "Invalid nextToken."));
      return { [spec.listField]: p.items.map(spec.summary), nextToken: p.next };
    },
    [spec.ops.get](ctx, input) {
      return spec.get(find(ctx, spec, input));
    },
    async [spec.ops.create](ctx, input) {
      const token = str(input, "clientToken") ?? str(input, "clientRequestToken");
      const prev = token ? ctx.state.clientTokens.get(`${spec.ops.create}:${ctx.account}:${token}`) : undefined;
      if (prev && ctx.state.keyedResources.get(prev)) return spec.created(ctx.state.keyedResources.get(prev)!);
      const name = requireStr(input, spec.nameInput);
      if (!spec.namePattern.test(name)) throw new AwsError("ValidationException", `${spec.nameInput} must match ${spec.namePattern.source}.`);
      const parentId = spec.kind === "data-source" ? requireStr(input, "knowledgeBaseId") : undefined;
      if (inScope(ctx, spec, parentId).some((r) => r.name === name)) throw new AwsError("ConflictException", `A ${spec.label} named ${name} already exists.`, 409);
      const id = keyedId(spec, name, randomUUID(), "id");
      const arn = spec.arn(ctx, id, parentId);
      const role = spec.roleInput ? str(input, spec.roleInput) : undefined;
      if (role && !/^arn:aws:iam::\d{12}:role\/.+/.test(role)) throw new AwsError("ValidationException", `${spec.roleInput} must be an IAM role ARN.`);
      const requested = nested(input, spec.keyInput);
      const keyArn = requested ? await checkKey(ctx, spec, requested, arn) : undefined;
      const r: KeyedResource = {
        kind: spec.kind,
        id,
        arn,
        name,
        account: ctx.account,
        region: ctx.region,
        parentId,
        keyArn,
        roleArn: role,
        description: str(input, "description") ?? "",
        status: READY_STATUS[spec.kind],
        config: (input.evaluatorConfig ?? input.components ?? input.dataSourceConfiguration) as Record<string, unknown> | undefined,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      };
      ctx.state.keyedResources.set(arn, r);
      if (token) ctx.state.clientTokens.set(`${spec.ops.create}:${ctx.account}:${token}`, arn);
      ctx.trail.resources = [{ accountId: ctx.account, type: spec.cfnType, ARN: arn }];
      return spec.created(r);
    },
    [spec.ops.delete](ctx, input) {
      const r = find(ctx, spec, input);
      ctx.state.keyedResources.delete(r.arn);
      return spec.deleted(r);
    },
  };
}

const forService = (service: KeyedSpec["service"]): ServiceHandlers => Object.assign({}, ...KEYED_SPECS.filter((s) => s.service === service).map(handlersFor));

export const keyedBedrockHandlers = forService("bedrock");
export const keyedBedrockAgentHandlers = forService("bedrock-agent");
export const keyedAgentCoreControlHandlers = forService("agentcore-control");
