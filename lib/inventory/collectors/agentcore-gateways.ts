import "server-only";

import { GetGatewayCommand, ListGatewaysCommand } from "@aws-sdk/client-bedrock-agentcore-control";

import { collectEach, iso, read, readAll, unchanged, type Collector } from "../context";
import type { AgentResource } from "../types.shared";

export const agentCoreGateways: Collector = {
  kind: "agentcore-gateway",
  service: "AgentCore",
  async collect(ctx) {
    const summaries = await readAll(ctx, this.service, "ListGateways", async (nextToken) => {
      const r = await ctx.clients.agentCoreControl.send(new ListGatewaysCommand({ maxResults: 100, nextToken }));
      return { items: r.items ?? [], next: r.nextToken };
    });
    return collectEach(ctx, summaries ?? [], async (s): Promise<AgentResource | undefined> => {
      const prev = unchanged(ctx, `arn:aws:bedrock-agentcore:${ctx.region}:${ctx.account}:gateway/${s.gatewayId}`, s.updatedAt);
      if (prev) return prev;
      const g = await read(ctx, this.service, "GetGateway", () => ctx.clients.agentCoreControl.send(new GetGatewayCommand({ gatewayIdentifier: s.gatewayId })));
      if (!g) return undefined;
      return {
        arn: g.gatewayArn!,
        kind: "agentcore-gateway",
        name: g.name!,
        account: ctx.account,
        region: ctx.region,
        created: iso(g.createdAt),
        keyArn: g.kmsKeyArn,
        roles: g.roleArn ? [g.roleArn] : [],
        secrets: [],
        tags: {},
        status: g.status,
        updatedAt: iso(s.updatedAt),
      };
    });
  },
};
