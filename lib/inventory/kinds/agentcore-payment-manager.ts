import type { ListPaymentManagersCommandInput, ListPaymentManagersCommandOutput } from "@aws-sdk/client-bedrock-agentcore-control";

import type { AgentResource } from "../types.shared";

import { baseVariables, iso, type KindDescriptor, op, roleName } from "./kind";

const ListPaymentManagers = op<ListPaymentManagersCommandInput, ListPaymentManagersCommandOutput>("agentCoreControl", "ListPaymentManagers");

export const agentCorePaymentManager: KindDescriptor<"agentcore-payment-manager"> = {
  id: "agentcore-payment-manager",
  label: "AgentCore payment manager",
  text: ["AgentCore payment manager", "AgentCore payment managers"],
  service: "AgentCore",
  arnService: "bedrock-agentcore",
  doc: { title: "Encryption at rest for AgentCore payments", url: "https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/payments-encryption.html" },
  reads: [ListPaymentManagers],
  // The listing carries each manager's key and role: no per-manager read is needed.
  async collect(ctx) {
    const managers = await ctx.list(
      ListPaymentManagers,
      (nextToken) => ({ maxResults: 100, nextToken }),
      (r) => ({ items: r.paymentManagers, next: r.nextToken }),
    );
    return ctx.each(managers ?? [], async (m): Promise<AgentResource> => ({
      arn: m.paymentManagerArn!,
      kind: "agentcore-payment-manager",
      name: m.name ?? m.paymentManagerId!,
      account: ctx.account,
      region: ctx.region,
      created: iso(m.createdAt),
      keyArn: m.kmsKeyArn,
      roles: m.roleArn ? [m.roleArn] : [],
      secrets: [],
      tags: {},
      status: m.status,
      updatedAt: iso(m.lastUpdatedAt),
    }));
  },
  key: { field: "ListPaymentManagers → paymentManagers[].kmsKeyArn", remediation: "UpdatePaymentManager with kmsKeyArn." },
  roles: { field: "ListPaymentManagers → paymentManagers[].roleArn", keyInIdentityPolicy: false },
  secrets: { none: "Keyward does not read the payment connectors' credentials" },
  policy: {
    templates: ["agentcore-payment-manager-key"],
    // The execution role is the manager's; the caller is not recorded on it: pass it as callerRole, else it stays open.
    variables: (r, known) => ({ ...baseVariables(r), role: roleName(r.roles[0]), "caller-role": roleName(known.callerRole) }),
    // AWS's page: the execution role calls KMS itself (the AWS Encryption SDK, no kms:ViaService), with
    // the manager's ARN as encryption context; its key policy statement or its IAM policy may grant it.
    requirements: (r) =>
      r.roles.map((role) => ({
        principal: role,
        principalKind: "role" as const,
        actions: ["kms:GenerateDataKey", "kms:Decrypt", "kms:DescribeKey"],
        context: { "kms:CallerAccount": r.account, "kms:EncryptionContext:aws:payments-manager:arn": r.arn },
        withIdentity: true,
        source: 'AgentCore developer guide "Encryption at rest for AgentCore payments" (the execution role\'s envelope encryption)',
        rule: "KW-POL-01" as const,
      })),
  },
  correlation: { contextKeys: ["aws:payments-manager:arn"], services: ["bedrock-agentcore.amazonaws.com"] },
  config: { none: "AWS Config records no resource type for AgentCore payment managers (not among the types it records): the API is read" },
  impact:
    "GetPaymentManager and GetPaymentConnector fail, listings show the encrypted fields (name, description) as [UNAVAILABLE], and new connectors cannot be created; deleting still works.",
  setup: {
    flow: "agentcore-payment-manager",
    create: {
      service: "bedrock-agentcore-control",
      operation: "CreatePaymentManager",
      help: "A new AgentCore payment manager (IAM authorization) whose name and description are encrypted with a customer managed key (CreatePaymentManager kmsKeyArn).",
      name: { re: /^[a-zA-Z][a-zA-Z0-9_-]{0,47}$/, text: "a letter, then letters, digits, _ or -, up to 48" },
      role: { label: "Payment manager role" },
      params: (x) => ({
        name: x.name,
        ...(x.description ? { description: x.description } : {}),
        authorizerType: "AWS_IAM",
        roleArn: x.role,
        kmsKeyArn: x.keyRef,
        clientToken: x.token,
      }),
      outputs: { id: "paymentManagerId", arn: "paymentManagerArn" },
      rollback: { operation: "DeletePaymentManager", params: { paymentManagerId: "{{resource.id}}" } },
      plannedArn: (region, account, name) => `arn:aws:bedrock-agentcore:${region}:${account}:payment-manager/${name}-planned000`,
    },
  },
};
