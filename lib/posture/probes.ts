// The access questions for a resource's key, as data (no evaluation here, so rules and the browser
// bundle can import it): what the template requires, and who in the account must not get in.
// Who outside the account can get in is the outside-access analysis (lib/policy/outside.ts).
import type { AgentResource } from "../inventory/types.shared";

import { type AccessRequirement, requirementsFor } from "./requirements";

export interface AccessQuestion extends AccessRequirement {
  id: string;
  question: string;
  expect: "allow" | "deny";
}

/** An account id no real policy names: stands for "a resource of some other account" (confused-deputy question). */
export const PROBE_ACCOUNT = "999999999999";

function encryptionContextOf(r: AgentResource): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const req of requirementsFor(r)) for (const [k, v] of Object.entries(req.context)) if (/^kms:encryptioncontext:/i.test(k)) out[k] = v;
  return out;
}

/** Every question for one resource, in the order the page shows them. */
export function accessQuestions(r: AgentResource): AccessQuestion[] {
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
      // A request AWS sends with nothing naming the account (a dataset's reads: presigned downloads
      // carry no source context) cannot be told apart from another account's: the same request is
      // required, so the probe would only repeat it. The outside-access analysis answers for it (the
      // statement that allows it, as AWS documents it or not).
      if (JSON.stringify(context) === JSON.stringify(req.context)) continue;
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
