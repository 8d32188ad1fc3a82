import "server-only";

// What every collector and resolver gets: the clients for one account and region, a call counter
// and an error sink. A failed read becomes a ScanError; the scan goes on.
import type { AwsClients } from "../server/aws/clients";
import { describeAwsError } from "../server/aws/clients";

import type { AgentResource, ResourceKind, ScanError } from "./types.shared";

export interface ScanContext {
  clients: AwsClients;
  account: string;
  region: string;
  counter: { calls: number };
  errors: ScanError[];
}

export interface Collector {
  kind: ResourceKind;
  /** The service named in errors (Bedrock Agents, AgentCore, ...). */
  service: string;
  collect(ctx: ScanContext): Promise<AgentResource[]>;
}

/** Runs one AWS call, counting it; on failure records a ScanError and returns undefined. */
export async function read<T>(ctx: ScanContext, service: string, operation: string, fn: () => Promise<T>): Promise<T | undefined> {
  ctx.counter.calls += 1;
  try {
    return await fn();
  } catch (e) {
    const d = describeAwsError(e);
    ctx.errors.push({ service, region: ctx.region, account: ctx.account, operation, code: d.code, message: d.message });
    return undefined;
  }
}

/** Follows a token through every page; stops (keeping what it has) when a page fails. */
export async function readAll<T>(ctx: ScanContext, service: string, operation: string, page: (token?: string) => Promise<{ items: T[]; next?: string }>): Promise<T[] | undefined> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const r = await read(ctx, service, operation, () => page(token));
    if (!r) return out.length ? out : undefined;
    out.push(...r.items);
    token = r.next;
  } while (token);
  return out;
}

export function iso(d: Date | undefined): string | undefined {
  return d ? d.toISOString() : undefined;
}
