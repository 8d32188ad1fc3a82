// Scan output for the CLI and exports: the JSON contract, CSV, a table, and SARIF 2.1.0.
import { SEVERITY_RANK, type ScanResult, type Severity } from "../inventory/types.shared";
import { csvLine, withoutControls } from "../csv.shared";

import { RULES } from "./rules";

export { SEVERITY_RANK };

export function toJsonReport(r: ScanResult) {
  return {
    scannedAt: r.scannedAt,
    resources: r.resources.map((x) => ({
      arn: x.arn,
      kind: x.kind,
      name: x.name,
      account: x.account,
      region: x.region,
      key: { arn: x.key.arn || null, type: x.key.type, state: x.key.state ?? null, spec: x.key.spec ?? null, region: x.key.region ?? null, rotation: x.key.rotation ?? null },
    })),
    findings: r.findings.map((f) => ({ ruleId: f.ruleId, severity: f.severity, resourceArn: f.resourceArn, keyArn: f.keyArn ?? null, title: f.title, evidence: f.evidence })),
    notAssessed: r.notAssessed,
    errors: r.errors.map((e) => ({ service: e.service, region: e.region, operation: e.operation, code: e.code, message: e.message })),
  };
}

export function toCsv(r: ScanResult): string {
  const rows = [["ruleId", "severity", "title", "resourceArn", "kind", "region", "keyArn", "evidence"]];
  const byArn = new Map(r.resources.map((x) => [x.arn, x]));
  for (const f of r.findings)
    rows.push([
      f.ruleId,
      f.severity,
      f.title,
      f.resourceArn,
      byArn.get(f.resourceArn)?.kind ?? "",
      byArn.get(f.resourceArn)?.region ?? f.resourceArn.split(":")[3] ?? "",
      f.keyArn ?? "",
      JSON.stringify(f.evidence),
    ]);
  return rows.map(csvLine).join("\n");
}

export function toTable(r: ScanResult): string {
  const lines = [`Scanned ${r.resources.length} resources, ${r.keys.length} keys at ${r.scannedAt} (${r.apiCalls} API calls)`, ""];
  const sorted = [...r.findings].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.ruleId.localeCompare(b.ruleId));
  // AWS data can hold terminal escape sequences: they are removed before reaching the terminal.
  for (const f of sorted) lines.push(withoutControls(`${f.severity.toUpperCase().padEnd(9)} ${f.ruleId.padEnd(10)} ${f.title}\n          ${f.resourceArn}`));
  lines.push("", `${r.findings.length} findings, ${r.notAssessed.length} checks not assessed, ${r.errors.length} source errors`);
  for (const e of r.errors) lines.push(`  error: ${e.service} ${e.operation} (${e.region}): ${e.code}: ${e.message}`);
  return lines.join("\n");
}

const SARIF_LEVEL: Record<Severity, "error" | "warning" | "note"> = { critical: "error", high: "error", medium: "warning", low: "note", info: "note" };

export function toSarif(r: ScanResult) {
  const used = [...new Set(r.findings.map((f) => f.ruleId))];
  const rules = RULES.filter((x) => used.includes(x.id));
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "Keyward",
            informationUri: "https://github.com/keyward/keyward",
            rules: rules.map((x) => ({
              id: x.id,
              name: x.id.replace(/-/g, ""),
              shortDescription: { text: x.title },
              fullDescription: { text: x.rationale },
              help: { text: x.remediation },
              defaultConfiguration: { level: SARIF_LEVEL[x.severity] },
              properties: { severity: x.severity, source: x.source },
            })),
          },
        },
        results: r.findings.map((f) => ({
          ruleId: f.ruleId,
          ruleIndex: rules.findIndex((x) => x.id === f.ruleId),
          level: SARIF_LEVEL[f.severity],
          message: { text: `${f.title}: ${f.resourceArn}` },
          locations: [{ physicalLocation: { artifactLocation: { uri: f.resourceArn } }, logicalLocations: [{ fullyQualifiedName: f.resourceArn, kind: "resource" }] }],
          properties: { severity: f.severity, keyArn: f.keyArn, evidence: f.evidence },
        })),
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: r.errors.map((e) => ({ level: "warning", message: { text: `${e.service} ${e.operation} (${e.region}): ${e.code}: ${e.message}` } })),
          },
        ],
      },
    ],
  };
}
