import "server-only";

import { GetGatewayCommand, ListGatewaysCommand } from "@aws-sdk/client-bedrock-agentcore-control";

import { iso, read, readAll, type Collector } from "../context";
import type { AgentResource } from "../types.shared";

export const agentCoreGateways: Collector = {
  kind: "agentcore-gateway",
  service: "AgentCore",
  async collect(ctx) {
    const summaries = await readAll(ctx, this.service, "ListGateways", async (nextToken) => {
      const r = await ctx.clients.agentCoreControl.send(new ListGatewaysCommand({ maxResults: 100, nextToken }));
      return { items: r.items ?? [], next: r.nextToken };
    });
    const out: AgentResource[] = [];
    for (const s of summaries ?? []) {
      const g = await read(ctx, this.service, "GetGateway", () => ctx.clients.agentCoreControl.send(new GetGatewayCommand({ gatewayIdentifier: s.gatewayId })));
      if (!g) continue;
      out.push({
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
      });
    }
    return out;
  },
};
