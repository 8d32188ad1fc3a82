// `keyward lint-policy` and `keyward templates`: the policy engine offline, for pipelines.
import { readFileSync } from "node:fs";

import { diffPolicy, type PolicyDiff } from "../../lib/policy/diff";
import { PolicyParseError } from "../../lib/policy/normalize";
import { resolveTemplate, TEMPLATE_VARIABLES, TemplateError, TEMPLATES, type Variables } from "../../lib/policy/templates";
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

const STATUS_MARK: Record<string, string> = { match: "ok  ", broader: "WIDE", narrower: "LESS", missing: "MISS" };

export function formatDiffTable(d: PolicyDiff): string {
  const lines: string[] = [];
  for (const r of d.results) {
    lines.push(`${STATUS_MARK[r.status]} ${r.status.padEnd(8)} ${r.templateId} #${r.index + 1} ${r.sid ?? ""}`.trimEnd());
    lines.push(`              ${r.purpose}`);
    for (const reason of r.reasons) lines.push(`              - ${reason}`);
  }
  for (const e of d.extras) lines.push(`${e.flagged ? "XTRA" : "    "} extra    statement #${e.index + 1} ${e.sid ?? ""}: ${e.reason}`);
  if (d.open.length) lines.push(`open placeholders: ${d.open.map((o) => "${" + o + "}").join(", ")} (pass --var to resolve them)`);
  const gaps = d.results.filter((r) => r.status !== "match").length;
  lines.push(gaps ? `${gaps} of ${d.results.length} template statements differ` : `all ${d.results.length} template statements match`);
  return lines.join("\n");
}

export async function runLintPolicy(file: string, templateId: string, varPairs: string[], format: "table" | "json", io: Io): Promise<number> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new LintInputError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let t;
  try {
    t = resolveTemplate(templateId, parseVars(varPairs));
  } catch (e) {
    if (e instanceof TemplateError) throw new LintInputError(e.message);
    throw e;
  }
  if (t.open.length) throw new LintInputError(`template ${templateId} needs ${t.open.map((o) => `--var ${o}=...`).join(" ")}`);
  let d: PolicyDiff;
  try {
    d = await diffPolicy(text, [t], { kind: t.template.kind, account: t.variables["account-id"] });
  } catch (e) {
    if (e instanceof PolicyParseError) throw new LintInputError(`${file}: ${e.message}`);
    throw e;
  }
  io.out(
    format === "json"
      ? JSON.stringify({ template: templateId, variables: t.variables, conforms: d.conforms, results: d.results, extras: d.extras, merged: d.merged }, null, 2)
      : formatDiffTable(d),
  );
  return d.conforms ? 0 : 1;
}

export function runTemplates(format: "table" | "json", io: Io): number {
  if (format === "json") {
    io.out(
      JSON.stringify(
        TEMPLATES.map((t) => ({ id: t.id, title: t.title, kind: t.kind, source: t.source, variables: t.variables, appliesTo: t.appliesTo })),
        null,
        2,
      ),
    );
    return 0;
  }
  for (const t of TEMPLATES) {
    io.out(`${t.id}\n  ${t.title} (${t.kind})\n  source: ${t.source}\n  variables: ${t.variables.join(", ")}\n`);
  }
  return 0;
}
