import type { GetMemoryCommandInput, GetMemoryCommandOutput, ListMemoriesCommandInput, ListMemoriesCommandOutput } from "@aws-sdk/client-bedrock-agentcore-control";

import { baseVariables, iso, type KindDescriptor, op } from "./kind";

const ListMemories = op<ListMemoriesCommandInput, ListMemoriesCommandOutput>("agentCoreControl", "ListMemories");
const GetMemory = op<GetMemoryCommandInput, GetMemoryCommandOutput>("agentCoreControl", "GetMemory");

export const agentCoreMemory: KindDescriptor<"agentcore-memory"> = {
  id: "agentcore-memory",
  label: "AgentCore memory",
  text: ["AgentCore memory", "AgentCore memories"],
  service: "AgentCore",
  arnService: "bedrock-agentcore",
  doc: { title: "Encrypt your Amazon Bedrock AgentCore Memory", url: "https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/storage-encryption.html" },
  reads: [ListMemories, GetMemory],
  async collect(ctx) {
    const summaries = await ctx.list(
      ListMemories,
      (nextToken) => ({ maxResults: 100, nextToken }),
      (r) => ({ items: r.memories, next: r.nextToken }),
    );
    return ctx.each(summaries ?? [], async (s) => {
      const prev = ctx.unchanged(s.arn, s.updatedAt);
      if (prev) return prev;
      const m = (await ctx.get(GetMemory, { memoryId: s.id }))?.memory;
      if (!m) return undefined;
      return {
        arn: m.arn!,
        kind: "agentcore-memory",
        name: m.name ?? m.id!,
        account: ctx.account,
        region: ctx.region,
        created: iso(m.createdAt),
        keyArn: m.encryptionKeyArn,
        roles: m.memoryExecutionRoleArn ? [m.memoryExecutionRoleArn] : [],
        secrets: [],
        tags: {},
        status: m.status,
        updatedAt: iso(s.updatedAt),
      };
    });
  },
  key: { field: "GetMemory → memory.encryptionKeyArn", remediation: "the key is fixed at creation: create a new memory with encryptionKeyArn and migrate the data." },
  roles: { field: "GetMemory → memory.memoryExecutionRoleArn", keyInIdentityPolicy: false },
  secrets: { none: "a memory reads no secret" },
  policy: {
    templates: ["agentcore-memory-key", "agentcore-memory-caller"],
    variables: baseVariables,
    // AWS's page: the callers' identity policy, through AgentCore (kms:ViaService); the key policy
    // must let the account's IAM policies grant it.
    requirements: (r) => [
      {
        principal: `arn:aws:iam::${r.account}:root`,
        principalKind: "account",
        actions: ["kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"],
        context: { "kms:CallerAccount": r.account, "kms:ViaService": `bedrock-agentcore.${r.region}.amazonaws.com` },
        withIdentity: true,
        source: 'AgentCore developer guide "Encrypt your Amazon Bedrock AgentCore Memory" (the caller\'s identity policy, through AgentCore)',
        rule: "KW-POL-01",
      },
    ],
  },
  correlation: { contextKeys: ["aws:bedrock-agentcore:memoryArn"], services: ["bedrock-agentcore.amazonaws.com"] },
  config: { none: "AWS Config records no resource type for AgentCore memories (not among the types it records): the API is read" },
  impact: "The memory's data becomes unreadable; the key cannot be changed in place (a new memory and a migration are needed).",
  setup: { flow: "memory" },
};
