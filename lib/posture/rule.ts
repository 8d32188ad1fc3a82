// The shape of a rule and what it sees. Rules are data + a check; the engine runs them.
import type { AgentResource, KeyFacts, ResourceKind, RoleFacts, SecretFacts, Severity, TrailFacts } from "../inventory/types.shared";

import type { OutsideVerdict } from "./outside";
import type { AccessRequirement } from "./requirements";

export interface AccessAnswer {
  requirement: AccessRequirement;
  action: string;
  decision: "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";
  decidingStatements: string[];
}

export interface RuleContext {
  resource: AgentResource;
  key?: KeyFacts;
  keys: Map<string, KeyFacts>;
  secrets: Map<string, SecretFacts>;
  roles: Map<string, RoleFacts>;
  /** Account ids treated as inside: the scanned accounts and the configured trusted accounts. */
  inside: Set<string>;
  access(req: AccessRequirement, key: KeyFacts): Promise<AccessAnswer[]>;
  /**
   * Who outside the account (and the trusted set) can do what with a key or secret policy, with
   * what AWS documents for these resources set apart (lib/posture/outside.ts). Given by the scan so
   * that rule definitions stay light enough for the browser's rule catalogue.
   */
  outside(policy: string | undefined, opts: { kind: "key-policy" | "secret-policy"; account: string; self?: string; resources?: AgentResource[] }): Promise<OutsideVerdict>;
}

export interface RegionContext {
  account: string;
  region: string;
  trails?: TrailFacts;
}

export type Outcome =
  | {
      fail: true;
      evidence: Record<string, unknown>;
      keyArn?: string;
      title?: string;
      /** A rule whose severity depends on what it found (who can get in, and to do what) says so here. */
      severity?: Severity;
    }
  | { notAssessed: string };

export interface RuleDefinition {
  id: string;
  title: string;
  severity: Severity;
  appliesTo: ResourceKind[] | "all" | "region";
  rationale: string;
  source: string;
  remediation: string;
  /** Matching AWS Config managed rule, Prowler check or Trend Micro Conformity rule, where one exists. */
  references: string[];
  check?(ctx: RuleContext): Promise<Outcome[]> | Outcome[];
  checkRegion?(ctx: RegionContext): Outcome[];
}

export { KEYED_KINDS, SECRET_KINDS } from "../inventory/kinds";

/** The key rules apply only when the resource has a customer or AWS managed key that was read. */
export function keyOrSkip(ctx: RuleContext): KeyFacts | Outcome[] {
  if (!ctx.resource.keyArn) return [];
  if (ctx.resource.keyReadError) return [{ notAssessed: `the resource's key could not be read (${ctx.resource.keyReadError.code})` }];
  if (!ctx.key || !ctx.key.found)
    return ctx.key && Object.keys(ctx.key.readErrors).length && ctx.key.readErrors.DescribeKey !== "NotFoundException"
      ? [{ notAssessed: `DescribeKey failed (${ctx.key.readErrors.DescribeKey})` }]
      : [];
  return ctx.key;
}
