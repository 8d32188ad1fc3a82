// Renders docs/rules.md from the rule catalogue (`npm run docs:rules`); a test keeps the file current.
import { writeFileSync } from "node:fs";

import { isKnown, KINDS } from "../inventory/kinds";

import { CATALOGUE } from "./catalogue.shared";

const cell = (s: string) => s.replace(/\|/g, "\\|");

/** The kinds the rules apply to, from their descriptors (lib/inventory/kinds): where the key is, what AWS documents, what ties events. */
function kindsSection(): string[] {
  return [
    "## Resource kinds",
    "",
    "Generated from the kind descriptors in `lib/inventory/kinds/`. A kind without a documented key policy has KW-POL-01 reported as **not assessed** with the reason below.",
    "",
    "| kind | key (where the API shows it) | documented key policy | events tied by | wizard |",
    "| --- | --- | --- | --- | --- |",
    ...KINDS.map((k) =>
      [
        `[${k.label}](${k.doc.url})`,
        isKnown(k.key) ? `\`${k.key.field}\`` : `none: ${k.key.none}`,
        isKnown(k.policy) ? k.policy.templates.map((t) => `\`${t}\``).join(", ") : `none: ${k.policy.none}`,
        [...k.correlation.contextKeys.map((c) => `\`${c}\``), ...k.correlation.services].join(", "),
        isKnown(k.setup) ? `flow \`${k.setup.flow}\`` : `no: ${k.setup.none}`,
      ]
        .map(cell)
        .join(" | ")
        .replace(/^/, "| ")
        .concat(" |"),
    ),
    "",
    "A Bedrock agent's memory has no key setting of its own: the agent's API takes one key (`customerEncryptionKeyArn`) for what the agent keeps, so its memory is checked as part of the agent.",
    "",
  ];
}

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
  lines.push(...kindsSection());
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
