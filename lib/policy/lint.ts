// The policy lint a CI gate can trust: the semantic diff against the documented templates, plus what
// the diff alone cannot see — a statement no template accounts for that opens the key or secret to
// someone outside the account (the outside-access analysis), or that hands administration to
// principals other than the account root and the named administrators.
import { diffPolicy, type PolicyDiff, satisfied } from "./diff";
import { type OutsideAnalysis, analyzeOutsideAccess, documentedStatements, type OutsideGrant, type OutsidePolicyKind, actionGroup } from "./outside";
import type { ResolvedTemplate } from "./templates";

export interface AdminGrant {
  index: number;
  sid?: string;
  principals: string[];
  actions: string[];
}

export interface PolicyLint {
  diff: PolicyDiff;
  outside: OutsideAnalysis;
  /** Outside access opened by statements other than the template's own. */
  outsideOpen: OutsideGrant[];
  /** Outside access that only the template's own statements open (as AWS documents them). */
  outsideDocumented: OutsideGrant[];
  adminGrants: AdminGrant[];
  /** Every reason the gate fails, in words; empty when it passes. */
  failures: string[];
}

export interface LintOptions {
  kind: OutsidePolicyKind;
  account: string;
  self?: string;
  /** Account ids and organization ids treated as inside. */
  trusted?: string[];
  /** Principal ARNs allowed to administer besides the account root. */
  admins?: string[];
}

const ADMIN_GROUPS = new Set(["administration", "policy"]);

export async function lintPolicy(policy: unknown, templates: ResolvedTemplate[], opts: LintOptions): Promise<PolicyLint> {
  const diff = await diffPolicy(policy, templates, { kind: opts.kind, account: opts.account, self: opts.self });
  const outside = await analyzeOutsideAccess(policy, { kind: opts.kind, account: opts.account, self: opts.self, trusted: opts.trusted });
  const templateStatements = templates.flatMap((t) => (opts.kind === "key-policy" && t.template.kind === "secret-policy" ? t.keyStatements : t.statements).map((s) => s.statement));
  const documented = await documentedStatements(policy, templateStatements, opts.kind, opts.account);
  const outsideOpen = outside.outside.filter((g) => !g.statementIndexes.every((i) => documented.has(i)));
  const outsideDocumented = outside.outside.filter((g) => g.statementIndexes.every((i) => documented.has(i)));

  const root = `arn:aws:iam::${opts.account}:root`;
  const allowed = new Set([root, ...(opts.admins ?? [])]);
  const adminGrants: AdminGrant[] = [];
  for (const e of diff.extras) {
    if (e.effect !== "Allow" || documented.has(e.index)) continue;
    const actions = e.actions.filter((a) => a === "kms:*" || ADMIN_GROUPS.has(actionGroup(a)));
    const principals = e.principals.filter((p) => !allowed.has(p));
    if (actions.length && principals.length) adminGrants.push({ index: e.index, sid: e.sid, principals, actions });
  }

  const failures: string[] = [];
  for (const r of diff.results) if (!satisfied(r)) failures.push(`template statement ${r.templateId} #${r.index + 1}${r.sid ? ` (${r.sid})` : ""} is ${r.status}`);
  for (const g of outsideOpen) failures.push(`${g.label} can ${g.groups.join(", ")} (statements ${g.statements.join(", ")}): ${g.why}`);
  for (const a of adminGrants)
    failures.push(
      `statement ${a.sid ? `"${a.sid}"` : `#${a.index + 1}`} grants administration (${a.actions.slice(0, 4).join(", ")}${a.actions.length > 4 ? ` and ${a.actions.length - 4} more` : ""}) to ${a.principals.join(", ")} (not the account root or an --admin)`,
    );
  return { diff, outside, outsideOpen, outsideDocumented, adminGrants, failures };
}
