import type { GetFlowCommandInput, GetFlowCommandOutput, ListFlowsCommandInput, ListFlowsCommandOutput } from "@aws-sdk/client-bedrock-agent";

import { baseVariables, iso, type KindDescriptor, op, roleName } from "./kind";

const ListFlows = op<ListFlowsCommandInput, ListFlowsCommandOutput>("bedrockAgent", "ListFlows");
const GetFlow = op<GetFlowCommandInput, GetFlowCommandOutput>("bedrockAgent", "GetFlow");

export const bedrockFlow: KindDescriptor<"bedrock-flow"> = {
  id: "bedrock-flow",
  label: "Bedrock flow",
  text: ["Bedrock flow", "Bedrock flows"],
  service: "Bedrock Agents",
  arnService: "bedrock",
  doc: { title: "Encryption of Amazon Bedrock Flows resources", url: "https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-flows.html" },
  reads: [ListFlows, GetFlow],
  async collect(ctx) {
    const summaries = await ctx.list(
      ListFlows,
      (nextToken) => ({ maxResults: 100, nextToken }),
      (r) => ({ items: r.flowSummaries, next: r.nextToken }),
    );
    return ctx.each(summaries ?? [], async (s) => {
      const prev = ctx.unchanged(s.arn, s.updatedAt);
      if (prev) return prev;
      const f = await ctx.get(GetFlow, { flowIdentifier: s.id });
      if (!f) return undefined;
      return {
        arn: f.arn!,
        kind: "bedrock-flow",
        name: f.name ?? s.name!,
        account: ctx.account,
        region: ctx.region,
        created: iso(f.createdAt),
        keyArn: f.customerEncryptionKeyArn,
        roles: f.executionRoleArn ? [f.executionRoleArn] : [],
        secrets: [],
        tags: {},
        status: f.status,
        updatedAt: iso(s.updatedAt),
      };
    });
  },
  key: { field: "GetFlow → customerEncryptionKeyArn", remediation: "UpdateFlow with customerEncryptionKeyArn (console: Flows → the flow → Edit → KMS key)." },
  roles: { field: "GetFlow → executionRoleArn", keyInIdentityPolicy: false },
  secrets: { none: "a flow reads no secret of its own" },
  policy: {
    templates: ["bedrock-flow-key"],
    // The caller of the Flows APIs the page's key policy names is not recorded on the flow: pass it as
    // callerRole, else it stays open.
    variables: (r, known) => ({ ...baseVariables(r), "flow-id": r.arn.split("/").pop(), role: roleName(known.callerRole) }),
    // The page's third policy: the execution role uses the key for flow executions through its IAM
    // policy (which the key policy's account-root statement lets IAM grant), through Amazon Bedrock,
    // for this flow's encryption context.
    requirements: (r) =>
      r.roles.map((role) => ({
        principal: role,
        principalKind: "role" as const,
        actions: ["kms:GenerateDataKey", "kms:Decrypt"],
        context: { "kms:CallerAccount": r.account, "kms:ViaService": `bedrock.${r.region}.amazonaws.com`, "kms:EncryptionContext:aws:bedrock-flows:arn": r.arn },
        withIdentity: true,
        source: 'Bedrock user guide "Encryption of Amazon Bedrock Flows resources" (the flow\'s execution role, for flow executions)',
        rule: "KW-POL-01" as const,
      })),
  },
  correlation: { contextKeys: ["aws:bedrock-flows:arn"], services: ["bedrock.amazonaws.com"] },
  config: { none: "AWS Config records no resource type for Bedrock flows (not among the types it records): the API is read" },
  impact: "Amazon Bedrock cannot decrypt the flow: reading, preparing and invoking it fail.",
  setup: {
    flow: "bedrock-flow",
    create: {
      service: "bedrock-agent",
      operation: "CreateFlow",
      help: "A new Bedrock flow encrypted with a customer managed key (CreateFlow customerEncryptionKeyArn); build its definition afterwards.",
      name: { re: /^([0-9a-zA-Z][_-]?){1,100}$/, text: "letters, digits, single _ or - between them, up to 100" },
      role: { label: "Flow execution role" },
      params: (x) => ({
        name: x.name,
        ...(x.description ? { description: x.description } : {}),
        executionRoleArn: x.role,
        customerEncryptionKeyArn: x.keyRef,
        clientToken: x.token,
      }),
      outputs: { id: "id", arn: "arn" },
      rollback: { operation: "DeleteFlow", params: { flowIdentifier: "{{resource.id}}" } },
      plannedArn: (region, account) => `arn:aws:bedrock:${region}:${account}:flow/PLANNED000`,
    },
  },
};
