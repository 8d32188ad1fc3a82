// A finding's identity and its state over time (lib/posture/lifecycle.ts), safe for the browser.
import type { Finding, Severity } from "../inventory/types.shared";

export function fingerprint(f: Pick<Finding, "ruleId" | "resourceArn" | "keyArn">): string {
  return `${f.ruleId}|${f.resourceArn}|${f.keyArn ?? ""}`;
}

export interface FindingState {
  fingerprint: string;
  ruleId: string;
  resourceArn: string;
  keyArn?: string;
  severity: Severity;
  title: string;
  firstSeen: string;
  firstScan: number;
  lastSeen: string;
  lastScan: number;
  resolvedAt?: string;
  resolvedScan?: number;
  /** Why it was resolved: the rule passed, or the resource is gone. */
  resolution?: "passed" | "resource gone";
}
