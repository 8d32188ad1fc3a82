import type { GetDatasetCommandInput, GetDatasetCommandOutput, ListDatasetsCommandInput, ListDatasetsCommandOutput } from "@aws-sdk/client-bedrock-agentcore-control";

import { baseVariables, iso, type KindDescriptor, op, roleName, sourceContext } from "./kind";

const ListDatasets = op<ListDatasetsCommandInput, ListDatasetsCommandOutput>("agentCoreControl", "ListDatasets");
const GetDataset = op<GetDatasetCommandInput, GetDatasetCommandOutput>("agentCoreControl", "GetDataset");

export const agentCoreDataset: KindDescriptor<"agentcore-dataset"> = {
  id: "agentcore-dataset",
  label: "AgentCore dataset",
  text: ["AgentCore dataset", "AgentCore datasets"],
  service: "AgentCore",
  arnService: "bedrock-agentcore",
  doc: { title: "Dataset encryption (AgentCore Evaluations)", url: "https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/datasets-encryption.html" },
  reads: [ListDatasets, GetDataset],
  async collect(ctx) {
    const summaries = await ctx.list(
      ListDatasets,
      (nextToken) => ({ maxResults: 100, nextToken }),
      (r) => ({ items: r.datasets, next: r.nextToken }),
    );
    return ctx.each(summaries ?? [], async (s) => {
      const prev = ctx.unchanged(s.datasetArn, s.updatedAt);
      if (prev) return prev;
      const d = await ctx.get(GetDataset, { datasetId: s.datasetId });
      if (!d) return undefined;
      return {
        arn: d.datasetArn!,
        kind: "agentcore-dataset",
        name: d.datasetName ?? s.datasetName!,
        account: ctx.account,
        region: ctx.region,
        created: iso(d.createdAt),
        keyArn: d.kmsKeyArn,
        roles: [],
        secrets: [],
        tags: d.tags ?? {},
        status: d.status,
        updatedAt: iso(s.updatedAt),
      };
    });
  },
  key: { field: "GetDataset → kmsKeyArn", remediation: "the key is set at creation (CreateDataset kmsKeyArn): create a new dataset with the key and copy the examples." },
  roles: { none: "a dataset has no role; its callers use the key with their own permissions" },
  secrets: { none: "a dataset reads no secret" },
  policy: {
    templates: ["agentcore-dataset-key"],
    // The role that manages datasets is not recorded on them: pass it as callerRole, else it stays open.
    variables: (r, known) => ({ ...baseVariables(r), role: roleName(known.callerRole) }),
    // AWS's page: AgentCore's service principal writes with the dataset's source context and encryption
    // context, and reads (presigned downloads) with no source context at all.
    requirements: (r) => [
      {
        principal: "bedrock-agentcore.amazonaws.com",
        principalKind: "service" as const,
        actions: ["kms:GenerateDataKey"],
        context: { ...sourceContext(r), "kms:EncryptionContext:aws:bedrock-agentcore:datasetArn": r.arn },
        withIdentity: false,
        source: 'AgentCore developer guide "Dataset encryption" (AllowAgentCoreDatasetWrite: AgentCore encrypts the dataset\'s content)',
        rule: "KW-POL-01" as const,
      },
      {
        principal: "bedrock-agentcore.amazonaws.com",
        principalKind: "service" as const,
        actions: ["kms:Decrypt", "kms:DescribeKey"],
        context: {},
        withIdentity: false,
        source: 'AgentCore developer guide "Dataset encryption" (AllowAgentCoreDatasetRead: reads, including presigned downloads, carry no source context)',
        rule: "KW-POL-01" as const,
      },
    ],
  },
  correlation: { contextKeys: ["aws:bedrock-agentcore:datasetArn"], services: ["bedrock-agentcore.amazonaws.com"] },
  config: { none: "AWS Config records no resource type for AgentCore datasets (not among the types it records): the API is read" },
  impact: "GetDataset and ListDatasetExamples fail, examples cannot be added or updated nor versions published, and evaluations over the dataset fail; DeleteDataset still works.",
  setup: {
    flow: "agentcore-dataset",
    create: {
      service: "bedrock-agentcore-control",
      operation: "CreateDataset",
      help: "A new, empty AgentCore evaluation dataset encrypted with a customer managed key (CreateDataset kmsKeyArn; the key cannot be changed later).",
      name: { re: /^[a-zA-Z][a-zA-Z0-9_]{0,47}$/, text: "a letter, then letters, digits or _, up to 48" },
      params: (x) => ({
        datasetName: x.name,
        ...(x.description ? { description: x.description } : {}),
        source: { inlineExamples: { examples: [] } },
        schemaType: "AGENTCORE_EVALUATION_PREDEFINED_V1",
        kmsKeyArn: x.keyRef,
        clientToken: x.token,
      }),
      outputs: { id: "datasetId", arn: "datasetArn" },
      rollback: { operation: "DeleteDataset", params: { datasetId: "{{resource.id}}" } },
      plannedArn: (region, account, name) => `arn:aws:bedrock-agentcore:${region}:${account}:dataset/${name}-planned000`,
    },
  },
};
