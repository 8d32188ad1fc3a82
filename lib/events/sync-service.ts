// The one event sync the console's job and `keyward sync` both run: fetch from the configured source
// with the last stored scan's inventory (so events are tied as they are stored), then apply the
// retention period — only after a sync that read something without errors, so that a failed fetch
// never deletes evidence.
import type Database from "better-sqlite3";

import type { KeywardConfigData } from "../config/schema";
import { lastScan } from "../posture/scans";

import { inventoryIndex } from "./correlate";
import { secretIndex } from "./normalize";
import { defaultSource, type SourceName, type SourceReport, syncConfigured } from "./sources/configured";
import type { SyncProgress } from "./sources/lookup";
import { purgeOlderThan } from "./store";

export type SyncRun = SourceReport & {
  /** Events deleted by the retention period after this sync. */
  purged: number;
  /** The stored scan whose inventory tied the events, if any. */
  scanId?: number;
};

export async function runEventSync(
  d: Database.Database,
  cfg: KeywardConfigData,
  opts: { source?: SourceName; since: number; onProgress?: (p: SyncProgress) => void },
): Promise<SyncRun> {
  const last = lastScan(cfg.dataDir);
  const r = await syncConfigured(d, cfg, {
    source: opts.source ?? defaultSource(cfg),
    since: opts.since,
    inventory: inventoryIndex(last?.resources ?? []),
    secrets: secretIndex(last?.secrets ?? []),
    onProgress: opts.onProgress,
  });
  const purged = r.errors.length === 0 ? purgeOlderThan(d, Date.now() - cfg.events.retentionDays * 86_400_000) : 0;
  return { ...r, purged, scanId: last?.id };
}
