import type Database from "better-sqlite3";

/** One event row, in the column order of EVENT_INSERT_SQL. */
export type EventRowValues = (string | number | null)[];
export interface Writer {
  insert: Database.Statement;
  hour: Database.Statement;
  day: Database.Statement;
}
export const EVENT_INSERT_SQL: string;
export const HOUR_UPSERT_SQL: string;
export const DAY_UPSERT_SQL: string;
export function prepareWriter(d: Database.Database): Writer;
export function writeRows(d: Database.Database, w: Writer, rows: EventRowValues[]): number;
