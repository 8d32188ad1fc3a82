import "server-only";

// Amazon Athena over the CloudTrail logs a trail delivers to S3 — the scale path for organizations
// and for history beyond CloudTrail's 90 days. Keyward can create the partition-projection table
// (athenaTableDdl); its queries always filter on the date partition so Athena reads only the days
// asked for. Results are rebuilt into CloudTrail records and go through the same normalization.
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from "@aws-sdk/client-athena";
import type Database from "better-sqlite3";

import { credentialsFor, describeAwsError } from "../../server/aws/clients";

import { type QueryReport, type QuerySyncOptions, syncByQuery } from "./query";

export interface AthenaSource {
  /** Where Athena runs (the account and region of the workgroup). */
  account: string;
  region: string;
  roleArn?: string;
  database: string;
  table: string;
  workGroup?: string;
  /** s3://bucket/prefix/ for query results. */
  outputLocation: string;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

/**
 * The CREATE EXTERNAL TABLE statement for a trail's logs with partition projection on region and
 * date (no MSCK REPAIR or crawler needed). `location`: s3://bucket/[prefix/]AWSLogs/ACCOUNT/CloudTrail/
 */
export function athenaTableDdl(opts: { table: string; location: string; regions: string[]; since: string }): string {
  if (!IDENT.test(opts.table)) throw new Error("the table name takes lower-case letters, digits and _");
  if (!/^s3:\/\/[a-z0-9.-]+\/(.+\/)?AWSLogs\/(o-[a-z0-9]+\/)?\d{12}\/CloudTrail\/$/.test(opts.location))
    throw new Error("location must be s3://bucket/[prefix/]AWSLogs/[org-id/]ACCOUNT/CloudTrail/");
  if (!/^\d{4}\/\d{2}\/\d{2}$/.test(opts.since)) throw new Error("since is yyyy/MM/dd");
  return `CREATE EXTERNAL TABLE IF NOT EXISTS ${opts.table} (
  eventversion STRING,
  useridentity STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, invokedby: STRING, accesskeyid: STRING, username: STRING,
    sessioncontext: STRUCT<attributes: STRUCT<mfaauthenticated: STRING, creationdate: STRING>,
      sessionissuer: STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, username: STRING>>>,
  eventtime STRING,
  eventsource STRING,
  eventname STRING,
  awsregion STRING,
  sourceipaddress STRING,
  useragent STRING,
  errorcode STRING,
  errormessage STRING,
  requestparameters STRING,
  responseelements STRING,
  additionaleventdata STRING,
  requestid STRING,
  eventid STRING,
  readonly STRING,
  resources ARRAY<STRUCT<arn: STRING, accountid: STRING, type: STRING>>,
  eventtype STRING,
  recipientaccountid STRING,
  sharedeventid STRING,
  eventcategory STRING
)
PARTITIONED BY (region STRING, timestamp STRING)
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION '${opts.location}'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.region.type' = 'enum',
  'projection.region.values' = '${opts.regions.join(",")}',
  'projection.timestamp.type' = 'date',
  'projection.timestamp.format' = 'yyyy/MM/dd',
  'projection.timestamp.range' = '${opts.since},NOW',
  'projection.timestamp.interval' = '1',
  'projection.timestamp.interval.unit' = 'DAYS',
  'storage.location.template' = '${opts.location}\${region}/\${timestamp}'
)`;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const day = (ms: number) => iso(ms).slice(0, 10).replace(/-/g, "/");
const q = (s: string) => `'${s.replace(/'/g, "''")}'`;

export function athenaQuery(src: Pick<AthenaSource, "database" | "table">, from: number, to: number, names: readonly string[]): string {
  if (!IDENT.test(src.database) || !IDENT.test(src.table)) throw new Error("database and table names take lower-case letters, digits and _");
  return [
    "SELECT eventid, eventtime, eventsource, eventname, awsregion, recipientaccountid, sourceipaddress, useragent, errorcode, errormessage, requestid, requestparameters,",
    "json_format(cast(useridentity as json)) AS useridentity, json_format(cast(resources as json)) AS resources",
    `FROM ${src.database}.${src.table}`,
    // The date partition first: Athena reads only these days.
    `WHERE timestamp >= ${q(day(from))} AND timestamp <= ${q(day(to))} AND eventtime >= ${q(iso(from))} AND eventtime < ${q(iso(to))}`,
    `AND eventname IN (${names.map(q).join(", ")})`,
  ].join(" ");
}

const CAMEL: Record<string, string> = {
  principalid: "principalId",
  accountid: "accountId",
  accesskeyid: "accessKeyId",
  username: "userName",
  invokedby: "invokedBy",
  sessioncontext: "sessionContext",
  sessionissuer: "sessionIssuer",
  mfaauthenticated: "mfaAuthenticated",
  creationdate: "creationDate",
  arn: "arn",
};
function camel(v: unknown, top = false): unknown {
  if (Array.isArray(v)) return v.map((x) => camel(x));
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [top && k === "arn" ? "ARN" : (CAMEL[k] ?? k), camel(x)]));
  return v;
}

/** One Athena result row (columns of athenaQuery) → a CloudTrail record. */
export function recordFromRow(cols: string[], values: (string | undefined)[]): Record<string, unknown> {
  const get = (c: string) => values[cols.indexOf(c)];
  const parse = (s: string | undefined) => {
    if (!s) return undefined;
    try {
      return JSON.parse(s) as unknown;
    } catch {
      return undefined;
    }
  };
  const resources = parse(get("resources"));
  return {
    eventID: get("eventid"),
    eventTime: get("eventtime"),
    eventSource: get("eventsource"),
    eventName: get("eventname"),
    awsRegion: get("awsregion"),
    recipientAccountId: get("recipientaccountid"),
    sourceIPAddress: get("sourceipaddress"),
    userAgent: get("useragent"),
    errorCode: get("errorcode"),
    errorMessage: get("errormessage"),
    requestID: get("requestid"),
    requestParameters: parse(get("requestparameters")) ?? null,
    userIdentity: camel(parse(get("useridentity")) ?? {}),
    resources: Array.isArray(resources) ? resources.map((r) => camel(r, true)) : undefined,
  };
}

export async function syncAthena(d: Database.Database, opts: QuerySyncOptions & { source: AthenaSource }): Promise<QueryReport> {
  const src = opts.source;
  const client = new AthenaClient({ region: src.region, credentials: credentialsFor({ account: src.account, region: src.region, roleArn: src.roleArn }) });
  let cols: string[] | undefined;
  return syncByQuery(
    d,
    {
      source: "athena",
      attribute: `athena:${src.database}.${src.table}`,
      account: src.account,
      region: src.region,
      start: async (from, to, names) =>
        (
          await client.send(
            new StartQueryExecutionCommand({
              QueryString: athenaQuery(src, from, to, names),
              QueryExecutionContext: { Database: src.database },
              WorkGroup: src.workGroup,
              ResultConfiguration: { OutputLocation: src.outputLocation },
            }),
          )
        ).QueryExecutionId,
      status: async (id) => {
        const ex = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
        return { state: ex.QueryExecution?.Status?.State ?? "UNKNOWN", reason: ex.QueryExecution?.Status?.StateChangeReason };
      },
      finished: ["SUCCEEDED", "FAILED", "CANCELLED"],
      succeeded: "SUCCEEDED",
      page: async (id, token) => {
        const page = await client.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1000, NextToken: token }));
        let rows = page.ResultSet?.Rows ?? [];
        // The first row of the first page is the header.
        if (!cols) {
          cols = (rows[0]?.Data ?? []).map((x) => x.VarCharValue ?? "");
          rows = rows.slice(1);
        }
        const header = cols;
        return {
          records: rows.map((r) =>
            recordFromRow(
              header,
              (r.Data ?? []).map((x) => x.VarCharValue),
            ),
          ),
          next: page.NextToken,
        };
      },
    },
    opts,
  );
}

/** Runs a statement (the table DDL) and waits for it; returns the final state and reason. */
export async function runAthenaStatement(source: AthenaSource, sql: string, pollMs = 500): Promise<{ state: string; reason?: string; queryId?: string }> {
  const client = new AthenaClient({ region: source.region, credentials: credentialsFor({ account: source.account, region: source.region, roleArn: source.roleArn }) });
  try {
    const { QueryExecutionId } = await client.send(
      new StartQueryExecutionCommand({
        QueryString: sql,
        QueryExecutionContext: { Database: source.database },
        WorkGroup: source.workGroup,
        ResultConfiguration: { OutputLocation: source.outputLocation },
      }),
    );
    for (let i = 0; ; i++) {
      const ex = await client.send(new GetQueryExecutionCommand({ QueryExecutionId }));
      const state = ex.QueryExecution?.Status?.State ?? "UNKNOWN";
      if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(state)) return { state, reason: ex.QueryExecution?.Status?.StateChangeReason, queryId: QueryExecutionId };
      await new Promise((r) => setTimeout(r, Math.min(5000, pollMs * 1.5 ** i)));
    }
  } catch (e) {
    const err = describeAwsError(e);
    return { state: "FAILED", reason: `${err.code}: ${err.message}` };
  }
}
