import type { ListPolicyEnginesCommandInput, ListPolicyEnginesCommandOutput } from "@aws-sdk/client-bedrock-agentcore-control";

import type { AgentResource } from "../types.shared";

import { baseVariables, iso, type KindDescriptor, op, roleName } from "./kind";

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
  policy: {
    templates: ["agentcore-policy-engine-key"],
    // The role that creates and calls the engine is not recorded on it: pass it as callerRole, else it stays open.
    variables: (r, known) => ({ ...baseVariables(r), role: roleName(known.callerRole) }),
    // AWS's page: the key policy grants the account's principals, through AgentCore, the grants Policy
    // in AgentCore creates with the caller's credentials and the operations it performs for the engine.
    requirements: (r) => [
      {
        principal: `arn:aws:iam::${r.account}:root`,
        principalKind: "account" as const,
        actions: ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
        context: {
          "kms:CallerAccount": r.account,
          "kms:ViaService": `bedrock-agentcore.${r.region}.amazonaws.com`,
          "kms:GrantConstraintType": "EncryptionContextSubset",
          "kms:EncryptionContext:aws:bedrock-agentcore-policy:policy-engine-arn": r.arn,
        },
        withIdentity: true,
        source: 'AgentCore developer guide "Encrypt your AgentCore policy engine with a customer-managed KMS key" (the caller, through AgentCore)',
        rule: "KW-POL-01" as const,
      },
    ],
  },
  correlation: { contextKeys: ["aws:bedrock-agentcore-policy:policy-engine-arn"], services: ["bedrock-agentcore.amazonaws.com"] },
  config: { none: "AWS Config records no resource type for AgentCore policy engines (not among the types it records): the API is read" },
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
