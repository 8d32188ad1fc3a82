import "server-only";

// CloudTrail Lake, for accounts that already have an event data store (AWS closed Lake to new
// customers in 2026; Athena is the main path): one StartQuery per fetch, DescribeQuery until it
// finishes, GetQueryResults pages; rows rebuilt into CloudTrail records like Athena's.
import { CloudTrailClient, DescribeQueryCommand, GetQueryResultsCommand, StartQueryCommand } from "@aws-sdk/client-cloudtrail";
import type Database from "better-sqlite3";

import { credentialsFor, describeAwsError } from "../../server/aws/clients";
import type { InventoryIndex } from "../correlate";
import { EVENT_NAMES, type EventName } from "../names.shared";
import type { SecretIndex } from "../normalize";
import { insertEvents, markSynced, syncedUpTo } from "../store";

import { type AthenaReport, recordFromRow, toEvents } from "./athena";

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

export async function syncLake(
  d: Database.Database,
  opts: {
    source: LakeSource;
    since: number;
    until?: number;
    names?: readonly EventName[];
    inventory: InventoryIndex;
    secrets?: SecretIndex;
    pollMs?: number;
    onProgress?: (p: { state: string; rows: number; inserted: number }) => void;
  },
): Promise<AthenaReport> {
  const started = Date.now();
  const to = opts.until ?? Date.now();
  const attribute = `lake:${opts.source.eventDataStore.split("/").pop()}`;
  const stored = syncedUpTo(d, "lake", opts.source.account, opts.source.region, attribute);
  const from = stored !== undefined ? Math.max(opts.since, stored - 5 * 60_000) : opts.since;
  const client = new CloudTrailClient({
    region: opts.source.region,
    credentials: credentialsFor({ account: opts.source.account, region: opts.source.region, roleArn: opts.source.roleArn }),
  });
  const report: AthenaReport = { state: "QUEUED", rows: 0, inserted: 0, ms: 0 };
  try {
    const start = await client.send(new StartQueryCommand({ QueryStatement: lakeQuery(opts.source, from, to, opts.names ?? EVENT_NAMES) }));
    report.queryId = start.QueryId;
    for (let i = 0; ; i++) {
      const dq = await client.send(new DescribeQueryCommand({ QueryId: report.queryId }));
      report.state = dq.QueryStatus ?? "UNKNOWN";
      report.reason = dq.ErrorMessage;
      opts.onProgress?.({ state: report.state, rows: 0, inserted: 0 });
      if (["FINISHED", "FAILED", "CANCELLED", "TIMED_OUT"].includes(report.state)) break;
      await new Promise((r) => setTimeout(r, Math.min(5000, (opts.pollMs ?? 500) * 1.5 ** i)));
    }
    if (report.state !== "FINISHED") return { ...report, ms: Date.now() - started };
    let token: string | undefined;
    let newest = stored ?? from;
    do {
      const page = await client.send(new GetQueryResultsCommand({ QueryId: report.queryId, MaxQueryResults: 1000, NextToken: token }));
      const records = (page.QueryResultRows ?? []).map((row) => {
        const cells = Object.assign({}, ...row) as Record<string, string>;
        const cols = Object.keys(cells);
        return recordFromRow(
          cols,
          cols.map((c) => cells[c]),
        );
      });
      const batch = toEvents(records, opts);
      for (const e of batch) if (e.eventTime > newest) newest = e.eventTime;
      report.rows += batch.length;
      report.inserted += insertEvents(d, batch, "lake");
      opts.onProgress?.({ state: report.state, rows: report.rows, inserted: report.inserted });
      token = page.NextToken;
    } while (token);
    markSynced(d, "lake", opts.source.account, opts.source.region, attribute, newest);
  } catch (e) {
    const err = describeAwsError(e);
    report.state = "FAILED";
    report.reason = `${err.code}: ${err.message}`;
  }
  return { ...report, ms: Date.now() - started };
}
