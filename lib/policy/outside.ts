// Who outside the account can do what with a key (its key policy) or a secret (its resource
// policy) — decided over every class of caller the policy can tell apart, not by asking one
// made-up outsider a few questions.
//
// A caller is described by what identity-binding condition keys would say of it: its account (one
// the policy names, or any other), its organization (one the policy names, any other, or none), the
// AWS service it calls through (kms:ViaService), or — for service principals — the service and the
// account whose resource it acts for. Every other key (transport, source network, encryption
// context, tags, time, MFA, grant keys...) is something a caller can satisfy from anywhere: it never
// makes a statement private. For each class the engine asks, per statement, whether SOME caller of
// the class is let in (Allow) and whether ALL of them are shut out (Deny), so the answer errs
// towards "open" wherever the policy leaves a choice to the caller. Network keys (source IP, VPC,
// VPC endpoint) do limit a grant, and are reported as such rather than as private.
import { type Clause, parseClauses, parsePolicy, PolicyParseError, type ParsedStatement, type PolicyKind, type Principal, principalLabel } from "./normalize";
import { globToRegex } from "./statements";

export type OutsidePolicyKind = "key-policy" | "secret-policy";
export type ActionGroup = "use" | "grants" | "administration" | "metadata" | "read" | "write" | "policy";
export type OutsideSeverity = "critical" | "high" | "medium" | "low";

export interface OutsideGrant {
  /** everyone | any-org | org:o-… | account:ID | service:NAME | network:… */
  who: string;
  /** The same in words. */
  label: string;
  actions: string[];
  groups: ActionGroup[];
  /** Sids, or 1-based statement numbers, of the Allow statements that let them in. */
  statements: string[];
  /** 0-based indexes of those statements in the policy. */
  statementIndexes: number[];
  why: string;
  severity: OutsideSeverity;
  /** Set when the access is a service principal acting for any account's resources (confused deputy). */
  confusedDeputy?: boolean;
}

export interface OutsideAnalysis {
  kind: OutsidePolicyKind;
  account: string;
  /** Accounts and organizations treated as inside besides the owner. */
  trusted: { accounts: string[]; organizations: string[] };
  outside: OutsideGrant[];
}

export interface OutsideOptions {
  kind: OutsidePolicyKind;
  /** The account that owns the key or secret. */
  account: string;
  /** ARN of the key or secret (statements whose Resource names something else do not apply). */
  self?: string;
  /** Account ids (12 digits) and organization ids (o-…) treated as inside. */
  trusted?: Iterable<string>;
}

/** 0: no caller of the class satisfies it; 1: some do; 2: all do. */
type Tri = 0 | 1 | 2;
const all = (xs: Tri[]): Tri => (xs.some((x) => x === 0) ? 0 : xs.every((x) => x === 2) ? 2 : 1);
const any = (xs: Tri[]): Tri => (xs.some((x) => x === 2) ? 2 : xs.some((x) => x === 1) ? 1 : 0);

/** What a condition key holds for a class of callers. */
type Val =
  | { t: "absent" }
  | { t: "lit"; v: string }
  /** A value the policy does not name (an account, organization or service of the caller's choosing). */
  | { t: "fresh"; id: string }
  /** Anything at all, or nothing: the caller chooses. */
  | { t: "free" }
  /** An ARN in the given account; the rest of it is the caller's choice. */
  | { t: "arn"; account: Val }
  /** aws:PrincipalOrgPaths / aws:SourceOrgPaths: a path in the given organization. */
  | { t: "orgpath"; org: Val };

const ABSENT: Val = { t: "absent" };
const FREE: Val = { t: "free" };
const lit = (v: string): Val => ({ t: "lit", v });

const NETWORK_KEYS = new Set(["aws:sourceip", "aws:sourcevpc", "aws:sourcevpce", "aws:vpcsourceip", "aws:sourcevpcarn"]);
const ACCOUNT_KEYS = new Set(["aws:principalaccount", "kms:calleraccount", "aws:sourceaccount", "aws:sourceowner"]);
/** What a service principal's request says of the resource it acts for; absent from an IAM caller's request. */
const SOURCE_KEYS = new Set(["aws:sourceaccount", "aws:sourceowner", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths"]);
const ORG_KEYS = new Set(["aws:principalorgid", "aws:sourceorgid"]);
const ORG_PATH_KEYS = new Set(["aws:principalorgpaths", "aws:sourceorgpaths"]);
const ARN_KEYS = new Set(["aws:principalarn", "aws:sourcearn"]);
const UNKNOWN_ID_KEYS = new Set(["aws:userid", "aws:username"]);
const isEc = (k: string) => k.startsWith("kms:encryptioncontext:");

interface IamClass {
  type: "iam";
  account: Val;
  org: Val;
  via: Val;
}
interface ServiceClass {
  type: "service";
  service: Val;
  source: Val;
  sourceOrg: Val;
  /** Whether the request carries aws:SourceAccount / aws:SourceArn at all. */
  sourcePresent: boolean;
}
type CallerClass = IamClass | ServiceClass;

function keyValue(c: CallerClass, key: string, clause: Clause, owner: string): Val {
  if (key === "aws:resourceaccount") return lit(owner);
  if (c.type === "iam") {
    if (key === "aws:principalaccount" || key === "kms:calleraccount") return c.account;
    if (key === "aws:principalarn") return { t: "arn", account: c.account };
    if (key === "aws:principalorgid") return c.org;
    if (key === "aws:principalorgpaths") return c.org.t === "absent" ? ABSENT : { t: "orgpath", org: c.org };
    if (key === "aws:principalisawsservice") return lit("false");
    if (key === "aws:principalservicename" || key === "aws:principalservicenameslist") return ABSENT;
    if (SOURCE_KEYS.has(key)) return ABSENT;
    if (key === "kms:viaservice") return c.via;
    return FREE;
  }
  // A service calls from AWS's network, not the caller's: network keys are not in its request.
  if (NETWORK_KEYS.has(key)) return ABSENT;
  if (key === "aws:principalisawsservice") return lit("true");
  if (key === "aws:principalservicename") return c.service;
  if (key === "aws:principalaccount" || key === "aws:principalarn" || key === "aws:principalorgid" || key === "aws:principalorgpaths") return ABSENT;
  // The account a service principal calls from is the service's own, never one the policy names.
  if (key === "kms:calleraccount") return { t: "fresh", id: "service-account" };
  if (key === "kms:viaservice") return ABSENT;
  if (!c.sourcePresent && SOURCE_KEYS.has(key)) return ABSENT;
  if (key === "aws:sourceaccount" || key === "aws:sourceowner") return c.source;
  if (key === "aws:sourcearn") return { t: "arn", account: c.source };
  if (key === "aws:sourceorgid") return c.sourceOrg;
  if (key === "aws:sourceorgpaths") return c.sourceOrg.t === "absent" ? ABSENT : { t: "orgpath", org: c.sourceOrg };
  // A service writes its own resource's ARN into the encryption context: an ARN-valued context
  // condition binds the resource's account, as aws:SourceArn does.
  if (isEc(key) && clause.values.length && clause.values.every((v) => v.startsWith("arn:"))) return { t: "arn", account: c.source };
  return FREE;
}

const hasWildcard = (p: string) => p.includes("*") || p.includes("?");

function matchPattern(p: string, like: boolean, ci: boolean, v: Val): Tri {
  switch (v.t) {
    case "absent":
      return 0;
    case "lit":
      return globToRegex(p, { glob: like, caseInsensitive: ci }).test(v.v) ? 2 : 0;
    case "free":
      return like && p === "*" ? 2 : 1;
    case "fresh":
      return like && p === "*" ? 2 : like && hasWildcard(p) ? 1 : 0;
    case "arn": {
      if (like && p === "*") return 2;
      const parts = p.split(":");
      if (parts.length < 6 || parts[0].toLowerCase() !== "arn") return like && hasWildcard(p) ? 1 : 0;
      const acct = matchPattern(parts[4], like, false, v.account);
      if (acct === 0) return 0;
      const rest = parts.slice(5).join(":");
      return acct === 2 && like && rest === "*" && [parts[1], parts[2], parts[3]].every((x) => x === "*" || x === "" || x === "aws") ? 2 : 1;
    }
    case "orgpath": {
      if (like && p === "*") return 2;
      const [org, ...rest] = p.split("/");
      const m = matchPattern(org, like, false, v.org);
      if (m === 0) return 0;
      return m === 2 && like && rest.join("/") === "*" ? 2 : 1;
    }
  }
}

/** A value naming a policy variable (${aws:PrincipalAccount}...) is resolved against the class. */
function resolveVariable(value: string, c: CallerClass, owner: string): { val?: Val; pattern: string } {
  const m = /^\$\{([^}]+)\}$/.exec(value);
  if (m) {
    const key = m[1].toLowerCase();
    const dummy: Clause = { op: "StringEquals", family: "string", like: false, negated: false, ifExists: false, key, keyAsWritten: key, values: [] };
    return { val: keyValue(c, key, dummy, owner), pattern: value };
  }
  return { pattern: value };
}

function sameVal(a: Val, b: Val): Tri {
  if (a.t === "absent" || b.t === "absent") return 0;
  if (a.t === "free" || b.t === "free") return 1;
  if (a.t === "lit" && b.t === "lit") return a.v === b.v ? 2 : 0;
  if (a.t === "fresh" && b.t === "fresh") return a.id === b.id ? 2 : 0;
  return 0;
}

/** Does the clause hold, for none, some or all callers of the class? IAM's rules for missing keys, IfExists, sets and negation. */
function evalClause(clause: Clause, c: CallerClass, owner: string): Tri {
  const v = keyValue(c, clause.key, clause, owner);
  const forAbsent = (): Tri => {
    if (clause.family === "null") return clause.values.includes("true") ? 2 : 0;
    if (clause.ifExists || clause.set === "ForAllValues") return 2;
    return clause.negated ? 2 : 0;
  };
  if (v.t === "absent") return forAbsent();
  const present = (): Tri => {
    if (clause.family === "null") return clause.values.includes("false") ? 2 : 0;
    if (v.t === "free") return clause.values.length ? 1 : 0;
    if (clause.family === "bool") return v.t === "lit" ? (clause.values.includes(v.v.toLowerCase()) ? 2 : 0) : 1;
    if (clause.family !== "string" && clause.family !== "stringIgnoreCase" && clause.family !== "arn") return 1;
    const ci = clause.family === "stringIgnoreCase";
    const hits: Tri[] = clause.values.map((value) => {
      const r = resolveVariable(value, c, owner);
      if (r.val) return sameVal(v, r.val);
      if (value.includes("${")) return 1; // a variable inside a longer value: undecided, so possible
      return matchPattern(value, clause.like, ci, v);
    });
    const pos = any(hits);
    return clause.negated ? ((2 - pos) as Tri) : pos;
  };
  if (v.t === "free") {
    // The caller may send the key or not: combine both cases.
    const a = forAbsent();
    const p = present();
    return a === 2 && p === 2 ? 2 : a === 0 && p === 0 ? 0 : 1;
  }
  return present();
}

function principalMatch(p: Principal, c: CallerClass): Tri {
  switch (p.kind) {
    case "any":
      return 2;
    case "not":
      if (c.type === "service") return c.service.t === "lit" && p.values.includes(c.service.v) ? 0 : 2;
      return p.values.some((x) => c.account.t === "lit" && (x.split(":")[4] ?? x) === c.account.v) ? 1 : 2;
    case "aws": {
      if (c.type !== "iam") return 0;
      const acct = p.value.split(":")[4] ?? "";
      const m = matchPattern(acct, true, false, c.account);
      if (m === 0) return 0;
      return m === 2 && p.value.endsWith(":root") ? 2 : 1;
    }
    case "service":
      return c.type === "service" && c.service.t === "lit" && c.service.v === p.value ? 2 : 0;
    case "federated":
      // Web identity and SAML federation: who signs in is the identity provider's business, not the policy's.
      return c.type === "iam" ? 1 : 0;
    case "identity":
      return 0;
  }
}

const describeClause = (c: Clause) => `${c.op} ${c.keyAsWritten} ${c.values.join(", ")}`;

interface Admission {
  /** undefined: full; otherwise the network limits that apply. */
  network?: string[];
  statements: Set<string>;
  indexes: Set<number>;
  why: Set<string>;
}

function statementLabel(s: ParsedStatement): string {
  return s.sid ?? String(s.index + 1);
}

const NOT_BINDING_HINT = "can be met by a caller from any account";

function whyAllowed(s: ParsedStatement, p: Principal, c: CallerClass): string {
  const who =
    p.kind === "any"
      ? 'Principal "*"'
      : p.kind === "not"
        ? `NotPrincipal (everyone except ${p.values.join(", ")})`
        : p.kind === "service"
          ? `service principal ${p.value}`
          : p.kind === "federated"
            ? `federated principal ${p.value}`
            : p.kind === "aws"
              ? `principal ${p.value}`
              : "the identity";
  const clauses = clausesOf(s);
  if (!clauses.length) return `${who} with no condition`;
  const free = clauses.filter((cl) => {
    const v = keyValue(c, cl.key, cl, "");
    return v.t === "free" && !NETWORK_KEYS.has(cl.key);
  });
  const parts: string[] = [];
  const orgExists = clauses.find((cl) => ORG_KEYS.has(cl.key) && cl.family === "null");
  if (orgExists && c.type === "iam" && c.org.t === "fresh")
    parts.push(`${orgExists.keyAsWritten} is only required to exist (${describeClause(orgExists)}): any organization will do`);
  const via = clauses.find((cl) => cl.key === "kms:viaservice");
  if (via && c.type === "iam" && c.via.t !== "absent" && c.account.t !== "lit")
    parts.push(`${describeClause(via)} limits the path, not the caller: any account's principals can call through it`);
  if (c.type === "service" && c.source.t === "fresh")
    parts.push(
      c.sourcePresent ? "no aws:SourceAccount, aws:SourceArn or encryption-context ARN ties it to this account's resources" : "requests that carry no aws:SourceAccount are let in",
    );
  const ids = clauses.filter((cl) => UNKNOWN_ID_KEYS.has(cl.key));
  if (ids.length) parts.push(`${ids.map((cl) => cl.keyAsWritten).join(", ")} name principals by unique id, whose account Keyward cannot tell`);
  const freeNames = [...new Set(free.filter((cl) => !UNKNOWN_ID_KEYS.has(cl.key)).map((cl) => cl.keyAsWritten))];
  if (freeNames.length) parts.push(`${freeNames.join(", ")} ${NOT_BINDING_HINT}`);
  if (!parts.length) parts.push("no condition ties the caller to this account or a trusted one");
  return `${who}; ${parts.join("; ")}`;
}

function networkOf(clauses: Clause[], negatedOnly: boolean): string[] {
  return clauses.filter((cl) => NETWORK_KEYS.has(cl.key) && !cl.ifExists && cl.negated === negatedOnly).map((cl) => `${cl.keyAsWritten}=${cl.values.join("|")}`);
}

const KMS_USE = /^kms:(Encrypt|Decrypt|GenerateDataKey.*|ReEncrypt.*|Sign|Verify|GenerateMac|VerifyMac|DeriveSharedSecret)$/i;
const KMS_GRANTS = /^kms:(CreateGrant|RetireGrant|RevokeGrant)$/i;
const KMS_METADATA = /^kms:(Describe.*|Get.*|List.*)$/i;
// Actions that read a secret's value (Keyward itself never calls them: it only says who could).
const SM_READ = /^secretsmanager:(Batch)?GetSecretValue$/i;
const SM_WRITE = /^secretsmanager:(PutSecretValue|UpdateSecret|UpdateSecretVersionStage|RotateSecret|CancelRotateSecret)$/i;
const SM_POLICY = /^secretsmanager:(PutResourcePolicy|DeleteResourcePolicy)$/i;
const SM_METADATA = /^secretsmanager:(Describe.*|GetResourcePolicy|List.*|GetRandomPassword|ValidateResourcePolicy)$/i;

/** The reader's grouping of an action: use, grants, administration or metadata (keys); read, write, policy, administration or metadata (secrets). */
export function actionGroup(action: string): ActionGroup {
  if (action.toLowerCase().startsWith("kms:")) return KMS_USE.test(action) ? "use" : KMS_GRANTS.test(action) ? "grants" : KMS_METADATA.test(action) ? "metadata" : "administration";
  return SM_READ.test(action) ? "read" : SM_WRITE.test(action) ? "write" : SM_POLICY.test(action) ? "policy" : SM_METADATA.test(action) ? "metadata" : "administration";
}

const GROUP_ORDER: ActionGroup[] = ["use", "read", "grants", "write", "policy", "administration", "metadata"];

function whoOf(c: CallerClass, network: string[] | undefined): { who: string; label: string } {
  if (c.type === "service") {
    if (c.source.t === "lit") return { who: `account:${c.source.v}`, label: `account ${c.source.v} (through ${c.service.t === "lit" ? c.service.v : "an AWS service"})` };
    const name = c.service.t === "lit" ? c.service.v : "*";
    return { who: `service:${name}`, label: name === "*" ? "any AWS service, for any account's resources" : `${name}, for any account's resources` };
  }
  if (c.account.t === "lit") return { who: `account:${c.account.v}`, label: `account ${c.account.v}` };
  if (c.org.t === "lit") return { who: `org:${c.org.v}`, label: `any account of organization ${c.org.v}` };
  if (c.via.t === "lit") return { who: `service:${c.via.v}`, label: `any account's principals through ${c.via.v}` };
  if (c.via.t === "fresh") return { who: "service:*", label: "any account's principals through an AWS service" };
  if (network?.length) return { who: `network:${network.join(",")}`, label: `anyone from ${network.join(" and ")}` };
  if (c.org.t === "fresh") return { who: "any-org", label: "any account in any organization" };
  return { who: "everyone", label: "everyone (any AWS account)" };
}

/** What the policy names: the candidate accounts, organizations, services and service paths. */
function mentioned(statements: ParsedStatement[]) {
  const accounts = new Set<string>();
  const orgs = new Set<string>();
  const services = new Set<string>();
  const vias = new Set<string>();
  let anyService = false;
  const addAccount = (v: string | undefined) => {
    if (v && /^\d{12}$/.test(v)) accounts.add(v);
  };
  for (const s of statements) {
    for (const p of s.principals) {
      if (p.kind === "aws") addAccount(p.value.split(":")[4]);
      if (p.kind === "not") p.values.forEach((v) => addAccount(v.split(":")[4] ?? v));
      if (p.kind === "service") services.add(p.value);
      if (s.effect === "Allow" && (p.kind === "any" || p.kind === "not")) anyService = true;
    }
    for (const cl of clausesOf(s)) {
      for (const v of cl.values) {
        if (ACCOUNT_KEYS.has(cl.key) || cl.key === "aws:resourceaccount") addAccount(v);
        if (ARN_KEYS.has(cl.key) || isEc(cl.key)) addAccount(v.split(":")[4]);
        if (ORG_KEYS.has(cl.key) && /^o-[a-z0-9]+$/.test(v)) orgs.add(v);
        if (ORG_PATH_KEYS.has(cl.key) && /^o-[a-z0-9]+$/.test(v.split("/")[0])) orgs.add(v.split("/")[0]);
        if (cl.key === "kms:viaservice") vias.add(v.replace(/[*?]/g, "x").toLowerCase());
        if (cl.key === "aws:principalservicename") services.add(v.toLowerCase());
      }
    }
  }
  return { accounts, orgs, services, vias, anyService };
}

const CLAUSES = new WeakMap<ParsedStatement, Clause[]>();
/** A statement's conditions, read from the statement itself (statements that do not apply to the resource carry no atoms). */
function clausesOf(s: ParsedStatement): Clause[] {
  let c = CLAUSES.get(s);
  if (!c) CLAUSES.set(s, (c = parseClauses(s.raw.Condition)));
  return c;
}

function classesFor(m: ReturnType<typeof mentioned>, inside: Set<string>): CallerClass[] {
  const accounts: Val[] = [...[...m.accounts].filter((a) => !inside.has(a)).map(lit), { t: "fresh", id: "account" }];
  const orgs: Val[] = [...[...m.orgs].map(lit), { t: "fresh", id: "org" }, ABSENT];
  const vias: Val[] = [ABSENT, ...[...m.vias].map(lit), { t: "fresh", id: "via" }];
  const out: CallerClass[] = [];
  for (const account of accounts) for (const org of orgs) for (const via of vias) out.push({ type: "iam", account, org, via });
  const services: Val[] = [...[...m.services].map(lit), ...(m.anyService ? [{ t: "fresh", id: "service" } as Val] : [])];
  for (const service of services)
    for (const source of accounts)
      for (const sourceOrg of orgs) for (const sourcePresent of [true, false]) out.push({ type: "service", service, source, sourceOrg, sourcePresent });
  return out;
}

function isInside(c: CallerClass, inside: Set<string>): boolean {
  if (c.type === "iam") return (c.account.t === "lit" && inside.has(c.account.v)) || (c.org.t === "lit" && inside.has(c.org.v));
  return (c.source.t === "lit" && inside.has(c.source.v)) || (c.sourceOrg.t === "lit" && inside.has(c.sourceOrg.v));
}

/** Deny statements only subtract when they surely apply to this key or secret. */
function denyAppliesToSelf(s: ParsedStatement, self: string | undefined): boolean {
  if (s.raw.NotResource !== undefined) return false;
  const rs = Array.isArray(s.raw.Resource) ? (s.raw.Resource as string[]) : [s.raw.Resource as string];
  return rs.some((r) => r === "*" || (self !== undefined && typeof r === "string" && globToRegex(r, { glob: true }).test(self)));
}

/**
 * Who outside `account` (and the trusted accounts and organizations) can do what. Throws
 * PolicyParseError on a malformed policy, including a statement without Principal.
 */
export async function analyzeOutsideAccess(policy: unknown, opts: OutsideOptions): Promise<OutsideAnalysis> {
  const parsed = await parsePolicy(policy, { kind: opts.kind, self: opts.self, account: opts.account });
  parsed.forEach((s) => {
    if (!s.principals.length) throw new PolicyParseError(`Statement[${s.index}] has no Principal: a ${opts.kind === "key-policy" ? "key" : "resource"} policy statement needs one`);
  });
  const trusted = [...(opts.trusted ?? [])];
  const inside = new Set([opts.account, ...trusted]);
  const m = mentioned(parsed);
  const classes = classesFor(m, inside).filter((c) => !isInside(c, inside));

  const perClass: { c: CallerClass; admitted: Map<string, { action: string } & Admission> }[] = [];
  for (const c of classes) {
    // action (lower case) → admission for this class
    const admitted = new Map<string, { action: string } & Admission>();
    for (const s of parsed) {
      if (s.effect !== "Allow" || !s.atoms.length) continue;
      const clauses = clausesOf(s);
      const cond = all(clauses.filter((cl) => c.type === "service" || !NETWORK_KEYS.has(cl.key)).map((cl) => evalClause(cl, c, opts.account)));
      if (cond === 0) continue;
      const principal = s.principals.find((p) => principalMatch(p, c) > 0);
      if (!principal) continue;
      const network = c.type === "service" ? [] : networkOf(clauses, false);
      const why = whyAllowed(s, principal, c);
      for (const action of s.actions) {
        const k = action.toLowerCase();
        const prev = admitted.get(k);
        if (!prev)
          admitted.set(k, { action, network: network.length ? network : undefined, statements: new Set([statementLabel(s)]), indexes: new Set([s.index]), why: new Set([why]) });
        else {
          prev.statements.add(statementLabel(s));
          prev.indexes.add(s.index);
          prev.why.add(why);
          if (!network.length) prev.network = undefined;
          else if (prev.network) prev.network = [...new Set([...prev.network, ...network])];
        }
      }
    }
    if (!admitted.size) continue;
    for (const s of parsed) {
      if (s.effect !== "Deny" || !s.actions.length || !denyAppliesToSelf(s, opts.self)) continue;
      if (!s.principals.some((p) => principalMatch(p, c) === 2)) continue;
      const clauses = clausesOf(s);
      const cond = all(clauses.filter((cl) => c.type === "service" || !NETWORK_KEYS.has(cl.key)).map((cl) => evalClause(cl, c, opts.account)));
      if (cond !== 2) continue;
      const netClauses = c.type === "service" ? [] : clauses.filter((cl) => NETWORK_KEYS.has(cl.key));
      // Deny unless from a network: what is left is limited to that network. A Deny from a network is avoided by calling from elsewhere.
      const limit = netClauses.length ? networkOf(netClauses, true) : [];
      if (netClauses.length && limit.length !== netClauses.length) continue;
      for (const action of s.actions) {
        const k = action.toLowerCase();
        const a = admitted.get(k);
        if (!a) continue;
        if (!limit.length) admitted.delete(k);
        else a.network = [...new Set([...(a.network ?? []), ...limit])];
      }
    }
    perClass.push({ c, admitted });
  }

  // A caller who can act directly can also act through a service: a class that only differs by
  // kms:ViaService from one already let in adds nothing.
  const direct = new Map<string, Map<string, Admission>>();
  const classKey = (c: IamClass) => JSON.stringify([c.account, c.org]);
  for (const { c, admitted } of perClass) if (c.type === "iam" && c.via.t === "absent") direct.set(classKey(c), admitted);
  const byWho = new Map<string, { label: string; actions: Map<string, Admission>; c: CallerClass; deputy: boolean }>();
  for (const { c, admitted } of perClass) {
    const plain = c.type === "iam" && c.via.t !== "absent" ? direct.get(classKey(c)) : undefined;
    // Group this class's admissions by who (network limits may differ per action).
    for (const a of admitted.values()) {
      const d = plain?.get(a.action.toLowerCase());
      if (d && (!d.network || (a.network && d.network.every((n) => a.network!.includes(n))))) continue;
      const { who, label } = whoOf(c, a.network);
      const why = [...a.why].map((w) => (a.network?.length && !who.startsWith("network:") ? `${w}; only from ${a.network.join(" and ")}` : w));
      let entry = byWho.get(who);
      if (!entry) byWho.set(who, (entry = { label, actions: new Map(), c, deputy: c.type === "service" && c.source.t !== "lit" && c.service.t === "lit" }));
      const prev = entry.actions.get(a.action.toLowerCase());
      if (prev) {
        a.statements.forEach((x) => prev.statements.add(x));
        a.indexes.forEach((x) => prev.indexes.add(x));
        why.forEach((x) => prev.why.add(x));
      } else entry.actions.set(a.action.toLowerCase(), { network: a.network, statements: new Set(a.statements), indexes: new Set(a.indexes), why: new Set(why) });
      // keep the canonical spelling
      (entry.actions.get(a.action.toLowerCase()) as Admission & { action?: string }).action = a.action;
    }
  }

  // What a broader caller set can already do is not repeated for a narrower one (everyone ⊇ any
  // organization ⊇ one organization; any service ⊇ one service).
  for (const [who, e] of byWho) for (const [other, o] of byWho) if (broader(other, who)) for (const action of o.actions.keys()) e.actions.delete(action);
  for (const [who, e] of byWho) if (!e.actions.size) byWho.delete(who);

  const grants: OutsideGrant[] = [...byWho.entries()].map(([who, e]) => {
    const list = [...e.actions.values()] as (Admission & { action: string })[];
    const actions = list.map((x) => x.action).sort();
    const groups = GROUP_ORDER.filter((g) => actions.some((a) => actionGroup(a) === g));
    return {
      who,
      label: e.label,
      actions,
      groups,
      statements: [...new Set(list.flatMap((x) => [...x.statements]))],
      statementIndexes: [...new Set(list.flatMap((x) => [...x.indexes]))].sort((a, b) => a - b),
      why: [...new Set(list.flatMap((x) => [...x.why]))].join(". "),
      severity: severityOf(who, groups),
      ...(e.deputy ? { confusedDeputy: true } : {}),
    };
  });
  const rank = (w: string) => (w === "everyone" ? 0 : w === "any-org" ? 1 : w.startsWith("org:") ? 2 : w.startsWith("account:") ? 3 : w.startsWith("network:") ? 4 : 5);
  grants.sort((a, b) => rank(a.who) - rank(b.who) || a.who.localeCompare(b.who));
  return {
    kind: opts.kind,
    account: opts.account,
    trusted: { accounts: trusted.filter((t) => !t.startsWith("o-")), organizations: trusted.filter((t) => t.startsWith("o-")) },
    outside: grants,
  };
}

function severityOf(who: string, groups: ActionGroup[]): OutsideSeverity {
  const onlyMetadata = groups.every((g) => g === "metadata");
  if (onlyMetadata) return "low";
  if (who.startsWith("network:") || who.startsWith("service:")) return "high";
  return "critical";
}

function broader(a: string, b: string): boolean {
  if (a === b) return false;
  if (a === "everyone") return true;
  if (a === "any-org") return b.startsWith("org:");
  if (a === "service:*") return b.startsWith("service:");
  return false;
}

const CACHE = new Map<string, Promise<OutsideAnalysis>>();

/** The analysis of a policy text, computed once per text, owner, resource and trusted set (scans ask for every resource sharing a key). */
export function outsideAccessOf(policy: string, opts: OutsideOptions): Promise<OutsideAnalysis> {
  const trusted = [...new Set(opts.trusted ?? [])].sort();
  const k = JSON.stringify([policy, opts.kind, opts.account, opts.self ?? "", trusted]);
  let hit = CACHE.get(k);
  if (!hit) {
    hit = analyzeOutsideAccess(policy, { ...opts, trusted });
    hit.catch(() => CACHE.delete(k));
    if (CACHE.size > 20_000) CACHE.clear();
    CACHE.set(k, hit);
  }
  return hit;
}

/** A statement's meaning as a set of atoms (principal, action, conditions), independent of how it is written. */
async function signatures(policy: unknown, kind: PolicyKind, account: string | undefined): Promise<string[]> {
  const parsed = await parsePolicy(policy, { kind, account });
  return parsed.map((s) =>
    JSON.stringify([
      s.effect,
      [
        ...new Set(
          s.atoms.map((a) =>
            JSON.stringify([
              principalLabel(a.principal),
              a.action.toLowerCase(),
              a.clauses.map((c) => [c.op.replace(/^Arn/, "String"), c.key, [...c.values].sort()]).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
            ]),
          ),
        ),
      ].sort(),
    ]),
  );
}

/**
 * Indexes of the policy's statements that say exactly what a documented template statement says:
 * access they open is what AWS documents for the resource, reported as such rather than as a finding.
 */
const DOCUMENTED = new Map<string, Promise<Set<number>>>();

export function documentedStatements(policy: unknown, templateStatements: Record<string, unknown>[], kind: PolicyKind, account: string): Promise<Set<number>> {
  if (!templateStatements.length) return Promise.resolve(new Set());
  // Resources of one kind share their templates' shape: asked once per policy and template text.
  const k = JSON.stringify([typeof policy === "string" ? policy : JSON.stringify(policy), templateStatements, kind, account]);
  let hit = DOCUMENTED.get(k);
  if (!hit) {
    hit = documentedUncached(policy, templateStatements, kind, account);
    hit.catch(() => DOCUMENTED.delete(k));
    if (DOCUMENTED.size > 20_000) DOCUMENTED.clear();
    DOCUMENTED.set(k, hit);
  }
  return hit;
}

async function documentedUncached(policy: unknown, templateStatements: Record<string, unknown>[], kind: PolicyKind, account: string): Promise<Set<number>> {
  const [mine, theirs] = await Promise.all([signatures(policy, kind, account), signatures({ Statement: templateStatements }, kind, account)]);
  const known = new Set(theirs);
  return new Set(mine.flatMap((sig, i) => (known.has(sig) ? [i] : [])));
}
