// The access questions for a resource's key, as data (no evaluation here, so rules and the browser
// bundle can import it): what the template requires, and who must not get in.
import type { AgentResource, KeyFacts } from "../inventory/types.shared";
import { normalizeStatements } from "../policy/statements";

import { type AccessRequirement, requirementsFor } from "./requirements";

export interface AccessQuestion extends AccessRequirement {
  id: string;
  question: string;
  expect: "allow" | "deny";
}

/** An account id no real policy names: stands for "a principal from some other account". */
export const PROBE_ACCOUNT = "999999999999";
export const PROBE_ACTIONS = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:CreateGrant", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"];

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
