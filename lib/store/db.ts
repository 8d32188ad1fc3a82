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
