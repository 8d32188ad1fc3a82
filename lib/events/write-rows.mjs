// Writing event rows into the event store: the statements and the one loop both the inline writer
// (store.ts insertEvents) and the import's writer thread (row-writer.worker.mjs) run. Plain
// JavaScript so that a worker thread can load it without a TypeScript loader.

/** Column order of a row (eventRow in store.ts builds it). */
export const EVENT_INSERT_SQL = `INSERT OR IGNORE INTO events (event_id, event_time, account, region, event_source, event_name, principal_arn, principal_type, invoked_by, source_ip, user_agent,
   key_arn, secret_arn, encryption_context, resource_arn, correlation, error_code, error_message, request_id, source, raw, caller_account, other_service, id_derived)
 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
/** Hourly counts per account, region and event name: the histogram reads them for long ranges. */
export const HOUR_UPSERT_SQL =
  "INSERT INTO event_hours (hour, account, region, event_name, n) VALUES (?, ?, ?, ?, ?) ON CONFLICT (hour, account, region, event_name) DO UPDATE SET n = n + excluded.n";
/** Daily counts per principal: the top principals of long ranges read them. */
export const DAY_UPSERT_SQL =
  "INSERT INTO principal_days (day, account, region, principal_arn, n) VALUES (?, ?, ?, ?, ?) ON CONFLICT (day, account, region, principal_arn) DO UPDATE SET n = n + excluded.n";

/** The three statements, prepared on a connection. */
export function prepareWriter(d) {
  return { insert: d.prepare(EVENT_INSERT_SQL), hour: d.prepare(HOUR_UPSERT_SQL), day: d.prepare(DAY_UPSERT_SQL) };
}

/**
 * Inserts the rows in one transaction (duplicates by event id are skipped) and adds the new ones to
 * the hourly and daily counts — summed over the batch first, one upsert per hour/day and value.
 * Returns how many rows were new.
 */
export function writeRows(d, w, rows) {
  return d.transaction(() => {
    const hours = new Map();
    const days = new Map();
    let n = 0;
    for (const r of rows) {
      if (!w.insert.run(...r).changes) continue;
      n++;
      const h = `${Math.floor(r[1] / 3_600_000) * 3_600_000}\u0000${r[2]}\u0000${r[3]}\u0000${r[5]}`;
      hours.set(h, (hours.get(h) ?? 0) + 1);
      if (r[6]) {
        const k = `${Math.floor(r[1] / 86_400_000) * 86_400_000}\u0000${r[2]}\u0000${r[3]}\u0000${r[6]}`;
        days.set(k, (days.get(k) ?? 0) + 1);
      }
    }
    for (const [k, c] of hours) {
      const [t, account, region, name] = k.split("\u0000");
      w.hour.run(Number(t), account, region, name, c);
    }
    for (const [k, c] of days) {
      const [t, account, region, principal] = k.split("\u0000");
      w.day.run(Number(t), account, region, principal, c);
    }
    return n;
  })();
}
