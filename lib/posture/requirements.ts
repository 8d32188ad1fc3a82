// What the documented templates require of each resource's key: which principal must be able to do
// which KMS actions, in which request context. KW-POL-01, KW-IAM-02 and the access checks evaluate
// these with the same evaluator the sandbox uses, so the page and the finding never disagree.
import type { AgentResource } from "../inventory/types.shared";
import { templatesFor } from "../policy/templates";

export interface AccessRequirement {
  /** Who: a service principal, a role ARN, or the account root acting via a service. */
  principal: string;
  principalKind: "service" | "role" | "account";
  actions: string[];
  context: Record<string, string | string[]>;
  /** Include the principal's identity policies (roles) in the evaluation. */
  withIdentity: boolean;
  /** Evaluate as if the principal's own account allowed everything (probes from other accounts). */
  identityAllowsAll?: boolean;
  source: string;
  rule?: "KW-POL-01" | "KW-POL-03" | "KW-IAM-02";
}

/**
 * What every request of this principal carries besides the template's keys: a service principal's
 * aws:PrincipalIsAWSService and service name (and no principal account or organization), an IAM
 * principal's account and ARN. Without them a data-perimeter Deny that exempts AWS services would
 * read as blocking the service.
 */
function withPrincipalKeys(req: AccessRequirement): AccessRequirement {
  const extra: Record<string, string> =
    req.principalKind === "service"
      ? { "aws:PrincipalIsAWSService": "true", "aws:PrincipalServiceName": req.principal }
      : { "aws:PrincipalIsAWSService": "false", "aws:PrincipalAccount": req.principal.split(":")[4] ?? "", "aws:PrincipalArn": req.principal };
  return { ...req, context: { ...extra, ...req.context } };
}

export function requirementsFor(r: AgentResource): AccessRequirement[] {
  return templateRequirements(r).map(withPrincipalKeys);
}

function templateRequirements(r: AgentResource): AccessRequirement[] {
  const account = r.account;
  const base = { "aws:SourceAccount": account, "aws:SourceArn": r.arn, "kms:CallerAccount": account };
  switch (r.kind) {
    case "bedrock-agent": {
      const before = templatesFor(r).some((t) => t.id === "bedrock-agent-key");
      const after = templatesFor(r).some((t) => t.id === "bedrock-agent-key-2025");
      const out: AccessRequirement[] = [];
      if (after)
        out.push({
          principal: `arn:aws:iam::${account}:root`,
          principalKind: "account",
          actions: ["kms:GenerateDataKey", "kms:Decrypt"],
          context: { "kms:CallerAccount": account, "kms:EncryptionContext:aws:bedrock:arn": r.arn },
          withIdentity: true,
          source: 'Bedrock user guide "Encryption of agent resources with customer managed keys (CMK)" (callers of the agent APIs, through their IAM policy)',
          rule: "KW-POL-01",
        });
      if (before)
        out.push(
          {
            principal: "bedrock.amazonaws.com",
            principalKind: "service",
            actions: ["kms:GenerateDataKey", "kms:Decrypt"],
            context: { ...base, "kms:EncryptionContext:aws:bedrock:arn": r.arn },
            withIdentity: false,
            source: 'Bedrock user guide "Encryption of agent resources for agents created before January 22, 2025"',
            rule: "KW-POL-01",
          },
          ...r.roles.map((role): AccessRequirement => ({
            principal: role,
            principalKind: "role",
            actions: ["kms:GenerateDataKey", "kms:Decrypt"],
            context: { "kms:CallerAccount": account },
            withIdentity: true,
            source: "Bedrock user guide, agents created before January 22, 2025 (the agent's service role)",
            rule: "KW-IAM-02",
          })),
        );
      return out;
    }
    case "agentcore-memory":
      // AWS's page: the callers' identity policy, through AgentCore (kms:ViaService); the key policy
      // must let the account's IAM policies grant it.
      return [
        {
          principal: `arn:aws:iam::${account}:root`,
          principalKind: "account",
          actions: ["kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"],
          context: { "kms:CallerAccount": account, "kms:ViaService": `bedrock-agentcore.${r.region}.amazonaws.com` },
          withIdentity: true,
          source: 'AgentCore developer guide "Encrypt your Amazon Bedrock AgentCore Memory" (the caller\'s identity policy, through AgentCore)',
          rule: "KW-POL-01",
        },
      ];
    case "agentcore-recommendation":
      return [
        {
          principal: "bedrock-agentcore.amazonaws.com",
          principalKind: "service",
          actions: ["kms:GenerateDataKey", "kms:Decrypt"],
          context: { ...base, "kms:EncryptionContext:aws:bedrock-agentcore:recommendationArn": r.arn },
          withIdentity: false,
          source: "seed 001 (AllowServicePrincipalAccess)",
          rule: "KW-POL-01",
        },
      ];
    case "agentcore-gateway":
      return r.roles.map((role) => ({
        principal: role,
        principalKind: "role" as const,
        actions: ["kms:CreateGrant", "kms:DescribeKey", "kms:Decrypt", "kms:GenerateDataKey"],
        context: {
          "kms:CallerAccount": account,
          "kms:ViaService": `bedrock-agentcore.${r.region}.amazonaws.com`,
          "kms:EncryptionContext:aws:bedrock-agentcore-gateway:arn": r.arn,
          "kms:GrantConstraintType": "EncryptionContextSubset",
          "kms:GrantOperations": ["Decrypt", "GenerateDataKey"],
        },
        withIdentity: true,
        source: 'AgentCore developer guide "Encrypt your AgentCore gateway with a customer-managed KMS key"',
        rule: "KW-POL-01" as const,
      }));
    case "token-vault":
      return [
        {
          principal: `arn:aws:iam::${account}:root`,
          principalKind: "account",
          actions: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKeyWithoutPlaintext"],
          context: {
            "kms:CallerAccount": account,
            "aws:ResourceAccount": account,
            "kms:ViaService": `bedrock-agentcore-identity.${r.region}.amazonaws.com`,
            "kms:EncryptionContext:aws-crypto-ec:aws:bedrock-agentcore-identity:token-vault-arn": r.arn,
          },
          withIdentity: true,
          source: 'AWS doc "Set customer managed key policy" (token vault)',
          rule: "KW-POL-01",
        },
      ];
    default:
      return [];
  }
}
