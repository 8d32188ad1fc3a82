// `keyward sync` fills the event store from CloudTrail; `keyward events` reads it (with the
// detections over the same range), optionally fetching one key's or secret's events first;
// `keyward import` loads CloudTrail log files from a folder.
import { existsSync, statSync } from "node:fs";

import { detectionContext } from "../../lib/events/context";
import { hasBaseline, runDetections } from "../../lib/events/detections";
import { EXPORT_COLUMNS, toCsvLine } from "../../lib/events/export";
import { type InventoryIndex, inventoryIndex } from "../../lib/events/correlate";
import { EVENT_NAMES, type EventName, type EventRow } from "../../lib/events/names.shared";
import { type SecretIndex, secretIndex } from "../../lib/events/normalize";
import { athenaTableDdl, runAthenaStatement } from "../../lib/events/sources/athena";
import { defaultSource, type SourceName, SOURCES, SourceNotConfigured } from "../../lib/events/sources/configured";
import { importLogFiles } from "../../lib/events/sources/files";
import { type SyncProgress, type SyncReport, syncLookupEvents } from "../../lib/events/sources/lookup";
import { allEvents, type EventFilters, outsideRange } from "../../lib/events/store";
import type { KeywardConfigData } from "../../lib/config/schema";
import { scanStatus } from "../../lib/posture/jobs";
import { targetsOf } from "../../lib/server/aws/connection";
import { db } from "../../lib/store/db";
import type { Io } from "../main";
import { runEventSync } from "../../lib/events/sync-service";
import { applyRetention } from "../../lib/events/retention";

import { configOrReport, configWithAccount } from "./config";

export class EventsUsageError extends Error {}

/** "7d", "12h", "30m" or an ISO date-time → ms since the epoch. */
export function parseWhen(v: string, now = Date.now()): number {
  const m = /^(\d+)([dhm])$/.exec(v);
  if (m) return now - Number(m[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[m[2] as "d" | "h" | "m"];
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new EventsUsageError(`"${v}" is not a duration (7d, 12h, 30m) or an ISO date-time`);
  return t;
}

/** The last scan's inventory (with a note when there is none: events then stay unlinked). */
function inventoryOf(cfg: KeywardConfigData, io: Io): { inventory: InventoryIndex; secrets: SecretIndex } {
  const last = scanStatus(cfg.dataDir).last;
  if (!last) io.err("note: no scan in the data directory yet; events are stored now and tied to resources by the next `keyward scan`.");
  return { inventory: inventoryIndex(last?.resources ?? []), secrets: secretIndex(last?.secrets ?? [], last?.keys ?? []) };
}

/** Progress on stderr, at most every 2 seconds, when it is a terminal or asked for. */
function progressTo(io: Io): (p: SyncProgress) => void {
  let lastLine = 0;
  return (p) => {
    if (io.progress && Date.now() - lastLine > 2000 && p.phase !== "done") {
      lastLine = Date.now();
      io.err(`… ${p.current ?? `${p.done}/${p.total} lookups`}, ${p.calls} calls, ${p.fetched} events read, ${p.inserted} new`);
    }
  };
}

const reportErrors = (r: SyncReport, io: Io) => r.errors.forEach((e) => io.err(`${e.account} ${e.region} ${e.operation} ${e.attribute}: ${e.code}: ${e.message}`));

export async function runSync(flags: { since?: string; source?: string }, io: Io): Promise<number> {
  const cfg = await configWithAccount(io);
  if (!cfg) return 2;
  const source = (flags.source ?? defaultSource(cfg)) as SourceName;
  if (!SOURCES.includes(source)) throw new EventsUsageError(`--source is ${SOURCES.join(", ")}, not ${source}`);
  const since = parseWhen(flags.since ?? `${cfg.events.firstSyncDays}d`);
  let r;
  try {
    inventoryOf(cfg, io); // says so when there is no scan yet
    r = await runEventSync(db(cfg.dataDir), cfg, { source, since, onProgress: progressTo(io), actor: "cli" });
  } catch (e) {
    if (!(e instanceof SourceNotConfigured)) throw e;
    io.err(e.message);
    return 2;
  }
  reportErrors(r, io);
  const how =
    r.source === "lookup"
      ? `${r.fetched} read in ${r.calls} LookupEvents calls, ${r.throttled} throttled`
      : `${r.fetched} rows from ${r.source === "athena" ? "Athena" : "CloudTrail Lake"} query ${r.queryId ?? ""}`;
  io.out(
    `${r.inserted} new events (${how}, ${(r.ms / 1000).toFixed(1)} s)${r.errors.length ? `; ${r.errors.length} failed` : ""}${r.purge?.deleted ? `; retention deleted ${r.purge.deleted} ${r.source} events older than ${r.purge.days} days (${r.purge.oldest} to ${r.purge.newest})` : ""}`,
  );
  return r.errors.length && !r.fetched ? 1 : 0;
}

export interface EventsFlags {
  key?: string;
  resource?: string;
  secret?: string;
  since?: string;
  until?: string;
  event: string[];
  format: "json" | "csv" | "table";
  fetch: boolean;
}

function tableLine(e: EventRow): string {
  return [
    e.eventTime.replace("T", " ").slice(0, 19),
    e.eventName.padEnd(22),
    (e.errorCode ?? "").padEnd(16),
    (e.principalArn ?? (e.callerAccount ? `account ${e.callerAccount}` : "")).padEnd(52),
    e.resourceArn ? `${e.resourceArn} (${e.correlation})` : e.correlation === "other use" ? `other use: ${e.otherService}` : "",
  ].join(" ");
}

export async function runEvents(flags: EventsFlags, io: Io): Promise<number> {
  const targetsGiven = [flags.key, flags.resource, flags.secret].filter(Boolean).length;
  if (targetsGiven > 1) throw new EventsUsageError("give at most one of --key, --resource, --secret");
  for (const e of flags.event) if (!/^[A-Za-z]+$/.test(e)) throw new EventsUsageError(`--event takes an event name such as Decrypt, not "${e}"`);
  const cfg = flags.fetch ? await configWithAccount(io) : configOrReport(io);
  if (!cfg) return 2;
  const to = flags.until ? parseWhen(flags.until) : Date.now();
  const from = parseWhen(flags.since ?? "7d", to);
  if (from >= to) throw new EventsUsageError("--since must be before --until");
  if (flags.fetch) {
    const names = flags.key ?? flags.secret;
    if (!names) throw new EventsUsageError("--fetch needs --key or --secret (a ResourceName lookup)");
    if (!targetsOf(cfg).length) throw new EventsUsageError("--fetch needs configured accounts (KEYWARD_ACCOUNTS / keyward.config.json)");
    const r = await syncLookupEvents(db(cfg.dataDir), {
      targets: targetsOf(cfg),
      since: from,
      resourceNames: [names],
      ...inventoryOf(cfg, io),
      tps: cfg.events.lookupTps,
      onProgress: progressTo(io),
    });
    reportErrors(r, io);
  }
  const d = db(cfg.dataDir);
  // With --key and no --event: every event name Keyward collects that touches the key.
  const filters: EventFilters = {
    from,
    to,
    key: flags.key,
    resource: flags.resource,
    secret: flags.secret,
    eventName: flags.event.length ? flags.event : flags.key ? [...EVENT_NAMES] : undefined,
  };
  const events = [...allEvents(d, filters)];
  const detections = runDetections(d, { from, to }, detectionContext(cfg, scanStatus(cfg.dataDir).last)).filter(
    (x) => (!flags.key || x.keyArn === flags.key) && (!flags.resource || x.resourceArn === flags.resource) && (!flags.secret || x.filters.secret === flags.secret),
  );
  // What the reader should know: events stored outside the window, detections that could not run.
  const outside = outsideRange(d, filters);
  const outsideNote = outside.count
    ? `${outside.count} stored event${outside.count === 1 ? " matching these filters lies" : "s matching these filters lie"} outside the window (from ${new Date(outside.oldest!).toISOString()} to ${new Date(outside.newest!).toISOString()}): widen --since / --until to see ${outside.count === 1 ? "it" : "them"}`
    : null;
  const notRun = hasBaseline(d, { from })
    ? []
    : ["KW-DET-02", "KW-DET-03", "KW-DET-04"].map((id) => ({
        id,
        why: `needs events from the 30 days before the window (${new Date(from - 30 * 86_400_000).toISOString().slice(0, 10)} to ${new Date(from).toISOString().slice(0, 10)}) and the store has none`,
      }));
  if (flags.format !== "json") {
    if (outsideNote) io.err(`note: ${outsideNote}`);
    if (notRun.length) io.err(`note: ${notRun.map((x) => x.id).join(", ")} could not run: ${notRun[0].why}`);
  }
  if (flags.format === "json") {
    io.out(
      JSON.stringify(
        {
          events: events.map((e) => ({
            eventID: e.eventID,
            eventTime: e.eventTime,
            eventSource: e.eventSource,
            eventName: e.eventName as EventName,
            account: e.account,
            region: e.region,
            principalArn: e.principalArn,
            principalType: e.principalType,
            callerAccount: e.callerAccount,
            invokedBy: e.invokedBy,
            sourceIPAddress: e.sourceIPAddress,
            keyArn: e.keyArn,
            secretArn: e.secretArn,
            encryptionContext: e.encryptionContext,
            resourceArn: e.resourceArn,
            correlation: e.correlation,
            otherService: e.otherService,
            errorCode: e.errorCode,
            ...(e.idDerived ? { idDerived: true } : {}),
          })),
          detections: detections.map((x) => ({ id: x.id, keyArn: x.keyArn ?? null, resourceArn: x.resourceArn ?? null, from: x.from, to: x.to, summary: x.summary })),
          detectionsNotRun: notRun,
          outsideWindow: outside.count ? { count: outside.count, oldest: new Date(outside.oldest!).toISOString(), newest: new Date(outside.newest!).toISOString() } : null,
        },
        null,
        2,
      ),
    );
  } else if (flags.format === "csv") {
    io.out(EXPORT_COLUMNS.join(","));
    for (const e of events) io.out(toCsvLine(e));
  } else {
    for (const e of events) io.out(tableLine(e));
    io.out(`${events.length} events from ${new Date(from).toISOString()} to ${new Date(to).toISOString()}`);
    for (const x of detections) io.out(`${x.id} ${x.severity.toUpperCase()} ${x.summary}`);
  }
  return 0;
}

export async function runImport(dir: string, io: Io): Promise<number> {
  const cfg = configOrReport(io);
  if (!cfg) return 2;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new EventsUsageError(`${dir} is not a folder`);
  const d = db(cfg.dataDir);
  let lastLine = Date.now();
  const r = await importLogFiles(d, dir, {
    ...inventoryOf(cfg, io),
    onFile: (_file, p) => {
      if (io.progress && Date.now() - lastLine > 2000) {
        lastLine = Date.now();
        io.err(`… ${p.files} files, ${p.records} records read, ${p.inserted} new events`);
      }
    },
  });
  for (const e of r.errors) io.err(`${e.file}: ${e.message}`);
  const parts = [`${r.inserted} new events (${r.kept} of the collected kinds, ${r.kept - r.inserted} already stored) from ${r.records} records in ${r.logFiles} log files`];
  if (r.digestFiles) parts.push(`${r.digestFiles} digest files (log-file validation hashes, no events)`);
  if (r.insightFiles) parts.push(`${r.insightFiles} Insights files (${r.insightRecords} Insights events, not collected)`);
  if (r.nullRecords) parts.push(`${r.nullRecords} null records skipped`);
  if (r.derivedIds) parts.push(`${r.derivedIds} records had no eventID: their id is a hash of the record`);
  for (const [why, n] of Object.entries(r.rejected)) parts.push(`${n} records not stored: ${why}`);
  if (r.ignoredFiles) parts.push(`${r.ignoredFiles} files not named .json, .json.gz or .gz left alone`);
  if (r.errors.length) parts.push(`${r.errors.length} files could not be read`);
  io.out(parts.join("; "));
  // Imported files are kept until deleted by hand, unless events.retention.file says otherwise.
  if (!r.errors.length) {
    const purge = applyRetention(d, cfg, "file", "cli");
    if (purge?.deleted) io.out(`retention deleted ${purge.deleted} imported events older than ${purge.days} days (${purge.oldest} to ${purge.newest})`);
  }
  const readable = r.logFiles + r.digestFiles + r.insightFiles;
  return r.errors.length && !readable ? 1 : 0;
}

export async function runAthenaTable(flags: { location?: string; table?: string; regions?: string; since?: string; create?: boolean }, io: Io): Promise<number> {
  if (!flags.location) throw new EventsUsageError("athena-table needs --location s3://bucket/[prefix/]AWSLogs/ACCOUNT/CloudTrail/");
  let ddl: string;
  try {
    ddl = athenaTableDdl({
      table: flags.table ?? "cloudtrail_logs",
      location: flags.location,
      regions: (flags.regions ?? "us-east-1").split(","),
      since: flags.since ?? new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10).replace(/-/g, "/"),
    });
  } catch (e) {
    throw new EventsUsageError((e as Error).message);
  }
  if (!flags.create) {
    io.out(`${ddl};`);
    return 0;
  }
  const cfg = configOrReport(io);
  if (!cfg) return 2;
  if (!cfg.events.athena) throw new EventsUsageError("--create needs events.athena in keyward.config.json (where Athena runs and writes results)");
  const r = await runAthenaStatement({ ...cfg.events.athena, table: flags.table ?? cfg.events.athena.table }, ddl);
  if (r.state !== "SUCCEEDED") {
    io.err(`CREATE TABLE ${r.state}: ${r.reason ?? ""}`);
    return 1;
  }
  io.out(`created ${cfg.events.athena.database}.${flags.table ?? "cloudtrail_logs"} (query ${r.queryId})`);
  return 0;
}
