import "server-only";

// Retention of the event store, per source. Events fetched from AWS (LookupEvents, Athena, Lake) are
// kept `events.retentionDays` unless `events.retention.<source>` says otherwise; imported log files
// are evidence someone brought on purpose and are kept until `events.retention.file` is set. A purge
// runs only after a clean sync (or import) of that source, and every purge that deletes something
// is written to the audit log with the count and the time range deleted.
import type Database from "better-sqlite3";

import { audit } from "../auth/audit";
import type { KeywardConfigData } from "../config/schema";

import { countOlderThan, eventsBySource, purgeOlderThan } from "./store";

export const RETENTION_SOURCES = ["lookup", "athena", "lake", "file"] as const;
export type RetentionSource = (typeof RETENTION_SOURCES)[number];

const DAY = 86_400_000;

/** Days the source's events are kept, or null when they are kept until deleted by hand. */
export function retentionDaysOf(cfg: KeywardConfigData, source: string): number | null {
  const set = (cfg.events.retention as Partial<Record<string, number | null>>)[source];
  if (set !== undefined) return set;
  return source === "lookup" || source === "athena" || source === "lake" ? cfg.events.retentionDays : null;
}

export interface RetentionPreview {
  source: string;
  /** null: kept until deleted by hand */
  days: number | null;
  stored: number;
  /** Events before this are deleted by the next purge (start of the UTC day). */
  cutoff: string | null;
  /** What the next purge of this source would delete. */
  wouldDelete: number;
  oldest: string | null;
  newest: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** What retention deletes at the next purge of each source (every source stored or configured). */
export function retentionPreview(d: Database.Database, cfg: KeywardConfigData, now = Date.now()): RetentionPreview[] {
  const stored = new Map(eventsBySource(d).map((s) => [s.source, s.count]));
  const sources = [...new Set<string>([...RETENTION_SOURCES, ...stored.keys()])];
  return sources.map((source) => {
    const days = retentionDaysOf(cfg, source);
    if (days === null) return { source, days, stored: stored.get(source) ?? 0, cutoff: null, wouldDelete: 0, oldest: null, newest: null };
    const before = now - days * DAY;
    const c = countOlderThan(d, before, source);
    return { source, days, stored: stored.get(source) ?? 0, cutoff: iso(Math.floor(before / DAY) * DAY), wouldDelete: c.count, oldest: iso(c.oldest), newest: iso(c.newest) };
  });
}

export interface PurgeReport {
  source: string;
  days: number;
  deleted: number;
  oldest: string | null;
  newest: string | null;
}

/**
 * Applies the source's retention: call only after a sync or import of that source that had no
 * errors. Audited when it deletes anything.
 */
export function applyRetention(d: Database.Database, cfg: KeywardConfigData, source: string, actor: string, now = Date.now()): PurgeReport | null {
  const days = retentionDaysOf(cfg, source);
  if (days === null) return null;
  const r = purgeOlderThan(d, now - days * DAY, source);
  const report = { source, days, deleted: r.deleted, oldest: iso(r.oldest), newest: iso(r.newest) };
  if (r.deleted > 0)
    audit(cfg.dataDir, {
      actor,
      action: "retention-purge",
      outcome: "success",
      detail: `deleted ${r.deleted} ${source} event${r.deleted === 1 ? "" : "s"} from ${report.oldest} to ${report.newest} (retention ${days} days)`,
    });
  return report;
}
