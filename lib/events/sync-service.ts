// The one event sync the console's job and `keyward sync` both run: fetch from the configured source
// with the last stored scan's inventory (so events are tied as they are stored), then apply that
// source's retention — only after a sync without errors, so that a failed fetch never deletes
// evidence, and never to another source's events (imported files above all).
import type Database from "better-sqlite3";

import type { KeywardConfigData } from "../config/schema";
import { lastScan } from "../posture/scans";

import { inventoryIndex } from "./correlate";
import { secretIndex } from "./normalize";
import { defaultSource, type SourceName, type SourceReport, syncConfigured } from "./sources/configured";
import type { SyncProgress } from "./sources/lookup";
import { applyRetention, type PurgeReport } from "./retention";

export type SyncRun = SourceReport & {
  /** Events deleted by the source's retention period after this sync. */
  purged: number;
  /** The purge, when one ran (null after a sync with errors, or for a source kept until deleted by hand). */
  purge: PurgeReport | null;
  /** The stored scan whose inventory tied the events, if any. */
  scanId?: number;
};

export async function runEventSync(
  d: Database.Database,
  cfg: KeywardConfigData,
  opts: { source?: SourceName; since: number; onProgress?: (p: SyncProgress) => void; actor: string },
): Promise<SyncRun> {
  const last = lastScan(cfg.dataDir);
  const source = opts.source ?? defaultSource(cfg);
  const r = await syncConfigured(d, cfg, {
    source,
    since: opts.since,
    inventory: inventoryIndex(last?.resources ?? []),
    secrets: secretIndex(last?.secrets ?? [], last?.keys ?? []),
    onProgress: opts.onProgress,
  });
  const purge = r.errors.length === 0 ? applyRetention(d, cfg, r.source, opts.actor) : null;
  return { ...r, purged: purge?.deleted ?? 0, purge, scanId: last?.id };
}
