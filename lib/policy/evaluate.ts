// IAM/KMS authorization decisions through @cloud-copilot/iam-simulate, shared by the sandbox (to
// allow or deny calls) and by Keyward's effective-access checks, so both decide the same way.
import { runSimulation } from "@cloud-copilot/iam-simulate";

/** An identity policy that allows everything: the account root, or an administrator. */
export const ALLOW_ALL_POLICY = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

export interface EvaluationRequest {
  /** An IAM principal ARN (role, user, root) or a service principal such as bedrock.amazonaws.com. */
  principal: string;
  action: string;
  resourceArn: string;
  resourceAccount: string;
  resourcePolicy?: unknown;
  identityPolicies?: { name: string; policy: unknown }[];
  context?: Record<string, string | string[]>;
}

export interface EvaluationResult {
  decision: Decision;
  /** Sids (or 1-based indexes) of the statements that decided. */
  decidingStatements: string[];
  errors?: string;
}

// iam-simulate drops `kms:EncryptionContext:<key>` context values because it only matches variable
// context keys written with a slash (aws:RequestTag/<key>). We carry the encryption context through
// an equivalent slash-form key on both the policy and the request; the operators and values are
// untouched, so the decision is the same one KMS makes.
const EC_PREFIX = /^kms:encryptioncontext:(.+)$/i;
const EC_CARRIER = "aws:RequestTag/kwec:";

function rewriteConditionKeys(policy: unknown): unknown {
  if (!policy || typeof policy !== "object") return policy;
  const doc = structuredClone(policy) as { Statement?: unknown };
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  for (const st of statements as { Condition?: Record<string, Record<string, unknown>> }[]) {
    if (!st || typeof st !== "object" || !st.Condition) continue;
    for (const op of Object.keys(st.Condition)) {
      const block = st.Condition[op];
      if (!block || typeof block !== "object") continue;
      for (const k of Object.keys(block)) {
        const m = EC_PREFIX.exec(k);
        if (m) {
          block[`${EC_CARRIER}${m[1].toLowerCase()}`] = block[k];
          delete block[k];
        }
      }
    }
  }
  return doc;
}

function statementIds(list: { statement: unknown }[] | undefined): string[] {
  return (list ?? []).map((s, i) => {
    const st = s.statement as { Sid?: string; sid?: () => string; index?: () => number };
    if (typeof st?.sid === "function") return st.sid() ?? String(i + 1);
    return st?.Sid ?? String(i + 1);
  });
}

export async function evaluate(req: EvaluationRequest): Promise<EvaluationResult> {
  const context: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.context ?? {})) {
    const m = EC_PREFIX.exec(k);
    context[m ? `${EC_CARRIER}${m[1].toLowerCase()}` : k] = v;
  }
  const r = await runSimulation(
    {
      request: {
        principal: req.principal,
        action: req.action,
        resource: { resource: req.resourceArn, accountId: req.resourceAccount },
        contextVariables: context,
      },
      identityPolicies: (req.identityPolicies ?? []).map((p) => ({ name: p.name, policy: rewriteConditionKeys(p.policy) })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: req.resourcePolicy ? rewriteConditionKeys(req.resourcePolicy) : undefined,
    },
    {},
  );
  if (r.resultType === "error") {
    return { decision: "ImplicitlyDenied", decidingStatements: [], errors: JSON.stringify(r.errors) };
  }
  const decision = r.overallResult as Decision;
  if (r.resultType !== "single") return { decision, decidingStatements: [] };
  const a = r.result.analysis as unknown as {
    identityAnalysis?: { allowStatements?: { statement: unknown }[]; denyStatements?: { statement: unknown }[] };
    resourceAnalysis?: { allowStatements?: { statement: unknown }[]; denyStatements?: { statement: unknown }[] };
  };
  // Resource-policy statements by Sid; identity-policy statements marked as such.
  const identity = (ids: string[]) => ids.map((id) => `identity policy: ${id}`);
  const deciding =
    decision === "ExplicitlyDenied"
      ? [...statementIds(a?.resourceAnalysis?.denyStatements), ...identity(statementIds(a?.identityAnalysis?.denyStatements))]
      : decision === "Allowed"
        ? [...statementIds(a?.resourceAnalysis?.allowStatements), ...identity(statementIds(a?.identityAnalysis?.allowStatements))]
        : [];
  return { decision, decidingStatements: deciding };
}
