import type { ListPolicyEnginesCommandInput, ListPolicyEnginesCommandOutput } from "@aws-sdk/client-bedrock-agentcore-control";

import type { AgentResource } from "../types.shared";

import { iso, type KindDescriptor, op } from "./kind";

const ListPolicyEngines = op<ListPolicyEnginesCommandInput, ListPolicyEnginesCommandOutput>("agentCoreControl", "ListPolicyEngines");

export const agentCorePolicyEngine: KindDescriptor<"agentcore-policy-engine"> = {
  id: "agentcore-policy-engine",
  label: "AgentCore policy engine",
  text: ["AgentCore policy engine", "AgentCore policy engines"],
  service: "AgentCore",
  arnService: "bedrock-agentcore",
  doc: {
    title: "Encrypt your AgentCore policy engine with a customer-managed KMS key",
    url: "https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/policy-encryption.html",
  },
  reads: [ListPolicyEngines],
  // The listing carries each engine's key: no per-engine read is needed.
  async collect(ctx) {
    const engines = await ctx.list(
      ListPolicyEngines,
      (nextToken) => ({ maxResults: 100, nextToken }),
      (r) => ({ items: r.policyEngines, next: r.nextToken }),
    );
    return ctx.each(engines ?? [], async (e): Promise<AgentResource> => ({
      arn: e.policyEngineArn!,
      kind: "agentcore-policy-engine",
      name: e.name ?? e.policyEngineId!,
      account: ctx.account,
      region: ctx.region,
      created: iso(e.createdAt),
      keyArn: e.encryptionKeyArn,
      roles: [],
      secrets: [],
      tags: {},
      status: e.status,
      updatedAt: iso(e.updatedAt),
    }));
  },
  key: {
    field: "ListPolicyEngines → policyEngines[].encryptionKeyArn",
    remediation: "the key is set at creation (CreatePolicyEngine encryptionKeyArn): create a new engine with the key and move the policies.",
  },
  roles: { none: "a policy engine has no role of its own" },
  secrets: { none: "a policy engine reads no secret" },
  policy: { none: 'Keyward does not yet hold the key policy of AWS\'s page "Encrypt your AgentCore policy engine with a customer-managed KMS key" as a template' },
  correlation: { contextKeys: [], services: ["bedrock-agentcore.amazonaws.com"] },
  impact: "Policy in AgentCore cannot decrypt the engine's policies: tool calls through the gateways it guards cannot be evaluated.",
  setup: {
    flow: "agentcore-policy-engine",
    create: {
      service: "bedrock-agentcore-control",
      operation: "CreatePolicyEngine",
      help: "A new AgentCore policy engine encrypted with a customer managed key (CreatePolicyEngine encryptionKeyArn; the key cannot be changed later).",
      name: { re: /^[A-Za-z][A-Za-z0-9_]{0,47}$/, text: "a letter, then letters, digits or _, up to 48" },
      params: (x) => ({ name: x.name, ...(x.description ? { description: x.description } : {}), encryptionKeyArn: x.keyRef, clientToken: x.token }),
      outputs: { id: "policyEngineId", arn: "policyEngineArn" },
      rollback: { operation: "DeletePolicyEngine", params: { policyEngineId: "{{resource.id}}" } },
      plannedArn: (region, account, name) => `arn:aws:bedrock-agentcore:${region}:${account}:policy-engine/${name}-planned000`,
    },
  },
};
