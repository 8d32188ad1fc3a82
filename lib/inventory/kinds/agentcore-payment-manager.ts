import type { ListPaymentManagersCommandInput, ListPaymentManagersCommandOutput } from "@aws-sdk/client-bedrock-agentcore-control";

import type { AgentResource } from "../types.shared";

import { iso, type KindDescriptor, op } from "./kind";

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
  policy: { none: 'Keyward does not yet hold the key policy of AWS\'s page "Encryption at rest for AgentCore payments" as a template' },
  correlation: { contextKeys: [], services: ["bedrock-agentcore.amazonaws.com"] },
  impact: "The payment manager's and its connectors' encrypted fields (name, description) cannot be decrypted: reading and using them fail.",
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
