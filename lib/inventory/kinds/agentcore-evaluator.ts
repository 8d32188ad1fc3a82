import type { ListEvaluatorsCommandInput, ListEvaluatorsCommandOutput } from "@aws-sdk/client-bedrock-agentcore-control";

import type { AgentResource } from "../types.shared";

import { baseVariables, iso, type KindDescriptor, op, roleName, sourceContext } from "./kind";

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
  policy: {
    templates: ["agentcore-evaluator-key"],
    // The role that creates and uses the evaluator is not recorded on it: pass it as callerRole, else it stays open.
    variables: (r, known) => ({ ...baseVariables(r), "evaluator-id": r.arn.split("/").pop(), role: roleName(known.callerRole) }),
    // AWS's page: the AgentCore service principal decrypts during online evaluation, scoped by source
    // account and ARN; AgentCore names the evaluator in every request's encryption context.
    requirements: (r) => [
      {
        principal: "bedrock-agentcore.amazonaws.com",
        principalKind: "service",
        actions: ["kms:Decrypt"],
        context: { ...sourceContext(r), "kms:EncryptionContext:aws:bedrock-agentcore:evaluatorArn": r.arn },
        withIdentity: false,
        source: 'AgentCore developer guide "Encryption at rest for AgentCore Evaluations" (AllowServicePrincipalDecrypt, online evaluation)',
        rule: "KW-POL-01",
      },
    ],
  },
  correlation: { contextKeys: ["aws:bedrock-agentcore:evaluatorArn"], services: ["bedrock-agentcore.amazonaws.com"] },
  config: { none: "AWS Config records no resource type for AgentCore evaluators (not among the types it records): the API is read" },
  impact:
    "GetEvaluator with its data, on-demand and online evaluations and key changes fail (AgentCore cannot decrypt the instructions and rating scale); GetEvaluator with METADATA_ONLY and DeleteEvaluator still work.",
  setup: {
    none: "the wizard does not create evaluators: CreateEvaluator (which takes kmsKeyArn) also needs the evaluator's configuration — a Lambda function or a judge model with its instructions — which the wizard does not ask for",
  },
};
