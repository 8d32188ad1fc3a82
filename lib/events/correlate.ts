// Ties an event to the agent resource it served: by encryption context where the record has one
// (plain keys and the `aws-crypto-ec:` form hierarchical keyrings write), by the secret it read,
// else by the calling service and the key, else by the key alone when one resource uses it.
// The last two are guesses, so they are never made when the record says it served something else:
// an encryption context naming another service's resource (or an agent resource Keyward does not
// know), or a calling service that is not an agent service. Those are "other use" of the key.
import { KINDS, type ResourceKind } from "../inventory/kinds";

import type { Correlation } from "./names.shared";
import type { NormalizedEvent } from "./normalize";

export interface InventoryIndex {
  resources: Map<string, ResourceKind>;
  byKey: Map<string, { arn: string; kind: ResourceKind }[]>;
  bySecret: Map<string, string[]>;
}

export function inventoryIndex(resources: { arn: string; kind: ResourceKind; key: { arn: string; type: string }; secrets: { arn: string }[] }[]): InventoryIndex {
  const idx: InventoryIndex = { resources: new Map(), byKey: new Map(), bySecret: new Map() };
  for (const r of resources) {
    idx.resources.set(r.arn, r.kind);
    if (r.key.arn && r.key.type !== "aws-owned") idx.byKey.set(r.key.arn, [...(idx.byKey.get(r.key.arn) ?? []), { arn: r.arn, kind: r.kind }]);
    for (const s of r.secrets) idx.bySecret.set(s.arn, [...(idx.bySecret.get(s.arn) ?? []), r.arn]);
  }
  return idx;
}

export interface Correlated {
  resourceArn?: string;
  correlation?: Correlation;
  /** For "other use": the service the record says the call served (e.g. "workmail", "s3"). */
  otherService?: string;
}

/** Encryption-context keys that name the resource, by the service that writes them (the kinds' descriptors). */
const EC_KEYS = [...new Set(KINDS.flatMap((k) => k.correlation.contextKeys.map((c) => c.toLowerCase())))];

/** The kinds each calling service works for. */
const SERVICE_KINDS: Record<string, ResourceKind[]> = {};
for (const k of KINDS) for (const svc of k.correlation.services) (SERVICE_KINDS[svc] ??= []).push(k.id);

/**
 * The services whose resources Keyward inventories: the services of the kinds' ARNs and of their
 * encryption-context keys (`aws:SERVICE:...`).
 */
const AGENT_SERVICES = new Set(KINDS.flatMap((k) => [k.arnService, ...k.correlation.contextKeys.map((c) => /^aws:([a-z0-9-]+):/.exec(c)?.[1] ?? k.arnService)]));

/** The service a calling-service host name stands for: "workmail.amazonaws.com" and "workmail.us-east-1.amazonaws.com" → "workmail.amazonaws.com". */
export function serviceHost(s: string): string {
  return s.replace(/\.[a-z]{2}(-[a-z]+)+-\d\.amazonaws\.com$/, ".amazonaws.com");
}

/**
 * What the record says the call served when it is not an agent resource: the service of an
 * encryption-context key or ARN value that is not an agent service's, or a calling service that is
 * not an agent service. `unknownAgentResource` is set when the context names an agent resource the
 * inventory doesn't hold (another agent's — never to be guessed onto the one Keyward knows).
 */
function otherServiceOf(e: NormalizedEvent, idx: InventoryIndex): { service?: string; unknownAgentResource?: boolean } {
  for (const [k, v] of Object.entries(e.encryptionContext ?? {})) {
    const key = k.toLowerCase().replace(/^aws-crypto-ec:/, "");
    if (key === "secretarn") {
      if (!idx.bySecret.has(String(v))) return { service: "secretsmanager" };
      continue;
    }
    const svc = /^aws:([a-z0-9-]+):/.exec(key)?.[1];
    if (svc && !AGENT_SERVICES.has(svc)) return { service: svc };
    if (svc && EC_KEYS.includes(key) && !idx.resources.has(agentOf(String(v)))) return { unknownAgentResource: true };
    const arnService = /^arn:aws[a-z-]*:([a-z0-9-]+):/.exec(String(v))?.[1];
    if (arnService && arnService !== "kms" && !AGENT_SERVICES.has(arnService)) return { service: arnService };
  }
  const caller = e.invokedBy ?? (e.sourceIPAddress?.endsWith(".amazonaws.com") ? e.sourceIPAddress : undefined);
  if (caller) {
    const host = serviceHost(caller);
    if (!SERVICE_KINDS[host]) return { service: host.replace(/\.amazonaws\.com$/, "") };
  }
  return {};
}

/** An agent alias ARN stands for its agent. */
function agentOf(arn: string): string {
  const m = /^(arn:aws[a-z-]*:bedrock:[a-z0-9-]+:\d{12}):agent-alias\/([A-Z0-9]+)\/[A-Z0-9]+$/.exec(arn);
  return m ? `${m[1]}:agent/${m[2]}` : arn;
}

export function correlate(e: NormalizedEvent, idx: InventoryIndex): Correlated {
  for (const [k, v] of Object.entries(e.encryptionContext ?? {})) {
    const key = k.toLowerCase().replace(/^aws-crypto-ec:/, "");
    if (EC_KEYS.includes(key) && typeof v === "string") {
      const arn = agentOf(v);
      if (idx.resources.has(arn)) return { resourceArn: arn, correlation: "encryption context" };
    }
    if (key === "secretarn" && typeof v === "string") {
      const providers = idx.bySecret.get(v);
      if (providers?.length) return { resourceArn: providers[0], correlation: "encryption context" };
    }
  }
  if (e.secretArn && e.eventSource === "secretsmanager.amazonaws.com") {
    const providers = idx.bySecret.get(e.secretArn);
    if (providers?.length) return { resourceArn: providers[0], correlation: "secret" };
  }
  if (!e.keyArn) return {};
  const other = otherServiceOf(e, idx);
  if (other.service) return { correlation: "other use", otherService: other.service };
  if (other.unknownAgentResource) return {};
  const users = idx.byKey.get(e.keyArn) ?? [];
  const service = e.invokedBy ?? (e.sourceIPAddress?.endsWith(".amazonaws.com") ? e.sourceIPAddress : undefined);
  if (service) {
    const kinds = SERVICE_KINDS[serviceHost(service)] ?? [];
    const match = users.filter((u) => kinds.includes(u.kind));
    if (match.length === 1) return { resourceArn: match[0].arn, correlation: "service + key" };
  }
  if (users.length === 1) return { resourceArn: users[0].arn, correlation: "key only" };
  return {};
}
