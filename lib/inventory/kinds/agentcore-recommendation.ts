import type {
  GetRecommendationCommandInput,
  GetRecommendationCommandOutput,
  ListRecommendationsCommandInput,
  ListRecommendationsCommandOutput,
} from "@aws-sdk/client-bedrock-agentcore";

import type { AgentResource } from "../types.shared";

import { baseVariables, iso, type KindDescriptor, op, roleName, sourceContext } from "./kind";

const ListRecommendations = op<ListRecommendationsCommandInput, ListRecommendationsCommandOutput>("agentCore", "ListRecommendations");
const GetRecommendation = op<GetRecommendationCommandInput, GetRecommendationCommandOutput>("agentCore", "GetRecommendation");

export const agentCoreRecommendation: KindDescriptor<"agentcore-recommendation"> = {
  id: "agentcore-recommendation",
  label: "AgentCore recommendation",
  text: ["AgentCore recommendation", "AgentCore recommendations"],
  service: "AgentCore",
  arnService: "bedrock-agentcore",
  doc: { title: "AgentCore recommendations: encryption with a customer managed key", url: "https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/" },
  reads: [ListRecommendations, GetRecommendation],
  async collect(ctx) {
    const summaries = await ctx.list(
      ListRecommendations,
      (nextToken) => ({ maxResults: 100, nextToken }),
      (r) => ({ items: r.recommendationSummaries, next: r.nextToken }),
    );
    return ctx.each(summaries ?? [], async (s) => {
      const prev = ctx.unchanged(s.recommendationArn, s.updatedAt);
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
      // GetRecommendation refuses once the recommendation's key is disabled or deleted: the
      // resource is still listed, its key marked unreadable.
      const r = await ctx.attempt(GetRecommendation, { recommendationId: s.recommendationId });
      return r.ok ? { ...base, keyArn: r.value.kmsKeyArn } : { ...base, keyReadError: { code: r.code, message: r.message } };
    });
  },
  key: { field: "GetRecommendation → kmsKeyArn", remediation: "start new ones with kmsKeyArn (StartRecommendation)." },
  roles: { none: "the role that starts a recommendation is not recorded on it" },
  secrets: { none: "a recommendation reads no secret" },
  policy: {
    templates: ["agentcore-recommendation-key"],
    variables: (r, known) => ({ ...baseVariables(r), role: roleName(known.callerRole) }),
    requirements: (r) => [
      {
        principal: "bedrock-agentcore.amazonaws.com",
        principalKind: "service",
        actions: ["kms:GenerateDataKey", "kms:Decrypt"],
        context: { ...sourceContext(r), "kms:EncryptionContext:aws:bedrock-agentcore:recommendationArn": r.arn },
        withIdentity: false,
        source: "AgentCore recommendations key policy (AllowServicePrincipalAccess)",
        rule: "KW-POL-01",
      },
    ],
  },
  correlation: { contextKeys: ["aws:bedrock-agentcore:recommendationArn"], services: ["bedrock-agentcore.amazonaws.com"] },
  config: { none: "AWS Config records no resource type for AgentCore recommendations (not among the types it records): the API is read" },
  impact: "StartRecommendation and GetRecommendation fail with ValidationException; ListRecommendations and DeleteRecommendation still work.",
  setup: { flow: "recommendation" },
};
