import "server-only";

// A sync through a query engine (Athena, CloudTrail Lake): the window from the last sync, one query,
// its status polled with backoff until it ends, the result pages rebuilt into CloudTrail records,
// normalized, tied to resources and stored. Each engine says only how to start, poll and page.
import type Database from "better-sqlite3";

import { describeAwsError } from "../../server/aws/clients";
import { correlate, type InventoryIndex } from "../correlate";
import { EVENT_NAMES, type EventName } from "../names.shared";
import { normalizeRecord, type SecretIndex } from "../normalize";
import { insertEvents, markSynced, type StoredInput, syncedUpTo } from "../store";

export interface QueryReport {
  queryId?: string;
  state: string;
  reason?: string;
  rows: number;
  inserted: number;
  ms: number;
}

/** Query rows rebuilt into records → normalized events tied to their resources. */
export function toEvents(records: Record<string, unknown>[], opts: { inventory: InventoryIndex; secrets?: SecretIndex }): StoredInput[] {
  return records.map((rec) => {
    const n = normalizeRecord(rec, opts.secrets);
    return { ...n, ...correlate(n, opts.inventory) };
  });
}

export interface QueryEngine {
  /** The store's source name and the attribute its progress is kept under. */
  source: "athena" | "lake";
  attribute: string;
  account: string;
  region: string;
  start(from: number, to: number, names: readonly EventName[]): Promise<string | undefined>;
  status(queryId: string): Promise<{ state: string; reason?: string }>;
  /** States after which the query will not change, and the one that means it succeeded. */
  finished: string[];
  succeeded: string;
  /** One page of results as CloudTrail records. */
  page(queryId: string, token: string | undefined): Promise<{ records: Record<string, unknown>[]; next?: string }>;
}

export interface QuerySyncOptions {
  since: number;
  until?: number;
  names?: readonly EventName[];
  inventory: InventoryIndex;
  secrets?: SecretIndex;
  pollMs?: number;
  onProgress?: (p: { state: string; rows: number; inserted: number }) => void;
}

export async function syncByQuery(d: Database.Database, engine: QueryEngine, opts: QuerySyncOptions): Promise<QueryReport> {
  const started = Date.now();
  const to = opts.until ?? Date.now();
  const stored = syncedUpTo(d, engine.source, engine.account, engine.region, engine.attribute);
  // Five minutes of overlap with the last sync: rows that arrived late are read again (the store dedupes).
  const from = stored !== undefined ? Math.max(opts.since, stored - 5 * 60_000) : opts.since;
  const report: QueryReport = { state: "QUEUED", rows: 0, inserted: 0, ms: 0 };
  try {
    report.queryId = await engine.start(from, to, opts.names ?? EVENT_NAMES);
    if (!report.queryId) throw new Error("the query was not started");
    for (let i = 0; ; i++) {
      const s = await engine.status(report.queryId);
      report.state = s.state;
      report.reason = s.reason;
      opts.onProgress?.({ state: report.state, rows: 0, inserted: 0 });
      if (engine.finished.includes(report.state)) break;
      await new Promise((r) => setTimeout(r, Math.min(5000, (opts.pollMs ?? 500) * 1.5 ** i)));
    }
    if (report.state !== engine.succeeded) return { ...report, ms: Date.now() - started };
    let token: string | undefined;
    let newest = stored ?? from;
    do {
      const page = await engine.page(report.queryId, token);
      const batch = toEvents(page.records, opts);
      for (const e of batch) if (e.eventTime > newest) newest = e.eventTime;
      report.rows += batch.length;
      report.inserted += insertEvents(d, batch, engine.source);
      opts.onProgress?.({ state: report.state, rows: report.rows, inserted: report.inserted });
      token = page.next;
    } while (token);
    markSynced(d, engine.source, engine.account, engine.region, engine.attribute, newest);
  } catch (e) {
    const err = describeAwsError(e);
    report.state = "FAILED";
    report.reason = `${err.code}: ${err.message}`;
  }
  return { ...report, ms: Date.now() - started };
}
