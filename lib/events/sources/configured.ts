import "server-only";

// The event source the configuration names — CloudTrail Lake, Athena, or LookupEvents — run with the
// inventory of the last scan and reported the same way, for the console's sync job and `keyward sync`.
import type Database from "better-sqlite3";

import type { KeywardConfigData } from "../../config/schema";
import { targetsOf } from "../../server/aws/connection";
import type { InventoryIndex } from "../correlate";
import type { SecretIndex } from "../normalize";

import { syncAthena } from "./athena";
import { syncLake } from "./lake";
import type { QueryReport } from "./query";
import { type SyncProgress, type SyncReport, syncLookupEvents } from "./lookup";

export const SOURCES = ["lookup", "athena", "lake"] as const;
export type SourceName = (typeof SOURCES)[number];

export function defaultSource(cfg: KeywardConfigData): SourceName {
  return cfg.events.lake ? "lake" : cfg.events.athena ? "athena" : "lookup";
}

export class SourceNotConfigured extends Error {}

export interface SourceReport extends SyncReport {
  source: SourceName;
  /** The Athena or Lake query, for query sources. */
  queryId?: string;
}

/** One query (Athena, Lake) reported as a sync: one call, its rows, its failure as an error entry. */
function asSync(source: SourceName, r: QueryReport, ok: string, operation: string, attribute: string, at: { account: string; region: string }): SourceReport {
  return {
    source,
    queryId: r.queryId,
    calls: 1,
    throttled: 0,
    fetched: r.rows,
    inserted: r.inserted,
    ms: r.ms,
    errors: r.state === ok ? [] : [{ account: at.account, region: at.region, operation, attribute, code: r.state, message: r.reason ?? "" }],
  };
}

export async function syncConfigured(
  d: Database.Database,
  cfg: KeywardConfigData,
  opts: { source: SourceName; since: number; inventory: InventoryIndex; secrets: SecretIndex; onProgress?: (p: SyncProgress) => void },
): Promise<SourceReport> {
  const { since, inventory, secrets } = opts;
  const queryProgress = (label: string) => (p: { state: string; rows: number; inserted: number }) =>
    opts.onProgress?.({ phase: "fetching", calls: 1, fetched: p.rows, inserted: p.inserted, done: 0, total: 1, current: `${label} query ${p.state}` });
  if (opts.source === "lake") {
    const lake = cfg.events.lake;
    if (!lake) throw new SourceNotConfigured("the lake source needs events.lake in keyward.config.json (docs/timeline.md)");
    const r = await syncLake(d, { source: lake, since, inventory, secrets, onProgress: queryProgress("CloudTrail Lake") });
    return asSync("lake", r, "FINISHED", "CloudTrail Lake", lake.eventDataStore, lake);
  }
  if (opts.source === "athena") {
    const athena = cfg.events.athena;
    if (!athena) throw new SourceNotConfigured("the athena source needs events.athena in keyward.config.json (docs/timeline.md)");
    const r = await syncAthena(d, { source: athena, since, inventory, secrets, onProgress: queryProgress("Athena") });
    return asSync("athena", r, "SUCCEEDED", "Athena", `${athena.database}.${athena.table}`, athena);
  }
  const targets = targetsOf(cfg);
  if (!targets.length) throw new SourceNotConfigured("nothing to sync: configure accounts (KEYWARD_ACCOUNTS / keyward.config.json)");
  return { source: "lookup", ...(await syncLookupEvents(d, { targets, since, inventory, secrets, tps: cfg.events.lookupTps, onProgress: opts.onProgress })) };
}
