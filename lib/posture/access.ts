// Effective access to a resource's key: the questions a reviewer asks, answered allowed/denied by
// the policy evaluator with the statement that decided. The KW-POL-01/03 and KW-IAM-02 rules ask
// the same questions through the same function, so the page and the findings never disagree.
import { createHash } from "node:crypto";

import type { AgentResource, KeyFacts, RoleFacts } from "../inventory/types.shared";
import { ALLOW_ALL_POLICY, evaluate } from "../policy/evaluate";

import { accessQuestions, PROBE_ACTIONS } from "./probes";
import type { AccessRequirement } from "./requirements";

export { accessQuestions, outsideProbes, PROBE_ACCOUNT, type AccessQuestion } from "./probes";

export interface ActionAnswer {
  action: string;
  decision: "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";
  decidingStatements: string[];
}

export interface AccessCheck {
  id: string;
  question: string;
  principal: string;
  expect: "allow" | "deny";
  answers: ActionAnswer[];
  /** Every action decided as expected. */
  ok: boolean;
  rule?: string;
  source: string;
  /** Why the evaluator was not needed (a question decided by the policy's shape). */
  note?: string;
}

const ACCESS_CACHE = new Map<string, Promise<ActionAnswer[]>>();
const ADMIN = { name: "account-root", policy: ALLOW_ALL_POLICY };

/** Answers one question for a key (cached by everything the decision depends on). */
export function answer(req: AccessRequirement, key: Pick<KeyFacts, "arn" | "account" | "policy">, roles: Map<string, RoleFacts>): Promise<ActionAnswer[]> {
  const identity =
    req.principalKind === "account" || req.identityAllowsAll
      ? [ADMIN]
      : req.withIdentity
        ? (roles.get(req.principal)?.policies ?? []).map((p) => ({ name: p.name, policy: p.document }))
        : [];
  const cacheKey = createHash("sha256")
    .update(JSON.stringify([req.principal, req.actions, req.context, key.arn, key.account, key.policy ?? "", identity]))
    .digest("base64");
  let hit = ACCESS_CACHE.get(cacheKey);
  if (!hit) {
    const policy = key.policy ? JSON.parse(key.policy) : undefined;
    hit = Promise.all(
      req.actions.map(async (action) => {
        const r = await evaluate({
          principal: req.principal,
          action,
          resourceArn: key.arn,
          resourceAccount: key.account ?? "",
          resourcePolicy: policy,
          identityPolicies: identity,
          context: req.context,
        });
        return { action, decision: r.decision, decidingStatements: r.decidingStatements };
      }),
    );
    if (ACCESS_CACHE.size > 200_000) ACCESS_CACHE.clear();
    ACCESS_CACHE.set(cacheKey, hit);
  }
  return hit;
}

export async function checkAccess(r: AgentResource, key: KeyFacts, roles: Map<string, RoleFacts>, inside: Set<string>): Promise<AccessCheck[]> {
  if (!key.policy) return [];
  const qs = accessQuestions(r, key, inside);
  const out: AccessCheck[] = [];
  for (const q of qs) {
    const answers = await answer(q, key, roles);
    out.push({
      id: q.id,
      question: q.question,
      principal: q.principal,
      expect: q.expect,
      answers,
      ok: answers.every((a) => (q.expect === "allow" ? a.decision === "Allowed" : a.decision !== "Allowed")),
      rule: q.rule,
      source: q.source,
    });
  }
  if (!qs.some((q) => q.id.startsWith("outside:"))) {
    out.push({
      id: "outside:none",
      question: "Can a principal from another account use or manage the key?",
      principal: "any principal outside the account",
      expect: "deny",
      answers: PROBE_ACTIONS.map((action) => ({ action, decision: "ImplicitlyDenied", decidingStatements: [] })),
      ok: true,
      rule: "KW-POL-03",
      source: "AWS KMS key policy best practices (no access from outside the account)",
      note: 'No statement names a principal outside the account, Principal "*" or NotPrincipal; cross-account use needs the key policy to allow it.',
    });
  }
  return out;
}
