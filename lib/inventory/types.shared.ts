// The normalized records a scan produces. Safe for the browser (no AWS clients here).
import type { OrgDiscovery } from "../org/types.shared";

import { KINDS, type ResourceKind } from "./kinds";

export { RESOURCE_KINDS, type ResourceKind } from "./kinds";

export const KIND_LABELS = Object.fromEntries(KINDS.map((k) => [k.id, k.label])) as Record<ResourceKind, string>;

/** Each kind's name in running text, one and many. */
const KIND_IN_TEXT = Object.fromEntries(KINDS.map((k) => [k.id, k.text])) as Record<ResourceKind, readonly [string, string]>;

/** "1 AgentCore memory", "5 AgentCore memories": a count of resources of one kind, in running text. */
export function countOfKind(kind: ResourceKind, n: number): string {
  return plural(n, ...KIND_IN_TEXT[kind]);
}

const PHASES: Record<ScanProgress["phase"], string> = {
  listing: "Listing (keys are read meanwhile)",
  "resolving keys": "Reading the last keys",
  evaluating: "Running the rules",
  done: "Saving",
};

/** A running scan in one line: phase, resources found per kind, keys read, errors (console and CLI). */
export function describeProgress(p: ScanProgress): string {
  const kinds = (Object.keys(KIND_LABELS) as ResourceKind[]).filter((k) => p.resourcesByKind[k]).map((k) => countOfKind(k, p.resourcesByKind[k]!));
  return `${PHASES[p.phase]}: ${kinds.join(", ") || "nothing found yet"}${p.keysTotal ? ` · keys ${p.keysResolved}/${p.keysTotal}` : ""}${p.errors ? ` · ${plural(p.errors, "source error")}` : ""}`;
}

/** "1 finding", "3 findings". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

export type KeyType = "aws-owned" | "aws-managed" | "customer" | "unknown";
export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

/** The most severe of a list of findings (undefined when there are none). */
export function worstSeverity(findings: { severity: Severity }[]): Severity | undefined {
  return findings.reduce<Severity | undefined>((w, f) => (!w || SEVERITY_RANK[f.severity] > SEVERITY_RANK[w] ? f.severity : w), undefined);
}

export interface KeySummary {
  arn: string;
  type: KeyType;
  state?: string;
  spec?: string;
  usage?: string;
  manager?: string;
  region?: string;
  rotation?: boolean | null;
  multiRegion?: boolean;
}

/** One agent resource, as every collector reports it. */
export interface AgentResource {
  arn: string;
  kind: ResourceKind;
  name: string;
  account: string;
  region: string;
  created?: string;
  /** The key ARN as configured on the resource; undefined = AWS owned key. */
  keyArn?: string;
  /** Set when the resource's key could not be read from the service (e.g. GetRecommendation refused). */
  keyReadError?: { code: string; message: string };
  roles: string[];
  secrets: { arn: string; jsonKey?: string; source: "MANAGED" | "EXTERNAL" }[];
  tags: Record<string, string>;
  status?: string;
  /** When the service last changed the resource (from its listing), for incremental rescans. */
  updatedAt?: string;
  /** Read from an AWS Config aggregator instead of the service's API: when Config recorded it. */
  recorded?: { by: "config"; at?: string };
}

export interface GrantFacts {
  grantId: string;
  name?: string;
  grantee: string;
  retiringPrincipal?: string;
  operations: string[];
  issuingAccount?: string;
  constraints?: unknown;
  created?: string;
  /** A grant an AWS service holds for its own use (service grantee). */
  forAwsService: boolean;
}

export interface KeyFacts extends KeySummary {
  account: string;
  description?: string;
  created?: string;
  deletionDate?: string;
  aliases: string[];
  policy?: string;
  grants: GrantFacts[];
  tags: Record<string, string>;
  lastUsage?: { operation?: string; time?: string; eventId?: string };
  /** IAM Access Analyzer's answers for the key policy, where it was asked. */
  accessAnalyzer?: AccessAnalyzerFacts;
  /** Reads that failed for this key (operation → code). */
  readErrors: Record<string, string>;
  found: boolean;
  /** Its metadata, rotation and tags came from an AWS Config aggregator: when Config recorded it. */
  recorded?: { by: "config"; at?: string };
}

/** What IAM Access Analyzer said of a key or secret policy (each check's answer, or why there is none). */
export interface AccessAnalyzerFacts {
  validate?:
    | {
        findings: {
          findingType: string;
          issueCode: string;
          details: string;
          learnMoreLink?: string;
          /** 0-based statement index, when the finding points into a statement. */
          statement?: number;
        }[];
      }
    | { error: string };
  noPublicAccess?: { result: "PASS" | "FAIL"; message?: string; reasons: { description?: string; statementIndex?: number; statementId?: string }[] } | { error: string };
}

export interface SecretFacts {
  arn: string;
  name?: string;
  account: string;
  region: string;
  kmsKeyId?: string;
  rotationEnabled?: boolean;
  policy?: string;
  owningService?: string;
  /** IAM Access Analyzer's answers for the resource policy, where it was asked. */
  accessAnalyzer?: AccessAnalyzerFacts;
  readErrors: Record<string, string>;
}

export interface RoleFacts {
  arn: string;
  name: string;
  policies: { name: string; document: unknown }[];
  readError?: string;
}

export interface TrailFacts {
  account: string;
  region: string;
  trails: {
    name: string;
    arn: string;
    homeRegion?: string;
    multiRegion: boolean;
    logging: boolean;
    readWriteType?: string;
    includeManagementEvents: boolean;
    excludesKms: boolean;
  }[];
  readError?: string;
}

export interface ScanError {
  service: string;
  region: string;
  account?: string;
  operation: string;
  code: string;
  message: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  title: string;
  resourceArn: string;
  keyArn?: string;
  evidence: Record<string, unknown>;
  suppressed?: { by: string; reason: string; until: string; id: number };
  /** When a scan first reported it (since it was last resolved), where the store knows it. */
  firstSeen?: string;
}

export interface NotAssessed {
  ruleId: string;
  resourceArn: string;
  reason: string;
}

export interface ResourceRecord extends Omit<AgentResource, "keyArn"> {
  key: KeySummary;
}

export interface ScanResult {
  scannedAt: string;
  durationMs: number;
  resources: ResourceRecord[];
  keys: KeyFacts[];
  secrets: SecretFacts[];
  roles: RoleFacts[];
  trails: TrailFacts[];
  findings: Finding[];
  notAssessed: NotAssessed[];
  errors: ScanError[];
  apiCalls: number;
  /** The organization's accounts as discovered for this scan (where one is configured). */
  organization?: OrgDiscovery;
  /** Where the inventory came from when an AWS Config aggregator is configured (lib/inventory/config-source.ts). */
  inventory?: ConfigInventorySummary;
}

/** What a scan read from an AWS Config aggregator, and where it read the APIs instead (and why). */
export interface ConfigInventorySummary {
  aggregator: string;
  region: string;
  /** Configuration items used, per resource type. */
  items: Record<string, number>;
  /** Account-region-type combinations read through the service APIs instead, with the reason. */
  fallbacks: { account: string; region: string; type: string; reason: string }[];
  /** The aggregator could not be read: the whole scan used the APIs. */
  error?: { code: string; message: string };
}

export interface ScanProgress {
  /** Listing (keys, secrets and roles are read meanwhile), then the reads still under way, then the rules still running. */
  phase: "listing" | "resolving keys" | "evaluating" | "done";
  resourcesByKind: Partial<Record<ResourceKind, number>>;
  keysResolved: number;
  keysTotal: number;
  errors: number;
}

const PROVIDER_KINDS = new Set<ResourceKind>(["oauth2-credential-provider", "apikey-credential-provider"]);

/**
 * A scanned record back to the resource as collected. A credential provider's record shows its
 * secret's key, but the provider has no key of its own.
 */
export function resourceOf({ key, ...r }: ResourceRecord): AgentResource {
  return { ...r, keyArn: PROVIDER_KINDS.has(r.kind) || key.type === "aws-owned" || !key.arn ? undefined : key.arn };
}
