// Policy statements broken into "atoms" — one principal × one action, with the statement's
// conditions — so two policies can be compared by what they grant, not by how they are written:
// string vs array, action case, wildcard actions (expanded against the IAM action catalogue),
// NotAction/NotPrincipal/NotResource, account id vs root ARN, condition keys case-insensitive,
// condition values per operator. Sid is never significant.
import { expandIamActions } from "@cloud-copilot/iam-expand";

import { accountRoot, asList as list, globToRegex } from "./statements";

export type PolicyKind = "key-policy" | "identity-policy" | "secret-policy";

export type Principal =
  | { kind: "any" }
  | { kind: "not"; values: string[] }
  | { kind: "aws"; value: string }
  | { kind: "service"; value: string }
  | { kind: "federated"; value: string }
  | { kind: "identity" };

export type Family = "string" | "stringIgnoreCase" | "arn" | "bool" | "null" | "numeric" | "date" | "ip" | "binary";

export interface Clause {
  /** The operator as written, e.g. ForAnyValue:StringLike. */
  op: string;
  family: Family;
  like: boolean;
  negated: boolean;
  ifExists: boolean;
  set?: "ForAnyValue" | "ForAllValues";
  /** Lower-cased condition key (keys are case-insensitive). */
  key: string;
  keyAsWritten: string;
  values: string[];
}

export interface Atom {
  effect: "Allow" | "Deny";
  principal: Principal;
  /** Canonical action name, e.g. kms:GenerateDataKey. */
  action: string;
  clauses: Clause[];
  statement: number;
  /** The KMS default statement: the account root, kms:*, no conditions. */
  defaultRoot: boolean;
}

export interface ParsedStatement {
  index: number;
  sid?: string;
  effect: "Allow" | "Deny";
  raw: Record<string, unknown>;
  atoms: Atom[];
  principals: Principal[];
  actions: string[];
  appliesToSelf: boolean;
  defaultRoot: boolean;
}

export class PolicyParseError extends Error {}

const UNIVERSE: Record<PolicyKind, string[]> = { "key-policy": ["kms"], "identity-policy": ["kms"], "secret-policy": ["secretsmanager"] };
const expansionCache = new Map<string, Promise<string[]>>();

/** Canonical action names a pattern covers, from the IAM action catalogue; unknown names kept as written. */
export function expandAction(pattern: string): Promise<string[]> {
  const k = pattern.toLowerCase();
  let hit = expansionCache.get(k);
  if (!hit) {
    hit = (async () => {
      if (pattern === "*") return [];
      const found = await expandIamActions(pattern, { expandAsterisk: true });
      if (found.length) return found;
      return pattern.includes("*") || pattern.includes("?") ? [] : [pattern];
    })();
    expansionCache.set(k, hit);
  }
  return hit;
}

/** The actions a policy of this kind can grant: a key policy only governs KMS actions on its key, a secret policy Secrets Manager actions. */
async function universe(kind: PolicyKind): Promise<string[]> {
  const all = await Promise.all(UNIVERSE[kind].map((s) => expandAction(`${s}:*`)));
  return all.flat();
}
const inUniverse = (kind: PolicyKind, action: string) => UNIVERSE[kind].includes(action.split(":")[0].toLowerCase());

function parsePrincipals(st: Record<string, unknown>, kind: PolicyKind): Principal[] {
  if (kind === "identity-policy") return [{ kind: "identity" }];
  if (st.NotPrincipal !== undefined) {
    const np = st.NotPrincipal as Record<string, unknown>;
    const values = typeof np === "object" && np ? [...list(np.AWS).map(accountRoot), ...list(np.Service).map((s) => s.toLowerCase())] : list(np);
    return [{ kind: "not", values }];
  }
  const p = st.Principal;
  if (p === undefined) return [];
  if (p === "*") return [{ kind: "any" }];
  if (typeof p !== "object" || p === null) throw new PolicyParseError(`Principal must be "*" or an object, not ${JSON.stringify(p)}`);
  const out: Principal[] = [];
  for (const [k, v] of Object.entries(p as Record<string, unknown>)) {
    for (const val of list(v)) {
      if (k === "AWS") out.push(val === "*" ? { kind: "any" } : { kind: "aws", value: accountRoot(val) });
      else if (k === "Service") out.push({ kind: "service", value: val.toLowerCase() });
      else if (k === "Federated" || k === "CanonicalUser") out.push({ kind: "federated", value: val });
      else throw new PolicyParseError(`unknown principal type "${k}"`);
    }
  }
  return out;
}

const FAMILY: [RegExp, Family, boolean][] = [
  [/^StringEqualsIgnoreCase$|^StringNotEqualsIgnoreCase$/, "stringIgnoreCase", false],
  [/^String(Not)?Like$/, "string", true],
  [/^String(Not)?Equals$/, "string", false],
  [/^Arn(Not)?(Like|Equals)$/, "arn", true],
  [/^Bool$/, "bool", false],
  [/^Null$/, "null", false],
  [/^Numeric/, "numeric", false],
  [/^Date/, "date", false],
  [/^(Not)?IpAddress$/, "ip", false],
  [/^BinaryEquals$/, "binary", false],
];

export function parseClauses(condition: unknown): Clause[] {
  if (condition === undefined) return [];
  if (!condition || typeof condition !== "object") throw new PolicyParseError("Condition must be an object");
  const out: Clause[] = [];
  for (const [op, block] of Object.entries(condition as Record<string, unknown>)) {
    const m = /^(?:(ForAnyValue|ForAllValues):)?(.+?)(IfExists)?$/.exec(op);
    const base = m?.[2] ?? op;
    const fam = FAMILY.find(([re]) => re.test(base));
    if (!fam) throw new PolicyParseError(`unknown condition operator "${op}"`);
    if (!block || typeof block !== "object") throw new PolicyParseError(`condition ${op} must map keys to values`);
    for (const [key, v] of Object.entries(block as Record<string, unknown>)) {
      const values = list(v).map((x) => (fam[1] === "bool" || fam[1] === "null" ? x.toLowerCase() : fam[1] === "stringIgnoreCase" ? x.toLowerCase() : x));
      out.push({
        op,
        family: fam[1],
        like: fam[2],
        negated: /Not/.test(base) && base !== "Null",
        ifExists: Boolean(m?.[3]),
        set: m?.[1] as Clause["set"],
        key: key.toLowerCase(),
        keyAsWritten: key,
        values,
      });
    }
  }
  return out;
}

function resourceApplies(st: Record<string, unknown>, kind: PolicyKind, self: string | undefined): boolean {
  const glob = (p: string) => globToRegex(p, { glob: true });
  const looksLikeSelf = (p: string) => p === "*" || (kind === "secret-policy" ? p.includes(":secretsmanager:") : p.includes(":kms:")) || p.includes("${");
  if (st.NotResource !== undefined) {
    const nr = list(st.NotResource);
    if (nr.includes("*")) return false;
    return self ? !nr.some((p) => glob(p).test(self)) : true;
  }
  const rs = list(st.Resource);
  if (kind === "identity-policy" && !self) return rs.some(looksLikeSelf);
  if (rs.includes("*")) return true;
  return self ? rs.some((p) => glob(p).test(self)) : rs.some(looksLikeSelf);
}

export interface ParseOptions {
  kind: PolicyKind;
  /** ARN of the key or secret the policy is attached to (or, for identity policies, the key they are about). */
  self?: string;
  /** The account that owns the key or secret: its root statement without conditions is the KMS default. */
  account?: string;
}

export function policyStatements(policy: unknown): Record<string, unknown>[] {
  let doc = policy;
  if (typeof policy === "string") {
    try {
      doc = JSON.parse(policy);
    } catch (e) {
      throw new PolicyParseError(`not valid JSON: ${(e as Error).message}`);
    }
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw new PolicyParseError("a policy must be a JSON object with a Statement");
  const st = (doc as { Statement?: unknown }).Statement;
  if (st === undefined) throw new PolicyParseError("the policy has no Statement");
  const sts = Array.isArray(st) ? st : [st];
  sts.forEach((s, i) => {
    if (!s || typeof s !== "object" || Array.isArray(s)) throw new PolicyParseError(`Statement[${i}] must be an object`);
    const e = (s as Record<string, unknown>).Effect;
    if (e !== "Allow" && e !== "Deny") throw new PolicyParseError(`Statement[${i}].Effect must be "Allow" or "Deny"`);
    if ((s as Record<string, unknown>).Action === undefined && (s as Record<string, unknown>).NotAction === undefined)
      throw new PolicyParseError(`Statement[${i}] has neither Action nor NotAction`);
  });
  return sts as Record<string, unknown>[];
}

/** Parses and expands every statement of a policy into atoms. Throws PolicyParseError on bad input. */
export async function parsePolicy(policy: unknown, opts: ParseOptions): Promise<ParsedStatement[]> {
  const sts = policyStatements(policy);
  const out: ParsedStatement[] = [];
  for (const [index, raw] of sts.entries()) {
    const effect = raw.Effect as "Allow" | "Deny";
    const principals = parsePrincipals(raw, opts.kind);
    const clauses = parseClauses(raw.Condition);
    let actions: string[];
    if (raw.NotAction !== undefined) {
      const excluded = new Set((await Promise.all(list(raw.NotAction).map(expandAction))).flat().map((a) => a.toLowerCase()));
      actions = (await universe(opts.kind)).filter((a) => !excluded.has(a.toLowerCase()));
    } else {
      const patterns = list(raw.Action);
      actions = patterns.includes("*") ? await universe(opts.kind) : (await Promise.all(patterns.map(expandAction))).flat();
    }
    actions = actions.filter((a) => inUniverse(opts.kind, a));
    actions = [...new Map(actions.map((a) => [a.toLowerCase(), a])).values()];
    const root = opts.account ? `arn:aws:iam::${opts.account}:root` : undefined;
    const defaultRoot =
      effect === "Allow" &&
      opts.kind === "key-policy" &&
      clauses.length === 0 &&
      principals.length === 1 &&
      principals[0].kind === "aws" &&
      (root ? principals[0].value === root : /^arn:aws:iam::(\d{12}|\$\{account-id\}):root$/.test(principals[0].value)) &&
      list(raw.Action).some((a) => a === "*" || a.toLowerCase() === "kms:*");
    const appliesToSelf = resourceApplies(raw, opts.kind, opts.self);
    const atoms: Atom[] = appliesToSelf ? principals.flatMap((principal) => actions.map((action) => ({ effect, principal, action, clauses, statement: index, defaultRoot }))) : [];
    out.push({ index, sid: typeof raw.Sid === "string" ? raw.Sid : undefined, effect, raw, atoms, principals, actions, appliesToSelf, defaultRoot });
  }
  return out;
}

export function principalLabel(p: Principal): string {
  switch (p.kind) {
    case "any":
      return "*";
    case "not":
      return `everyone except ${p.values.join(", ")}`;
    case "identity":
      return "the identity the policy is attached to";
    default:
      return p.value;
  }
}
