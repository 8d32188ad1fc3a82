// Semantic diff of a policy against one or more resolved templates: per template statement `match`,
// `broader` (grants more — a risk), `narrower` (grants less — the service or caller will fail),
// `mixed` (both at once) or `missing`; per actual statement no template accounts for, `extra`.
// Plus the merged, corrected policy: the current one with what is missing added, what is broader
// narrowed, and no statement that opens it to anyone outside the account.
import { ALLOW_ALL_POLICY, evaluate } from "./evaluate";
import { type Atom, type Clause, parseClauses, parsePolicy, type ParsedStatement, type PolicyKind, type Principal, principalLabel } from "./normalize";
import { analyzeOutsideAccess, documentedStatements } from "./outside";
import { globToRegex, KMS_ADMIN_ACTIONS, KMS_CRYPTO_ACTIONS } from "./statements";
import type { ResolvedTemplate } from "./templates";

export type StatementStatus = "match" | "broader" | "narrower" | "mixed" | "missing";

export interface TemplateStatementResult {
  templateId: string;
  /** Index of the statement within its template. */
  index: number;
  sid?: string;
  purpose: string;
  /** The page calls for it only in some setups: missing is not a gap. */
  optional?: boolean;
  status: StatementStatus;
  /** In words: what is wider, missing or different. */
  reasons: string[];
  grantsMore: boolean;
  grantsLess: boolean;
  /** Indexes of the actual statements that grant (part of) what this statement grants. */
  matchedBy: number[];
  statement: Record<string, unknown>;
}

export interface ExtraStatementResult {
  index: number;
  sid?: string;
  effect: "Allow" | "Deny";
  principals: string[];
  /** The actions no template statement accounts for (all of the statement's actions for a whole extra). */
  actions: string[];
  partial: boolean;
  flagged: boolean;
  reason: string;
}

export interface PolicyDiff {
  kind: PolicyKind;
  results: TemplateStatementResult[];
  extras: ExtraStatementResult[];
  merged: { Version: string; Id?: string; Statement: Record<string, unknown>[] };
  /** Every template statement matches. */
  conforms: boolean;
  /** Template variables still open: the merged policy cannot be applied as is. */
  open: string[];
}

type Rel = "equal" | "weaker" | "stronger" | "incomparable" | "disjoint";
type PRel = "same" | "wider" | "narrower" | "none";

function principalRel(a: Principal, t: Principal): PRel {
  if (t.kind === "identity" || a.kind === "identity") return a.kind === t.kind ? "same" : "none";
  if (a.kind === "any") return t.kind === "any" ? "same" : "wider";
  if (t.kind === "any") return "narrower";
  if (t.kind === "not") return a.kind === "not" && a.values.join() === t.values.join() ? "same" : "none";
  const tv = t.value;
  if (a.kind === "not") return a.values.includes(tv) ? "none" : "wider";
  if (a.kind !== t.kind) return "none";
  if (a.value === tv) return "same";
  if (t.kind === "service") return "none";
  if (tv.includes("${") && globToRegex(tv, { glob: false }).test(a.value)) return "same";
  if (a.value.includes("*") && globToRegex(a.value, { glob: true }).test(tv)) return "wider";
  const tAcct = tv.split(":")[4];
  if (tv.endsWith(":root") && a.value.split(":")[4] === tAcct && a.kind === "aws") return "narrower";
  return "none";
}

/** Does pattern p (of a clause) cover the value q as written? Template placeholders match anything. */
function covers(p: string, q: string, c: Clause): boolean {
  if (p.includes("${") && !p.includes("${aws:")) return globToRegex(p, { glob: c.like }).test(q);
  return globToRegex(p, { glob: c.like, caseInsensitive: c.family === "stringIgnoreCase" }).test(q);
}

function valueRel(t: Clause, a: Clause): Rel {
  // ArnLike/ArnEquals and StringLike/StringEquals compare the same strings on ARN-valued keys; each
  // clause keeps its own wildcard semantics (covers() reads c.like).
  const fam = (c: Clause) => (c.family === "arn" ? "string" : c.family);
  if (t.negated !== a.negated || t.set !== a.set) return "incomparable";
  // StringEqualsIgnoreCase admits every case variant of what StringEquals admits.
  const ci = new Set([fam(t), fam(a)]);
  if (ci.has("string") && ci.has("stringIgnoreCase") && ci.size === 2 && !t.like && !a.like) {
    const lower = (c: Clause) => [...new Set(c.values.map((v) => v.toLowerCase()))].sort().join("\u0000");
    if (lower(t) !== lower(a)) return "incomparable";
    const rel: Rel = fam(a) === "stringIgnoreCase" ? "weaker" : "stronger";
    return t.negated ? (rel === "weaker" ? "stronger" : "weaker") : rel;
  }
  if (fam(t) !== fam(a)) return "incomparable";
  const tCoversA = a.values.every((av) => t.values.some((tv) => covers(tv, av, t)));
  const aCoversT = t.values.every((tv) => a.values.some((av) => covers(av, tv, a) || (tv.includes("${") && !tv.includes("${aws:") && covers(tv, av, t))));
  const overlap = a.values.some((av) => t.values.some((tv) => covers(tv, av, t) || covers(av, tv, a)));
  let rel: Rel = tCoversA && aCoversT ? "equal" : tCoversA ? "stronger" : aCoversT ? "weaker" : overlap ? "incomparable" : "disjoint";
  // For negated operators more values exclude more: the direction flips.
  if (t.negated && (rel === "weaker" || rel === "stronger")) rel = rel === "weaker" ? "stronger" : "weaker";
  if (t.negated && rel === "disjoint") rel = "incomparable";
  if (rel === "equal" && a.ifExists !== t.ifExists) rel = a.ifExists ? "weaker" : "stronger";
  return rel;
}

function combine(rels: Rel[]): Rel {
  if (rels.includes("disjoint")) return "disjoint";
  const w = rels.includes("weaker");
  const s = rels.includes("stronger");
  if (rels.includes("incomparable") || (w && s)) return "incomparable";
  return w ? "weaker" : s ? "stronger" : "equal";
}

function conditionRel(a: Clause[], t: Clause[], reasons: Set<string>): Rel {
  const rels: Rel[] = [];
  for (const tc of t) {
    const same = a.filter((ac) => ac.key === tc.key);
    if (!same.length) {
      rels.push("weaker");
      reasons.add(`no condition on ${tc.keyAsWritten} (the template requires ${tc.op} ${tc.values.join(", ")})`);
      continue;
    }
    const best = same.map((ac) => [ac, valueRel(tc, ac)] as const);
    const eq = best.find(([, r]) => r === "equal");
    const pick = eq ?? best[0];
    const r = pick[1];
    rels.push(r);
    if (r === "weaker") reasons.add(`${pick[0].keyAsWritten} allows more values (${pick[0].op} ${pick[0].values.join(", ")}) than the template (${tc.values.join(", ")})`);
    if (r === "stronger") reasons.add(`${pick[0].keyAsWritten} allows fewer values (${pick[0].op} ${pick[0].values.join(", ")}) than the template (${tc.values.join(", ")})`);
    if (r === "incomparable") reasons.add(`${pick[0].keyAsWritten} is ${pick[0].op} ${pick[0].values.join(", ")}; the template has ${tc.op} ${tc.values.join(", ")}`);
  }
  for (const ac of a) {
    if (!t.some((tc) => tc.key === ac.key)) {
      rels.push("stronger");
      reasons.add(`adds a condition the template does not have: ${ac.op} ${ac.keyAsWritten} ${ac.values.join(", ")}`);
    }
  }
  return combine(rels);
}

type AtomOutcome = "match" | "broader" | "narrower" | "mixed";

/** `${aws:PrincipalAccount}` is known when the principal is an IAM ARN: substitute it, so it compares with a literal account id. */
function withPolicyVariables(clauses: Clause[], principal: Principal): Clause[] {
  const account = principal.kind === "aws" ? principal.value.split(":")[4] : undefined;
  if (!account) return clauses;
  return clauses.map((c) =>
    c.values.some((v) => /\$\{aws:principalaccount\}/i.test(v)) ? { ...c, values: c.values.map((v) => v.replace(/\$\{aws:principalaccount\}/gi, account)) } : c,
  );
}

function compareAtoms(a: Atom, t: Atom): { outcome: AtomOutcome; reasons: string[] } | undefined {
  const p = principalRel(a.principal, t.principal);
  if (p === "none") return undefined;
  const local = new Set<string>();
  const c = conditionRel(withPolicyVariables(a.clauses, a.principal), withPolicyVariables(t.clauses, t.principal), local);
  if (c === "disjoint") return undefined;
  if (p === "wider") local.add(`principal ${principalLabel(a.principal)} is wider than ${principalLabel(t.principal)}`);
  if (p === "narrower") local.add(`principal ${principalLabel(a.principal)} is narrower than ${principalLabel(t.principal)}`);
  const reasons = [...local];
  if (p === "same" && c === "equal") return { outcome: "match", reasons };
  if ((p === "same" || p === "wider") && (c === "equal" || c === "weaker")) return { outcome: "broader", reasons };
  if ((p === "same" || p === "narrower") && (c === "equal" || c === "stronger")) return { outcome: "narrower", reasons };
  return { outcome: "mixed", reasons };
}

const FLAG_ACTIONS = new Set(
  [...KMS_CRYPTO_ACTIONS, ...KMS_ADMIN_ACTIONS, "kms:ReEncrypt*", "secretsmanager:GetSecretValue", "secretsmanager:PutResourcePolicy"].map((a) => a.toLowerCase()),
);
const isSensitive = (action: string) => FLAG_ACTIONS.has(action.toLowerCase()) || /^kms:(GenerateDataKey|ReEncrypt|Put|Delete|Schedule|Disable|Import)/i.test(action);

/** A template statement the policy satisfies: it matches, or it is optional and absent. */
export const satisfied = (r: Pick<TemplateStatementResult, "status" | "optional">) => r.status === "match" || (r.optional === true && r.status === "missing");

export interface DiffOptions {
  kind: PolicyKind;
  self?: string;
  account?: string;
  /** Accounts and organizations treated as inside when the merged policy is checked for outside access. */
  trusted?: string[];
}

const ANY = (v: string) => v.replace(/\$\{(?!aws:)[^}]+\}/g, "x").replace(/[*?]/g, "x");

/**
 * The request a template statement describes, as condition keys: its own condition values (one
 * value each, wildcards filled in) and what the principal's request carries (a service principal's
 * aws:PrincipalIsAWSService and service name; an IAM principal's account and ARN).
 */
function templateRequest(ta: Atom, account: string | undefined): Record<string, string | string[]> {
  const ctx: Record<string, string | string[]> = {};
  for (const c of ta.clauses) {
    if (c.negated || !c.values.length || c.family === "null") continue;
    if (c.set === "ForAllValues" || c.set === "ForAnyValue") ctx[c.keyAsWritten] = c.values.map(ANY);
    else ctx[c.keyAsWritten] = ANY(c.values[0]);
  }
  if (ta.principal.kind === "service") {
    ctx["aws:PrincipalIsAWSService"] = "true";
    ctx["aws:PrincipalServiceName"] = ta.principal.value;
    if (account && !Object.keys(ctx).some((k) => k.toLowerCase() === "aws:sourceaccount")) ctx["aws:SourceAccount"] = account;
  } else if (ta.principal.kind === "aws") {
    const acct = ta.principal.value.split(":")[4] ?? account ?? "";
    ctx["aws:PrincipalIsAWSService"] = "false";
    ctx["aws:PrincipalAccount"] = acct;
    ctx["aws:PrincipalArn"] = ANY(ta.principal.value);
    if (!Object.keys(ctx).some((k) => k.toLowerCase() === "kms:calleraccount")) ctx["kms:CallerAccount"] = acct;
  }
  return ctx;
}

/**
 * Does a Deny statement block the request a template statement describes? Evaluated by the same
 * evaluator as the access checks: "denies", "no", or "may" when the Deny reads condition keys the
 * template's request does not fix (so whether it applies depends on the caller).
 */
async function denyVerdict(deny: Record<string, unknown>, ta: Atom, opts: DiffOptions): Promise<"denies" | "no" | "may"> {
  const principal = ta.principal.kind === "service" ? ta.principal.value : ta.principal.kind === "aws" ? ANY(ta.principal.value) : undefined;
  if (!principal) return "may";
  const account = opts.account ?? (ta.principal.kind === "aws" ? ta.principal.value.split(":")[4] : undefined) ?? "111111111111";
  const context = templateRequest(ta, opts.account);
  const resourceArn = opts.self ?? `arn:aws:kms:us-east-1:${account}:key/template`;
  const allow = { Effect: "Allow", Principal: ta.principal.kind === "service" ? { Service: principal } : { AWS: principal }, Action: ta.action, Resource: "*" };
  const r = await evaluate({
    principal,
    action: ta.action,
    resourceArn,
    resourceAccount: account,
    resourcePolicy: { Version: "2012-10-17", Statement: [{ ...deny, Resource: "*" }, allow] },
    identityPolicies: ta.principal.kind === "aws" ? [{ name: "admin", policy: ALLOW_ALL_POLICY }] : [],
    context,
  });
  if (r.decision === "ExplicitlyDenied") return "denies";
  const known = new Set(Object.keys(context).map((k) => k.toLowerCase()));
  const keys = parseClauses(deny.Condition).map((c) => c.key);
  // Keys every request carries, whatever the caller does.
  const always = new Set([
    "aws:principalisawsservice",
    "aws:principalservicename",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalorgid",
    "kms:calleraccount",
    "aws:sourceaccount",
    "aws:sourcearn",
  ]);
  return keys.every((k) => known.has(k) || always.has(k)) ? "no" : "may";
}

/**
 * Compares `actual` with the statements of the given resolved templates (key statements of
 * secret templates when `which` is keyStatements). Throws PolicyParseError on a malformed policy.
 */
export async function diffPolicy(
  actual: unknown,
  templates: ResolvedTemplate[],
  opts: DiffOptions,
  which: "statements" | "keyStatements" = "statements",
  depth = 0,
): Promise<PolicyDiff> {
  const parsed = await parsePolicy(actual, opts);
  const allows = parsed.flatMap((s) => (s.effect === "Allow" ? s.atoms : []));
  const denies = parsed.flatMap((s) => (s.effect === "Deny" ? s.atoms : []));
  const results: TemplateStatementResult[] = [];
  /** actual statement index → set of lower-case actions accounted for by some template atom. */
  const accounted = new Map<number, Set<string>>();
  const open = new Set<string>();
  const templateParsed: { t: ResolvedTemplate; st: ParsedStatement; purpose: string; optional?: boolean; raw: Record<string, unknown> }[] = [];
  for (const t of templates) {
    for (const o of t.open) open.add(o);
    const list = t[which];
    if (!list.length) continue;
    const sts = await parsePolicy({ Statement: list.map((s) => s.statement) }, { kind: opts.kind, account: opts.account });
    sts.forEach((st, i) => templateParsed.push({ t, st, purpose: list[i].purpose, optional: list[i].optional, raw: list[i].statement }));
  }

  for (const { t, st, purpose, optional, raw } of templateParsed) {
    const reasons = new Set<string>();
    const matchedBy = new Set<number>();
    let grantsMore = false;
    let grantsLess = false;
    let anyCovered = false;
    const missingActions: string[] = [];
    for (const ta of st.atoms) {
      let covered = false;
      let partial = false;
      const candidates: { aa: Atom; outcome: AtomOutcome; reasons: string[] }[] = [];
      for (const aa of allows) {
        if (aa.action.toLowerCase() !== ta.action.toLowerCase()) continue;
        // The KMS default statement only stands in for the template's own unconditioned root statement.
        if (
          aa.defaultRoot &&
          !(st.defaultRoot || (ta.clauses.length === 0 && ta.principal.kind === "aws" && aa.principal.kind === "aws" && ta.principal.value === aa.principal.value))
        )
          continue;
        const c = compareAtoms(aa, ta);
        // A role's own grants are not a narrowed form of the account-root administration statement.
        if (c && !(st.defaultRoot && c.outcome !== "match" && c.outcome !== "broader")) candidates.push({ aa, ...c });
      }
      // Where something grants at least what the template does, statements that grant less are not part of it.
      const granting = candidates.filter((c) => c.outcome !== "narrower");
      const used = granting.some((c) => c.outcome === "match" || c.outcome === "broader") ? granting : candidates;
      for (const { aa, outcome, reasons: why } of used) {
        for (const r of why) reasons.add(r);
        matchedBy.add(aa.statement);
        if (!accounted.has(aa.statement)) accounted.set(aa.statement, new Set());
        accounted.get(aa.statement)!.add(`${principalLabel(aa.principal)}|${aa.action.toLowerCase()}`);
        if (outcome === "match" || outcome === "broader") covered = true;
        if (outcome === "broader" || outcome === "mixed") grantsMore = true;
        if (outcome === "narrower" || outcome === "mixed") partial = true;
      }
      for (const da of denies) {
        if (da.action.toLowerCase() !== ta.action.toLowerCase()) continue;
        const p = principalRel(da.principal, ta.principal);
        if (p === "none" || p === "narrower") continue;
        const sid = parsed[da.statement].sid ?? `#${da.statement + 1}`;
        const verdict = await denyVerdict(parsed[da.statement].raw, ta, opts);
        if (verdict === "denies") {
          covered = false;
          partial = true;
          reasons.add(`${ta.action} is denied by statement "${sid}"`);
        } else if (verdict === "may") reasons.add(`the conditional Deny "${sid}" may block ${ta.action} (it names condition keys the template's request does not fix)`);
      }
      if (covered) anyCovered = true;
      else {
        grantsLess = true;
        if (!partial) missingActions.push(ta.action);
        else anyCovered = true;
      }
    }
    if (missingActions.length && anyCovered) reasons.add(`does not grant ${missingActions.join(", ")}`);
    const status: StatementStatus = !anyCovered ? "missing" : grantsLess && grantsMore ? "mixed" : grantsLess ? "narrower" : grantsMore ? "broader" : "match";
    results.push({
      templateId: t.template.id,
      index: templateParsed.filter((x) => x.t === t).findIndex((x) => x.st === st),
      sid: st.sid,
      purpose,
      ...(optional ? { optional: true } : {}),
      status,
      reasons: status === "missing" ? [`no statement grants ${st.actions.join(", ")} to ${st.principals.map(principalLabel).join(", ")}`] : [...reasons],
      grantsMore,
      grantsLess,
      matchedBy: [...matchedBy].sort((a, b) => a - b),
      statement: raw,
    });
  }

  // A statement that grants a template's principal more actions than any template lists makes the
  // template statement it matched broader (wider action), not a separate extra.
  const attributed = new Set<string>();
  for (const [i, r] of results.entries()) {
    if (r.status === "missing") continue;
    const tp = templateParsed[i].st.principals;
    for (const idx of r.matchedBy) {
      const s = parsed[idx];
      if (s.defaultRoot) continue;
      const acc = accounted.get(idx) ?? new Set<string>();
      const wider = s.atoms.filter((a) => !acc.has(`${principalLabel(a.principal)}|${a.action.toLowerCase()}`) && tp.some((p) => principalRel(a.principal, p) !== "none"));
      if (!wider.length) continue;
      const names = [...new Set(wider.map((a) => a.action))];
      r.grantsMore = true;
      r.reasons.push(
        `statement ${s.sid ? `"${s.sid}"` : `#${idx + 1}`} also grants ${names.length > 6 ? `${names.slice(0, 6).join(", ")} and ${names.length - 6} more actions` : names.join(", ")}`,
      );
      if (r.status === "match") r.status = "broader";
      if (r.status === "narrower") r.status = "mixed";
      for (const a of wider) attributed.add(`${idx}|${principalLabel(a.principal)}|${a.action.toLowerCase()}`);
    }
  }

  const extras: ExtraStatementResult[] = [];
  for (const s of parsed) {
    const acc = accounted.get(s.index) ?? new Set<string>();
    const loose = s.atoms.filter(
      (a) => !acc.has(`${principalLabel(a.principal)}|${a.action.toLowerCase()}`) && !attributed.has(`${s.index}|${principalLabel(a.principal)}|${a.action.toLowerCase()}`),
    );
    if (s.effect === "Deny") {
      extras.push({
        index: s.index,
        sid: s.sid,
        effect: "Deny",
        principals: s.principals.map(principalLabel),
        actions: s.actions,
        partial: false,
        flagged: false,
        reason: "Deny statement: taken into account above",
      });
      continue;
    }
    if (!s.appliesToSelf) {
      extras.push({
        index: s.index,
        sid: s.sid,
        effect: "Allow",
        principals: s.principals.map(principalLabel),
        actions: s.actions,
        partial: false,
        flagged: false,
        reason: "does not apply to this resource (Resource)",
      });
      continue;
    }
    if (!loose.length) continue;
    const actions = [...new Set(loose.map((a) => a.action))];
    const partial = loose.length < s.atoms.length;
    if (s.defaultRoot && !partial) {
      extras.push({
        index: s.index,
        sid: s.sid,
        effect: "Allow",
        principals: s.principals.map(principalLabel),
        actions: ["kms:*"],
        partial,
        flagged: false,
        reason: "the KMS default statement: lets IAM policies of the account grant use and administration of the key",
      });
      continue;
    }
    const sensitive = actions.filter(isSensitive);
    extras.push({
      index: s.index,
      sid: s.sid,
      effect: "Allow",
      principals: [...new Set(loose.map((a) => principalLabel(a.principal)))],
      actions,
      partial,
      flagged: sensitive.length > 0,
      reason: sensitive.length
        ? `grants ${sensitive.length > 4 ? `${sensitive.slice(0, 4).join(", ")} and ${sensitive.length - 4} more` : sensitive.join(", ")} that no template statement accounts for`
        : "grants only read-only actions no template statement accounts for",
    });
  }

  let merged = mergePolicy(actual, parsed, results, templateParsed, accounted, attributed);
  const conforms = results.every(satisfied);
  if (!depth && opts.kind !== "identity-policy") merged = await withoutOutsideAccess(merged, templates, opts, which);
  return { kind: opts.kind, results, extras, merged, conforms, open: [...open] };
}

/**
 * The merged policy may not open the key or secret to anyone outside the account: statements that
 * do (other than the template's own, as AWS documents them) are dropped, and the merge is redone so
 * that every template statement still matches. Bounded: each round only removes statements.
 */
async function withoutOutsideAccess(
  merged: PolicyDiff["merged"],
  templates: ResolvedTemplate[],
  opts: DiffOptions,
  which: "statements" | "keyStatements",
): Promise<PolicyDiff["merged"]> {
  if (!opts.account || (opts.kind !== "key-policy" && opts.kind !== "secret-policy")) return merged;
  const kind = opts.kind;
  const templateStatements = templates.flatMap((t) => t[which].map((s) => s.statement));
  let current = merged;
  for (let round = 0; round < 4; round++) {
    let outside;
    try {
      outside = await analyzeOutsideAccess(current, { kind, account: opts.account, self: opts.self, trusted: opts.trusted });
    } catch {
      return current;
    }
    const documented = await documentedStatements(current, templateStatements, kind, opts.account);
    const bad = new Set(outside.outside.flatMap((g) => g.statementIndexes.filter((i) => !documented.has(i))));
    if (!bad.size) return current;
    const kept = { ...current, Statement: current.Statement.filter((_, i) => !bad.has(i)) };
    current = (await diffPolicy(kept, templates, opts, which, 1)).merged;
  }
  return current;
}

function mergePolicy(
  actual: unknown,
  parsed: ParsedStatement[],
  results: TemplateStatementResult[],
  templateParsed: { st: ParsedStatement; raw: Record<string, unknown> }[],
  accounted: Map<number, Set<string>>,
  attributed: Set<string>,
): PolicyDiff["merged"] {
  const doc = (typeof actual === "string" ? JSON.parse(actual) : structuredClone(actual)) as { Version?: string; Id?: string };
  const fix = results.filter((r) => !satisfied(r));
  const sources = new Set(fix.filter((r) => r.status !== "missing").flatMap((r) => r.matchedBy));
  const out: Record<string, unknown>[] = [];
  const changed = new Set<number>();
  for (const s of parsed) {
    if (s.effect === "Allow" && sources.has(s.index) && !s.defaultRoot) {
      const acc = accounted.get(s.index) ?? new Set<string>();
      const keep = s.actions.filter((action) =>
        s.principals.some((p) => !acc.has(`${principalLabel(p)}|${action.toLowerCase()}`) && !attributed.has(`${s.index}|${principalLabel(p)}|${action.toLowerCase()}`)),
      );
      changed.add(s.index);
      if (!keep.length) continue;
      const rest: Record<string, unknown> = { ...s.raw, Action: keep.length === 1 ? keep[0] : keep };
      delete rest.NotAction;
      out.push(rest);
    } else out.push(s.raw);
  }
  const sids = new Set(out.map((s) => s.Sid).filter(Boolean));
  // Statements that matched through a statement narrowed above are written out again from the template.
  const readd = results.filter((r) => !satisfied(r) || (r.status !== "missing" && r.matchedBy.some((i) => changed.has(i))));
  for (const r of readd) {
    const t = templateParsed[results.indexOf(r)];
    const st = { ...t.raw };
    if (typeof st.Sid === "string" && sids.has(st.Sid)) {
      let n = 2;
      while (sids.has(`${st.Sid} (${n})`)) n++;
      st.Sid = `${st.Sid} (${n})`;
    }
    if (typeof st.Sid === "string") sids.add(st.Sid);
    out.push(st);
  }
  return { Version: doc.Version ?? "2012-10-17", ...(doc.Id ? { Id: doc.Id } : {}), Statement: out };
}
