import "server-only";

import { GetAgentCommand, ListAgentsCommand } from "@aws-sdk/client-bedrock-agent";

import { collectEach, iso, read, readAll, unchanged, type Collector } from "../context";
import type { AgentResource } from "../types.shared";

export const bedrockAgents: Collector = {
  kind: "bedrock-agent",
  service: "Bedrock Agents",
  async collect(ctx) {
    const summaries = await readAll(ctx, this.service, "ListAgents", async (nextToken) => {
      const r = await ctx.clients.bedrockAgent.send(new ListAgentsCommand({ maxResults: 100, nextToken }));
      return { items: r.agentSummaries ?? [], next: r.nextToken };
    });
    return collectEach(ctx, summaries ?? [], async (s): Promise<AgentResource | undefined> => {
      const prev = unchanged(ctx, `arn:aws:bedrock:${ctx.region}:${ctx.account}:agent/${s.agentId}`, s.updatedAt);
      if (prev) return prev;
      const a = (await read(ctx, this.service, "GetAgent", () => ctx.clients.bedrockAgent.send(new GetAgentCommand({ agentId: s.agentId }))))?.agent;
      if (!a) return undefined;
      return {
        arn: a.agentArn!,
        kind: "bedrock-agent",
        name: a.agentName ?? s.agentName ?? s.agentId!,
        account: ctx.account,
        region: ctx.region,
        created: iso(a.createdAt),
        keyArn: a.customerEncryptionKeyArn,
        roles: a.agentResourceRoleArn ? [a.agentResourceRoleArn] : [],
        secrets: [],
        tags: {},
        status: a.agentStatus,
        updatedAt: iso(s.updatedAt),
      };
    });
  },
};
