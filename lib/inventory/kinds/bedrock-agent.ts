import type { GetAgentCommandInput, GetAgentCommandOutput, ListAgentsCommandInput, ListAgentsCommandOutput } from "@aws-sdk/client-bedrock-agent";

import type { AccessRequirement } from "../../posture/requirements";

import { baseVariables, iso, type KindDescriptor, op, roleName } from "./kind";

const ListAgents = op<ListAgentsCommandInput, ListAgentsCommandOutput>("bedrockAgent", "ListAgents");
const GetAgent = op<GetAgentCommandInput, GetAgentCommandOutput>("bedrockAgent", "GetAgent");

export const bedrockAgent: KindDescriptor<"bedrock-agent"> = {
  id: "bedrock-agent",
  label: "Bedrock agent",
  text: ["Bedrock agent", "Bedrock agents"],
  service: "Bedrock Agents",
  arnService: "bedrock",
  doc: { title: "Encryption of agent resources with customer managed keys (CMK)", url: "https://docs.aws.amazon.com/bedrock/latest/userguide/cmk-agent-resources.html" },
  reads: [ListAgents, GetAgent],
  async collect(ctx) {
    const summaries = await ctx.list(
      ListAgents,
      (nextToken) => ({ maxResults: 100, nextToken }),
      (r) => ({ items: r.agentSummaries, next: r.nextToken }),
    );
    return ctx.each(summaries ?? [], async (s) => {
      const prev = ctx.unchanged(`arn:aws:bedrock:${ctx.region}:${ctx.account}:agent/${s.agentId}`, s.updatedAt);
      if (prev) return prev;
      const a = (await ctx.get(GetAgent, { agentId: s.agentId }))?.agent;
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
  key: { field: "GetAgent → agent.customerEncryptionKeyArn", remediation: "UpdateAgent with customerEncryptionKeyArn (console: Agent → Edit → KMS key)." },
  roles: { field: "GetAgent → agent.agentResourceRoleArn", keyInIdentityPolicy: true },
  secrets: { none: "an agent reads no secret of its own" },
  policy: {
    templates: ["bedrock-agent-key", "bedrock-agent-key-2025", "bedrock-agent-caller"],
    variables: (r) => ({ ...baseVariables(r), "agent-id": r.arn.split("/").pop(), role: roleName(r.roles[0]) }),
    requirements(r, templates) {
      const account = r.account;
      const out: AccessRequirement[] = [];
      if (templates.some((t) => t.id === "bedrock-agent-key-2025"))
        out.push({
          principal: `arn:aws:iam::${account}:root`,
          principalKind: "account",
          actions: ["kms:GenerateDataKey", "kms:Decrypt"],
          context: { "kms:CallerAccount": account, "kms:EncryptionContext:aws:bedrock:arn": r.arn },
          withIdentity: true,
          source: 'Bedrock user guide "Encryption of agent resources with customer managed keys (CMK)" (callers of the agent APIs, through their IAM policy)',
          rule: "KW-POL-01",
        });
      if (templates.some((t) => t.id === "bedrock-agent-key"))
        out.push(
          {
            principal: "bedrock.amazonaws.com",
            principalKind: "service",
            actions: ["kms:GenerateDataKey", "kms:Decrypt"],
            context: { "aws:SourceAccount": account, "aws:SourceArn": r.arn, "kms:CallerAccount": account, "kms:EncryptionContext:aws:bedrock:arn": r.arn },
            withIdentity: false,
            source: 'Bedrock user guide "Encryption of agent resources for agents created before January 22, 2025"',
            rule: "KW-POL-01",
          },
          ...r.roles.map((role): AccessRequirement => ({
            principal: role,
            principalKind: "role",
            actions: ["kms:GenerateDataKey", "kms:Decrypt"],
            context: { "kms:CallerAccount": account },
            withIdentity: true,
            source: "Bedrock user guide, agents created before January 22, 2025 (the agent's service role)",
            rule: "KW-IAM-02",
          })),
        );
      return out;
    },
  },
  correlation: { contextKeys: ["aws:bedrock:arn"], services: ["bedrock.amazonaws.com"] },
  config: { none: "AWS Config records no resource type for Bedrock agents (not among the types it records): the API is read" },
  impact: "Agent sessions can no longer be encrypted or decrypted: InvokeAgent fails.",
  setup: { flow: "agent" },
};
