import { coversAction, normalizeStatements } from "../../policy/statements";
import { outsideEvidence } from "../outside.shared";
import { type Outcome, type RuleDefinition, SECRET_KINDS } from "../rule";

const PROVIDERS = SECRET_KINDS;

/** How the posture rules recognise the AgentCore identity: a role named …AgentCore…Identity…, or the service. */
export function isIdentityPrincipal(p: string): boolean {
  return /:role\/.*AgentCore.*Identity/i.test(p) || p === "bedrock-agentcore.amazonaws.com";
}

function externalSecrets(ctx: Parameters<NonNullable<RuleDefinition["check"]>>[0]) {
  return ctx.resource.secrets.filter((s) => s.source === "EXTERNAL");
}

export const secretRules: RuleDefinition[] = [
  {
    id: "KW-SEC-01",
    title: "Referenced secret is encrypted with aws/secretsmanager",
    severity: "low",
    appliesTo: [...PROVIDERS],
    rationale: "A secret under the AWS managed key cannot have its key use restricted or audited per key policy; a customer managed key keeps that control.",
    source: "seed 004 (keep your encryption setup: customer managed keys)",
    remediation: "aws secretsmanager update-secret --secret-id SECRET --kms-key-id KEY, with a key policy that allows the AgentCore identity role kms:Decrypt via Secrets Manager.",
    references: ["AWS Config: secretsmanager-using-cmk"],
    check(ctx) {
      const out: Outcome[] = [];
      for (const s of externalSecrets(ctx)) {
        const f = ctx.secrets.get(s.arn);
        if (!f || f.readErrors.DescribeSecret) {
          out.push({ notAssessed: `DescribeSecret failed for ${s.arn}` });
          continue;
        }
        const key = f.kmsKeyId ? ctx.keys.get(f.kmsKeyId) : undefined;
        if (!f.kmsKeyId || f.kmsKeyId.includes("alias/aws/secretsmanager") || key?.type === "aws-managed")
          out.push({ fail: true, keyArn: key?.arn, evidence: { secret: s.arn, kmsKeyId: f.kmsKeyId ?? "aws/secretsmanager" } });
      }
      return out;
    },
  },
  {
    id: "KW-SEC-02",
    title: "Secret resource policy lets others read it, or does not allow the AgentCore identity",
    severity: "high",
    appliesTo: [...PROVIDERS],
    rationale:
      "Only the AgentCore identity role should read an agent's secret; a broader policy (the account root, *, other roles) lets other principals fetch the credential, and a missing grant breaks the agent. Anyone outside the account who can read, change or re-permission the secret (the same outside-access analysis as key policies) makes it critical.",
    source: "seed 004 (secret resource policy example; least privilege)",
    remediation:
      "aws secretsmanager put-resource-policy --secret-id SECRET --resource-policy file://policy.json with one statement allowing secretsmanager:GetSecretValue to the AgentCore identity role.",
    references: ["Prowler: secretsmanager_not_publicly_accessible"],
    async check(ctx) {
      const out: Outcome[] = [];
      for (const s of externalSecrets(ctx)) {
        const f = ctx.secrets.get(s.arn);
        if (!f || f.readErrors.DescribeSecret || f.readErrors.GetResourcePolicy) {
          out.push({ notAssessed: `the secret's resource policy could not be read (${f?.readErrors.DescribeSecret ?? f?.readErrors.GetResourcePolicy ?? "not read"})` });
          continue;
        }
        // No resource policy: only principals of the account whose IAM policies allow it can read the secret.
        const text = f.policy ?? JSON.stringify({ Version: "2012-10-17", Statement: [] });
        const v = f.policy
          ? await ctx.outside(text, { kind: "secret-policy", account: f.account, self: f.arn, resources: [ctx.resource] })
          : { open: [], documented: [], severity: undefined, error: undefined };
        if (v.error) {
          out.push({ notAssessed: `the secret's resource policy: ${v.error}` });
          continue;
        }
        const readers = normalizeStatements(text).filter((st) => st.effect === "Allow" && coversAction(st, "secretsmanager:GetSecretValue"));
        const principals = [...new Set(readers.flatMap((st) => (st.anyone ? ["*"] : [...st.aws, ...st.services])))];
        const others = principals.filter((p) => !isIdentityPrincipal(p));
        const allowsIdentity = principals.some(isIdentityPrincipal);
        if (others.length || !allowsIdentity || v.open.length)
          out.push({
            fail: true,
            severity: v.severity === "critical" ? "critical" : undefined,
            evidence: {
              secret: s.arn,
              readers: principals,
              beyondIdentity: others,
              allowsAgentCoreIdentity: allowsIdentity,
              ...(v.open.length ? { outside: outsideEvidence(v.open) } : {}),
            },
          });
      }
      return out;
    },
  },
  {
    id: "KW-SEC-03",
    title: "The secret's key does not allow kms:Decrypt to the reading principal",
    severity: "high",
    appliesTo: [...PROVIDERS],
    rationale:
      "AgentCore reads the secret through Secrets Manager, which decrypts with the secret's key as the reading principal; without kms:Decrypt the agent gets access errors at runtime.",
    source: "seed 004 (pitfalls: forgetting kms:Decrypt when a CMK protects a secret)",
    remediation: "Add to the key policy: Allow kms:Decrypt to the AgentCore identity role, with kms:ViaService secretsmanager.REGION.amazonaws.com.",
    references: [],
    async check(ctx) {
      const out: Outcome[] = [];
      for (const s of externalSecrets(ctx)) {
        const f = ctx.secrets.get(s.arn);
        if (!f?.kmsKeyId) continue;
        const key = ctx.keys.get(f.kmsKeyId);
        if (!key?.found) {
          out.push({ notAssessed: `the secret's key ${f.kmsKeyId} could not be read` });
          continue;
        }
        if (key.type !== "customer") continue;
        const readers = normalizeStatements(f.policy ?? "{}")
          .filter((st) => st.effect === "Allow" && coversAction(st, "secretsmanager:GetSecretValue"))
          .flatMap((st) => st.aws)
          .filter(isIdentityPrincipal);
        for (const principal of readers) {
          const [answer] = await ctx.access(
            {
              principal,
              principalKind: "role",
              actions: ["kms:Decrypt"],
              context: {
                "kms:ViaService": `secretsmanager.${f.region}.amazonaws.com`,
                "kms:CallerAccount": principal.split(":")[4] ?? "",
                "kms:EncryptionContext:SecretARN": f.arn,
              },
              withIdentity: true,
              source: "seed 004",
              rule: "KW-POL-01",
            },
            key,
          );
          if (answer.decision !== "Allowed") out.push({ fail: true, keyArn: key.arn, evidence: { secret: f.arn, principal, decision: answer.decision } });
        }
      }
      return out;
    },
  },
  {
    id: "KW-SEC-04",
    title: "Secret is in another region than the credential provider",
    severity: "high",
    appliesTo: [...PROVIDERS],
    rationale: "AgentCore Identity does not support cross-Region secret references; replicate the secret to the provider's region.",
    source: "seed 004 (cross-Region: not supported)",
    remediation: "aws secretsmanager replicate-secret-to-regions --secret-id SECRET --add-replica-regions Region=REGION, then point the provider at the replica.",
    references: [],
    check(ctx) {
      return externalSecrets(ctx)
        .filter((s) => s.arn.split(":")[3] !== ctx.resource.region)
        .map((s) => ({ fail: true as const, evidence: { secret: s.arn, secretRegion: s.arn.split(":")[3], providerRegion: ctx.resource.region } }));
    },
  },
  {
    id: "KW-SEC-05",
    title: "Secret rotation is off",
    severity: "low",
    appliesTo: [...PROVIDERS],
    rationale: "AgentCore picks up a rotated value on its next read, so rotation costs nothing at runtime and limits how long a leaked credential works.",
    source: "seed 004 (rotation is picked up automatically)",
    remediation: "aws secretsmanager rotate-secret --secret-id SECRET --rotation-lambda-arn FN --rotation-rules AutomaticallyAfterDays=30",
    references: ["AWS Config: secretsmanager-rotation-enabled-check", "Prowler: secretsmanager_automatic_rotation_enabled"],
    check(ctx) {
      const out: Outcome[] = [];
      for (const s of externalSecrets(ctx)) {
        const f = ctx.secrets.get(s.arn);
        if (!f || f.readErrors.DescribeSecret) continue;
        if (!f.rotationEnabled) out.push({ fail: true, evidence: { secret: s.arn, rotationEnabled: false } });
      }
      return out;
    },
  },
];
