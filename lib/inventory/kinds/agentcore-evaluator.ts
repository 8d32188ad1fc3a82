import type { ListEvaluatorsCommandInput, ListEvaluatorsCommandOutput } from "@aws-sdk/client-bedrock-agentcore-control";

import type { AgentResource } from "../types.shared";

import { iso, type KindDescriptor, op } from "./kind";

const ListEvaluators = op<ListEvaluatorsCommandInput, ListEvaluatorsCommandOutput>("agentCoreControl", "ListEvaluators");

export const agentCoreEvaluator: KindDescriptor<"agentcore-evaluator"> = {
  id: "agentcore-evaluator",
  label: "AgentCore evaluator",
  text: ["AgentCore evaluator", "AgentCore evaluators"],
  service: "AgentCore",
  arnService: "bedrock-agentcore",
  doc: { title: "Encryption at rest for AgentCore Evaluations", url: "https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/evaluations-encryption.html" },
  reads: [ListEvaluators],
  // The listing carries each evaluator's key: no per-evaluator read is needed.
  async collect(ctx) {
    const evaluators = await ctx.list(
      ListEvaluators,
      (nextToken) => ({ maxResults: 100, nextToken }),
      (r) => ({ items: r.evaluators, next: r.nextToken }),
    );
    return ctx.each(
      (evaluators ?? []).filter((e) => e.evaluatorType !== "Builtin"),
      async (e): Promise<AgentResource> => ({
        arn: e.evaluatorArn!,
        kind: "agentcore-evaluator",
        name: e.evaluatorName ?? e.evaluatorId!,
        account: ctx.account,
        region: ctx.region,
        created: iso(e.createdAt),
        keyArn: e.kmsKeyArn,
        roles: [],
        secrets: [],
        tags: {},
        status: e.status,
        updatedAt: iso(e.updatedAt),
      }),
    );
  },
  key: { field: "ListEvaluators → evaluators[].kmsKeyArn (custom evaluators)", remediation: "UpdateEvaluator with kmsKeyArn." },
  roles: { none: "an evaluator has no role; its callers use the key with their own permissions" },
  secrets: { none: "an evaluator reads no secret" },
  policy: { none: 'Keyward does not yet hold the key policy of AWS\'s page "Encryption at rest for AgentCore Evaluations" as a template' },
  correlation: { contextKeys: [], services: ["bedrock-agentcore.amazonaws.com"] },
  impact: "The evaluator's instructions and rating scale cannot be decrypted: evaluations that use it fail, online ones included.",
  setup: {
    none: "the wizard does not create evaluators: CreateEvaluator (which takes kmsKeyArn) also needs the evaluator's configuration — a Lambda function or a judge model with its instructions — which the wizard does not ask for",
  },
};
