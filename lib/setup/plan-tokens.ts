// Client tokens: AgentCore and Bedrock create calls carry one, so a call repeated after a failure
// (same plan, same attempt, same step) does not create a second resource.
import { createHash } from "node:crypto";

import type { PlanStep } from "./types.shared";

function clientToken(planId: string, attempt: number, step: string): string {
  // 33-256 characters (AgentCore, Bedrock); stable across re-runs of the same attempt.
  return `keyward-${createHash("sha256").update(`${planId}:${attempt}:${step}`).digest("hex").slice(0, 40)}`;
}

/** `{{token}}` marks where a step's client token goes; the runner fills it in per attempt. */
export const TOKEN = "{{token}}";

export const withTokens = (steps: PlanStep[], planId: string, attempt: number): PlanStep[] =>
  steps.map((s) =>
    JSON.stringify(s.params).includes(TOKEN)
      ? { ...s, params: JSON.parse(JSON.stringify(s.params).replaceAll(TOKEN, clientToken(planId, attempt, s.id))) as Record<string, unknown> }
      : s,
  );
