import "server-only";

// Background event syncs for the console: one at a time per process (the slot lives on globalThis
// so every route handler sees it), progress polled by the page, the last report kept in memory.
import type { KeywardConfigData } from "../config/schema";
import { scanStatus } from "../posture/jobs";
import { db } from "../store/db";

import type { SyncProgress, SyncReport } from "./sources/lookup";
import type { PurgeReport } from "./retention";
import { lastSync } from "./store";
import { runEventSync } from "./sync-service";

interface Slot {
  running?: { startedAt: string; startedBy: string; progress: SyncProgress };
  last?: SyncReport & { finishedAt: string; startedBy: string; purge: PurgeReport | null };
}
const slot = globalThis as typeof globalThis & { __keywardEventSync?: Slot };
const state = (): Slot => (slot.__keywardEventSync ??= {});

export interface SyncStatus {
  running: Slot["running"] | null;
  last: Slot["last"] | null;
  syncedAt: string | null;
  /** No scan yet: events are stored but not tied to resources. */
  needsScan: boolean;
}

export function syncStatus(cfg: KeywardConfigData): SyncStatus {
  const s = state();
  return { running: s.running ?? null, last: s.last ?? null, syncedAt: lastSync(db(cfg.dataDir)).syncedAt, needsScan: !scanStatus(cfg.dataDir).last };
}

export function startSync(cfg: KeywardConfigData, startedBy: string): { alreadyRunning: boolean } {
  const s = state();
  if (s.running) return { alreadyRunning: true };
  const running: NonNullable<Slot["running"]> = {
    startedAt: new Date().toISOString(),
    startedBy,
    progress: { phase: "fetching", calls: 0, fetched: 0, inserted: 0, done: 0, total: 0 },
  };
  s.running = running;
  const d = db(cfg.dataDir);
  const since = Date.now() - cfg.events.firstSyncDays * 86_400_000;
  // The same sync `keyward sync` runs: the last stored scan's inventory, retention only after a clean fetch.
  const job = runEventSync(d, cfg, { since, onProgress: (p) => (running.progress = p), actor: startedBy });
  void job
    .then((r) => {
      s.last = { ...r, finishedAt: new Date().toISOString(), startedBy };
    })
    .catch((e: unknown) => {
      console.error("event sync failed:", e);
      s.last = {
        calls: 0,
        throttled: 0,
        fetched: 0,
        inserted: 0,
        ms: 0,
        errors: [{ account: "", region: "", operation: "sync", attribute: "", code: "InternalError", message: e instanceof Error ? e.message : String(e) }],
        purge: null,
        finishedAt: new Date().toISOString(),
        startedBy,
      };
    })
    .finally(() => {
      s.running = undefined;
    });
  return { alreadyRunning: false };
}

export async function waitForSync(): Promise<void> {
  while (state().running) await new Promise((r) => setTimeout(r, 100));
}
