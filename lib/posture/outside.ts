// The one outside-access answer for a key or secret policy, as the scan, the key page, the policy
// review and the CLI read it: who outside the account (and the trusted set) can do what, with the
// grants AWS's own documented statement for the resource opens set apart.
import type { AgentResource, Severity } from "../inventory/types.shared";
import { PolicyParseError } from "../policy/normalize";
import { documentedStatements, type OutsideAnalysis, outsideAccessOf, type OutsideGrant, type OutsidePolicyKind } from "../policy/outside";
import { resolveTemplate, templatesFor, variablesFor, variablesForTemplate } from "../policy/templates";

import { severityOf } from "./outside.shared";

export interface OutsideVerdict {
  analysis?: OutsideAnalysis;
  /** The policy could not be analysed: never read as "nobody outside". */
  error?: string;
  /** Grants a finding reports. */
  open: OutsideGrant[];
  /** Grants opened only by statements exactly as AWS documents them for the resource, with the page. */
  documented: (OutsideGrant & { source: string })[];
  severity?: Severity;
}

/** The resolved template statements that apply to the policy of this kind for these resources, with their sources. */
function documentedTemplateStatements(kind: OutsidePolicyKind, resources: AgentResource[]): { statement: Record<string, unknown>; source: string }[] {
  const out: { statement: Record<string, unknown>; source: string }[] = [];
  for (const r of resources) {
    for (const t of templatesFor(r)) {
      const resolved = resolveTemplate(t.id, variablesForTemplate(t, variablesFor(r)));
      const list = kind === "key-policy" ? (t.kind === "key-policy" ? resolved.statements : resolved.keyStatements) : t.kind === "secret-policy" ? resolved.statements : [];
      for (const s of list) out.push({ statement: s.statement, source: t.source });
    }
  }
  return out;
}

/**
 * The verdict for one policy. `analyses` (a scan's) keeps each policy's analysis, which does not
 * depend on the resource: a key protecting many resources is analysed once.
 */
export async function outsideVerdict(
  policy: string | undefined,
  opts: { kind: OutsidePolicyKind; account: string; self?: string; inside: Iterable<string>; resources?: AgentResource[] },
  analyses?: Map<string, Promise<OutsideAnalysis>>,
): Promise<OutsideVerdict> {
  if (policy === undefined) return { error: "the policy could not be read", open: [], documented: [] };
  let analysis: OutsideAnalysis;
  try {
    const trusted = [...opts.inside].filter((x) => x !== opts.account);
    const key = JSON.stringify([opts.kind, opts.account, opts.self ?? "", trusted, policy]);
    let p = analyses?.get(key);
    if (!p) {
      p = outsideAccessOf(policy, { kind: opts.kind, account: opts.account, self: opts.self, trusted });
      p.catch(() => undefined);
      analyses?.set(key, p);
    }
    analysis = await p;
  } catch (e) {
    if (e instanceof PolicyParseError) return { error: `the policy is not valid: ${e.message}`, open: [], documented: [] };
    throw e;
  }
  if (!analysis.outside.length) return { analysis, open: [], documented: [] };
  const templates = documentedTemplateStatements(opts.kind, opts.resources ?? []);
  const documentedIdx = await documentedStatements(
    policy,
    templates.map((t) => t.statement),
    opts.kind,
    opts.account,
  );
  const open: OutsideGrant[] = [];
  const documented: (OutsideGrant & { source: string })[] = [];
  for (const g of analysis.outside) {
    if (g.statementIndexes.length && g.statementIndexes.every((i) => documentedIdx.has(i))) {
      documented.push({ ...g, source: [...new Set(templates.map((t) => t.source))].join("; ") });
    } else open.push(g);
  }
  return { analysis, open, documented, severity: severityOf(open) };
}
