// The sandbox's Athena through the real SDK client: table DDL, the SELECT subset over the
// account's CloudTrail records, the QUEUED → RUNNING → SUCCEEDED cycle, paging, and errors.
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from "@aws-sdk/client-athena";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { clientConfig, testSandbox } from "./testing/index";

import type { RunningSandbox } from "./index";

let sb: RunningSandbox;
let athena: AthenaClient;
const END = new Date("2026-11-01T00:00:00Z");
const OUT = { OutputLocation: "s3://athena-results-111122223333/keyward/" };

beforeAll(async () => {
  sb = await testSandbox({ trafficEnd: END });
  athena = new AthenaClient(clientConfig(sb));
});
afterAll(() => sb.close());

async function run(sql: string): Promise<{ state: string; reason?: string; id: string; polls: number }> {
  const { QueryExecutionId } = await athena.send(new StartQueryExecutionCommand({ QueryString: sql, QueryExecutionContext: { Database: "security" }, ResultConfiguration: OUT }));
  for (let polls = 1; ; polls++) {
    const q = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId }));
    const state = q.QueryExecution!.Status!.State!;
    if (state === "SUCCEEDED" || state === "FAILED") return { state, reason: q.QueryExecution!.Status!.StateChangeReason, id: QueryExecutionId!, polls };
  }
}

describe("sandbox Athena", () => {
  it("creates the CloudTrail table, then selects, filters, orders and pages like Athena", async () => {
    const ddl = await run(
      "CREATE EXTERNAL TABLE IF NOT EXISTS cloudtrail_logs (eventversion STRING, eventtime STRING, eventname STRING) PARTITIONED BY (region string, timestamp string) LOCATION 's3://trail-bucket/AWSLogs/111122223333/CloudTrail/'",
    );
    expect(ddl.state).toBe("SUCCEEDED");
    expect(ddl.polls).toBe(3);
    const q = await run(
      "SELECT eventid, eventtime, eventname, json_format(cast(useridentity as json)) AS useridentity, json_format(cast(resources as json)) AS resources FROM cloudtrail_logs WHERE timestamp >= '2026/10/30' AND eventname IN ('Decrypt', 'GenerateDataKey') AND eventsource = 'kms.amazonaws.com' ORDER BY eventtime DESC",
    );
    expect(q.state).toBe("SUCCEEDED");
    const first = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: q.id, MaxResults: 100 }));
    const header = first.ResultSet!.Rows![0].Data!.map((d) => d.VarCharValue);
    expect(header).toEqual(["eventid", "eventtime", "eventname", "useridentity", "resources"]);
    expect(first.ResultSet!.ResultSetMetadata!.ColumnInfo!.map((c) => c.Name)).toEqual(header);
    let rows = first.ResultSet!.Rows!.slice(1);
    let token = first.NextToken;
    while (token) {
      const p = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: q.id, MaxResults: 1000, NextToken: token }));
      rows = rows.concat(p.ResultSet!.Rows!);
      token = p.NextToken;
    }
    const expected = [...sb.state.events.values()]
      .flat()
      .filter((e) => e.time >= Date.parse("2026-10-30T00:00:00Z") && ["Decrypt", "GenerateDataKey"].includes(e.eventName) && e.eventSource === "kms.amazonaws.com").length;
    expect(rows.length).toBe(expected);
    expect(rows.length).toBeGreaterThan(100);
    const times = rows.map((r) => r.Data![1].VarCharValue!);
    expect([...times].sort().reverse()).toEqual(times);
    // Struct columns come back as JSON with lower-cased field names, as from Athena's CloudTrail SerDe.
    const ui = JSON.parse(rows[0].Data![3].VarCharValue!) as Record<string, unknown>;
    expect(Object.keys(ui).every((k) => k === k.toLowerCase())).toBe(true);
    expect(ui.type).toBeDefined();
  });

  it("fails queries it cannot run with Athena's reasons, and refuses results before a query finished", async () => {
    expect(await run("SELECT eventid FROM no_such_table")).toMatchObject({ state: "FAILED", reason: expect.stringMatching(/TABLE_NOT_FOUND/) });
    expect(await run("SELECT nonsense FROM cloudtrail_logs")).toMatchObject({ state: "FAILED", reason: expect.stringMatching(/COLUMN_NOT_FOUND/) });
    expect(await run("DELETE FROM cloudtrail_logs")).toMatchObject({ state: "FAILED" });
    const { QueryExecutionId } = await athena.send(
      new StartQueryExecutionCommand({ QueryString: "SELECT eventid FROM cloudtrail_logs LIMIT 1", QueryExecutionContext: { Database: "security" }, ResultConfiguration: OUT }),
    );
    await expect(athena.send(new GetQueryResultsCommand({ QueryExecutionId }))).rejects.toThrow(/not yet finished/);
    await expect(athena.send(new StartQueryExecutionCommand({ QueryString: "SELECT eventid FROM cloudtrail_logs" }))).rejects.toThrow(/output location/);
  });
});
