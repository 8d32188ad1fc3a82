import "server-only";

// Import of CloudTrail log files as a trail delivers them to S3 (`{"Records": [...]}`, gzipped or
// not) from a folder, for offline investigations. Each file is streamed (gunzip → record splitter →
// a batch of records at a time), so a file of any size is read in bounded memory. A file that can't
// be read is reported with its reason and counted; the others are imported. Digest files (the
// hashes CloudTrail writes for log-file validation) and Insights files are recognized and counted as
// such, not reported as broken logs.
import { createReadStream, type Dirent, openSync, readdirSync, readSync, closeSync, statSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { createGunzip } from "node:zlib";

import type Database from "better-sqlite3";

import { correlate, type InventoryIndex } from "../correlate";
import { EVENT_SOURCE_OF, type EventName } from "../names.shared";
import { normalizeRecord, type SecretIndex } from "../normalize";
import { eventRow, insertEvents, type StoredInput } from "../store";
import type { EventRowValues } from "../write-rows.mjs";

import { RecordSplitter } from "./record-splitter";

export interface ImportReport {
  /** Files read (log, digest and Insights files, and the ones that failed). */
  files: number;
  logFiles: number;
  digestFiles: number;
  insightFiles: number;
  /** Files whose names are not CloudTrail's (.json, .json.gz, .gz in any case): not read. */
  ignoredFiles: number;
  /** Records read from log files (null records aside). */
  records: number;
  /** Records of the kinds the timeline collects (KMS, Secrets Manager and trail changes). */
  kept: number;
  /** Of those, new to the store (the rest were already there). */
  inserted: number;
  /** Records of services the timeline doesn't collect. */
  otherRecords: number;
  insightRecords: number;
  nullRecords: number;
  /** Kept records that had no eventID: their id is a hash of the record. */
  derivedIds: number;
  /** Records of the collected kinds that could not be stored, by reason. */
  rejected: Record<string, number>;
  errors: { file: string; message: string }[];
}

const LOG_NAME = /\.(json|json\.gz|gz)$/i;
const SOURCES = ['"kms.amazonaws.com"', '"secretsmanager.amazonaws.com"', '"cloudtrail.amazonaws.com"'];
const BATCH = 5000;

export function emptyReport(): ImportReport {
  return {
    files: 0,
    logFiles: 0,
    digestFiles: 0,
    insightFiles: 0,
    ignoredFiles: 0,
    records: 0,
    kept: 0,
    inserted: 0,
    otherRecords: 0,
    insightRecords: 0,
    nullRecords: 0,
    derivedIds: 0,
    rejected: {},
    errors: [],
  };
}

function message(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === "ENOENT") return "cannot be read: it does not exist (a broken link?)";
  if (err?.code === "EACCES" || err?.code === "EPERM") return "cannot be read: permission denied";
  if (err?.code === "Z_BUF_ERROR" || err?.code === "Z_DATA_ERROR") return `not a readable gzip file (${err.message})`;
  return err instanceof Error ? err.message : String(e);
}

/** The files under `dir`, sorted; entries that can't be examined are reported as errors. */
function* walk(dir: string, r: ImportReport): Generator<string> {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  } catch (e) {
    r.errors.push({ file: dir, message: `folder ${message(e)}` });
    return;
  }
  for (const ent of entries) {
    const p = join(dir, ent.name);
    let isDir = ent.isDirectory();
    if (ent.isSymbolicLink()) {
      try {
        isDir = statSync(p).isDirectory();
      } catch (e) {
        r.files++;
        r.errors.push({ file: p, message: message(e) });
        continue;
      }
    }
    if (isDir) yield* walk(p, r);
    else if (LOG_NAME.test(ent.name)) yield p;
    else r.ignoredFiles++;
  }
}

function isGzip(file: string): boolean {
  const fd = openSync(file, "r");
  try {
    const b = Buffer.alloc(2);
    return readSync(fd, b, 0, 2, 0) === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

export interface ImportOptions {
  inventory: InventoryIndex;
  secrets?: SecretIndex;
  /** Called after each file. */
  onFile?: (file: string, r: ImportReport) => void;
  /** Where rows are written: a writer thread (the default for a store on disk) or this thread. */
  writer?: "thread" | "inline";
}

/** Where an import's batches go; `write` resolves when the sink can take more. */
interface Sink {
  write(batch: StoredInput[]): Promise<void>;
  /** Rows found new so far. */
  readonly inserted: number;
  /** Waits for every batch written so far; returns how many rows were new in all. */
  drain(): Promise<number>;
  close(): Promise<void>;
}

function inlineSink(d: Database.Database): Sink {
  let inserted = 0;
  return {
    write: (batch) => {
      inserted += insertEvents(d, batch, "file");
      return Promise.resolve();
    },
    get inserted() {
      return inserted;
    },
    drain: () => Promise.resolve(inserted),
    close: () => Promise.resolve(),
  };
}

/**
 * A writer thread with its own connection to the store: the main thread reads, splits and parses
 * while SQLite writes on the other core. At most two batches are in flight, so memory stays bounded.
 */
function threadSink(d: Database.Database): Sink {
  const worker = new Worker(new URL("../row-writer.worker.mjs", import.meta.url), { workerData: { file: d.name } });
  let inserted = 0;
  let inFlight = 0;
  let failure: Error | undefined;
  let waiters: (() => void)[] = [];
  const wake = () => {
    const w = waiters;
    waiters = [];
    w.forEach((f) => f());
  };
  let closed: (() => void) | undefined;
  worker.on("message", (m: { inserted?: number; error?: string; closed?: boolean }) => {
    if (m.closed) return closed?.();
    if (m.error) failure ??= new Error(`the event store refused a batch: ${m.error}`);
    inserted += m.inserted ?? 0;
    inFlight--;
    wake();
  });
  worker.on("error", (e) => {
    failure ??= e;
    wake();
    closed?.();
  });
  const settle = async (limit: number) => {
    while (inFlight > limit && !failure) await new Promise<void>((r) => waiters.push(r));
    if (failure) throw failure;
  };
  return {
    async write(batch) {
      if (failure) throw failure;
      inFlight++;
      worker.postMessage({ rows: batch.map((e) => eventRow(e, "file")).filter((r): r is EventRowValues => r !== null) });
      await settle(2);
    },
    get inserted() {
      return inserted;
    },
    async drain() {
      await settle(0);
      return inserted;
    },
    async close() {
      if (!failure)
        await new Promise<void>((r) => {
          closed = r;
          worker.postMessage(null);
        });
      await worker.terminate();
    },
  };
}

/** Reads one file into the store; returns its kind. Throws on a file that can't be read (records before the fault stay stored). */
async function importFile(sink: Sink, file: string, opts: ImportOptions, r: ImportReport): Promise<"log" | "digest" | "insight"> {
  const splitter = new RecordSplitter();
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  const stream = isGzip(file) ? raw.pipe(createGunzip({ chunkSize: 1 << 20 })) : raw;
  if (stream !== raw) raw.on("error", (e) => stream.destroy(e));
  stream.setEncoding("utf8");
  let batch: StoredInput[] = [];
  let records = 0;
  let insights = 0;
  const full: StoredInput[][] = [];
  const flush = () => {
    if (!batch.length) return;
    full.push(batch);
    batch = [];
  };
  const onRecord = (text: string) => {
    if (text === "null") {
      r.nullRecords++;
      return;
    }
    records++;
    r.records++;
    if (text.includes('"AwsCloudTrailInsight"')) {
      insights++;
      r.insightRecords++;
      return;
    }
    if (!SOURCES.some((s) => text.includes(s))) {
      r.otherRecords++;
      return;
    }
    let rec: unknown;
    try {
      rec = JSON.parse(text);
    } catch {
      r.rejected["not valid JSON"] = (r.rejected["not valid JSON"] ?? 0) + 1;
      return;
    }
    if (!rec || typeof rec !== "object" || Array.isArray(rec)) {
      r.rejected["not an object"] = (r.rejected["not an object"] ?? 0) + 1;
      return;
    }
    const n = normalizeRecord(rec as Record<string, unknown>, opts.secrets);
    if (EVENT_SOURCE_OF[n.eventName as EventName] !== n.eventSource) {
      r.otherRecords++;
      return;
    }
    if (Number.isNaN(n.eventTime)) {
      r.rejected["no readable eventTime"] = (r.rejected["no readable eventTime"] ?? 0) + 1;
      return;
    }
    r.kept++;
    if (n.idDerived) r.derivedIds++;
    const stored: StoredInput = Object.assign(n, correlate(n, opts.inventory));
    stored.rawText = text;
    batch.push(stored);
    if (batch.length >= BATCH) flush();
  };
  try {
    for await (const chunk of stream) {
      splitter.push(chunk as string, onRecord);
      // Full batches go to the sink between chunks, which waits when the writer is behind.
      while (full.length) await sink.write(full.shift()!);
    }
    splitter.end();
  } finally {
    flush();
    while (full.length) await sink.write(full.shift()!);
    raw.destroy();
  }
  const keys = splitter.topKeys;
  if (!keys.includes("Records") && keys.includes("digestStartTime")) return "digest";
  if (!keys.includes("Records")) throw new Error(`not a CloudTrail log file: no Records (top-level keys: ${keys.slice(0, 5).join(", ") || "none"})`);
  if (!splitter.recordsArray) throw new Error("not a CloudTrail log file: Records is not an array");
  return (records > 0 && insights === records) || /CloudTrail-Insight/i.test(file) ? "insight" : "log";
}

export async function importLogFiles(d: Database.Database, dir: string, opts: ImportOptions): Promise<ImportReport> {
  const r = emptyReport();
  const sink = (opts.writer ?? (d.memory ? "inline" : "thread")) === "thread" ? threadSink(d) : inlineSink(d);
  try {
    await importFiles(sink, dir, opts, r);
    r.inserted = await sink.drain();
  } finally {
    await sink.close();
  }
  return r;
}

async function importFiles(sink: Sink, dir: string, opts: ImportOptions, r: ImportReport): Promise<void> {
  for (const file of walk(dir, r)) {
    r.files++;
    const before = r.kept;
    try {
      const kind = await importFile(sink, file, opts, r);
      if (kind === "digest") r.digestFiles++;
      else if (kind === "insight") r.insightFiles++;
      else r.logFiles++;
    } catch (e) {
      const read = r.kept - before;
      r.errors.push({ file, message: `${message(e)}${read ? ` (the ${read} collected records read before the fault were imported)` : ""}` });
    }
    r.inserted = sink.inserted;
    opts.onFile?.(file, r);
  }
}
