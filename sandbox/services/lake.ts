// CloudTrail Lake, for accounts that already have an event data store: CreateEventDataStore /
// ListEventDataStores, and StartQuery / DescribeQuery / GetQueryResults over the SQL subset of
// sandbox/sql.ts with the event data store's ID (or ARN) as the table. A store holds the account's
// recorded CloudTrail events. Queries go QUEUED → RUNNING → FINISHED (or FAILED) across DescribeQuery
// polls; GetQueryResults pages up to 1,000 rows of single-column maps, as Lake returns them.
import { randomUUID } from "node:crypto";

import { AwsError, requireStr, str, type ServiceHandlers } from "../core";
import { authorize } from "../principals";
import { parseSql, runSelect, SqlError } from "../sql";
import type { SandboxState } from "../state";

import { queryPage } from "./paging";

interface Store {
  id: string;
  arn: string;
  name: string;
  account: string;
  region: string;
  created: Date;
}
interface LakeQuery {
  id: string;
  sql: string;
  account: string;
  polls: number;
  failure?: string;
  columns: string[];
  rows: (string | null)[][];
  created: Date;
}
const lakes = new WeakMap<SandboxState, { stores: Map<string, Store>; queries: Map<string, LakeQuery> }>();
function lake(s: SandboxState) {
  let l = lakes.get(s);
  if (!l) lakes.set(s, (l = { stores: new Map(), queries: new Map() }));
  return l;
}

const storeShape = (s: Store) => ({
  EventDataStoreArn: s.arn,
  Name: s.name,
  Status: "ENABLED",
  MultiRegionEnabled: true,
  OrganizationEnabled: false,
  RetentionPeriod: 2557,
  TerminationProtectionEnabled: true,
  CreatedTimestamp: s.created,
  UpdatedTimestamp: s.created,
  AdvancedEventSelectors: [{ Name: "Management events", FieldSelectors: [{ Field: "eventCategory", Equals: ["Management"] }] }],
});

function state(q: LakeQuery): "QUEUED" | "RUNNING" | "FINISHED" | "FAILED" {
  if (q.polls === 0) return "QUEUED";
  if (q.polls === 1) return "RUNNING";
  return q.failure ? "FAILED" : "FINISHED";
}

function findQuery(ctx: { state: SandboxState; account: string }, id: string): LakeQuery {
  const q = lake(ctx.state).queries.get(id);
  if (!q || q.account !== ctx.account) throw new AwsError("QueryIdNotFoundException", `The query ID ${id} does not exist or does not map to a query.`);
  return q;
}

export const lakeHandlers: ServiceHandlers = {
  async CreateEventDataStore(ctx, input) {
    if (!ctx.caller.admin) await authorize(ctx, { action: "cloudtrail:CreateEventDataStore", resourceArn: "*" });
    const name = requireStr(input, "Name", "InvalidParameterException");
    const id = randomUUID();
    const s: Store = { id, arn: `arn:aws:cloudtrail:${ctx.region}:${ctx.account}:eventdatastore/${id}`, name, account: ctx.account, region: ctx.region, created: ctx.now };
    lake(ctx.state).stores.set(id, s);
    return storeShape(s);
  },

  async ListEventDataStores(ctx) {
    if (!ctx.caller.admin) await authorize(ctx, { action: "cloudtrail:ListEventDataStores", resourceArn: "*" });
    return { EventDataStores: [...lake(ctx.state).stores.values()].filter((s) => s.account === ctx.account).map((s) => ({ EventDataStoreArn: s.arn, Name: s.name })) };
  },

  async StartQuery(ctx, input) {
    if (!ctx.caller.admin) await authorize(ctx, { action: "cloudtrail:StartQuery", resourceArn: "*" });
    const sql = requireStr(input, "QueryStatement", "InvalidParameterException");
    const q: LakeQuery = { id: randomUUID(), sql, account: ctx.account, polls: 0, columns: [], rows: [], created: ctx.now };
    try {
      const parsed = parseSql(sql);
      if (parsed.kind !== "select") throw new AwsError("InvalidQueryStatementException", "Only SELECT statements are supported.");
      const store = lake(ctx.state).stores.get(parsed.table);
      if (!store || store.account !== ctx.account) throw new AwsError("EventDataStoreNotFoundException", `The specified event data store ${parsed.table} was not found.`);
      const events = [...ctx.state.events.entries()].filter(([k]) => k.startsWith(`${ctx.account}:`)).flatMap(([, list]) => list);
      const r = runSelect(parsed, events, false);
      q.columns = r.columns;
      q.rows = r.rows;
    } catch (e) {
      if (e instanceof SqlError) throw new AwsError("InvalidQueryStatementException", e.message);
      throw e;
    }
    lake(ctx.state).queries.set(q.id, q);
    return { QueryId: q.id };
  },

  async DescribeQuery(ctx, input) {
    if (!ctx.caller.admin) await authorize(ctx, { action: "cloudtrail:DescribeQuery", resourceArn: "*" });
    const q = findQuery(ctx, requireStr(input, "QueryId", "InvalidParameterException"));
    const s = state(q);
    q.polls++;
    return {
      QueryId: q.id,
      QueryString: q.sql,
      QueryStatus: s,
      QueryStatistics: { EventsMatched: q.rows.length, EventsScanned: q.rows.length, BytesScanned: q.rows.length * 900, ExecutionTimeInMillis: 150, CreationTime: q.created },
      ErrorMessage: s === "FAILED" ? q.failure : undefined,
    };
  },

  async GetQueryResults(ctx, input) {
    if (!ctx.caller.admin) await authorize(ctx, { action: "cloudtrail:GetQueryResults", resourceArn: "*" });
    const q = findQuery(ctx, requireStr(input, "QueryId", "InvalidParameterException"));
    const s = state(q);
    const max = (input.MaxQueryResults as number | undefined) ?? 1000;
    if (!Number.isInteger(max) || max < 1 || max > 1000) throw new AwsError("InvalidMaxResultsException", "MaxQueryResults must be between 1 and 1000.");
    if (s !== "FINISHED") return { QueryStatus: s, QueryResultRows: [], QueryStatistics: { ResultsCount: 0, TotalResultsCount: 0, BytesScanned: 0 } };
    const { items: page, next } = queryPage(q.id, q.rows, str(input, "NextToken"), max, new AwsError("InvalidNextTokenException", "The NextToken is not valid for this query."));
    return {
      QueryStatus: s,
      QueryStatistics: { ResultsCount: page.length, TotalResultsCount: q.rows.length, BytesScanned: q.rows.length * 900 },
      QueryResultRows: page.map((row) => row.flatMap((v, i) => (v === null ? [] : [{ [q.columns[i]]: v }]))),
      NextToken: next,
    };
  },
};
