// The posture score, shared by the Overview and the CLI so both show the same number.
import type { Finding, ResourceRecord, Severity } from "../inventory/types.shared";

export const DEDUCTION: Record<Severity, number> = { critical: 40, high: 20, medium: 10, low: 3, info: 0 };

export const SCORE_EXPLANATION =
  "Each resource starts at 100 and loses 40 per critical, 20 per high, 10 per medium and 3 per low finding (never below 0); the score is the average over all resources. Region-wide findings (trails) are shown but not scored.";

export function resourceScore(findings: Finding[]): number {
  return Math.max(0, 100 - findings.reduce((s, f) => s + DEDUCTION[f.severity], 0));
}

export function postureScore(resources: ResourceRecord[], findings: Finding[]): number | null {
  if (!resources.length) return null;
  const by = new Map<string, Finding[]>();
  for (const f of findings) by.set(f.resourceArn, [...(by.get(f.resourceArn) ?? []), f]);
  const total = resources.reduce((s, r) => s + resourceScore(by.get(r.arn) ?? []), 0);
  return Math.round(total / resources.length);
}
