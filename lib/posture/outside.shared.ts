// Outside-access grants as findings read them: evidence and severity. Types only from the engine, so
// the rule definitions (and the browser's rule catalogue) stay light.
import type { Severity } from "../inventory/types.shared";
import type { OutsideGrant } from "../policy/outside";

/** The highest severity among the grants, or undefined when there are none. */
export function severityOf(grants: Pick<OutsideGrant, "severity">[]): Severity | undefined {
  const order: Severity[] = ["critical", "high", "medium", "low"];
  return order.find((s) => grants.some((g) => g.severity === s));
}

/** The finding evidence for outside grants: short enough to read in a list, complete in the policy review. */
export function outsideEvidence(grants: OutsideGrant[]): Record<string, unknown>[] {
  return grants.map((g) => ({
    who: g.who,
    label: g.label,
    actions: g.actions.length > 12 ? [...g.actions.slice(0, 12), `… and ${g.actions.length - 12} more`] : g.actions,
    groups: g.groups,
    statements: g.statements,
    why: g.why,
    severity: g.severity,
  }));
}
