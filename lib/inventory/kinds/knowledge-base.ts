import type { GetKnowledgeBaseCommandInput, GetKnowledgeBaseCommandOutput, ListKnowledgeBasesCommandInput, ListKnowledgeBasesCommandOutput } from "@aws-sdk/client-bedrock-agent";

import { iso, type KindDescriptor, op } from "./kind";

const ListKnowledgeBases = op<ListKnowledgeBasesCommandInput, ListKnowledgeBasesCommandOutput>("bedrockAgent", "ListKnowledgeBases");
const GetKnowledgeBase = op<GetKnowledgeBaseCommandInput, GetKnowledgeBaseCommandOutput>("bedrockAgent", "GetKnowledgeBase");

export const knowledgeBase: KindDescriptor<"knowledge-base"> = {
  id: "knowledge-base",
  label: "Knowledge base",
  text: ["knowledge base", "knowledge bases"],
  service: "Bedrock Agents",
  arnService: "bedrock",
  doc: { title: "Encryption of knowledge base resources", url: "https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-kb.html" },
  reads: [ListKnowledgeBases, GetKnowledgeBase],
  async collect(ctx) {
    const summaries = await ctx.list(
      ListKnowledgeBases,
      (nextToken) => ({ maxResults: 100, nextToken }),
      (r) => ({ items: r.knowledgeBaseSummaries, next: r.nextToken }),
    );
    return ctx.each(summaries ?? [], async (s) => {
      const prev = ctx.unchanged(`arn:aws:bedrock:${ctx.region}:${ctx.account}:knowledge-base/${s.knowledgeBaseId}`, s.updatedAt);
      if (prev) return prev;
      const kb = (await ctx.get(GetKnowledgeBase, { knowledgeBaseId: s.knowledgeBaseId }))?.knowledgeBase;
      if (!kb) return undefined;
      return {
        arn: kb.knowledgeBaseArn!,
        kind: "knowledge-base",
        name: kb.name ?? s.name!,
        account: ctx.account,
        region: ctx.region,
        created: iso(kb.createdAt),
        keyArn: kb.knowledgeBaseConfiguration?.managedKnowledgeBaseConfiguration?.serverSideEncryptionConfiguration?.kmsKeyArn,
        roles: kb.roleArn ? [kb.roleArn] : [],
        secrets: [],
        tags: {},
        status: kb.status,
        updatedAt: iso(s.updatedAt),
      };
    });
  },
  key: {
    field: "GetKnowledgeBase → knowledgeBaseConfiguration.managedKnowledgeBaseConfiguration.serverSideEncryptionConfiguration.kmsKeyArn",
    remediation: "the key is set at creation (CreateKnowledgeBase); create a new one with the key and ingest again.",
  },
  roles: { field: "GetKnowledgeBase → knowledgeBase.roleArn", keyInIdentityPolicy: false },
  secrets: { none: "Keyward does not read the vector store's credentials secret" },
  policy: { none: "Keyward holds no documented key policy for knowledge bases yet" },
  correlation: { contextKeys: ["aws:bedrock:arn"], services: ["bedrock.amazonaws.com"] },
  config: {
    none: "AWS Config records AWS::Bedrock::KnowledgeBase with its CloudFormation properties, which carry no field for the knowledge base's own key (serverSideEncryptionConfiguration): the API is read",
  },
  impact: "The knowledge base's data cannot be read.",
  setup: { none: "the wizard does not create knowledge bases (they need a data source and a vector store)" },
};
