import "server-only";

// CloudTrail Lake, for accounts that already have an event data store (AWS closed Lake to new
// customers in 2026; Athena is the main path): one StartQuery per fetch, DescribeQuery until it
// finishes, GetQueryResults pages; rows rebuilt into CloudTrail records like Athena's.
import { CloudTrailClient, DescribeQueryCommand, GetQueryResultsCommand, StartQueryCommand } from "@aws-sdk/client-cloudtrail";
import type Database from "better-sqlite3";

import { credentialsFor } from "../../server/aws/clients";

import { recordFromRow } from "./athena";
import { type QueryReport, type QuerySyncOptions, syncByQuery } from "./query";

export interface LakeSource {
  account: string;
  region: string;
  roleArn?: string;
  /** The event data store's ID or ARN. */
  eventDataStore: string;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
const COLUMNS = ["eventid", "eventtime", "eventsource", "eventname", "awsregion", "recipientaccountid", "sourceipaddress", "useragent", "errorcode", "errormessage", "requestid"];

export function lakeQuery(src: Pick<LakeSource, "eventDataStore">, from: number, to: number, names: readonly string[]): string {
  const id = src.eventDataStore.split("/").pop()!;
  if (!/^[a-f0-9-]{36}$/i.test(id)) throw new Error("the event data store is an ID or ARN ending in a UUID");
  return [
    `SELECT ${["eventID", "eventTime", "eventSource", "eventName", "awsRegion", "recipientAccountId", "sourceIPAddress", "userAgent", "errorCode", "errorMessage", "requestID"].map((c, i) => `${c} AS ${COLUMNS[i]}`).join(", ")},`,
    "json_format(cast(requestParameters as json)) AS requestparameters, json_format(cast(userIdentity as json)) AS useridentity, json_format(cast(resources as json)) AS resources",
    `FROM ${id}`,
    `WHERE eventTime >= ${q(iso(from))} AND eventTime < ${q(iso(to))} AND eventName IN (${names.map(q).join(", ")})`,
  ].join(" ");
}

export async function syncLake(d: Database.Database, opts: QuerySyncOptions & { source: LakeSource }): Promise<QueryReport> {
  const src = opts.source;
  const client = new CloudTrailClient({ region: src.region, credentials: credentialsFor({ account: src.account, region: src.region, roleArn: src.roleArn }) });
  return syncByQuery(
    d,
    {
      source: "lake",
      attribute: `lake:${src.eventDataStore.split("/").pop()}`,
      account: src.account,
      region: src.region,
      start: async (from, to, names) => (await client.send(new StartQueryCommand({ QueryStatement: lakeQuery(src, from, to, names) }))).QueryId,
      status: async (id) => {
        const dq = await client.send(new DescribeQueryCommand({ QueryId: id }));
        return { state: dq.QueryStatus ?? "UNKNOWN", reason: dq.ErrorMessage };
      },
      finished: ["FINISHED", "FAILED", "CANCELLED", "TIMED_OUT"],
      succeeded: "FINISHED",
      page: async (id, token) => {
        const page = await client.send(new GetQueryResultsCommand({ QueryId: id, MaxQueryResults: 1000, NextToken: token }));
        const records = (page.QueryResultRows ?? []).map((row) => {
          const cells = Object.assign({}, ...row) as Record<string, string>;
          const cols = Object.keys(cells);
          return recordFromRow(
            cols,
            cols.map((c) => cells[c]),
          );
        });
        return { records, next: page.NextToken };
      },
    },
    opts,
  );
}
