import "server-only";

// The embedded SQLite store in the data directory (better-sqlite3): the audit log now; scan results
// and events later. One connection per process, migrations applied in order at open.
import { mkdirSync } from "node:fs";
import { join } from "node:path";

import Database from "better-sqlite3";

const MIGRATIONS = [
  `CREATE TABLE audit (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     at TEXT NOT NULL,
     actor TEXT,
     action TEXT NOT NULL,
     outcome TEXT NOT NULL,
     ip TEXT,
     detail TEXT
   );
   CREATE INDEX audit_at ON audit(at DESC);`,
  `CREATE TABLE scans (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     started_at TEXT NOT NULL,
     finished_at TEXT,
     status TEXT NOT NULL,
     started_by TEXT,
     result TEXT,
     error TEXT
   );`,
  `CREATE TABLE suppressions (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     rule_id TEXT NOT NULL,
     resource_arn TEXT NOT NULL,
     reason TEXT NOT NULL,
     until TEXT NOT NULL,
     created_by TEXT NOT NULL,
     created_at TEXT NOT NULL,
     removed_by TEXT,
     removed_at TEXT
   );
   CREATE INDEX suppressions_active ON suppressions(removed_at, until);`,
  `CREATE TABLE events (
     event_id TEXT PRIMARY KEY,
     event_time INTEGER NOT NULL,
     account TEXT NOT NULL,
     region TEXT NOT NULL,
     event_source TEXT NOT NULL,
     event_name TEXT NOT NULL,
     principal_arn TEXT,
     principal_type TEXT,
     invoked_by TEXT,
     source_ip TEXT,
     user_agent TEXT,
     key_arn TEXT,
     secret_arn TEXT,
     encryption_context TEXT,
     resource_arn TEXT,
     correlation TEXT,
     error_code TEXT,
     error_message TEXT,
     request_id TEXT,
     source TEXT NOT NULL,
     raw TEXT NOT NULL
   );
   CREATE INDEX events_time ON events(event_time);
   CREATE INDEX events_key_time ON events(key_arn, event_time);
   CREATE INDEX events_resource_time ON events(resource_arn, event_time);
   CREATE INDEX events_principal_time ON events(principal_arn, event_time);
   CREATE INDEX events_name_time ON events(event_name, event_time);
   CREATE INDEX events_secret_time ON events(secret_arn, event_time);
   CREATE TABLE event_sync (
     source TEXT NOT NULL,
     account TEXT NOT NULL,
     region TEXT NOT NULL,
     attribute TEXT NOT NULL,
     newest INTEGER NOT NULL,
     synced_at TEXT NOT NULL,
     PRIMARY KEY (source, account, region, attribute)
   );`,
  `CREATE TABLE event_hours (
     hour INTEGER NOT NULL,
     account TEXT NOT NULL,
     region TEXT NOT NULL,
     event_name TEXT NOT NULL,
     n INTEGER NOT NULL,
     PRIMARY KEY (hour, account, region, event_name)
   ) WITHOUT ROWID;
   INSERT INTO event_hours SELECT (event_time / 3600000) * 3600000, account, region, event_name, COUNT(*) FROM events GROUP BY 1, 2, 3, 4;`,
  // Covering indexes: the facets and a key's histogram read the index alone, not the rows.
  `CREATE INDEX events_facets ON events(event_time, principal_arn, event_name, error_code, key_arn, resource_arn, source_ip);
   DROP INDEX events_key_time;
   CREATE INDEX events_key_time ON events(key_arn, event_time, event_name);`,
  `CREATE TABLE principal_days (
     day INTEGER NOT NULL,
     account TEXT NOT NULL,
     region TEXT NOT NULL,
     principal_arn TEXT NOT NULL,
     n INTEGER NOT NULL,
     PRIMARY KEY (day, account, region, principal_arn)
   ) WITHOUT ROWID;
   INSERT INTO principal_days SELECT (event_time / 86400000) * 86400000, account, region, principal_arn, COUNT(*) FROM events WHERE principal_arn IS NOT NULL GROUP BY 1, 2, 3, 4;`,
  `CREATE TABLE setup_runs (
     id TEXT PRIMARY KEY,
     plan_id TEXT NOT NULL,
     attempt INTEGER NOT NULL,
     status TEXT NOT NULL,
     actor TEXT NOT NULL,
     started_at TEXT NOT NULL,
     plan TEXT NOT NULL,
     state TEXT NOT NULL
   );
   CREATE INDEX setup_runs_plan ON setup_runs(plan_id, attempt DESC);
   CREATE INDEX setup_runs_started ON setup_runs(started_at DESC);`,
  // The caller's account for every event (cross-account callers carry nothing else), what "other
  // use" of a key served, and whether the event id was derived from the record.
  `ALTER TABLE events ADD COLUMN caller_account TEXT;
   ALTER TABLE events ADD COLUMN other_service TEXT;
   ALTER TABLE events ADD COLUMN id_derived INTEGER NOT NULL DEFAULT 0;
   UPDATE events SET caller_account = COALESCE(
     json_extract(raw, '$.userIdentity.accountId'),
     json_extract(raw, '$.userIdentity.sessionContext.sessionIssuer.accountId'),
     CASE WHEN principal_arn LIKE 'arn:aws%:iam::%' OR principal_arn LIKE 'arn:aws%:sts::%' THEN substr(principal_arn, instr(principal_arn, '::') + 2, 12) END);
   CREATE INDEX events_caller_time ON events(caller_account, event_time);`,
  // The covering index of the filter lists holds the caller's account and "other use" service too;
  // it starts with event_time and serves every time-range scan, so events_time is one index too many.
  `DROP INDEX events_time;
   DROP INDEX events_facets;
   CREATE INDEX events_facets ON events(event_time, principal_arn, event_name, error_code, key_arn, resource_arn, source_ip, caller_account, other_service);`,
  // Findings over time (lib/posture/lifecycle.ts): first seen, last seen, resolved.
  `CREATE TABLE finding_states (
     fingerprint TEXT PRIMARY KEY,
     rule_id TEXT NOT NULL,
     resource_arn TEXT NOT NULL,
     key_arn TEXT,
     severity TEXT NOT NULL,
     title TEXT NOT NULL,
     first_seen TEXT NOT NULL,
     first_scan INTEGER NOT NULL,
     last_seen TEXT NOT NULL,
     last_scan INTEGER NOT NULL,
     resolved_at TEXT,
     resolved_scan INTEGER,
     resolution TEXT
   );
   CREATE INDEX finding_states_open ON finding_states(resolved_at, first_seen);`,
  // Schedules operators set in Settings (over the configuration's), and each scheduled run.
  `CREATE TABLE schedules (
     job TEXT PRIMARY KEY,
     cron TEXT,
     updated_by TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE schedule_runs (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     job TEXT NOT NULL,
     trigger TEXT NOT NULL,
     started_at TEXT NOT NULL,
     finished_at TEXT,
     outcome TEXT,
     detail TEXT
   );
   CREATE INDEX schedule_runs_job ON schedule_runs(job, id DESC);`,
  // Notifications: an outbox that survives restarts, and which finding each channel was told of
  // (once per opening: a finding that comes back after a fix is told again).
  `CREATE TABLE notifications (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     channel TEXT NOT NULL,
     kind TEXT NOT NULL,
     payload TEXT NOT NULL,
     created_at TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at TEXT NOT NULL,
     sent_at TEXT,
     failed_at TEXT,
     last_error TEXT
   );
   CREATE INDEX notifications_pending ON notifications(sent_at, failed_at, next_attempt_at);
   CREATE TABLE notified (
     channel TEXT NOT NULL,
     fingerprint TEXT NOT NULL,
     first_seen TEXT NOT NULL,
     notification_id INTEGER NOT NULL,
     PRIMARY KEY (channel, fingerprint, first_seen)
   ) WITHOUT ROWID;`,
];

const open = new Map<string, Database.Database>();

export function db(dataDir: string): Database.Database {
  const hit = open.get(dataDir);
  if (hit) return hit;
  mkdirSync(dataDir, { recursive: true });
  const d = new Database(join(dataDir, "keyward.sqlite"));
  d.pragma("journal_mode = WAL");
  d.pragma("busy_timeout = 5000");
  const version = d.pragma("user_version", { simple: true }) as number;
  for (let i = version; i < MIGRATIONS.length; i++) {
    d.exec(MIGRATIONS[i]);
    d.pragma(`user_version = ${i + 1}`);
  }
  open.set(dataDir, d);
  return d;
}
