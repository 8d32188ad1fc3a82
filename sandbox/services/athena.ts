// Amazon Athena over the CloudTrail logs a trail delivers to S3: CREATE EXTERNAL TABLE records a
// table; SELECTs in the subset of sandbox/sql.ts run over the account's recorded CloudTrail events.
// Queries go QUEUED → RUNNING → SUCCEEDED (or FAILED) across GetQueryExecution polls, as on AWS;
// GetQueryResults pages up to 1,000 rows, the first row of a SELECT being the column names.
import { randomUUID } from "node:crypto";

import { AwsError, requireStr, str, type ServiceHandlers } from "../core";
import { authorize } from "../principals";
import { parseSql, runSelect, SqlError } from "../sql";
import type { SandboxState } from "../state";

import { queryPage } from "./paging";

interface Query {
  id: string;
  sql: string;
  database: string;
  workGroup: string;
  output: string;
  kind: "DDL" | "DML";
  submitted: Date;
  polls: number;
  failure?: string;
  columns: string[];
  rows: (string | null)[][];
  account: string;
  region: string;
}

interface AthenaState {
  tables: Map<string, { location?: string; account: string }>;
  queries: Map<string, Query>;
  tokens: Map<string, string>;
}

const athenaState = new WeakMap<SandboxState, AthenaState>();
function stateOf(s: SandboxState): AthenaState {
  let a = athenaState.get(s);
  if (!a) athenaState.set(s, (a = { tables: new Map(), queries: new Map(), tokens: new Map() }));
  return a;
}

function findQuery(a: AthenaState, id: string, account: string): Query {
  const q = a.queries.get(id);
  if (!q || q.account !== account) throw new AwsError("InvalidRequestException", `QueryExecution ${id} was not found`);
  return q;
}

function status(q: Query): "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" {
  if (q.polls === 0) return "QUEUED";
  if (q.polls === 1) return "RUNNING";
  return q.failure ? "FAILED" : "SUCCEEDED";
}

export const athenaHandlers: ServiceHandlers = {
  async StartQueryExecution(ctx, input) {
    if (!ctx.caller.admin)
      await authorize(ctx, { action: "athena:StartQueryExecution", resourceArn: `arn:aws:athena:${ctx.region}:${ctx.account}:workgroup/${str(input, "WorkGroup") ?? "primary"}` });
    const sql = requireStr(input, "QueryString", "InvalidRequestException");
    const a = stateOf(ctx.state);
    const token = str(input, "ClientRequestToken");
    if (token && a.tokens.has(`${ctx.account}:${token}`)) return { QueryExecutionId: a.tokens.get(`${ctx.account}:${token}`) };
    const output = (input.ResultConfiguration as { OutputLocation?: string } | undefined)?.OutputLocation;
    if (!output || !output.startsWith("s3://"))
      throw new AwsError(
        "InvalidRequestException",
        "No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.",
      );
    const database = ((input.QueryExecutionContext as { Database?: string } | undefined)?.Database ?? "default").toLowerCase();
    const q: Query = {
      id: randomUUID(),
      sql,
      database,
      workGroup: str(input, "WorkGroup") ?? "primary",
      output,
      kind: "DML",
      submitted: ctx.now,
      polls: 0,
      columns: [],
      rows: [],
      account: ctx.account,
      region: ctx.region,
    };
    try {
      const parsed = parseSql(sql);
      if (parsed.kind === "create") {
        q.kind = "DDL";
        const acct = /AWSLogs\/(\d{12})\//.exec(parsed.location ?? "")?.[1] ?? ctx.account;
        a.tables.set(`${ctx.account}:${database}.${parsed.table}`, { location: parsed.location, account: acct });
      } else {
        const table = a.tables.get(`${ctx.account}:${database}.${parsed.table}`);
        if (!table) throw new SqlError(`TABLE_NOT_FOUND: line 1: Table 'awsdatacatalog.${database}.${parsed.table}' does not exist`);
        const events = [...ctx.state.events.entries()].filter(([k]) => k.startsWith(`${table.account}:`)).flatMap(([, list]) => list);
        const r = runSelect(parsed, events);
        q.columns = r.columns;
        q.rows = r.rows;
      }
    } catch (e) {
      if (!(e instanceof SqlError)) throw e;
      q.failure = e.message;
    }
    a.queries.set(q.id, q);
    if (token) a.tokens.set(`${ctx.account}:${token}`, q.id);
    return { QueryExecutionId: q.id };
  },

  async GetQueryExecution(ctx, input) {
    if (!ctx.caller.admin) await authorize(ctx, { action: "athena:GetQueryExecution", resourceArn: `arn:aws:athena:${ctx.region}:${ctx.account}:workgroup/primary` });
    const q = findQuery(stateOf(ctx.state), requireStr(input, "QueryExecutionId", "InvalidRequestException"), ctx.account);
    const state = status(q);
    q.polls++;
    return {
      QueryExecution: {
        QueryExecutionId: q.id,
        Query: q.sql,
        StatementType: q.kind,
        ResultConfiguration: { OutputLocation: `${q.output.replace(/\/?$/, "/")}${q.id}.csv` },
        QueryExecutionContext: { Database: q.database, Catalog: "awsdatacatalog" },
        Status: {
          State: state,
          StateChangeReason: state === "FAILED" ? q.failure : undefined,
          SubmissionDateTime: q.submitted,
          CompletionDateTime: state === "SUCCEEDED" || state === "FAILED" ? ctx.now : undefined,
        },
        Statistics: { EngineExecutionTimeInMillis: 120 + q.rows.length, DataScannedInBytes: q.rows.length * 900, TotalExecutionTimeInMillis: 200 + q.rows.length },
        WorkGroup: q.workGroup,
      },
    };
  },

  async GetQueryResults(ctx, input) {
    if (!ctx.caller.admin) await authorize(ctx, { action: "athena:GetQueryResults", resourceArn: `arn:aws:athena:${ctx.region}:${ctx.account}:workgroup/primary` });
    const q = findQuery(stateOf(ctx.state), requireStr(input, "QueryExecutionId", "InvalidRequestException"), ctx.account);
    const state = status(q);
    if (state === "FAILED") throw new AwsError("InvalidRequestException", `Query has failed: ${q.failure}`);
    if (state !== "SUCCEEDED") throw new AwsError("InvalidRequestException", `Query has not yet finished. Current state: ${state}`);
    const max = (input.MaxResults as number | undefined) ?? 1000;
    if (!Number.isInteger(max) || max < 1 || max > 1000) throw new AwsError("InvalidRequestException", "MaxResults must be between 1 and 1000.");
    const all = q.kind === "DML" ? [q.columns, ...q.rows] : [];
    const { items: page, next } = queryPage(q.id, all, str(input, "NextToken"), max, new AwsError("InvalidRequestException", "The NextToken is not valid for this query."));
    return {
      UpdateCount: 0,
      ResultSet: {
        Rows: page.map((row) => ({ Data: row.map((v) => (v === null ? {} : { VarCharValue: v })) })),
        ResultSetMetadata: {
          ColumnInfo: q.columns.map((c) => ({
            CatalogName: "hive",
            SchemaName: "",
            TableName: "",
            Name: c,
            Label: c,
            Type: "varchar",
            Precision: 2147483647,
            Scale: 0,
            Nullable: "UNKNOWN",
            CaseSensitive: true,
          })),
        },
      },
      NextToken: next,
    };
  },
};
