import "server-only";

// The demo fills itself in: as soon as the console is up, the first scan runs, then the first event
// sync (so that events are tied to the resources the scan found) — both as the console's own
// background jobs, so their progress shows on the pages a newcomer opens. Each says how long it took.
import type { KeywardConfigData } from "../config/schema";
import { startSync, syncStatus, waitForSync } from "../events/jobs";
import { scanStatus, startScan, waitForScan } from "../posture/jobs";

export interface AutostartReport {
  scanMs?: number;
  syncMs?: number;
  resources?: number;
  findings?: number;
  events?: number;
}

export async function autostart(cfg: KeywardConfigData, log: (line: string) => void = console.log): Promise<AutostartReport> {
  const report: AutostartReport = {};
  if (!scanStatus(cfg.dataDir).last) {
    const t0 = Date.now();
    log("Demo: the first scan is running (the Overview shows its progress)…");
    startScan(cfg, "demo");
    await waitForScan();
    const last = scanStatus(cfg.dataDir).last;
    report.scanMs = Date.now() - t0;
    report.resources = last?.resources.length ?? 0;
    report.findings = last?.findings.length ?? 0;
    log(`Demo: first scan done in ${(report.scanMs / 1000).toFixed(1)} s — ${report.resources} resources, ${report.findings} findings.`);
  }
  if (!syncStatus(cfg).syncedAt) {
    const t1 = Date.now();
    log(`Demo: fetching the last ${cfg.events.firstSyncDays} days of CloudTrail events (the Timeline shows its progress)…`);
    startSync(cfg, "demo");
    await waitForSync();
    const last = syncStatus(cfg).last;
    report.syncMs = Date.now() - t1;
    report.events = last?.inserted ?? 0;
    log(`Demo: event sync done in ${(report.syncMs / 1000).toFixed(1)} s — ${report.events} events stored${last?.errors.length ? `, ${last.errors.length} errors` : ""}.`);
  }
  return report;
}
