import type { GetDataSourceCommandInput, GetDataSourceCommandOutput, ListDataSourcesCommandInput, ListDataSourcesCommandOutput } from "@aws-sdk/client-bedrock-agent";

import type { AgentResource } from "../types.shared";

import { iso, type KindDescriptor, op } from "./kind";

const ListDataSources = op<ListDataSourcesCommandInput, ListDataSourcesCommandOutput>("bedrockAgent", "ListDataSources");
const GetDataSource = op<GetDataSourceCommandInput, GetDataSourceCommandOutput>("bedrockAgent", "GetDataSource");

/** A data source has no ARN of its own: Keyward names it under its knowledge base's. */
export function dataSourceArn(knowledgeBaseArn: string, dataSourceId: string): string {
  return `${knowledgeBaseArn}/data-source/${dataSourceId}`;
}

export const knowledgeBaseDataSource: KindDescriptor<"knowledge-base-data-source"> = {
  id: "knowledge-base-data-source",
  label: "Knowledge base data source",
  text: ["knowledge base data source", "knowledge base data sources"],
  service: "Bedrock Agents",
  arnService: "bedrock",
  doc: { title: "Encryption of transient data storage during data ingestion", url: "https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-kb.html" },
  parent: "knowledge-base",
  reads: [ListDataSources, GetDataSource],
  async collect(ctx) {
    // Each knowledge base the parent collector read is listed for its data sources.
    const lists = await Promise.all(
      ctx.parents.map(async (kb) => {
        const kbId = kb.arn.split("/").pop()!;
        const items = await ctx.list(
          ListDataSources,
          (nextToken) => ({ knowledgeBaseId: kbId, maxResults: 100, nextToken }),
          (r) => ({ items: r.dataSourceSummaries, next: r.nextToken }),
        );
        return (items ?? []).map((s) => ({ kb, s }));
      }),
    );
    return ctx.each(lists.flat(), async ({ kb, s }): Promise<AgentResource | undefined> => {
      const arn = dataSourceArn(kb.arn, s.dataSourceId!);
      const prev = ctx.unchanged(arn, s.updatedAt);
      if (prev) return prev;
      const d = (await ctx.get(GetDataSource, { knowledgeBaseId: s.knowledgeBaseId, dataSourceId: s.dataSourceId }))?.dataSource;
      if (!d) return undefined;
      return {
        arn,
        kind: "knowledge-base-data-source",
        name: d.name ?? s.name!,
        account: ctx.account,
        region: ctx.region,
        created: iso(d.createdAt),
        keyArn: d.serverSideEncryptionConfiguration?.kmsKeyArn,
        roles: [],
        secrets: [],
        tags: {},
        status: d.status,
        updatedAt: iso(s.updatedAt),
      };
    });
  },
  key: {
    field: "GetDataSource → dataSource.serverSideEncryptionConfiguration.kmsKeyArn",
    remediation: "UpdateDataSource with serverSideEncryptionConfiguration.kmsKeyArn (the key for the transient data of each ingestion).",
  },
  roles: { none: "a data source is ingested with its knowledge base's service role" },
  secrets: { none: "Keyward does not read a connector's credentials secret" },
  policy: { none: 'Keyward does not yet hold the key policy of AWS\'s page "Encryption of transient data storage during data ingestion" as a template' },
  correlation: { contextKeys: [], services: ["bedrock.amazonaws.com"] },
  config: { none: "AWS Config records no resource type for knowledge-base data sources (not among the types it records): the API is read" },
  impact: "Ingestion jobs from the data source fail: Bedrock cannot encrypt the transient data it ingests.",
  setup: { none: "the wizard does not create data sources (they need a knowledge base and a connector)" },
};
