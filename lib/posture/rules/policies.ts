import { coversAction, hasConditionKey, KMS_ADMIN_ACTIONS, KMS_CRYPTO_ACTIONS, normalizeStatements } from "../../policy/statements";
import { outsideProbes } from "../probes";
import { requirementsFor } from "../requirements";
import { keyOrSkip, KEYED_KINDS, type Outcome, type RuleDefinition } from "../rule";

const SCOPING = (k: string) => k.startsWith("kms:encryptioncontext") || k === "aws:sourceaccount" || k === "aws:sourcearn" || k === "kms:calleraccount" || k === "kms:viaservice";

export const policyRules: RuleDefinition[] = [
  {
    id: "KW-POL-01",
    title: "Key policy does not let the service use the key as documented",
    severity: "high",
    appliesTo: ["bedrock-agent", "agentcore-memory", "agentcore-recommendation", "agentcore-gateway", "token-vault"],
    rationale: "The service (or the resource's role) must be able to perform what the documented key policy grants; otherwise the service fails at runtime.",
    source: "seed 000, 001, 002; AgentCore gateway and token-vault key policy docs",
    remediation:
      "Add the missing statement from the documented template (Keys → the key → Policy shows the merged policy), then aws kms put-key-policy --key-id KEY --policy-name default --policy file://policy.json.",
    references: [],
    async check(ctx) {
      const k = keyOrSkip(ctx);
      if (Array.isArray(k)) return k;
      if (!k.policy) return [{ notAssessed: `GetKeyPolicy failed (${k.readErrors.GetKeyPolicy ?? "unknown"})` }];
      if (k.state !== "Enabled" || k.spec !== "SYMMETRIC_DEFAULT") return [];
      const out: Outcome[] = [];
      for (const req of requirementsFor(ctx.resource).filter((r) => r.rule === "KW-POL-01")) {
        const answers = await ctx.access(req, k);
        const denied = answers.filter((a) => a.decision !== "Allowed");
        if (denied.length) out.push({ fail: true, keyArn: k.arn, evidence: { principal: req.principal, deniedActions: denied.map((d) => d.action), source: req.source } });
      }
      return out;
    },
  },
  {
    id: "KW-POL-02",
    title: "Service-principal statement without scoping (confused deputy)",
    severity: "medium",
    appliesTo: KEYED_KINDS,
    rationale:
      "A key policy statement that lets a service principal use the key with no encryption-context, aws:SourceAccount or aws:SourceArn condition lets the service act with it for any resource, including other customers' (confused deputy).",
    source: "seed 001 (AllowServicePrincipalAccess scoped by source account and ARN); seed 000 (encryption-context condition)",
    remediation: "Add a condition to the statement: kms:EncryptionContext:aws:bedrock:arn for agents, aws:SourceAccount + aws:SourceArn for AgentCore.",
    references: [],
    check(ctx) {
      const k = keyOrSkip(ctx);
      if (Array.isArray(k)) return k;
      if (!k.policy) return [{ notAssessed: "the key policy could not be read" }];
      const unscoped = normalizeStatements(k.policy).filter(
        (st) => st.effect === "Allow" && st.services.length && KMS_CRYPTO_ACTIONS.some((a) => coversAction(st, a)) && !hasConditionKey(st, SCOPING),
      );
      return unscoped.length
        ? [{ fail: true, keyArn: k.arn, evidence: { statements: unscoped.map((s) => s.sid ?? "(no Sid)"), services: [...new Set(unscoped.flatMap((s) => s.services))] } }]
        : [];
    },
  },
  {
    id: "KW-POL-03",
    title: "Key usable by anyone or by another account without conditions",
    severity: "critical",
    appliesTo: KEYED_KINDS,
    rationale:
      'A statement with Principal "*" or another account\'s principal, not limited by kms:CallerAccount, aws:PrincipalAccount, aws:PrincipalOrgID or similar, lets principals outside the account use the key.',
    source: "AWS KMS key policy best practices",
    remediation:
      "Remove the statement, or limit it with kms:CallerAccount / aws:PrincipalOrgID to your account or organization (trusted accounts can be listed in trustedAccounts).",
    references: ["Prowler: kms_key_not_publicly_accessible"],
    async check(ctx) {
      const k = keyOrSkip(ctx);
      if (Array.isArray(k)) return k;
      if (!k.policy) return [{ notAssessed: "the key policy could not be read" }];
      const allowed: { principal: string; actions: string[]; statements: string[] }[] = [];
      for (const q of outsideProbes(ctx.resource, k, ctx.inside)) {
        const yes = (await ctx.access(q, k)).filter((a) => a.decision === "Allowed");
        if (yes.length) allowed.push({ principal: q.principal, actions: yes.map((a) => a.action), statements: [...new Set(yes.flatMap((a) => a.decidingStatements))] });
      }
      return allowed.length
        ? [
            {
              fail: true,
              keyArn: k.arn,
              evidence: {
                principals: allowed.map((a) => a.principal),
                actions: [...new Set(allowed.flatMap((a) => a.actions))],
                statements: [...new Set(allowed.flatMap((a) => a.statements))],
              },
            },
          ]
        : [];
    },
  },
  {
    id: "KW-POL-04",
    title: "Key administration granted beyond the account root",
    severity: "medium",
    appliesTo: KEYED_KINDS,
    rationale:
      "kms:* or key-administration actions (PutKeyPolicy, ScheduleKeyDeletion, DisableKey...) for principals other than the account root let them lock the service out or destroy the data. The default account-root statement is not a finding.",
    source: "AWS KMS key policy best practices (separate key administrators from key users)",
    remediation: "Grant administration through the account-root statement and IAM policies for named administrators, or list only the needed actions.",
    references: [],
    check(ctx) {
      const k = keyOrSkip(ctx);
      if (Array.isArray(k)) return k;
      if (!k.policy) return [{ notAssessed: "the key policy could not be read" }];
      const root = `arn:aws:iam::${k.account}:root`;
      const broad = normalizeStatements(k.policy).filter(
        (st) =>
          st.effect === "Allow" &&
          (st.anyone || st.aws.some((p) => p !== root) || st.services.length) &&
          KMS_ADMIN_ACTIONS.filter((a) => a !== "kms:CreateGrant").some((a) => coversAction(st, a)),
      );
      return broad.length
        ? [
            {
              fail: true,
              keyArn: k.arn,
              evidence: {
                statements: broad.map((s) => s.sid ?? "(no Sid)"),
                principals: [...new Set(broad.flatMap((s) => (s.anyone ? ["*"] : [...s.aws, ...s.services]).filter((p) => p !== root)))],
              },
            },
          ]
        : [];
    },
  },
];
