import "server-only";

import { GetKnowledgeBaseCommand, ListKnowledgeBasesCommand } from "@aws-sdk/client-bedrock-agent";

import { collectEach, iso, read, readAll, unchanged, type Collector } from "../context";
import type { AgentResource } from "../types.shared";

export const knowledgeBases: Collector = {
  kind: "knowledge-base",
  service: "Bedrock Agents",
  async collect(ctx) {
    const summaries = await readAll(ctx, this.service, "ListKnowledgeBases", async (nextToken) => {
      const r = await ctx.clients.bedrockAgent.send(new ListKnowledgeBasesCommand({ maxResults: 100, nextToken }));
      return { items: r.knowledgeBaseSummaries ?? [], next: r.nextToken };
    });
    return collectEach(ctx, summaries ?? [], async (s): Promise<AgentResource | undefined> => {
      const prev = unchanged(ctx, `arn:aws:bedrock:${ctx.region}:${ctx.account}:knowledge-base/${s.knowledgeBaseId}`, s.updatedAt);
      if (prev) return prev;
      const kb = (await read(ctx, this.service, "GetKnowledgeBase", () => ctx.clients.bedrockAgent.send(new GetKnowledgeBaseCommand({ knowledgeBaseId: s.knowledgeBaseId }))))
        ?.knowledgeBase;
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
};
