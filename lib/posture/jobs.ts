import "server-only";

// Scans run on the server in the background, one at a time; the UI polls for progress and shows
// the last completed result meanwhile. Results and history are kept in the SQLite store.
import type { KeywardConfigData } from "../config/schema";
import type { ScanProgress, ScanResult } from "../inventory/types.shared";
import { resolveTargets } from "../org/discover";
import { targetsOf } from "../server/aws/connection";
import { db } from "../store/db";

import { runScan } from "./scan";
import { beginScan, failScan, finishScan } from "./scans";
import { notifyScan } from "./notify";
import { changesSince, fingerprint, type FindingState, openStates } from "./lifecycle";
import { activeSuppressions, applySuppressions } from "./suppressions";

interface Running {
  id: number;
  startedAt: string;
  startedBy: string;
  progress: ScanProgress;
}

// One slot per server process: route handlers may be bundled apart, so the slot lives on globalThis.
const slot = globalThis as typeof globalThis & { __keywardRunningScan?: Running };

export interface ScanStatus {
  running: Running | null;
  last: (ScanResult & { id: number; startedBy: string | null }) | null;
  lastFailure: { id: number; at: string; error: string } | null;
  /** Findings opened and resolved in the last 24 hours. */
  changes: { since: string; opened: FindingState[]; resolved: FindingState[] };
}

export function scanStatus(dataDir: string): ScanStatus {
  const d = db(dataDir);
  const last = d.prepare("SELECT id, result, started_by FROM scans WHERE status = 'done' ORDER BY id DESC LIMIT 1").get() as
    { id: number; result: string; started_by: string | null } | undefined;
  const failed = d.prepare("SELECT id, finished_at, error FROM scans WHERE status = 'failed' AND id > ? ORDER BY id DESC LIMIT 1").get(last?.id ?? 0) as
    { id: number; finished_at: string; error: string } | undefined;
  return {
    running: slot.__keywardRunningScan ?? null,
    last: last ? withSuppressions(dataDir, { ...(JSON.parse(last.result) as ScanResult), id: last.id, startedBy: last.started_by }) : null,
    lastFailure: failed ? { id: failed.id, at: failed.finished_at, error: failed.error } : null,
    changes: changesSince(dataDir, new Date(Date.now() - 24 * 3600_000).toISOString()),
  };
}

function withSuppressions<T extends ScanResult>(dataDir: string, r: T): T {
  const states = openStates(dataDir);
  const findings = applySuppressions(r.findings, activeSuppressions(dataDir)).map((f) => {
    const s = states.get(fingerprint(f));
    return s ? { ...f, firstSeen: s.firstSeen } : f;
  });
  return { ...r, findings };
}

export function startScan(cfg: KeywardConfigData, startedBy: string): { id: number; alreadyRunning: boolean } {
  const current = slot.__keywardRunningScan;
  if (current) return { id: current.id, alreadyRunning: true };
  const targets = targetsOf(cfg);
  const d = db(cfg.dataDir);
  const startedAt = new Date().toISOString();
  const id = beginScan(cfg.dataDir, startedBy, startedAt);
  const job: Running = { id, startedAt, startedBy, progress: { phase: "listing", resourcesByKind: {}, keysResolved: 0, keysTotal: 0, errors: 0 } };
  slot.__keywardRunningScan = job;
  const last = d.prepare("SELECT result FROM scans WHERE status = 'done' ORDER BY id DESC LIMIT 1").get() as { result: string } | undefined;
  // A rescan reads again only what changed since the last completed scan.
  const previous = last ? (JSON.parse(last.result) as ScanResult) : undefined;
  void (async () => {
    // The organization's accounts are discovered afresh for every scan (accounts join and leave).
    const { targets: all, organization, configAggregator } = await resolveTargets(cfg, targets);
    const result = await runScan({
      targets: all,
      configAggregator,
      trustedAccounts: [...cfg.trustedAccounts, ...cfg.trustedOrganizations],
      accessAnalyzer: cfg.accessAnalyzer,
      previous,
      onProgress: (p) => (job.progress = p),
    });
    if (organization) {
      result.organization = organization;
      result.errors.unshift(...organization.errors);
    }
    return { result, targets: all };
  })()
    .then(({ result, targets: all }) => {
      const { changes } = finishScan(cfg.dataDir, id, result);
      void notifyScan(cfg, id, changes, { result, targets: all });
    })
    .catch((e: unknown) => {
      console.error("scan failed:", e);
      failScan(cfg.dataDir, id, e instanceof Error ? e.message : String(e));
    })
    .finally(() => {
      slot.__keywardRunningScan = undefined;
    });
  return { id, alreadyRunning: false };
}

/** Runs a scan to completion (tests, first load). */
export async function waitForScan(): Promise<void> {
  while (slot.__keywardRunningScan) await new Promise((r) => setTimeout(r, 100));
}
