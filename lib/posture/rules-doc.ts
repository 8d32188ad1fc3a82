// Renders docs/rules.md from the rule catalogue (`npm run docs:rules`); a test keeps the file current.
import { writeFileSync } from "node:fs";

import { CATALOGUE } from "./catalogue.shared";

export function renderRulesDoc(): string {
  const lines = [
    "# Rule catalogue",
    "",
    "Generated from `lib/posture/rules/` by `npm run docs:rules`. Each rule has a stable id. A check whose input could not be read is reported as **not assessed** (counted apart), never as a pass.",
    "",
    "| id | severity | title | applies to |",
    "| --- | --- | --- | --- |",
    ...CATALOGUE.map(
      (r) =>
        `| [${r.id}](#${r.id.toLowerCase()}) | ${r.severity} | ${r.title} | ${r.appliesTo === "region" ? "each scanned region" : r.appliesTo === "all" ? "all" : r.appliesTo.join(", ")} |`,
    ),
    "",
  ];
  for (const r of CATALOGUE) {
    lines.push(`## ${r.id}`, "", `**${r.title}** — severity ${r.severity}`, "", `- Why: ${r.rationale}`, `- Source: ${r.source}`, `- Remediation: ${r.remediation}`);
    if (r.references.length) lines.push(`- Matches: ${r.references.join("; ")}`);
    lines.push("");
  }
  return lines.join("\n");
}

if (require.main === module) {
  writeFileSync("docs/rules.md", renderRulesDoc());
  console.log("wrote docs/rules.md");
}
