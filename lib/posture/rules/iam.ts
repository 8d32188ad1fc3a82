import { isKnown, kindsWhere } from "../../inventory/kinds";
import { normalizeStatements } from "../../policy/statements";
import { requirementsFor } from "../requirements";
import { keyOrSkip, type Outcome, type RuleDefinition } from "../rule";

export const iamRules: RuleDefinition[] = [
  {
    id: "KW-IAM-01",
    title: "Resource's role allows wildcard actions or resources",
    severity: "high",
    appliesTo: kindsWhere((k) => isKnown(k.roles)),
    rationale: "An agent's role should allow only what the agent needs; a compromised agent (prompt injection) can use everything its role allows.",
    source: "seed 003 (define granular agent roles; avoid wildcards)",
    remediation: 'Replace Action "*" / "service:*" with the actions the agent uses, and Resource "*" with the resources it needs (IAM → Roles → the role → Permissions).',
    references: ["AWS Config: iam-policy-no-statements-with-admin-access", "Prowler: iam_inline_policy_no_administrative_privileges"],
    check(ctx) {
      const out: Outcome[] = [];
      for (const arn of ctx.resource.roles) {
        const role = ctx.roles.get(arn);
        if (!role) continue;
        if (role.readError && !role.policies.length) {
          out.push({ notAssessed: `the role ${arn} could not be read (${role.readError})` });
          continue;
        }
        const wild = role.policies.flatMap((p) =>
          normalizeStatements(p.document)
            .filter((st) => st.effect === "Allow" && (st.actions.some((a) => a === "*" || /:\*$/.test(a)) || st.notActions.length > 0))
            .map((st) => ({ policy: p.name, sid: st.sid, actions: st.actions, resources: st.resources })),
        );
        if (wild.length) out.push({ fail: true, evidence: { role: arn, statements: wild } });
      }
      return out;
    },
  },
  {
    id: "KW-IAM-02",
    title: "Role lacks the KMS permissions the template requires of it",
    severity: "medium",
    appliesTo: kindsWhere((k) => isKnown(k.roles) && k.roles.keyInIdentityPolicy),
    rationale: "The agent's service role must be able to GenerateDataKey and Decrypt with the agent's key (key policy and identity policies together), or the agent fails.",
    source: "seed 000 (Allow the service role to use the key)",
    remediation: "Add kms:GenerateDataKey* and kms:Decrypt on the key to the role's policy, or name the role in the key policy.",
    references: [],
    async check(ctx) {
      const k = keyOrSkip(ctx);
      if (Array.isArray(k)) return k;
      if (!k.policy) return [{ notAssessed: "the key policy could not be read" }];
      if (k.state !== "Enabled" || k.spec !== "SYMMETRIC_DEFAULT") return [];
      const out: Outcome[] = [];
      for (const req of requirementsFor(ctx.resource).filter((r) => r.rule === "KW-IAM-02")) {
        const role = ctx.roles.get(req.principal);
        if (role?.readError && !role.policies.length) {
          out.push({ notAssessed: `the role ${req.principal} could not be read` });
          continue;
        }
        const answers = await ctx.access(req, k);
        const denied = answers.filter((a) => a.decision !== "Allowed");
        if (denied.length) out.push({ fail: true, keyArn: k.arn, evidence: { role: req.principal, deniedActions: denied.map((d) => d.action) } });
      }
      return out;
    },
  },
];
