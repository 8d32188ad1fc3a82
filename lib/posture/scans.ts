// The scan repository: every completed scan, from the console's job or `keyward scan`, is kept in
// the store the same way, and the last one is what the console, `keyward sync` and the policy
// review read.
import type Database from "better-sqlite3";

import { inventoryIndex } from "../events/correlate";
import { secretIndex } from "../events/normalize";
import { retieEvents } from "../events/store";
import type { ScanResult } from "../inventory/types.shared";
import { db } from "../store/db";

import { recordFindings, type ScanChanges } from "./lifecycle";

export function beginScan(dataDir: string, startedBy: string, startedAt = new Date().toISOString()): number {
  return Number(db(dataDir).prepare("INSERT INTO scans (started_at, status, started_by) VALUES (?, 'running', ?)").run(startedAt, startedBy).lastInsertRowid);
}

/**
 * Stores a completed scan; then events stored before it (fetched or imported while the inventory
 * lacked their resource) are tied to the resources it found. Returns how many were tied.
 */
export function finishScan(dataDir: string, id: number, result: ScanResult): { tied: number; changes: ScanChanges } {
  const d = db(dataDir);
  // The scan and its findings' lifecycle are stored together: a crash between them cannot leave one without the other.
  const changes = d.transaction(() => {
    d.prepare("UPDATE scans SET status = 'done', finished_at = ?, result = ? WHERE id = ?").run(new Date().toISOString(), JSON.stringify(result), id);
    return recordFindings(d, id, result);
  })();
  return { tied: retieAfterScan(d, result), changes };
}

export function failScan(dataDir: string, id: number, error: string): void {
  db(dataDir).prepare("UPDATE scans SET status = 'failed', finished_at = ?, error = ? WHERE id = ?").run(new Date().toISOString(), error, id);
}

/** Stores a scan that already ran (the CLI's), as the console's job does. */
export function saveScan(dataDir: string, result: ScanResult, startedBy: string): { id: number; tied: number; changes: ScanChanges } {
  const id = beginScan(dataDir, startedBy, result.scannedAt ?? new Date().toISOString());
  return { id, ...finishScan(dataDir, id, result) };
}

export function lastScan(dataDir: string): (ScanResult & { id: number; startedBy: string | null }) | undefined {
  const row = db(dataDir).prepare("SELECT id, result, started_by FROM scans WHERE status = 'done' ORDER BY id DESC LIMIT 1").get() as
    { id: number; result: string; started_by: string | null } | undefined;
  return row ? { ...(JSON.parse(row.result) as ScanResult), id: row.id, startedBy: row.started_by } : undefined;
}

export function scanById(dataDir: string, id: number): ScanResult | undefined {
  const row = db(dataDir).prepare("SELECT result FROM scans WHERE id = ? AND status = 'done'").get(id) as { result: string } | undefined;
  return row ? (JSON.parse(row.result) as ScanResult) : undefined;
}

function retieAfterScan(d: Database.Database, result: ScanResult): number {
  return retieEvents(d, inventoryIndex(result.resources), secretIndex(result.secrets ?? [], result.keys ?? []));
}
