import "server-only";

import { GetRecommendationCommand, ListRecommendationsCommand } from "@aws-sdk/client-bedrock-agentcore";

import { describeAwsError } from "../../server/aws/clients";
import { collectEach, iso, readAll, unchanged, type Collector } from "../context";
import type { AgentResource } from "../types.shared";

export const agentCoreRecommendations: Collector = {
  kind: "agentcore-recommendation",
  service: "AgentCore",
  async collect(ctx) {
    const summaries = await readAll(ctx, this.service, "ListRecommendations", async (nextToken) => {
      const r = await ctx.clients.agentCore.send(new ListRecommendationsCommand({ maxResults: 100, nextToken }));
      return { items: r.recommendationSummaries ?? [], next: r.nextToken };
    });
    return collectEach(ctx, summaries ?? [], async (s): Promise<AgentResource> => {
      const prev = unchanged(ctx, s.recommendationArn, s.updatedAt);
      if (prev && !prev.keyReadError) return prev;
      const base: AgentResource = {
        arn: s.recommendationArn!,
        kind: "agentcore-recommendation",
        name: s.name!,
        account: ctx.account,
        region: ctx.region,
        created: iso(s.createdAt),
        roles: [],
        secrets: [],
        tags: {},
        status: s.status,
        updatedAt: iso(s.updatedAt),
      };
      ctx.counter.calls += 1;
      try {
        const r = await ctx.clients.agentCore.send(new GetRecommendationCommand({ recommendationId: s.recommendationId }));
        return { ...base, keyArn: r.kmsKeyArn };
      } catch (e) {
        // GetRecommendation refuses once the recommendation's key is disabled or deleted (seed 001):
        // the resource is still listed, its key marked unreadable.
        const d = describeAwsError(e);
        ctx.errors.push({ service: this.service, region: ctx.region, account: ctx.account, operation: "GetRecommendation", code: d.code, message: d.message });
        return { ...base, keyReadError: { code: d.code, message: d.message } };
      }
    });
  },
};
