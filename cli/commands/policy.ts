// `keyward lint-policy` and `keyward templates`: the policy engine offline, for pipelines.
import { readFileSync } from "node:fs";

import { type PolicyDiff, satisfied } from "../../lib/policy/diff";
import { lintPolicy, type PolicyLint } from "../../lib/policy/lint";
import { policyStatements, PolicyParseError } from "../../lib/policy/normalize";
import { analyzeOutsideAccess, type OutsideAnalysis, type OutsidePolicyKind } from "../../lib/policy/outside";
import { resolveTemplate, TEMPLATE_VARIABLES, templateKinds, TemplateError, TEMPLATES, type Variables } from "../../lib/policy/templates";
import type { Io } from "../main";

export class LintInputError extends Error {}

export function parseVars(pairs: string[]): Variables {
  const vars: Record<string, string> = {};
  for (const p of pairs) {
    const m = /^([a-z][a-z-]*)=(.*)$/.exec(p);
    if (!m || !m[2]) throw new LintInputError(`--var takes NAME=VALUE (NAME one of ${TEMPLATE_VARIABLES.join(", ")}), not "${p}"`);
    vars[m[1]] = m[2];
  }
  return vars as Variables;
}

const STATUS_MARK: Record<string, string> = { match: "ok  ", broader: "WIDE", narrower: "LESS", mixed: "MIXD", missing: "MISS" };

export function formatDiffTable(d: PolicyDiff): string {
  const lines: string[] = [];
  for (const r of d.results) {
    const shown = r.optional && r.status === "missing" ? "optional, absent" : r.status;
    lines.push(`${r.optional && r.status === "missing" ? "    " : STATUS_MARK[r.status]} ${shown.padEnd(8)} ${r.templateId} #${r.index + 1} ${r.sid ?? ""}`.trimEnd());
    lines.push(`              ${r.purpose}`);
    for (const reason of r.reasons) lines.push(`              - ${reason}`);
  }
  for (const e of d.extras) lines.push(`${e.flagged ? "XTRA" : "    "} extra    statement #${e.index + 1} ${e.sid ?? ""}: ${e.reason}`);
  if (d.open.length) lines.push(`open placeholders: ${d.open.map((o) => "${" + o + "}").join(", ")} (pass --var to resolve them)`);
  const gaps = d.results.filter((r) => !satisfied(r)).length;
  lines.push(gaps ? `${gaps} of ${d.results.length} template statements differ` : `all ${d.results.length} template statements match`);
  return lines.join("\n");
}

function readPolicyFile(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new LintInputError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

const ACCOUNT = /^\d{12}$/;
const ORG = /^o-[a-z0-9]{10,32}$/;

function checkTrusted(accounts: string[], orgs: string[]): string[] {
  for (const a of accounts) if (!ACCOUNT.test(a)) throw new LintInputError(`--trusted-account takes a 12-digit account id, not "${a}"`);
  for (const o of orgs) if (!ORG.test(o)) throw new LintInputError(`--trusted-org takes an organization id such as o-a1b2c3d4e5, not "${o}"`);
  return [...accounts, ...orgs];
}

export function formatOutside(a: OutsideAnalysis): string {
  if (!a.outside.length) return `nobody outside account ${a.account}${a.trusted.accounts.length || a.trusted.organizations.length ? " and the trusted set" : ""} can do anything`;
  const lines: string[] = [];
  for (const g of a.outside) {
    lines.push(`${g.severity.toUpperCase().padEnd(8)} ${g.who}`);
    lines.push(`         ${g.label}: ${g.groups.join(", ")}`);
    lines.push(`         actions: ${g.actions.length > 10 ? `${g.actions.slice(0, 10).join(", ")} and ${g.actions.length - 10} more` : g.actions.join(", ")}`);
    lines.push(`         statements: ${g.statements.join(", ")}`);
    lines.push(`         why: ${g.why}`);
  }
  return lines.join("\n");
}

export interface LintArgs {
  file: string;
  template: string;
  vars: string[];
  admins: string[];
  trustedAccounts: string[];
  trustedOrgs: string[];
  format: "table" | "json";
}

export async function runLintPolicy(args: LintArgs, io: Io): Promise<number> {
  const text = readPolicyFile(args.file);
  let t;
  try {
    t = resolveTemplate(args.template, parseVars(args.vars));
  } catch (e) {
    if (e instanceof TemplateError) throw new LintInputError(e.message);
    throw e;
  }
  if (t.open.length) throw new LintInputError(`template ${args.template} needs ${t.open.map((o) => `--var ${o}=...`).join(" ")}`);
  for (const a of args.admins)
    if (!/^arn:aws[a-z-]*:iam::\d{12}:(root|role\/.+|user\/.+)$/.test(a)) throw new LintInputError(`--admin takes an IAM role, user or root ARN, not "${a}"`);
  const trusted = checkTrusted(args.trustedAccounts, args.trustedOrgs);
  if (t.template.kind === "identity-policy") throw new LintInputError(`template ${args.template} is an identity policy: lint-policy checks key and secret policies`);
  let l: PolicyLint;
  try {
    l = await lintPolicy(text, [t], { kind: t.template.kind, account: t.variables["account-id"]!, trusted, admins: args.admins });
  } catch (e) {
    if (e instanceof PolicyParseError) throw new LintInputError(`${args.file}: ${e.message}`);
    throw e;
  }
  const d: PolicyDiff = l.diff;
  if (args.format === "json")
    io.out(
      JSON.stringify(
        {
          template: args.template,
          variables: t.variables,
          conforms: d.conforms,
          passes: l.failures.length === 0,
          failures: l.failures,
          results: d.results,
          extras: d.extras,
          outside: l.outsideOpen,
          outsideDocumented: l.outsideDocumented,
          adminGrants: l.adminGrants,
          merged: d.merged,
        },
        null,
        2,
      ),
    );
  else {
    io.out(formatDiffTable(d));
    io.out(`\noutside access: ${formatOutside({ ...l.outside, outside: l.outsideOpen })}`);
    if (l.outsideDocumented.length) io.out(`as AWS documents it (not a failure): ${l.outsideDocumented.map((g) => `${g.label}: ${g.actions.join(", ")}`).join("; ")}`);
    io.out(l.failures.length ? `\nFAIL: ${l.failures.length} problem${l.failures.length === 1 ? "" : "s"}\n${l.failures.map((f) => `  - ${f}`).join("\n")}` : "\nPASS");
  }
  return l.failures.length ? 1 : 0;
}

/** Key policy or secret resource policy, from the services its actions name. */
export function detectPolicyKind(text: string): OutsidePolicyKind {
  const actions = policyStatements(text).flatMap((s) => [s.Action, s.NotAction].flat().filter((a): a is string => typeof a === "string"));
  const services = new Set(actions.filter((a) => a !== "*").map((a) => a.split(":")[0].toLowerCase()));
  if (services.has("kms") && !services.has("secretsmanager")) return "key-policy";
  if (services.has("secretsmanager") && !services.has("kms")) return "secret-policy";
  throw new PolicyParseError(
    services.size
      ? `its actions name both kms and secretsmanager: pass --kind key or --kind secret`
      : `its actions name neither kms: nor secretsmanager: actions: pass --kind key or --kind secret`,
  );
}

export interface AccessArgs {
  file: string;
  account?: string;
  trustedAccounts: string[];
  trustedOrgs: string[];
  kind?: string;
  format: "table" | "json";
}

/** `keyward access`: who outside the account can do what, offline. Exit 0 nobody, 1 someone, 2 bad input. */
export async function runAccess(args: AccessArgs, io: Io): Promise<number> {
  if (!args.account || !ACCOUNT.test(args.account)) throw new LintInputError("access needs --account ID (the 12-digit account that owns the key or secret)");
  const trusted = checkTrusted(args.trustedAccounts, args.trustedOrgs);
  if (args.kind !== undefined && args.kind !== "key" && args.kind !== "secret") throw new LintInputError(`--kind takes key or secret, not "${args.kind}"`);
  const text = readPolicyFile(args.file);
  let a: OutsideAnalysis;
  try {
    const kind: OutsidePolicyKind = args.kind === "key" ? "key-policy" : args.kind === "secret" ? "secret-policy" : detectPolicyKind(text);
    a = await analyzeOutsideAccess(text, { kind, account: args.account, trusted });
  } catch (e) {
    if (e instanceof PolicyParseError) throw new LintInputError(`${args.file}: ${e.message}`);
    throw e;
  }
  if (args.format === "json")
    io.out(
      JSON.stringify(
        {
          kind: a.kind,
          account: a.account,
          trusted: a.trusted,
          outside: a.outside.map((g) => ({ who: g.who, actions: g.actions, statements: g.statements, why: g.why, label: g.label, groups: g.groups, severity: g.severity })),
        },
        null,
        2,
      ),
    );
  else io.out(formatOutside(a));
  return a.outside.length ? 1 : 0;
}

export function runTemplates(format: "table" | "json", io: Io): number {
  if (format === "json") {
    io.out(
      JSON.stringify(
        TEMPLATES.map((t) => ({
          id: t.id,
          title: t.title,
          kind: t.kind,
          source: t.source,
          page: { title: t.doc.title, url: t.doc.url, read: t.doc.read },
          variables: t.variables,
          appliesTo: templateKinds(t.id),
          ...(t.appliesWhen ? { appliesWhen: t.appliesWhen } : {}),
        })),
        null,
        2,
      ),
    );
    return 0;
  }
  for (const t of TEMPLATES) {
    io.out(`${t.id}\n  ${t.title} (${t.kind})\n  source: ${t.source}\n  page: ${t.doc.url} (read ${t.doc.read})\n  variables: ${t.variables.join(", ")}\n`);
  }
  return 0;
}
