import type { AccessAnalyzerFacts } from "../../inventory/types.shared";
import { coversAction, KMS_ADMIN_ACTIONS, normalizeStatements } from "../../policy/statements";
import { outsideEvidence, severityOf } from "../outside.shared";
import { requirementsFor } from "../requirements";
import { isKnown, kindOf } from "../../inventory/kinds";
import { keyOrSkip, KEYED_KINDS, SECRET_KINDS, type Outcome, type RuleDefinition } from "../rule";

export const policyRules: RuleDefinition[] = [
  {
    id: "KW-POL-01",
    title: "Key policy does not let the service use the key as documented",
    severity: "high",
    appliesTo: KEYED_KINDS,
    rationale:
      "The service, the resource's role or the callers (through their IAM policies) must be able to perform what AWS's page for the resource requires of the key; otherwise the service fails at runtime. A kind with no documented key policy is not assessed, never passed.",
    source: "Bedrock user guide (agent encryption before and after January 22, 2025); AgentCore developer guide (Memory, gateway, token vault and recommendation encryption)",
    remediation:
      "Add the missing statement from the documented template (Keys → the key → Policy shows the merged policy), then aws kms put-key-policy --key-id KEY --policy-name default --policy file://policy.json.",
    references: [],
    async check(ctx) {
      const k = keyOrSkip(ctx);
      if (Array.isArray(k)) return k;
      if (!k.policy) return [{ notAssessed: `GetKeyPolicy failed (${k.readErrors.GetKeyPolicy ?? "unknown"})` }];
      if (k.state !== "Enabled" || k.spec !== "SYMMETRIC_DEFAULT") return [];
      const out: Outcome[] = [];
      const policy = kindOf(ctx.resource.kind).policy;
      if (!isKnown(policy)) return [{ notAssessed: `${policy.none}, so it cannot tell whether the service can use the key` }];
      const reqs = requirementsFor(ctx.resource).filter((r) => r.rule === "KW-POL-01");
      if (!reqs.length) return [{ notAssessed: `the documented key policy for this ${kindOf(ctx.resource.kind).text[0]} requires nothing Keyward can check here` }];
      for (const req of reqs) {
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
      "A key policy statement that lets a service principal use the key with no condition that ties it to this account's resources (aws:SourceAccount, aws:SourceArn, aws:SourceOrgID, an encryption-context ARN) lets the service act with it for any account's resources (confused deputy). Read from the outside-access analysis: IfExists forms and conditions a caller can meet from anywhere do not count.",
    source: "seed 001 (AllowServicePrincipalAccess scoped by source account and ARN); seed 000 (encryption-context condition)",
    remediation: "Add a condition to the statement: kms:EncryptionContext:aws:bedrock:arn for agents, aws:SourceAccount + aws:SourceArn for AgentCore.",
    references: [],
    async check(ctx) {
      const k = keyOrSkip(ctx);
      if (Array.isArray(k)) return k;
      if (!k.policy) return [{ notAssessed: "the key policy could not be read" }];
      const v = await ctx.outside(k.policy, { kind: "key-policy", account: k.account, self: k.arn, resources: [ctx.resource] });
      if (v.error) return [{ notAssessed: v.error }];
      const deputies = v.open.filter((g) => g.confusedDeputy);
      if (!deputies.length) return [];
      const sts = normalizeStatements(k.policy);
      return [
        {
          fail: true,
          keyArn: k.arn,
          evidence: {
            statements: [...new Set(deputies.flatMap((g) => g.statementIndexes.map((i) => sts[i]?.sid ?? `(no Sid, #${i + 1})`)))],
            services: deputies.map((g) => g.who.slice("service:".length)),
            actions: [...new Set(deputies.flatMap((g) => g.actions))],
            why: deputies.map((g) => g.why),
          },
        },
      ];
    },
  },
  {
    id: "KW-POL-03",
    title: "Key usable or manageable from outside the account",
    severity: "critical",
    appliesTo: KEYED_KINDS,
    rationale:
      'Who outside the account (and the configured trusted accounts and organizations) can use, manage or read the key, worked out over every caller the key policy can tell apart: Principal "*" or another account, conditions that do not bind the caller\'s identity (transport, network, encryption context, tags, time...), kms:ViaService without kms:CallerAccount, service principals without aws:SourceAccount/aws:SourceArn, Deny statements. Everyone or another account with use, grant or administration actions is critical; access limited to a network or to calls through an AWS service is high; metadata only is low.',
    source: "AWS KMS key policy best practices; IAM policy evaluation logic (condition operators, missing keys, Deny)",
    remediation:
      "Remove the statement, or bind it to your account or organization with kms:CallerAccount, aws:PrincipalAccount or aws:PrincipalOrgID (service principals: aws:SourceAccount and aws:SourceArn). Accounts and organizations you trust can be listed in trustedAccounts / trustedOrganizations.",
    references: ["Prowler: kms_key_not_publicly_accessible", "IAM Access Analyzer: CheckNoPublicAccess (AWS::KMS::KeyPolicy)"],
    async check(ctx) {
      const k = keyOrSkip(ctx);
      if (Array.isArray(k)) return k;
      if (!k.policy) return [{ notAssessed: "the key policy could not be read" }];
      const v = await ctx.outside(k.policy, { kind: "key-policy", account: k.account, self: k.arn, resources: [ctx.resource] });
      if (v.error) return [{ notAssessed: v.error }];
      // A service principal acting for any account's resources is KW-POL-02's (confused deputy), from the same analysis.
      const open = v.open.filter((g) => !g.confusedDeputy);
      if (!open.length) return [];
      return [
        {
          fail: true,
          keyArn: k.arn,
          severity: severityOf(open),
          evidence: {
            outside: outsideEvidence(open),
            principals: open.map((g) => g.who),
            actions: [...new Set(open.flatMap((g) => g.actions))],
            statements: [...new Set(open.flatMap((g) => g.statements))],
          },
        },
      ];
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
  {
    id: "KW-POL-05",
    title: "Keyward and IAM Access Analyzer disagree about public access",
    severity: "high",
    appliesTo: [...new Set([...KEYED_KINDS, ...SECRET_KINDS])],
    rationale:
      "Where CheckNoPublicAccess is turned on, AWS's own answer is shown beside Keyward's. When one says the key or secret is public (open to everyone, any organization, or anyone on a network) and the other does not, one of them is wrong: a reviewer should look at the policy before trusting either.",
    source: "IAM Access Analyzer CheckNoPublicAccess (AWS::KMS::Key, AWS::SecretsManager::Secret); Keyward's outside-access analysis",
    remediation:
      "Open the policy review of the key or secret: compare the statements Access Analyzer names with Keyward's outside-access answer, and narrow the statement that lets the public in.",
    references: ["IAM Access Analyzer: CheckNoPublicAccess"],
    async check(ctx) {
      const out: Outcome[] = [];
      const compare = async (what: string, kind: "key-policy" | "secret-policy", account: string, arn: string, policy: string | undefined, aa: AccessAnalyzerFacts | undefined) => {
        const pub = aa?.noPublicAccess;
        if (!pub || !policy) return;
        if ("error" in pub) {
          out.push({ notAssessed: `IAM Access Analyzer CheckNoPublicAccess failed for ${what} (${pub.error})` });
          return;
        }
        const v = await ctx.outside(policy, { kind, account, self: arn });
        if (!v.analysis) return; // KW-POL-03 / KW-SEC-02 report the policy as not assessed
        const publicWhos = v.analysis.outside.filter((g) => g.who === "everyone" || g.who === "any-org" || g.who.startsWith("network:")).map((g) => g.who);
        const awsPublic = pub.result === "FAIL";
        if (awsPublic !== publicWhos.length > 0)
          out.push({
            fail: true,
            keyArn: kind === "key-policy" ? arn : undefined,
            evidence: {
              [kind === "key-policy" ? "key" : "secret"]: arn,
              accessAnalyzer: pub.result,
              accessAnalyzerReasons: pub.reasons.map(
                (r) => `${r.description ?? ""}${r.statementId ? ` (${r.statementId})` : r.statementIndex !== undefined ? ` (statement ${r.statementIndex + 1})` : ""}`,
              ),
              keyward: publicWhos.length ? publicWhos : "not public",
              which: awsPublic ? "IAM Access Analyzer reports public access Keyward does not" : "Keyward reports public access IAM Access Analyzer does not",
            },
          });
      };
      for (const s of ctx.resource.secrets.filter((x) => x.source === "EXTERNAL")) {
        const f = ctx.secrets.get(s.arn);
        if (f) await compare(`the secret ${s.arn}`, "secret-policy", f.account, f.arn, f.policy, f.accessAnalyzer);
      }
      if (!KEYED_KINDS.includes(ctx.resource.kind)) return out;
      const k = keyOrSkip(ctx);
      if (Array.isArray(k)) return k;
      await compare(`the key ${k.arn}`, "key-policy", k.account, k.arn, k.policy, k.accessAnalyzer);
      return out;
    },
  },
  {
    id: "KW-POL-06",
    title: "IAM Access Analyzer reports errors or security warnings in the policy",
    severity: "medium",
    appliesTo: [...new Set([...KEYED_KINDS, ...SECRET_KINDS])],
    rationale:
      "ValidatePolicy runs AWS's own policy checks: an ERROR means part of the policy does not do what it says (an action that does not exist, a statement without a Principal); a SECURITY_WARNING names access broader than it looks (Allow with NotPrincipal...).",
    source: "IAM Access Analyzer ValidatePolicy (policy check reference)",
    remediation: "Open the policy review: each Access Analyzer finding is shown on its statement, with AWS's explanation link.",
    references: ["IAM Access Analyzer: ValidatePolicy"],
    check(ctx) {
      const out: Outcome[] = [];
      const report = (target: Record<string, string>, aa: AccessAnalyzerFacts | undefined, keyArn?: string) => {
        const v = aa?.validate;
        if (!v || "error" in v) return;
        const serious = v.findings.filter((f) => f.findingType === "ERROR" || f.findingType === "SECURITY_WARNING");
        if (serious.length)
          out.push({
            fail: true,
            keyArn,
            evidence: {
              ...target,
              findings: serious.map((f) => `${f.findingType} ${f.issueCode}${f.statement !== undefined ? ` (statement ${f.statement + 1})` : ""}: ${f.details}`),
            },
          });
      };
      for (const s of ctx.resource.secrets.filter((x) => x.source === "EXTERNAL")) report({ secret: s.arn }, ctx.secrets.get(s.arn)?.accessAnalyzer);
      if (!KEYED_KINDS.includes(ctx.resource.kind)) return out;
      const k = keyOrSkip(ctx);
      if (Array.isArray(k)) return k;
      report({ key: k.arn }, k.accessAnalyzer, k.arn);
      return out;
    },
  },
];
