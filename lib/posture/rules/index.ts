// The rule catalogue (docs/rules.md), registered once.
import type { RuleDefinition } from "../rule";

import { encryptionRules } from "./encryption";
import { iamRules } from "./iam";
import { keyRules } from "./keys";
import { policyRules } from "./policies";
import { secretRules } from "./secrets";
import { trailAndGrantRules } from "./trails-grants";

export const RULES: RuleDefinition[] = [...encryptionRules, ...keyRules, ...policyRules, ...iamRules, ...secretRules, ...trailAndGrantRules];

export function ruleById(id: string): RuleDefinition | undefined {
  return RULES.find((r) => r.id === id);
}
