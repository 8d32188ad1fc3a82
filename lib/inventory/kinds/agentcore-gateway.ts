import type { GetGatewayCommandInput, GetGatewayCommandOutput, ListGatewaysCommandInput, ListGatewaysCommandOutput } from "@aws-sdk/client-bedrock-agentcore-control";

import { baseVariables, iso, type KindDescriptor, op, roleName } from "./kind";

const ListGateways = op<ListGatewaysCommandInput, ListGatewaysCommandOutput>("agentCoreControl", "ListGateways");
const GetGateway = op<GetGatewayCommandInput, GetGatewayCommandOutput>("agentCoreControl", "GetGateway");

export const agentCoreGateway: KindDescriptor<"agentcore-gateway"> = {
  id: "agentcore-gateway",
  label: "AgentCore gateway",
  text: ["AgentCore gateway", "AgentCore gateways"],
  service: "AgentCore",
  arnService: "bedrock-agentcore",
  doc: { title: "Encrypt your AgentCore gateway with a customer-managed KMS key", url: "https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/gateway-encryption.html" },
  reads: [ListGateways, GetGateway],
  async collect(ctx) {
    const summaries = await ctx.list(
      ListGateways,
      (nextToken) => ({ maxResults: 100, nextToken }),
      (r) => ({ items: r.items, next: r.nextToken }),
    );
    return ctx.each(summaries ?? [], async (s) => {
      const prev = ctx.unchanged(`arn:aws:bedrock-agentcore:${ctx.region}:${ctx.account}:gateway/${s.gatewayId}`, s.updatedAt);
      if (prev) return prev;
      const g = await ctx.get(GetGateway, { gatewayIdentifier: s.gatewayId });
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
  key: { field: "GetGateway → kmsKeyArn", remediation: "UpdateGateway with kmsKeyArn." },
  roles: { field: "GetGateway → roleArn", keyInIdentityPolicy: false },
  secrets: { none: "Keyward reads a gateway's outbound credentials through its credential providers" },
  policy: {
    templates: ["agentcore-gateway-key"],
    variables: (r) => ({ ...baseVariables(r), role: roleName(r.roles[0]), "gateway-id": r.arn.split("/").pop() }),
    requirements: (r) =>
      r.roles.map((role) => ({
        principal: role,
        principalKind: "role" as const,
        actions: ["kms:CreateGrant", "kms:DescribeKey", "kms:Decrypt", "kms:GenerateDataKey"],
        context: {
          "kms:CallerAccount": r.account,
          "kms:ViaService": `bedrock-agentcore.${r.region}.amazonaws.com`,
          "kms:EncryptionContext:aws:bedrock-agentcore-gateway:arn": r.arn,
          "kms:GrantConstraintType": "EncryptionContextSubset",
          "kms:GrantOperations": ["Decrypt", "GenerateDataKey"],
        },
        withIdentity: true,
        source: 'AgentCore developer guide "Encrypt your AgentCore gateway with a customer-managed KMS key"',
        rule: "KW-POL-01" as const,
      })),
  },
  correlation: { contextKeys: ["aws:bedrock-agentcore-gateway:arn"], services: ["bedrock-agentcore.amazonaws.com"] },
  config: { none: "AWS Config records no resource type for AgentCore gateways (not among the types it records): the API is read" },
  impact: "The gateway cannot read its encrypted configuration.",
  setup: { flow: "gateway" },
};
