// Athena as an event source against the sandbox: the partition-projection DDL Keyward generates,
// a query that filters on the date partition, results rebuilt into the same normalized events
// LookupEvents gives, incremental re-runs, and failures reported.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { AthenaClient, GetQueryExecutionCommand, StartQueryExecutionCommand } from "@aws-sdk/client-athena";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { RunningSandbox } from "../../sandbox/index";
import { clientConfig } from "../../sandbox/testing/index";
import type { ScanResult } from "../inventory/types.shared";
import { scannedDemo } from "../posture/testing";
import { db } from "../store/db";

import { inventoryIndex } from "./correlate";
import { secretIndex } from "./normalize";
import { athenaQuery, athenaTableDdl, syncAthena } from "./sources/athena";
import { syncLookupEvents } from "./sources/lookup";
import { eventPage } from "./store";

const ACCOUNT = "111122223333";
const END = Date.parse("2026-11-01T00:00:00Z");
const SINCE = END - 3 * 86_400_000;
const SOURCE = { account: ACCOUNT, region: "us-east-1", database: "security", table: "cloudtrail_logs", outputLocation: "s3://athena-results-111122223333/keyward/" };

let demo: Awaited<ReturnType<typeof scannedDemo>>;
let sb: RunningSandbox;
let scan: ScanResult;

beforeAll(async () => {
  demo = await scannedDemo({ trafficEnd: new Date(END) });
  ({ sb, scan } = demo);
  const athena = new AthenaClient(clientConfig(sb));
  const ddl = athenaTableDdl({ table: "cloudtrail_logs", location: `s3://trail-bucket/AWSLogs/${ACCOUNT}/CloudTrail/`, regions: ["us-east-1", "eu-west-1"], since: "2026/01/01" });
  const { QueryExecutionId } = await athena.send(
    new StartQueryExecutionCommand({ QueryString: ddl, QueryExecutionContext: { Database: "security" }, ResultConfiguration: { OutputLocation: SOURCE.outputLocation } }),
  );
  for (let i = 0; i < 5; i++) await athena.send(new GetQueryExecutionCommand({ QueryExecutionId }));
});
afterAll(() => demo.close());

const opts = () => ({ inventory: inventoryIndex(scan.resources), secrets: secretIndex(scan.secrets) });

describe("Athena event source", () => {
  it("queries filter on the date partition", () => {
    const sql = athenaQuery(SOURCE, SINCE, END, ["Decrypt"]);
    expect(sql).toMatch(/WHERE timestamp >= '2026\/10\/29' AND timestamp <= '2026\/11\/01' AND eventtime >= '2026-10-29T00:00:00Z'/);
    expect(() => athenaQuery({ database: "security; DROP", table: "x" }, SINCE, END, ["Decrypt"])).toThrow();
    expect(() => athenaTableDdl({ table: "t", location: "s3://b/not-a-trail/", regions: ["us-east-1"], since: "2026/01/01" })).toThrow(/location/);
  });

  it("gives the same events as LookupEvents, normalized and tied the same way; a re-run adds nothing", async () => {
    const viaAthena = db(mkdtempSync(join(tmpdir(), "kw-athena-")));
    const r = await syncAthena(viaAthena, { ...opts(), source: SOURCE, since: SINCE, until: END, pollMs: 1 });
    expect(r).toMatchObject({ state: "SUCCEEDED" });
    expect(r.inserted).toBeGreaterThan(200);

    const viaLookup = db(mkdtempSync(join(tmpdir(), "kw-lookup-")));
    await syncLookupEvents(viaLookup, {
      ...opts(),
      targets: [
        { account: ACCOUNT, region: "us-east-1" },
        { account: ACCOUNT, region: "eu-west-1" },
      ],
      since: SINCE,
      until: END,
      tps: 500,
    });
    const a = eventPage(viaAthena, { from: SINCE, to: END }, { limit: 100_000 }).events;
    const l = eventPage(viaLookup, { from: SINCE, to: END }, { limit: 100_000 }).events;
    expect(a.length).toBe(l.length);
    expect(a).toEqual(l);

    const again = await syncAthena(viaAthena, { ...opts(), source: SOURCE, since: SINCE, until: END, pollMs: 1 });
    expect(again.inserted).toBe(0);
  });

  it("reports a failed query with Athena's reason", async () => {
    const d = db(mkdtempSync(join(tmpdir(), "kw-athena-fail-")));
    const r = await syncAthena(d, { ...opts(), source: { ...SOURCE, table: "missing_table" }, since: SINCE, until: END, pollMs: 1 });
    expect(r).toMatchObject({ state: "FAILED", reason: expect.stringMatching(/TABLE_NOT_FOUND/), inserted: 0 });
  });
});
