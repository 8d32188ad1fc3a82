import "server-only";

// Import of CloudTrail log files as a trail delivers them to S3 (`{"Records": [...]}`, gzipped or
// not) from a folder, for offline investigations. Bad files are reported and skipped.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

import type Database from "better-sqlite3";
import { z } from "zod";

import { correlate, type InventoryIndex } from "../correlate";
import { EVENT_SOURCE_OF, type EventName } from "../names.shared";
import { normalizeRecord, type SecretIndex } from "../normalize";
import { insertEvents } from "../store";

const LogFile = z.object({ Records: z.array(z.record(z.string(), z.unknown())) });

export interface ImportReport {
  files: number;
  records: number;
  kept: number;
  inserted: number;
  errors: { file: string; message: string }[];
}

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (/\.json(\.gz)?$/.test(name)) yield p;
  }
}

export function importLogFiles(d: Database.Database, dir: string, opts: { inventory: InventoryIndex; secrets?: SecretIndex }): ImportReport {
  const r: ImportReport = { files: 0, records: 0, kept: 0, inserted: 0, errors: [] };
  for (const file of walk(dir)) {
    r.files++;
    let parsed;
    try {
      const buf = readFileSync(file);
      const text = (file.endsWith(".gz") ? gunzipSync(buf) : buf).toString("utf8");
      parsed = LogFile.safeParse(JSON.parse(text));
    } catch (e) {
      r.errors.push({ file, message: `not a CloudTrail log file: ${(e as Error).message}` });
      continue;
    }
    if (!parsed.success) {
      r.errors.push({ file, message: `not a CloudTrail log file: ${parsed.error.issues[0]?.path.join(".") || "$"} ${parsed.error.issues[0]?.message ?? ""}`.trim() });
      continue;
    }
    r.records += parsed.data.Records.length;
    const batch = [];
    for (const rec of parsed.data.Records) {
      const n = normalizeRecord(rec, opts.secrets);
      if (EVENT_SOURCE_OF[n.eventName as EventName] !== n.eventSource) continue;
      batch.push({ ...n, ...correlate(n, opts.inventory) });
    }
    r.kept += batch.length;
    r.inserted += insertEvents(d, batch, "file");
  }
  return r;
}
