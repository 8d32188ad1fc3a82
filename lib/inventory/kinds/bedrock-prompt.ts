import type { GetPromptCommandInput, GetPromptCommandOutput, ListPromptsCommandInput, ListPromptsCommandOutput } from "@aws-sdk/client-bedrock-agent";

import { baseVariables, ciDate, ciString, iso, type KindDescriptor, op, sourceContext } from "./kind";

const ListPrompts = op<ListPromptsCommandInput, ListPromptsCommandOutput>("bedrockAgent", "ListPrompts");
const GetPrompt = op<GetPromptCommandInput, GetPromptCommandOutput>("bedrockAgent", "GetPrompt");

export const bedrockPrompt: KindDescriptor<"bedrock-prompt"> = {
  id: "bedrock-prompt",
  label: "Bedrock prompt",
  text: ["Bedrock prompt", "Bedrock prompts"],
  service: "Bedrock Agents",
  arnService: "bedrock",
  doc: { title: "Prerequisites for prompt management (customer managed key)", url: "https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-management-prereq.html" },
  reads: [ListPrompts, GetPrompt],
  async collect(ctx) {
    const summaries = await ctx.list(
      ListPrompts,
      (nextToken) => ({ maxResults: 100, nextToken }),
      (r) => ({ items: r.promptSummaries, next: r.nextToken }),
    );
    return ctx.each(summaries ?? [], async (s) => {
      const prev = ctx.unchanged(s.arn, s.updatedAt);
      if (prev) return prev;
      const p = await ctx.get(GetPrompt, { promptIdentifier: s.id });
      if (!p) return undefined;
      return {
        arn: p.arn!,
        kind: "bedrock-prompt",
        name: p.name ?? s.name!,
        account: ctx.account,
        region: ctx.region,
        created: iso(p.createdAt),
        keyArn: p.customerEncryptionKeyArn,
        roles: [],
        secrets: [],
        tags: {},
        updatedAt: iso(s.updatedAt),
      };
    });
  },
  key: { field: "GetPrompt → customerEncryptionKeyArn", remediation: "UpdatePrompt with customerEncryptionKeyArn." },
  roles: { none: "a prompt has no role; its callers use the key with their own permissions" },
  secrets: { none: "a prompt reads no secret" },
  policy: {
    templates: ["bedrock-prompt-key"],
    variables: (r) => ({ ...baseVariables(r), "prompt-id": r.arn.split("/").pop() }),
    // AWS's page: Amazon Bedrock's service principal generates data keys and decrypts for the prompt,
    // with the prompt's ARN as encryption context.
    requirements: (r) => [
      {
        principal: "bedrock.amazonaws.com",
        principalKind: "service" as const,
        actions: ["kms:GenerateDataKey", "kms:Decrypt"],
        context: { ...sourceContext(r), "kms:EncryptionContext:aws:bedrock-prompts:arn": r.arn },
        withIdentity: false,
        source: 'Bedrock user guide "Prerequisites for prompt management" (EncryptFlowKMS: Amazon Bedrock encrypts and decrypts the prompt)',
        rule: "KW-POL-01" as const,
      },
    ],
  },
  correlation: { contextKeys: ["aws:bedrock-prompts:arn"], services: ["bedrock.amazonaws.com"] },
  // Config records prompts through the CloudFormation registry (properties and attributes).
  config: {
    type: "AWS::Bedrock::Prompt",
    fields: "Arn, Name, CustomerEncryptionKeyArn, CreatedAt, UpdatedAt",
    fromItem(ci) {
      const c = ci.configuration;
      const arn = ciString(c.Arn) ?? ciString(ci.arn);
      if (!arn) return undefined;
      return {
        arn,
        kind: "bedrock-prompt",
        name: ciString(c.Name) ?? ci.resourceName ?? ci.resourceId,
        account: ci.accountId,
        region: ci.awsRegion,
        created: ciDate(c.CreatedAt),
        keyArn: ciString(c.CustomerEncryptionKeyArn),
        roles: [],
        secrets: [],
        tags: {},
        updatedAt: ciDate(c.UpdatedAt),
      };
    },
  },
  impact: "Amazon Bedrock cannot decrypt the prompt: it cannot be read, rendered, or used by the flows that reference it.",
  setup: {
    flow: "bedrock-prompt",
    create: {
      service: "bedrock-agent",
      operation: "CreatePrompt",
      help: "A new Bedrock prompt encrypted with a customer managed key (CreatePrompt customerEncryptionKeyArn); add its variants afterwards.",
      name: { re: /^([0-9a-zA-Z][_-]?){1,100}$/, text: "letters, digits, single _ or - between them, up to 100" },
      params: (x) => ({ name: x.name, ...(x.description ? { description: x.description } : {}), customerEncryptionKeyArn: x.keyRef, clientToken: x.token }),
      outputs: { id: "id", arn: "arn" },
      // The page's statement names the prompt, whose id AWS assigns at creation: the key policy is written after.
      idVariable: "prompt-id",
      rollback: { operation: "DeletePrompt", params: { promptIdentifier: "{{resource.id}}" } },
      plannedArn: (region, account) => `arn:aws:bedrock:${region}:${account}:prompt/PLANNED000`,
    },
  },
};
