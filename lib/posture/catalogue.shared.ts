// The rule catalogue as data (no checks), for the UI and the docs.
import type { Severity } from "../inventory/types.shared";

import { RULES } from "./rules";

export interface RuleInfo {
  id: string;
  title: string;
  severity: Severity;
  rationale: string;
  source: string;
  remediation: string;
  references: string[];
  appliesTo: string[] | "all" | "region";
}

export const CATALOGUE: RuleInfo[] = RULES.map(({ id, title, severity, rationale, source, remediation, references, appliesTo }) => ({
  id,
  title,
  severity,
  rationale,
  source,
  remediation,
  references,
  appliesTo,
}));

export function ruleInfo(id: string): RuleInfo | undefined {
  return CATALOGUE.find((r) => r.id === id);
}
