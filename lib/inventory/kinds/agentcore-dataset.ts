import type { GetDatasetCommandInput, GetDatasetCommandOutput, ListDatasetsCommandInput, ListDatasetsCommandOutput } from "@aws-sdk/client-bedrock-agentcore-control";

import { iso, type KindDescriptor, op } from "./kind";

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
  policy: { none: 'Keyward does not yet hold the key policy of AWS\'s page "Dataset encryption" as a template' },
  correlation: { contextKeys: [], services: ["bedrock-agentcore.amazonaws.com"] },
  impact: "The dataset's examples cannot be read or added, and batch evaluations over it fail.",
  setup: { none: "the wizard does not create datasets yet (CreateDataset takes kmsKeyArn)" },
};
