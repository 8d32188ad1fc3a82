import "server-only";

// What the detections and the sync need from the last scan and the configuration.
import { insideAccounts, type KeywardConfigData } from "../config/schema";
import type { ScanResult } from "../inventory/types.shared";

import type { DetectionContext } from "./detections";

export function detectionContext(cfg: KeywardConfigData, scan: ScanResult | null | undefined): DetectionContext {
  const agentSecrets = new Map<string, string>();
  const executionRoles = new Map<string, string>();
  for (const r of scan?.resources ?? []) {
    for (const s of r.secrets) agentSecrets.set(s.arn, r.arn);
    for (const role of r.roles) executionRoles.set(role, r.arn);
  }
  return { agentSecrets, executionRoles, inside: insideAccounts(cfg, scan) };
}
