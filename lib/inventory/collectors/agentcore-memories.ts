import "server-only";

import { GetMemoryCommand, ListMemoriesCommand } from "@aws-sdk/client-bedrock-agentcore-control";

import { collectEach, iso, read, readAll, unchanged, type Collector } from "../context";
import type { AgentResource } from "../types.shared";

export const agentCoreMemories: Collector = {
  kind: "agentcore-memory",
  service: "AgentCore",
  async collect(ctx) {
    const summaries = await readAll(ctx, this.service, "ListMemories", async (nextToken) => {
      const r = await ctx.clients.agentCoreControl.send(new ListMemoriesCommand({ maxResults: 100, nextToken }));
      return { items: r.memories ?? [], next: r.nextToken };
    });
    return collectEach(ctx, summaries ?? [], async (s): Promise<AgentResource | undefined> => {
      const prev = unchanged(ctx, s.arn, s.updatedAt);
      if (prev) return prev;
      const m = (await read(ctx, this.service, "GetMemory", () => ctx.clients.agentCoreControl.send(new GetMemoryCommand({ memoryId: s.id }))))?.memory;
      if (!m) return undefined;
      return {
        arn: m.arn!,
        kind: "agentcore-memory",
        name: m.name ?? m.id!,
        account: ctx.account,
        region: ctx.region,
        created: iso(m.createdAt),
        keyArn: m.encryptionKeyArn,
        roles: m.memoryExecutionRoleArn ? [m.memoryExecutionRoleArn] : [],
        secrets: [],
        tags: {},
        status: m.status,
        updatedAt: iso(s.updatedAt),
      };
    });
  },
};
