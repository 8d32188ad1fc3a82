// Effective access to a resource's key: the questions a reviewer asks, answered allowed/denied by
// the policy evaluator with the statement that decided. The KW-POL-01/03 and KW-IAM-02 rules ask
// the same questions through the same function, so the page and the findings never disagree.
import { createHash } from "node:crypto";

import type { AgentResource, KeyFacts, RoleFacts } from "../inventory/types.shared";
import { ALLOW_ALL_POLICY, evaluate } from "../policy/evaluate";
import type { OutsideGrant } from "../policy/outside";

import { outsideVerdict } from "./outside";
import { accessQuestions } from "./probes";
import type { AccessRequirement } from "./requirements";

export { accessQuestions, PROBE_ACCOUNT, type AccessQuestion } from "./probes";

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
  /** The outside-access question: who outside can do what (empty: nobody). */
  outside?: OutsideGrant[];
  /** Outside access opened only by the statements AWS documents for the resource, with the page. */
  documented?: (OutsideGrant & { source: string })[];
  /** The question could not be answered (never read as "as expected"). */
  notAssessed?: string;
}

const ACCESS_CACHE = new Map<string, Promise<ActionAnswer[]>>();

/** Every statement of every policy applies to any resource (`"Resource": "*"`, no NotResource). */
function anyResource(policies: unknown[]): boolean {
  return policies.every((doc) => {
    if (!doc || typeof doc !== "object") return true;
    const st = (doc as { Statement?: unknown }).Statement;
    const list = Array.isArray(st) ? st : st ? [st] : [];
    return list.every((x) => {
      if (!x || typeof x !== "object" || "NotResource" in x) return false;
      const r = (x as { Resource?: unknown }).Resource;
      return r === "*" || (Array.isArray(r) && r.length > 0 && r.every((v) => v === "*"));
    });
  });
}

/**
 * The request context as far as the decision depends on it: a value no policy mentions (by its
 * key, in a condition or a policy variable) cannot change it. Encryption context stays whenever a
 * policy speaks of encryption context or request tags (the evaluator carries it as request tags).
 */
function contextForDecision(context: Record<string, string | string[]>, policyText: string): Record<string, string | string[]> {
  const ec = /kms:encryptioncontext|aws:requesttag|aws:tagkeys/.test(policyText);
  return Object.fromEntries(Object.entries(context).filter(([k]) => policyText.includes(k.toLowerCase()) || (ec && /^kms:encryptioncontext:/i.test(k))));
}

/**
 * The key as far as the decision depends on it. When no statement names a resource (key policies
 * nearly always say "Resource": "*"), keys with the same policy in the same account and region get
 * the same answers, so they share a cache entry; otherwise the key's own ARN counts.
 */
function keyForDecision(arn: string, anyResource: boolean): string {
  return anyResource ? arn.replace(/:key\/[^:]+$/, ":key/*") : arn;
}
const ADMIN = { name: "account-root", policy: ALLOW_ALL_POLICY };

interface PolicyFacts {
  doc: unknown;
  /** The document's JSON in lower case, to find the context keys it mentions. */
  lower: string;
  anyResource: boolean;
}
const POLICY_FACTS = new Map<string, PolicyFacts>();

/** A key policy parsed once per text: the same policy is asked about for every resource it protects. */
function keyPolicyFacts(text: string | undefined): PolicyFacts {
  const k = text ?? "";
  let f = POLICY_FACTS.get(k);
  if (!f) {
    const doc: unknown = text ? JSON.parse(text) : undefined;
    f = { doc, lower: k.toLowerCase(), anyResource: anyResource([doc]) };
    if (POLICY_FACTS.size > 10_000) POLICY_FACTS.clear();
    POLICY_FACTS.set(k, f);
  }
  return f;
}

/**
 * Answers one question for a key, cached by everything the decision depends on — and only that, so
 * that resources sharing a key policy (or keys sharing one) are evaluated once.
 */
export function answer(req: AccessRequirement, key: Pick<KeyFacts, "arn" | "account" | "policy">, roles: Map<string, RoleFacts>): Promise<ActionAnswer[]> {
  const identity =
    req.principalKind === "account" || req.identityAllowsAll
      ? [ADMIN]
      : req.withIdentity
        ? (roles.get(req.principal)?.policies ?? []).map((p) => ({ name: p.name, policy: p.document }))
        : [];
  const kp = keyPolicyFacts(key.policy);
  const identityText = JSON.stringify(identity);
  const cacheKey = createHash("sha256")
    .update(
      JSON.stringify([
        req.principal,
        req.actions,
        contextForDecision(req.context, `${kp.lower}\n${identityText.toLowerCase()}`),
        keyForDecision(key.arn, kp.anyResource && anyResource(identity.map((i) => i.policy))),
        key.account,
        key.policy ?? "",
        identityText,
      ]),
    )
    .digest("base64");
  let hit = ACCESS_CACHE.get(cacheKey);
  if (!hit) {
    hit = Promise.all(
      req.actions.map(async (action) => {
        const r = await evaluate({
          principal: req.principal,
          action,
          resourceArn: key.arn,
          resourceAccount: key.account ?? "",
          resourcePolicy: kp.doc,
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
  const out: AccessCheck[] = [];
  for (const q of accessQuestions(r)) {
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
  const v = await outsideVerdict(key.policy, { kind: "key-policy", account: key.account, self: key.arn, inside, resources: [r] });
  const row = (id: string, rule: string, question: string, grants: OutsideGrant[], documented: (OutsideGrant & { source: string })[], none: string): AccessCheck => {
    const actions = [...new Set(grants.flatMap((g) => g.actions))];
    return {
      id,
      question,
      principal: "every caller outside the account",
      expect: "deny",
      answers: actions.map((action) => ({
        action,
        decision: "Allowed",
        decidingStatements: [...new Set(grants.filter((g) => g.actions.includes(action)).flatMap((g) => g.statements))],
      })),
      ok: !v.error && grants.length === 0,
      rule,
      source: "outside-access analysis over every caller the key policy can tell apart",
      outside: grants,
      documented,
      notAssessed: v.error,
      note: v.error
        ? `Not assessed: ${v.error}.`
        : grants.length
          ? grants.map((g) => `${g.label}: ${g.groups.join(", ")} (${g.why})`).join(" · ")
          : documented.length
            ? `Only what AWS documents for this resource: ${documented.map((g) => `${g.label} (${g.actions.join(", ")})`).join("; ")} — ${documented[0].source}.`
            : none,
    };
  };
  out.push(
    row(
      "outside",
      "KW-POL-03",
      "Can anyone outside the account (and the trusted accounts and organizations) use, manage or read the key?",
      v.open.filter((g) => !g.confusedDeputy),
      v.documented.filter((g) => !g.confusedDeputy),
      "Nobody outside the account or the trusted set can do anything with the key.",
    ),
    row(
      "outside-service",
      "KW-POL-02",
      "Can a service principal use the key for other accounts' resources (confused deputy)?",
      v.open.filter((g) => g.confusedDeputy),
      v.documented.filter((g) => g.confusedDeputy),
      "Every service principal statement is tied to this account's resources.",
    ),
  );
  return out;
}
