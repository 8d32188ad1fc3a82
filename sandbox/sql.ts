// The SQL subset the sandbox's Athena understands, over the CloudTrail table of a trail's S3 logs
// (docs/sandbox.md): CREATE EXTERNAL TABLE (recorded), and
//   SELECT col | json_format(cast(col AS json)) [AS alias], ...
//   FROM [db.]table
//   [WHERE cond AND cond ...]      cond: col = | <> | < | <= | > | >= 'text', col IN ('a', 'b')
//   [ORDER BY eventtime ASC|DESC] [LIMIT n]
// Columns are the CloudTrail table's (eventtime, eventname, eventsource, awsregion, ...), plus the
// partition-projection columns `timestamp` (yyyy/MM/dd), `region` and `account`. Struct and array
// columns come out of json_format with lower-cased field names, as Athena's CloudTrail SerDe gives them.
import type { StoredEvent } from "./state";

export class SqlError extends Error {}

export interface SelectItem {
  column: string;
  json: boolean;
  alias: string;
}

export interface Condition {
  column: string;
  op: "=" | "<>" | "<" | "<=" | ">" | ">=" | "in";
  values: string[];
}

export interface SelectQuery {
  kind: "select";
  items: SelectItem[];
  table: string;
  where: Condition[];
  order?: "asc" | "desc";
  limit?: number;
}

export interface CreateTable {
  kind: "create";
  table: string;
  location?: string;
}

const COLUMNS = [
  "eventversion",
  "useridentity",
  "eventtime",
  "eventsource",
  "eventname",
  "awsregion",
  "sourceipaddress",
  "useragent",
  "errorcode",
  "errormessage",
  "requestparameters",
  "responseelements",
  "additionaleventdata",
  "requestid",
  "eventid",
  "readonly",
  "resources",
  "eventtype",
  "recipientaccountid",
  "sharedeventid",
  "eventcategory",
  "timestamp",
  "region",
  "account",
];
const STRUCT = new Set(["useridentity", "resources", "additionaleventdata"]);
const JSON_STRING = new Set(["requestparameters", "responseelements"]);

function strings(list: string): string[] {
  const out: string[] = [];
  const re = /'((?:[^']|'')*)'\s*(,|$)/gy;
  let m: RegExpExecArray | null;
  const s = list.trim();
  re.lastIndex = 0;
  while (re.lastIndex < s.length && (m = re.exec(s))) {
    out.push(m[1].replace(/''/g, "'"));
    while (s[re.lastIndex] === " ") re.lastIndex++;
  }
  if (!out.length) throw new SqlError(`expected a list of quoted strings, not "${list}"`);
  return out;
}

export function parseSql(sql: string): SelectQuery | CreateTable {
  const text = sql.trim().replace(/;\s*$/, "");
  const create = /^CREATE\s+EXTERNAL\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?`?([\w.]+)`?[\s\S]*?(?:LOCATION\s+'([^']+)')?[\s\S]*$/i.exec(text);
  if (create) {
    const loc = /LOCATION\s+'([^']+)'/i.exec(text);
    return { kind: "create", table: create[1].split(".").pop()!.toLowerCase(), location: loc?.[1] };
  }
  const m = /^SELECT\s+([\s\S]+?)\s+FROM\s+`?([\w.:/-]+)`?(?:\s+WHERE\s+([\s\S]+?))?(?:\s+ORDER\s+BY\s+(\w+)(?:\s+(ASC|DESC))?)?(?:\s+LIMIT\s+(\d+))?$/i.exec(text);
  if (!m) throw new SqlError("only CREATE EXTERNAL TABLE and SELECT ... FROM table [WHERE ...] [ORDER BY eventtime] [LIMIT n] are supported");
  const items = m[1].split(/,(?![^(]*\))/).map((raw): SelectItem => {
    const t = raw.trim();
    const fn = /^json_format\s*\(\s*cast\s*\(\s*(\w+)\s+as\s+json\s*\)\s*\)(?:\s+as\s+(\w+))?$/i.exec(t);
    const plain = /^(\w+)(?:\s+as\s+(\w+))?$/i.exec(t);
    const col = (fn?.[1] ?? plain?.[1])?.toLowerCase();
    if (!col || !COLUMNS.includes(col)) throw new SqlError(`COLUMN_NOT_FOUND: line 1: Column '${t}' cannot be resolved`);
    if (!fn && STRUCT.has(col)) throw new SqlError(`column ${col} is a struct: select json_format(cast(${col} AS json))`);
    return { column: col, json: !!fn, alias: (fn?.[2] ?? plain?.[2] ?? col).toLowerCase() };
  });
  const where: Condition[] = [];
  if (m[3]) {
    for (const part of m[3].split(/\s+AND\s+/i)) {
      const inm = /^\(?\s*(\w+)\s+IN\s*\(([\s\S]+)\)\s*\)?$/i.exec(part.trim());
      const cmp = /^\(?\s*(\w+)\s*(=|<>|<=|>=|<|>)\s*'((?:[^']|'')*)'\s*\)?$/.exec(part.trim());
      const column = (inm?.[1] ?? cmp?.[1])?.toLowerCase();
      if (!column || !COLUMNS.includes(column)) throw new SqlError(`cannot evaluate condition "${part.trim()}"`);
      where.push(inm ? { column, op: "in", values: strings(inm[2]) } : { column, op: cmp![2] as Condition["op"], values: [cmp![3].replace(/''/g, "'")] });
    }
  }
  if (m[4] && m[4].toLowerCase() !== "eventtime") throw new SqlError("ORDER BY supports eventtime only");
  return {
    kind: "select",
    items,
    table: m[2].split(".").pop()!.toLowerCase(),
    where,
    order: m[4] ? ((m[5]?.toLowerCase() as "asc" | "desc") ?? "asc") : undefined,
    limit: m[6] ? Number(m[6]) : undefined,
  };
}

/** Lower-cases object keys recursively, as Athena renders CloudTrail structs as JSON. */
function lowerKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(lowerKeys);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.toLowerCase(), lowerKeys(x)]));
  return v;
}

function fieldOf(rec: Record<string, unknown>, column: string): unknown {
  switch (column) {
    case "timestamp":
      return String(rec.eventTime ?? "")
        .slice(0, 10)
        .replace(/-/g, "/");
    case "region":
      return rec.awsRegion;
    case "account":
      return rec.recipientAccountId;
    default: {
      const key = Object.keys(rec).find((k) => k.toLowerCase() === column);
      return key ? rec[key] : undefined;
    }
  }
}

function test(value: unknown, c: Condition): boolean {
  if (value === undefined || value === null) return false;
  const v = String(value);
  switch (c.op) {
    case "=":
      return v === c.values[0];
    case "<>":
      return v !== c.values[0];
    case "<":
      return v < c.values[0];
    case "<=":
      return v <= c.values[0];
    case ">":
      return v > c.values[0];
    case ">=":
      return v >= c.values[0];
    case "in":
      return c.values.includes(v);
  }
}

/** Runs a SELECT over CloudTrail records; returns the header and the rows as strings (null for NULL). */
/** `lowerStructs`: Athena's CloudTrail SerDe lower-cases struct field names; CloudTrail Lake keeps them. */
export function runSelect(q: SelectQuery, events: StoredEvent[], lowerStructs = true): { columns: string[]; rows: (string | null)[][] } {
  let recs = events.map((e) => JSON.parse(e.json) as Record<string, unknown>).filter((r) => q.where.every((c) => test(fieldOf(r, c.column), c)));
  if (q.order) recs = recs.sort((a, b) => String(a.eventTime).localeCompare(String(b.eventTime)) * (q.order === "desc" ? -1 : 1));
  if (q.limit !== undefined) recs = recs.slice(0, q.limit);
  const rows = recs.map((r) =>
    q.items.map((it) => {
      const v = fieldOf(r, it.column);
      if (v === undefined || v === null) return null;
      if (it.json) return JSON.stringify(lowerStructs ? lowerKeys(v) : v);
      if (JSON_STRING.has(it.column)) return JSON.stringify(v);
      return typeof v === "object" ? JSON.stringify(v) : String(v);
    }),
  );
  return { columns: q.items.map((i) => i.alias), rows };
}
