import "server-only";

// What every collector and resolver gets: the clients for one account and region, a call counter
// and an error sink. A failed read becomes a ScanError; the scan goes on.
import type { AwsClients } from "../server/aws/clients";
import { RATE_QUOTAS, type Pacer } from "../server/aws/quotas";
import { describeAwsError } from "../server/aws/clients";

import type { ConfigInventory } from "./config-source";
import type { AgentResource, ScanError } from "./types.shared";

export interface ScanContext {
  clients: AwsClients;
  account: string;
  region: string;
  counter: { calls: number };
  errors: ScanError[];
  /** Paces calls to stay within AWS's published quotas (shared by the whole scan). */
  pacer?: Pacer;
  /** The previous scan's records by ARN: unchanged resources are not read again. */
  previous?: Map<string, AgentResource>;
  /** Told of each record as soon as it is read, so that its key, roles and secrets are read meanwhile. */
  onResource?: (r: AgentResource) => void;
  /** Which IAM Access Analyzer checks run on the key and secret policies read. */
  accessAnalyzer?: AccessAnalyzerOptions;
  /** What an AWS Config aggregator holds, where one is configured (lib/inventory/config-source.ts). */
  config?: ConfigInventory;
}

export interface AccessAnalyzerOptions {
  /** ValidatePolicy on every policy read (no charge). */
  validatePolicy: boolean;
  /** CheckNoPublicAccess on every policy read (billed per call). */
  checkNoPublicAccess: boolean;
}

const SIGNING: Record<string, string> = {
  KMS: "kms",
  "Secrets Manager": "secretsmanager",
  CloudTrail: "cloudtrail",
  IAM: "iam",
  "Bedrock Agents": "bedrock",
  AgentCore: "bedrock-agentcore",
  "IAM Access Analyzer": "access-analyzer",
};

/** Runs fn over items with at most n in flight, keeping the order of results. */
export async function mapLimit<T, R>(items: readonly T[], n: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let i = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (i < items.length) {
        const idx = i++;
        out[idx] = await fn(items[idx]);
      }
    }),
  );
  return out;
}

/**
 * Reads each listed item into a record (16 at once) and reports every record as soon as it is read;
 * items that could not be read are left out (their failure is already in the scan's errors).
 */
export async function collectEach<T>(ctx: ScanContext, items: readonly T[], read: (item: T) => Promise<AgentResource | undefined>): Promise<AgentResource[]> {
  const out = await mapLimit(items, 16, async (item) => {
    const r = await read(item);
    if (r) ctx.onResource?.(r);
    return r;
  });
  return out.filter((x): x is AgentResource => !!x);
}

/** The previous record for an ARN when the listing says it has not changed since. */
export function unchanged(ctx: ScanContext, arn: string | undefined, updatedAt: Date | undefined): AgentResource | undefined {
  if (!arn || !updatedAt || !ctx.previous) return undefined;
  const prev = ctx.previous.get(arn);
  return prev?.updatedAt && prev.updatedAt === updatedAt.toISOString() ? prev : undefined;
}

/** Adds the SDK's retries of a call (a throttled request sent again) to the calls made: AWS saw each one. */
export function countRetries(ctx: Pick<ScanContext, "counter">, outcome: unknown): void {
  const attempts = (outcome as { $metadata?: { attempts?: number } } | undefined)?.$metadata?.attempts;
  if (typeof attempts === "number" && attempts > 1) ctx.counter.calls += attempts - 1;
}

/**
 * Sends one AWS call (`action` as IAM names it, e.g. `bedrock:GetFlow`) at the pace of its quota for
 * the account and region, counting it and the SDK's retries of it; errors are thrown.
 */
export async function paced<T>(ctx: Pick<ScanContext, "account" | "region" | "pacer" | "counter">, action: string, fn: () => Promise<T>): Promise<T> {
  await ctx.pacer?.take(`${ctx.account}|${ctx.region}|${action}`, RATE_QUOTAS[action]);
  ctx.counter.calls += 1;
  try {
    const out = await fn();
    countRetries(ctx, out);
    return out;
  } catch (e) {
    countRetries(ctx, e);
    throw e;
  }
}

/**
 * Runs one AWS call, counting it; on failure records a ScanError and returns undefined. `failed`
 * receives the error code (the error list is shared by concurrent reads, so read it here).
 */
export async function read<T>(ctx: ScanContext, service: string, operation: string, fn: () => Promise<T>, failed?: (code: string) => void): Promise<T | undefined> {
  try {
    return await paced(ctx, `${SIGNING[service] ?? service}:${operation}`, fn);
  } catch (e) {
    const d = describeAwsError(e);
    ctx.errors.push({ service, region: ctx.region, account: ctx.account, operation, code: d.code, message: d.message });
    failed?.(d.code);
    return undefined;
  }
}

/** Follows a token through every page; stops (keeping what it has) when a page fails. */
export async function readAll<T>(
  ctx: ScanContext,
  service: string,
  operation: string,
  page: (token?: string) => Promise<{ items: T[]; next?: string }>,
  failed?: (code: string) => void,
): Promise<T[] | undefined> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const r = await read(ctx, service, operation, () => page(token), failed);
    if (!r) return out.length ? out : undefined;
    out.push(...r.items);
    token = r.next;
  } while (token);
  return out;
}

export function iso(d: Date | undefined): string | undefined {
  return d ? d.toISOString() : undefined;
}
