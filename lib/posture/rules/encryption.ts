import { isKnown, KINDS } from "../../inventory/kinds";
import { KEYED_KINDS, type RuleDefinition } from "../rule";

export const encryptionRules: RuleDefinition[] = [
  {
    id: "KW-ENC-01",
    title: "Not encrypted with a customer managed key",
    severity: "medium",
    appliesTo: KEYED_KINDS,
    rationale:
      "Without a customer managed key the data is encrypted with a key AWS owns: you cannot audit its use in CloudTrail, restrict it with a key policy, or revoke access by disabling it.",
    source: "seed 002 (AgentCore Memory CMK guidance); seed 000; seed 001",
    remediation: `Create a symmetric KMS key in the resource's region with the documented key policy and set it on the resource. ${KINDS.flatMap((k) => (isKnown(k.key) ? [`${k.label}: ${k.key.remediation}`] : [])).join(" ")}`,
    references: ["Trend Micro Conformity: Bedrock AgentCore memory encrypted with customer-managed keys (seed 002)"],
    check(ctx) {
      if (ctx.resource.keyReadError) return [{ notAssessed: `the resource's key could not be read (${ctx.resource.keyReadError.code})` }];
      if (!ctx.resource.keyArn) return [{ fail: true, evidence: { keyType: "aws-owned", keyArn: null } }];
      if (ctx.key?.found && ctx.key.type === "aws-managed")
        return [{ fail: true, keyArn: ctx.key.arn, evidence: { keyType: "aws-managed", keyArn: ctx.key.arn, aliases: ctx.key.aliases } }];
      return [];
    },
  },
];
