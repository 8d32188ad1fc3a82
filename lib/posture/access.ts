// Effective access to a resource's key: the questions a reviewer asks, answered allowed/denied by
// the policy evaluator with the statement that decided. The KW-POL-01/03 and KW-IAM-02 rules ask
// the same questions through the same function, so the page and the findings never disagree.
import { createHash } from "node:crypto";

import type { AgentResource, KeyFacts, RoleFacts } from "../inventory/types.shared";
import { ALLOW_ALL_POLICY, evaluate } from "../policy/evaluate";
import { normalizeStatements } from "../policy/statements";

import { type AccessRequirement, requirementsFor } from "./requirements";

export interface ActionAnswer {
  action: string;
  decision: "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";
  decidingStatements: string[];
}

export interface AccessQuestion extends AccessRequirement {
  id: string;
  question: string;
  expect: "allow" | "deny";
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

/** An account id no real policy names: stands for "a principal from some other account". */
export const PROBE_ACCOUNT = "999999999999";
const PROBE_ACTIONS = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:CreateGrant", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"];

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

function encryptionContextOf(r: AgentResource): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const req of requirementsFor(r)) for (const [k, v] of Object.entries(req.context)) if (/^kms:encryptioncontext:/i.test(k)) out[k] = v;
  return out;
}

/**
 * Principals outside the account a key policy could let in: the ARNs it names in other accounts,
 * plus a probe from an unrelated account when a statement has Principal "*" or NotPrincipal.
 * Cross-account use needs the key policy to name the caller, so a policy without such statements
 * lets nobody outside in and needs no evaluation.
 */
export function outsideProbes(r: AgentResource, key: Pick<KeyFacts, "policy">, inside: Set<string>): AccessQuestion[] {
  if (!key.policy) return [];
  const principals = new Set<string>();
  let open = false;
  for (const st of normalizeStatements(key.policy)) {
    if (st.effect !== "Allow") continue;
    if (st.anyone || st.notPrincipal) open = true;
    for (const p of st.aws) {
      const acct = p.split(":")[4];
      if (acct && !inside.has(acct)) {
        if (p.includes("*")) open = true;
        else principals.add(p);
      }
    }
  }
  const ec = encryptionContextOf(r);
  const probe = (principal: string, account: string, question: string, id: string): AccessQuestion => ({
    id,
    question,
    principal,
    principalKind: "role",
    actions: PROBE_ACTIONS,
    context: { "kms:CallerAccount": account, ...ec },
    withIdentity: false,
    identityAllowsAll: true,
    expect: "deny",
    source: "AWS KMS key policy best practices (no access from outside the account)",
    rule: "KW-POL-03",
  });
  const out = [...principals].map((p) => probe(p, p.split(":")[4], `Can ${p} (another account) use or manage the key?`, `outside:${p}`));
  if (open)
    out.push(probe(`arn:aws:iam::${PROBE_ACCOUNT}:role/UnrelatedAccountRole`, PROBE_ACCOUNT, "Can a principal from an unrelated account use or manage the key?", "outside:any"));
  return out;
}

/** Every question for one resource, in the order the page shows them. */
export function accessQuestions(r: AgentResource, key: Pick<KeyFacts, "policy">, inside: Set<string>): AccessQuestion[] {
  const qs: AccessQuestion[] = [];
  for (const [i, req] of requirementsFor(r).entries()) {
    const who =
      req.principalKind === "service"
        ? `the service (${req.principal})`
        : req.principalKind === "account"
          ? `principals of the account via the service`
          : `the resource's role ${req.principal}`;
    qs.push({ ...req, id: `required:${i}`, expect: "allow", question: `Can ${who} do what the template requires for this resource?` });
    if (req.principalKind === "service") {
      const swap = (v: string) => v.replaceAll(`:${r.account}:`, `:${PROBE_ACCOUNT}:`).replace(new RegExp(`^${r.account}$`), PROBE_ACCOUNT);
      const context = Object.fromEntries(Object.entries(req.context).map(([k, v]) => [k, Array.isArray(v) ? v.map(swap) : swap(v)]));
      qs.push({
        ...req,
        id: `cross-account-service:${i}`,
        context,
        expect: "deny",
        rule: undefined,
        question: `Can ${req.principal} use the key for a resource in another account (confused deputy)?`,
      });
    }
  }
  qs.push(...outsideProbes(r, key, inside));
  qs.push({
    id: "unrelated-role",
    question: "Can an unrelated role in this account use the key without an IAM policy granting it?",
    principal: `arn:aws:iam::${r.account}:role/UnrelatedRole`,
    principalKind: "role",
    actions: ["kms:Decrypt", "kms:GenerateDataKey"],
    context: { "kms:CallerAccount": r.account, ...encryptionContextOf(r) },
    withIdentity: true,
    expect: "deny",
    source: "key policy least privilege",
  });
  return qs;
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
