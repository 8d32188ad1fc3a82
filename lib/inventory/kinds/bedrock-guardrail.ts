import type { GetGuardrailCommandInput, GetGuardrailCommandOutput, ListGuardrailsCommandInput, ListGuardrailsCommandOutput } from "@aws-sdk/client-bedrock";

import { ciDate, ciString, iso, type KindDescriptor, op } from "./kind";

const ListGuardrails = op<ListGuardrailsCommandInput, ListGuardrailsCommandOutput>("bedrock", "ListGuardrails");
const GetGuardrail = op<GetGuardrailCommandInput, GetGuardrailCommandOutput>("bedrock", "GetGuardrail");

export const bedrockGuardrail: KindDescriptor<"bedrock-guardrail"> = {
  id: "bedrock-guardrail",
  label: "Bedrock guardrail",
  text: ["Bedrock guardrail", "Bedrock guardrails"],
  service: "Bedrock",
  arnService: "bedrock",
  doc: {
    title: "(Optional) Create a customer managed key for your guardrail for additional security",
    url: "https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-permissions-kms.html",
  },
  reads: [ListGuardrails, GetGuardrail],
  async collect(ctx) {
    // The listing without an identifier gives each guardrail's working draft, the version agents name.
    const summaries = await ctx.list(
      ListGuardrails,
      (nextToken) => ({ maxResults: 100, nextToken }),
      (r) => ({ items: r.guardrails, next: r.nextToken }),
    );
    return ctx.each(summaries ?? [], async (s) => {
      const prev = ctx.unchanged(s.arn, s.updatedAt);
      if (prev) return prev;
      const g = await ctx.get(GetGuardrail, { guardrailIdentifier: s.id });
      if (!g) return undefined;
      return {
        arn: g.guardrailArn!,
        kind: "bedrock-guardrail",
        name: g.name ?? s.name!,
        account: ctx.account,
        region: ctx.region,
        created: iso(g.createdAt),
        keyArn: g.kmsKeyArn,
        roles: [],
        secrets: [],
        tags: {},
        status: g.status,
        updatedAt: iso(s.updatedAt),
      };
    });
  },
  key: { field: "GetGuardrail → kmsKeyArn", remediation: "UpdateGuardrail with kmsKeyId (console: Guardrails → the guardrail → Edit → KMS key)." },
  roles: { none: "a guardrail has no role; its creators and the roles that apply it use the key with their own permissions" },
  secrets: { none: "a guardrail reads no secret" },
  policy: { none: "the key policy AWS documents for guardrails names their creators' and users' roles, which a guardrail does not record, so Keyward cannot hold it to it" },
  correlation: { contextKeys: [], services: ["bedrock.amazonaws.com"] },
  // Config records guardrails through the CloudFormation registry: the item's configuration is the
  // resource's CloudFormation properties and attributes; the collector's fields are all there.
  config: {
    type: "AWS::Bedrock::Guardrail",
    fields: "GuardrailArn, Name, KmsKeyArn, Status, CreatedAt, UpdatedAt",
    fromItem(ci) {
      const c = ci.configuration;
      const arn = ciString(c.GuardrailArn) ?? ciString(ci.arn);
      if (!arn) return undefined;
      return {
        arn,
        kind: "bedrock-guardrail",
        name: ciString(c.Name) ?? ci.resourceName ?? ci.resourceId,
        account: ci.accountId,
        region: ci.awsRegion,
        created: ciDate(c.CreatedAt),
        keyArn: ciString(c.KmsKeyArn),
        roles: [],
        secrets: [],
        tags: {},
        status: ciString(c.Status),
        updatedAt: ciDate(c.UpdatedAt),
      };
    },
  },
  impact: "Amazon Bedrock cannot decrypt the guardrail: model invocations and agents that apply it fail.",
  setup: {
    flow: "bedrock-guardrail",
    create: {
      service: "bedrock",
      operation: "CreateGuardrail",
      help: "A new Bedrock guardrail (blocking prompt attacks) encrypted with a customer managed key (CreateGuardrail kmsKeyId); tune its policies afterwards.",
      name: { re: /^[0-9a-zA-Z_-]{1,50}$/, text: "letters, digits, _ or -, up to 50" },
      params: (x) => ({
        name: x.name,
        ...(x.description ? { description: x.description } : {}),
        contentPolicyConfig: { filtersConfig: [{ type: "PROMPT_ATTACK", inputStrength: "HIGH", outputStrength: "NONE" }] },
        blockedInputMessaging: "Sorry, the model cannot answer this question.",
        blockedOutputsMessaging: "Sorry, the model cannot answer this question.",
        kmsKeyId: x.keyRef,
        clientRequestToken: x.token,
      }),
      outputs: { id: "guardrailId", arn: "guardrailArn" },
      rollback: { operation: "DeleteGuardrail", params: { guardrailIdentifier: "{{resource.id}}" } },
      plannedArn: (region, account) => `arn:aws:bedrock:${region}:${account}:guardrail/planned00000`,
    },
  },
};
