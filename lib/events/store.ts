import "server-only";

// The local event store (SQLite in the data directory): normalized columns plus the raw record,
// deduplicated by eventID, with indexes for the timeline's queries (time, key, resource, principal,
// event name, secret).
import type Database from "better-sqlite3";

import { correlate, type InventoryIndex } from "./correlate";
import type { Correlation, EventRow } from "./names.shared";
import { type NormalizedEvent, normalizeRecord, type SecretIndex } from "./normalize";
import { type EventRowValues, prepareWriter, type Writer, writeRows } from "./write-rows.mjs";

export interface StoredInput extends NormalizedEvent {
  /** The record's text as read (stored as is, instead of serializing `raw` again). */
  rawText?: string;
  resourceArn?: string;
  correlation?: Correlation;
  otherService?: string;
}

export interface EventFilters {
  from: number;
  to: number;
  account?: string;
  /** The caller's account (not the account that recorded the event). */
  callerAccount?: string;
  region?: string;
  key?: string;
  resource?: string;
  secret?: string;
  principal?: string;
  eventName?: string[];
  errorCode?: string;
  sourceIp?: string;
}

/** One event as a row of EVENT_INSERT_SQL, or null when it can't be stored (no id or time). */
export function eventRow(e: StoredInput, source: string): EventRowValues | null {
  if (!e.eventID || Number.isNaN(e.eventTime)) return null;
  return [
    e.eventID,
    e.eventTime,
    e.account,
    e.region,
    e.eventSource,
    e.eventName,
    e.principalArn ?? null,
    e.principalType ?? null,
    e.invokedBy ?? null,
    e.sourceIPAddress ?? null,
    e.userAgent ?? null,
    e.keyArn ?? null,
    e.secretArn ?? null,
    e.encryptionContext ? JSON.stringify(e.encryptionContext) : null,
    e.resourceArn ?? null,
    e.correlation ?? null,
    e.errorCode ?? null,
    e.errorMessage ?? null,
    e.requestID ?? null,
    source,
    e.rawText ?? JSON.stringify(e.raw),
    e.callerAccount ?? null,
    e.otherService ?? null,
    e.idDerived ? 1 : 0,
  ];
}

const writers = new WeakMap<Database.Database, Writer>();

/** Stores events (duplicates by event id are skipped); returns how many were new. */
export function insertEvents(d: Database.Database, events: StoredInput[], source: string): number {
  let w = writers.get(d);
  if (!w) writers.set(d, (w = prepareWriter(d)));
  return writeRows(
    d,
    w,
    events.map((e) => eventRow(e, source)).filter((r): r is EventRowValues => r !== null),
  );
}

export function syncedUpTo(d: Database.Database, source: string, account: string, region: string, attribute: string): number | undefined {
  const r = d.prepare("SELECT newest FROM event_sync WHERE source = ? AND account = ? AND region = ? AND attribute = ?").get(source, account, region, attribute) as
    { newest: number } | undefined;
  return r?.newest;
}

export function markSynced(d: Database.Database, source: string, account: string, region: string, attribute: string, newest: number): void {
  d.prepare(
    `INSERT INTO event_sync (source, account, region, attribute, newest, synced_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (source, account, region, attribute) DO UPDATE SET newest = MAX(newest, excluded.newest), synced_at = excluded.synced_at`,
  ).run(source, account, region, attribute, newest, new Date().toISOString());
}

export function lastSync(d: Database.Database): { syncedAt: string | null; sources: number } {
  const r = d.prepare("SELECT MAX(synced_at) AS at, COUNT(*) AS n FROM event_sync").get() as { at: string | null; n: number };
  return { syncedAt: r.at, sources: r.n };
}

function where(f: EventFilters): { sql: string; params: unknown[] } {
  const parts = ["event_time >= ?", "event_time < ?"];
  const params: unknown[] = [f.from, f.to];
  const eq = (col: string, v: string | undefined) => {
    if (v) {
      parts.push(`${col} = ?`);
      params.push(v);
    }
  };
  eq("account", f.account);
  eq("caller_account", f.callerAccount);
  eq("region", f.region);
  eq("key_arn", f.key);
  eq("resource_arn", f.resource);
  eq("secret_arn", f.secret);
  eq("principal_arn", f.principal);
  eq("source_ip", f.sourceIp);
  if (f.errorCode === "any") parts.push("error_code IS NOT NULL");
  else eq("error_code", f.errorCode);
  if (f.eventName?.length) {
    parts.push(`event_name IN (${f.eventName.map(() => "?").join(",")})`);
    params.push(...f.eventName);
  }
  return { sql: parts.join(" AND "), params };
}

interface Row {
  event_id: string;
  event_time: number;
  account: string;
  region: string;
  event_source: string;
  event_name: string;
  principal_arn: string | null;
  principal_type: string | null;
  caller_account: string | null;
  invoked_by: string | null;
  source_ip: string | null;
  user_agent: string | null;
  key_arn: string | null;
  secret_arn: string | null;
  encryption_context: string | null;
  resource_arn: string | null;
  correlation: string | null;
  other_service: string | null;
  id_derived: number;
  error_code: string | null;
  error_message: string | null;
}

const COLUMNS =
  "event_id, event_time, account, region, event_source, event_name, principal_arn, principal_type, caller_account, invoked_by, source_ip, user_agent, key_arn, secret_arn, encryption_context, resource_arn, correlation, other_service, id_derived, error_code, error_message";

function toRow(r: Row): EventRow {
  return {
    eventID: r.event_id,
    eventTime: new Date(r.event_time).toISOString(),
    account: r.account,
    region: r.region,
    eventSource: r.event_source,
    eventName: r.event_name,
    principalArn: r.principal_arn,
    principalType: r.principal_type,
    callerAccount: r.caller_account,
    invokedBy: r.invoked_by,
    sourceIPAddress: r.source_ip,
    userAgent: r.user_agent,
    keyArn: r.key_arn,
    secretArn: r.secret_arn,
    encryptionContext: r.encryption_context ? (JSON.parse(r.encryption_context) as Record<string, string>) : null,
    resourceArn: r.resource_arn,
    correlation: r.correlation as Correlation | null,
    otherService: r.other_service,
    idDerived: r.id_derived === 1,
    errorCode: r.error_code,
    errorMessage: r.error_message,
  };
}

/** Newest first; the cursor is the last row's (time, id). */
export function eventPage(d: Database.Database, f: EventFilters, opts: { limit: number; cursor?: { time: number; id: string } }): { events: EventRow[]; next: string | null } {
  const w = where(f);
  const cursorSql = opts.cursor ? " AND (event_time < ? OR (event_time = ? AND event_id < ?))" : "";
  const cursorParams = opts.cursor ? [opts.cursor.time, opts.cursor.time, opts.cursor.id] : [];
  const rows = d
    .prepare(`SELECT ${COLUMNS} FROM events WHERE ${w.sql}${cursorSql} ORDER BY event_time DESC, event_id DESC LIMIT ?`)
    .all(...w.params, ...cursorParams, opts.limit + 1) as Row[];
  const more = rows.length > opts.limit;
  const page = rows.slice(0, opts.limit);
  const last = page[page.length - 1];
  return { events: page.map(toRow), next: more && last ? Buffer.from(JSON.stringify({ t: last.event_time, i: last.event_id })).toString("base64url") : null };
}

export function decodeCursor(c: string | undefined): { time: number; id: string } | undefined {
  if (!c) return undefined;
  try {
    const v = JSON.parse(Buffer.from(c, "base64url").toString()) as { t: unknown; i: unknown };
    if (typeof v.t === "number" && typeof v.i === "string") return { time: v.t, id: v.i };
  } catch {
    // fall through
  }
  throw new Error("invalid cursor");
}

/** Stored events that match the filters but lie outside their time range: how many, and their span. */
export function outsideRange(d: Database.Database, f: EventFilters): { count: number; oldest: number | null; newest: number | null } {
  const w = where({ ...f, from: Number.MIN_SAFE_INTEGER, to: Number.MAX_SAFE_INTEGER });
  const r = d
    .prepare(`SELECT COUNT(*) AS n, MIN(event_time) AS oldest, MAX(event_time) AS newest FROM events WHERE ${w.sql} AND (event_time < ? OR event_time >= ?)`)
    .get(...w.params, f.from, f.to) as { n: number; oldest: number | null; newest: number | null };
  return { count: r.n, oldest: r.oldest, newest: r.newest };
}

/** Iterates every matching event, newest first, for exports. */
export function* allEvents(d: Database.Database, f: EventFilters): Generator<EventRow> {
  const w = where(f);
  for (const r of d.prepare(`SELECT ${COLUMNS} FROM events WHERE ${w.sql} ORDER BY event_time DESC, event_id DESC`).iterate(...w.params)) yield toRow(r as Row);
}

const NICE = [60_000, 300_000, 900_000, 3_600_000, 3 * 3_600_000, 6 * 3_600_000, 12 * 3_600_000, 86_400_000, 7 * 86_400_000];

export function bucketSize(from: number, to: number, target = 90): number {
  const span = Math.max(1, to - from);
  return NICE.find((n) => span / n <= target) ?? NICE[NICE.length - 1];
}

export interface Histogram {
  bucketMs: number;
  buckets: { t: number; counts: Record<string, number> }[];
  names: string[];
  total: number;
}

const HOUR = 3_600_000;
/** Filters the hourly rollup can answer (others need the events themselves). */
const rollupOnly = (f: EventFilters) => !f.key && !f.resource && !f.secret && !f.principal && !f.errorCode && !f.sourceIp && !f.callerAccount;

type Count = { b: number; name: string; c: number };

function rawCounts(d: Database.Database, f: EventFilters, size: number): Count[] {
  if (f.from >= f.to) return [];
  const w = where(f);
  return d
    .prepare(`SELECT (event_time / CAST(? AS INTEGER)) * CAST(? AS INTEGER) AS b, event_name AS name, COUNT(*) AS c FROM events WHERE ${w.sql} GROUP BY b, name`)
    .all(size, size, ...w.params) as Count[];
}

/** The time range and account/region conditions of a query on a rollup table (hourly or daily counts). */
function rollupScope(timeColumn: "hour" | "day", from: number, to: number, f: EventFilters): { parts: string[]; params: unknown[] } {
  const parts = [`${timeColumn} >= ?`, `${timeColumn} < ?`];
  const params: unknown[] = [from, to];
  if (f.account) {
    parts.push("account = ?");
    params.push(f.account);
  }
  if (f.region) {
    parts.push("region = ?");
    params.push(f.region);
  }
  return { parts, params };
}

function rollupCounts(d: Database.Database, f: EventFilters, size: number): Count[] {
  if (f.from >= f.to) return [];
  const { parts, params } = rollupScope("hour", f.from, f.to, f);
  if (f.eventName?.length) {
    parts.push(`event_name IN (${f.eventName.map(() => "?").join(",")})`);
    params.push(...f.eventName);
  }
  return d
    .prepare(
      `SELECT (hour / CAST(? AS INTEGER)) * CAST(? AS INTEGER) AS b, event_name AS name, SUM(event_hours.n) AS c FROM event_hours WHERE ${parts.join(" AND ")} GROUP BY b, name`,
    )
    .all(size, size, ...params) as Count[];
}

export function histogram(d: Database.Database, f: EventFilters): Histogram {
  const size = bucketSize(f.from, f.to);
  let rows: Count[];
  if (size >= HOUR && rollupOnly(f)) {
    // Whole hours from the rollup; the partial hours at either end from the events.
    const fullFrom = Math.min(f.to, Math.ceil(f.from / HOUR) * HOUR);
    const fullTo = Math.max(fullFrom, Math.floor(f.to / HOUR) * HOUR);
    rows = [...rawCounts(d, { ...f, to: fullFrom }, size), ...rollupCounts(d, { ...f, from: fullFrom, to: fullTo }, size), ...rawCounts(d, { ...f, from: fullTo }, size)];
  } else rows = rawCounts(d, f, size);
  const by = new Map<number, Record<string, number>>();
  const names = new Set<string>();
  let total = 0;
  for (const r of rows) {
    const counts = by.get(r.b) ?? {};
    counts[r.name] = (counts[r.name] ?? 0) + r.c;
    by.set(r.b, counts);
    names.add(r.name);
    total += r.c;
  }
  const start = Math.floor(f.from / size) * size;
  const buckets: Histogram["buckets"] = [];
  for (let t = start; t < f.to; t += size) buckets.push({ t, counts: by.get(t) ?? {} });
  return { bucketMs: size, buckets, names: [...names].sort(), total };
}

export interface Facets {
  principals: { value: string; count: number }[];
  eventNames: { value: string; count: number }[];
  errorCodes: { value: string; count: number }[];
  keys: { value: string; count: number }[];
  resources: { value: string; count: number }[];
  sourceIps: { value: string; count: number }[];
  callerAccounts: { value: string; count: number }[];
  /** Other use of the key(s): the services the calls served. */
  otherServices: { value: string; count: number }[];
}

const FACET_COLUMNS = {
  principals: "principal_arn",
  eventNames: "event_name",
  errorCodes: "error_code",
  keys: "key_arn",
  resources: "resource_arn",
  sourceIps: "source_ip",
  callerAccounts: "caller_account",
  otherServices: "other_service",
} as const;

/** The most frequent values of one field under the filters (read from the covering index when only time filters apply). */
const DAY = 86_400_000;

export function topValues(d: Database.Database, f: EventFilters, field: keyof Facets, limit = 15): { value: string; count: number }[] {
  if (field === "principals" && rollupOnly(f) && !f.eventName?.length && f.to - f.from > 2 * DAY) {
    // Whole days from the daily counts; the partial days at either end from the events.
    const fullFrom = Math.ceil(f.from / DAY) * DAY;
    const fullTo = Math.floor(f.to / DAY) * DAY;
    const counts = new Map<string, number>();
    const add = (rows: { value: string; count: number }[]) => rows.forEach((r) => counts.set(r.value, (counts.get(r.value) ?? 0) + r.count));
    add(topValues(d, { ...f, to: fullFrom }, field, Number.MAX_SAFE_INTEGER));
    add(topValues(d, { ...f, from: fullTo }, field, Number.MAX_SAFE_INTEGER));
    const { parts, params } = rollupScope("day", fullFrom, fullTo, f);
    add(
      d.prepare(`SELECT principal_arn AS value, SUM(n) AS count FROM principal_days WHERE ${parts.join(" AND ")} GROUP BY principal_arn`).all(...params) as {
        value: string;
        count: number;
      }[],
    );
    return [...counts.entries()]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
      .slice(0, limit);
  }
  const col = FACET_COLUMNS[field];
  const w = where(f);
  return d
    .prepare(`SELECT ${col} AS value, COUNT(*) AS count FROM events WHERE ${w.sql} AND ${col} IS NOT NULL GROUP BY ${col} ORDER BY count DESC, value LIMIT ?`)
    .all(...w.params, limit) as { value: string; count: number }[];
}

export function facets(d: Database.Database, f: EventFilters, limit = 15): Facets {
  return Object.fromEntries((Object.keys(FACET_COLUMNS) as (keyof Facets)[]).map((k) => [k, topValues(d, f, k, limit)])) as unknown as Facets;
}

export function getEvent(d: Database.Database, id: string): (EventRow & { raw: unknown }) | undefined {
  const r = d.prepare(`SELECT ${COLUMNS}, raw FROM events WHERE event_id = ?`).get(id) as (Row & { raw: string }) | undefined;
  return r ? { ...toRow(r), raw: JSON.parse(r.raw) as unknown } : undefined;
}

/**
 * Deletes the events of one source (or every source) before the whole day that contains `before`,
 * taking them out of the hourly and daily counts too, so those stay equal to the events kept.
 * Returns how many were deleted and the time range they covered.
 */
export function purgeOlderThan(d: Database.Database, before: number, source?: string): { deleted: number; oldest: number | null; newest: number | null } {
  const cut = Math.floor(before / DAY) * DAY;
  const scope = source === undefined ? "event_time < ?" : "event_time < ? AND source = ?";
  const params: unknown[] = source === undefined ? [cut] : [cut, source];
  return d.transaction(() => {
    const range = d.prepare(`SELECT COUNT(*) AS n, MIN(event_time) AS oldest, MAX(event_time) AS newest FROM events WHERE ${scope}`).get(...params) as {
      n: number;
      oldest: number | null;
      newest: number | null;
    };
    if (range.n === 0) return { deleted: 0, oldest: null, newest: null };
    const hours = d.prepare(`SELECT (event_time / 3600000) * 3600000 AS h, account, region, event_name, COUNT(*) AS c FROM events WHERE ${scope} GROUP BY 1, 2, 3, 4`);
    const lessHour = d.prepare("UPDATE event_hours SET n = n - ? WHERE hour = ? AND account = ? AND region = ? AND event_name = ?");
    for (const r of hours.all(...params) as { h: number; account: string; region: string; event_name: string; c: number }[])
      lessHour.run(r.c, r.h, r.account, r.region, r.event_name);
    const days = d.prepare(
      `SELECT (event_time / 86400000) * 86400000 AS day, account, region, principal_arn, COUNT(*) AS c FROM events WHERE ${scope} AND principal_arn IS NOT NULL GROUP BY 1, 2, 3, 4`,
    );
    const lessDay = d.prepare("UPDATE principal_days SET n = n - ? WHERE day = ? AND account = ? AND region = ? AND principal_arn = ?");
    for (const r of days.all(...params) as { day: number; account: string; region: string; principal_arn: string; c: number }[])
      lessDay.run(r.c, r.day, r.account, r.region, r.principal_arn);
    d.prepare("DELETE FROM event_hours WHERE n <= 0").run();
    d.prepare("DELETE FROM principal_days WHERE n <= 0").run();
    const deleted = d.prepare(`DELETE FROM events WHERE ${scope}`).run(...params).changes;
    return { deleted, oldest: range.oldest, newest: range.newest };
  })();
}

/** Per source: how many events there are before `before` (the whole day that holds it) and their range. */
export function countOlderThan(d: Database.Database, before: number, source: string): { count: number; oldest: number | null; newest: number | null } {
  const cut = Math.floor(before / DAY) * DAY;
  const r = d.prepare("SELECT COUNT(*) AS n, MIN(event_time) AS oldest, MAX(event_time) AS newest FROM events WHERE event_time < ? AND source = ?").get(cut, source) as {
    n: number;
    oldest: number | null;
    newest: number | null;
  };
  return { count: r.n, oldest: r.oldest, newest: r.newest };
}

/** Events stored per source, with their time range. */
export function eventsBySource(d: Database.Database): { source: string; count: number; oldest: number; newest: number }[] {
  return d.prepare("SELECT source, COUNT(*) AS count, MIN(event_time) AS oldest, MAX(event_time) AS newest FROM events GROUP BY source ORDER BY source").all() as {
    source: string;
    count: number;
    oldest: number;
    newest: number;
  }[];
}

export function countEvents(d: Database.Database): number {
  return (d.prepare("SELECT COUNT(*) AS n FROM events").get() as { n: number }).n;
}

/**
 * Ties stored events that no resource claimed yet to the resources of a (new) inventory: events
 * fetched or imported before the scan that found their resource. Each is normalized again from its
 * raw record (a secret's name or partial ARN resolves once the scan knows the secret). Returns how
 * many were tied.
 */
export function retieEvents(d: Database.Database, inventory: InventoryIndex, secrets: SecretIndex): number {
  const rows = d
    .prepare("SELECT event_id, raw FROM events WHERE resource_arn IS NULL AND (key_arn IS NOT NULL OR secret_arn IS NOT NULL OR encryption_context IS NOT NULL)")
    .all() as { event_id: string; raw: string }[];
  const update = d.prepare("UPDATE events SET resource_arn = ?, correlation = ?, other_service = NULL, secret_arn = COALESCE(?, secret_arn) WHERE event_id = ?");
  let n = 0;
  d.transaction(() => {
    for (const row of rows) {
      let rec: Record<string, unknown>;
      try {
        rec = JSON.parse(row.raw) as Record<string, unknown>;
      } catch {
        continue;
      }
      const e = normalizeRecord(rec, secrets);
      const c = correlate(e, inventory);
      if (!c.resourceArn) continue;
      n += update.run(c.resourceArn, c.correlation ?? null, e.secretArn ?? null, row.event_id).changes;
    }
  })();
  return n;
}
