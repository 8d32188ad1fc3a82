import "server-only";

// Findings over time: each finding is known by its fingerprint (rule, resource, key) from the first
// scan that reported it to the scan that stopped reporting it. A finding is resolved only when a later
// scan re-checked it and found it gone: its resource was read and the rule assessed it, or the
// resource is no longer listed in an account and region that scan read without error. A finding a scan
// could not re-check (not assessed, a failed read, an account not scanned) stays open: a failed read
// is never taken for a fix.
import type Database from "better-sqlite3";

import type { ScanResult, Severity } from "../inventory/types.shared";
import { db } from "../store/db";

import { fingerprint, type FindingState } from "./lifecycle.shared";

export { fingerprint, type FindingState } from "./lifecycle.shared";

interface Row {
  fingerprint: string;
  rule_id: string;
  resource_arn: string;
  key_arn: string | null;
  severity: Severity;
  title: string;
  first_seen: string;
  first_scan: number;
  last_seen: string;
  last_scan: number;
  resolved_at: string | null;
  resolved_scan: number | null;
  resolution: "passed" | "resource gone" | null;
}

function stateOf(r: Row): FindingState {
  return {
    fingerprint: r.fingerprint,
    ruleId: r.rule_id,
    resourceArn: r.resource_arn,
    keyArn: r.key_arn ?? undefined,
    severity: r.severity,
    title: r.title,
    firstSeen: r.first_seen,
    firstScan: r.first_scan,
    lastSeen: r.last_seen,
    lastScan: r.last_scan,
    resolvedAt: r.resolved_at ?? undefined,
    resolvedScan: r.resolved_scan ?? undefined,
    resolution: r.resolution ?? undefined,
  };
}

/** What a scan changed: the findings it reported first (or again after a fix), and those it resolved. */
export interface ScanChanges {
  opened: string[];
  resolved: string[];
}

/** The account-regions a scan read without an error (its trails are read per target). */
function cleanPlaces(result: ScanResult): Set<string> {
  const failed = new Set(result.errors.filter((e) => e.account).map((e) => `${e.account}|${e.region}`));
  const read = new Set([...result.trails.map((t) => `${t.account}|${t.region}`), ...result.resources.map((r) => `${r.account}|${r.region}`)]);
  return new Set([...read].filter((p) => !failed.has(p)));
}

/** Records a completed scan's findings (inside the caller's transaction when it has one). */
export function recordFindings(d: Database.Database, scanId: number, result: ScanResult): ScanChanges {
  const at = result.scannedAt;
  const current = new Map(result.findings.map((f) => [fingerprint(f), f]));
  const changes: ScanChanges = { opened: [], resolved: [] };
  const get = d.prepare("SELECT * FROM finding_states WHERE fingerprint = ?");
  const insert = d.prepare(
    "INSERT INTO finding_states (fingerprint, rule_id, resource_arn, key_arn, severity, title, first_seen, first_scan, last_seen, last_scan) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const seen = d.prepare("UPDATE finding_states SET severity = ?, title = ?, last_seen = ?, last_scan = ? WHERE fingerprint = ?");
  const reopen = d.prepare(
    "UPDATE finding_states SET severity = ?, title = ?, first_seen = ?, first_scan = ?, last_seen = ?, last_scan = ?, resolved_at = NULL, resolved_scan = NULL, resolution = NULL WHERE fingerprint = ?",
  );
  const resolve = d.prepare("UPDATE finding_states SET resolved_at = ?, resolved_scan = ?, resolution = ? WHERE fingerprint = ?");
  for (const [fp, f] of current) {
    const row = get.get(fp) as Row | undefined;
    if (!row) {
      insert.run(fp, f.ruleId, f.resourceArn, f.keyArn ?? null, f.severity, f.title, at, scanId, at, scanId);
      changes.opened.push(fp);
    } else if (row.resolved_at) {
      reopen.run(f.severity, f.title, at, scanId, at, scanId, fp);
      changes.opened.push(fp);
    } else seen.run(f.severity, f.title, at, scanId, fp);
  }
  // The open findings this scan did not report: resolved only where it re-checked them.
  const resources = new Set(result.resources.map((r) => r.arn));
  const notAssessed = new Set(result.notAssessed.map((n) => `${n.ruleId}|${n.resourceArn}`));
  const places = cleanPlaces(result);
  for (const row of d.prepare("SELECT * FROM finding_states WHERE resolved_at IS NULL").all() as Row[]) {
    if (current.has(row.fingerprint)) continue;
    const [, , , region, account] = row.resource_arn.split(":");
    let resolution: "passed" | "resource gone" | undefined;
    if (resources.has(row.resource_arn)) {
      if (!notAssessed.has(`${row.rule_id}|${row.resource_arn}`) && places.has(`${account}|${region}`)) resolution = "passed";
    } else if (places.has(`${account}|${region}`)) resolution = "resource gone";
    if (!resolution) continue;
    resolve.run(at, scanId, resolution, row.fingerprint);
    changes.resolved.push(row.fingerprint);
  }
  return changes;
}

/** Each open finding's state, by fingerprint. */
export function openStates(dataDir: string): Map<string, FindingState> {
  const rows = db(dataDir).prepare("SELECT * FROM finding_states WHERE resolved_at IS NULL").all() as Row[];
  return new Map(rows.map((r) => [r.fingerprint, stateOf(r)]));
}

/** Findings opened and resolved since a time (the Overview's "since yesterday"). */
export function changesSince(dataDir: string, since: string): { since: string; opened: FindingState[]; resolved: FindingState[] } {
  const d = db(dataDir);
  const opened = (d.prepare("SELECT * FROM finding_states WHERE resolved_at IS NULL AND first_seen >= ? ORDER BY first_seen DESC").all(since) as Row[]).map(stateOf);
  const resolved = (d.prepare("SELECT * FROM finding_states WHERE resolved_at >= ? ORDER BY resolved_at DESC").all(since) as Row[]).map(stateOf);
  return { since, opened, resolved };
}

/** The states of these fingerprints (open or not). */
export function statesOf(dataDir: string, fingerprints: string[]): FindingState[] {
  const get = db(dataDir).prepare("SELECT * FROM finding_states WHERE fingerprint = ?");
  return fingerprints.flatMap((fp) => {
    const r = get.get(fp) as Row | undefined;
    return r ? [stateOf(r)] : [];
  });
}
