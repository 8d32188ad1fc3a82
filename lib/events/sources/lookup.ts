import "server-only";

// CloudTrail event history (LookupEvents) → the event store. One lookup attribute per call:
// EventName for the sweeps (which also catch AccessDenied records that name no resource), or
// ResourceName for one key or secret. MaxResults 50, AWS's 2 requests/second per account and
// region through a shared pacer, backoff on throttling, a NextToken only reused with the same
// parameters. Incremental: each (account, region, attribute) remembers the newest event stored.
import { LookupEventsCommand, type LookupEventsCommandInput } from "@aws-sdk/client-cloudtrail";
import type Database from "better-sqlite3";

import { clientsFor, describeAwsError, type Target } from "../../server/aws/clients";
import { Pacer, RATE_QUOTAS } from "../../server/aws/quotas";
import { correlate, type InventoryIndex } from "../correlate";
import { EVENT_NAMES, EVENT_SOURCE_OF, type EventName } from "../names.shared";
import { normalizeRecord, type SecretIndex } from "../normalize";
import { insertEvents, markSynced, syncedUpTo } from "../store";

export const HISTORY_MS = 90 * 86_400_000;
/** Re-read this much before the newest stored event: CloudTrail can deliver events late. */
export const OVERLAP_MS = 5 * 60_000;

export interface SyncProgress {
  phase: "fetching" | "done";
  calls: number;
  fetched: number;
  inserted: number;
  current?: string;
  done: number;
  total: number;
}

export interface SyncError {
  account: string;
  region: string;
  operation: string;
  attribute: string;
  code: string;
  message: string;
}

export interface SyncOptions {
  targets: Target[];
  /** Oldest time to fetch on a first sync (default: 14 days ago; at most 90 days). */
  since?: number;
  until?: number;
  names?: readonly EventName[];
  /** ResourceName lookups (key or secret ARNs) instead of event-name sweeps. */
  resourceNames?: string[];
  inventory: InventoryIndex;
  secrets?: SecretIndex;
  pacer?: Pacer;
  /** Requests per second per account and region (AWS allows 2; the sandbox can be asked for more). */
  tps?: number;
  onProgress?: (p: SyncProgress) => void;
  /** Retries of one page after ThrottlingException (with backoff) before giving up on it. */
  maxThrottleRetries?: number;
}

export interface SyncReport {
  calls: number;
  /** Calls answered with ThrottlingException (and retried). */
  throttled: number;
  fetched: number;
  inserted: number;
  errors: SyncError[];
  ms: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function syncLookupEvents(d: Database.Database, opts: SyncOptions): Promise<SyncReport> {
  const started = Date.now();
  const now = opts.until ?? Date.now();
  const names = opts.names ?? EVENT_NAMES;
  const pacer = opts.pacer ?? new Pacer();
  const attrs: { key: "EventName" | "ResourceName"; value: string }[] = opts.resourceNames?.length
    ? opts.resourceNames.map((value) => ({ key: "ResourceName" as const, value }))
    : names.map((value) => ({ key: "EventName" as const, value }));
  const wanted = new Set<string>(names);
  const progress: SyncProgress = { phase: "fetching", calls: 0, fetched: 0, inserted: 0, done: 0, total: opts.targets.length * attrs.length };
  const report = () => opts.onProgress?.({ ...progress });
  const errors: SyncError[] = [];
  let throttledTotal = 0;

  await Promise.all(
    opts.targets.map(async (t) => {
      const client = clientsFor(t).cloudtrail;
      for (const attr of attrs) {
        const attribute = `${attr.key}=${attr.value}`;
        const stored = syncedUpTo(d, "lookup", t.account, t.region, attribute);
        const floor = now - HISTORY_MS + 60_000;
        const start = Math.max(floor, stored !== undefined ? stored - OVERLAP_MS : (opts.since ?? now - 14 * 86_400_000));
        const input: LookupEventsCommandInput = {
          LookupAttributes: [{ AttributeKey: attr.key, AttributeValue: attr.value }],
          StartTime: new Date(start),
          EndTime: new Date(now),
          MaxResults: 50,
        };
        progress.current = `${t.account} ${t.region} ${attribute}`;
        report();
        let token: string | undefined;
        let newest = stored ?? start;
        let throttled = 0;
        try {
          for (;;) {
            await pacer.take(`${t.account}:${t.region}:cloudtrail:LookupEvents`, opts.tps ?? RATE_QUOTAS["cloudtrail:LookupEvents"]);
            let page;
            try {
              progress.calls++;
              page = await client.send(new LookupEventsCommand({ ...input, NextToken: token }));
            } catch (e) {
              if (describeAwsError(e).code === "ThrottlingException" && throttled < (opts.maxThrottleRetries ?? 6)) {
                throttled++;
                throttledTotal++;
                await sleep(Math.min(8000, 250 * 2 ** throttled));
                continue;
              }
              throw e;
            }
            throttled = 0;
            const batch = [];
            for (const ev of page.Events ?? []) {
              if (!ev.CloudTrailEvent) continue;
              const rec = JSON.parse(ev.CloudTrailEvent) as Record<string, unknown>;
              const n = normalizeRecord(rec, opts.secrets);
              if (attr.key === "ResourceName" && !wanted.has(n.eventName)) continue;
              if (EVENT_SOURCE_OF[n.eventName as EventName] && EVENT_SOURCE_OF[n.eventName as EventName] !== n.eventSource) continue;
              batch.push({ ...n, ...correlate(n, opts.inventory) });
              if (n.eventTime > newest) newest = n.eventTime;
            }
            progress.fetched += page.Events?.length ?? 0;
            progress.inserted += insertEvents(d, batch, "lookup");
            token = page.NextToken;
            report();
            if (!token) break;
          }
          markSynced(d, "lookup", t.account, t.region, attribute, newest);
        } catch (e) {
          const err = describeAwsError(e);
          errors.push({ account: t.account, region: t.region, operation: "LookupEvents", attribute, code: err.code, message: err.message });
        }
        progress.done++;
        report();
      }
    }),
  );
  progress.phase = "done";
  progress.current = undefined;
  report();
  return { calls: progress.calls, throttled: throttledTotal, fetched: progress.fetched, inserted: progress.inserted, errors, ms: Date.now() - started };
}
