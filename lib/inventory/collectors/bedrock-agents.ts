import "server-only";

import { GetAgentCommand, ListAgentsCommand } from "@aws-sdk/client-bedrock-agent";

import { iso, read, readAll, type Collector } from "../context";
import type { AgentResource } from "../types.shared";

export const bedrockAgents: Collector = {
  kind: "bedrock-agent",
  service: "Bedrock Agents",
  async collect(ctx) {
    const summaries = await readAll(ctx, this.service, "ListAgents", async (nextToken) => {
      const r = await ctx.clients.bedrockAgent.send(new ListAgentsCommand({ maxResults: 100, nextToken }));
      return { items: r.agentSummaries ?? [], next: r.nextToken };
    });
    const out: AgentResource[] = [];
    for (const s of summaries ?? []) {
      const got = await read(ctx, this.service, "GetAgent", () => ctx.clients.bedrockAgent.send(new GetAgentCommand({ agentId: s.agentId })));
      const a = got?.agent;
      if (!a) continue;
      out.push({
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
      });
    }
    return out;
  },
};
