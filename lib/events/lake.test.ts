// CloudTrail Lake as an event source against the sandbox: same events as LookupEvents, a re-run adds
// nothing, an unknown event data store is reported.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { CloudTrailClient, CreateEventDataStoreCommand } from "@aws-sdk/client-cloudtrail";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { RunningSandbox } from "../../sandbox/index";
import { clientConfig } from "../../sandbox/testing/index";
import type { ScanResult } from "../inventory/types.shared";
import { DEMO_TARGETS, scannedDemo } from "../posture/testing";
import { db } from "../store/db";

import { inventoryIndex } from "./correlate";
import { secretIndex } from "./normalize";
import { lakeQuery, syncLake } from "./sources/lake";
import { syncLookupEvents } from "./sources/lookup";
import { eventPage } from "./store";

const ACCOUNT = "111122223333";
const END = Date.parse("2026-11-01T00:00:00Z");
const SINCE = END - 2 * 86_400_000;
const TARGETS = DEMO_TARGETS;

let demo: Awaited<ReturnType<typeof scannedDemo>>;
let sb: RunningSandbox;
let scan: ScanResult;
let store: string;

beforeAll(async () => {
  demo = await scannedDemo({ trafficEnd: new Date(END) });
  ({ sb, scan } = demo);
  const ct = new CloudTrailClient(clientConfig(sb));
  store = (await ct.send(new CreateEventDataStoreCommand({ Name: "org-events" }))).EventDataStoreArn!;
});
afterAll(() => demo.close());

const opts = () => ({ inventory: inventoryIndex(scan.resources), secrets: secretIndex(scan.secrets), pollMs: 1 });

describe("CloudTrail Lake event source", () => {
  it("gives the same events as LookupEvents; a re-run adds nothing", async () => {
    const viaLake = db(mkdtempSync(join(tmpdir(), "kw-lake-")));
    const r = await syncLake(viaLake, { ...opts(), source: { account: ACCOUNT, region: "us-east-1", eventDataStore: store }, since: SINCE, until: END });
    expect(r.state).toBe("FINISHED");
    expect(r.inserted).toBeGreaterThan(100);
    const viaLookup = db(mkdtempSync(join(tmpdir(), "kw-lake-lookup-")));
    await syncLookupEvents(viaLookup, { ...opts(), targets: TARGETS, since: SINCE, until: END, tps: 500 });
    expect(eventPage(viaLake, { from: SINCE, to: END }, { limit: 100_000 }).events).toEqual(eventPage(viaLookup, { from: SINCE, to: END }, { limit: 100_000 }).events);
    expect((await syncLake(viaLake, { ...opts(), source: { account: ACCOUNT, region: "us-east-1", eventDataStore: store }, since: SINCE, until: END })).inserted).toBe(0);
  });

  it("reports an unknown event data store, and refuses what is not a store id", async () => {
    const d = db(mkdtempSync(join(tmpdir(), "kw-lake-fail-")));
    const r = await syncLake(d, { ...opts(), source: { account: ACCOUNT, region: "us-east-1", eventDataStore: "00000000-0000-4000-8000-000000000000" }, since: SINCE, until: END });
    expect(r).toMatchObject({ state: "FAILED", reason: expect.stringMatching(/EventDataStoreNotFound/) });
    expect(() => lakeQuery({ eventDataStore: "x; DROP" }, SINCE, END, ["Decrypt"])).toThrow();
  });
});
