// What the documented templates require of each resource's key: which principal must be able to do
// which KMS actions, in which request context. KW-POL-01, KW-IAM-02 and the access checks evaluate
// these with the same evaluator the sandbox uses, so the page and the finding never disagree.
import { isKnown, kindOf } from "../inventory/kinds";
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

/** What the kind's documented templates (chosen for the resource's creation date) require of its key. */
function templateRequirements(r: AgentResource): AccessRequirement[] {
  const policy = kindOf(r.kind).policy;
  return isKnown(policy) ? policy.requirements(r, templatesFor(r)) : [];
}
