// Timeline benchmark. `npm run bench:timeline [-- --part lookup|queries|all] [--events N] [--days D]`
//  lookup:  a cold LookupEvents fetch of the demo scenario's us-east-1 history against the sandbox with
//           AWS's 2 requests/second enforced: events per second vs the API ceiling (50 events × 2 TPS).
//  queries: N (1,000,000 by default) stored events spread over 90 days; warm query latency (p50/p95 of
//           20 runs) for the 90-day histogram, the top principals, one key-filtered page and the first
//           unfiltered page; server-side memory (RSS) under that load.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

import { inventoryIndex } from "../lib/events/correlate";
import { syncLookupEvents } from "../lib/events/sources/lookup";
import { eventPage, facets, histogram, insertEvents, type StoredInput, topValues } from "../lib/events/store";
import { pointSdkAtSandbox } from "../lib/posture/testing";
import { db } from "../lib/store/db";
import { startSandbox } from "../sandbox/index";

const DAY = 86_400_000;

function quantiles(ms: number[]): { p50: number; p95: number } {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: s[Math.floor(s.length * 0.5)], p95: s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)] };
}

async function lookup(days: number) {
  const end = new Date();
  const sb = await startSandbox({ trafficEnd: end, enforceDefaultLimits: true });
  const restore = pointSdkAtSandbox(sb);
  try {
    const d = db(mkdtempSync(join(tmpdir(), "kw-bench-lookup-")));
    const started = Date.now();
    const r = await syncLookupEvents(d, {
      targets: [{ account: sb.account, region: "us-east-1" }],
      since: end.getTime() - days * DAY,
      until: end.getTime(),
      inventory: inventoryIndex([]),
    });
    const seconds = (Date.now() - started) / 1000;
    const rate = r.fetched / seconds;
    const ceiling = 50 * 2;
    console.log(`lookup: ${days} days of us-east-1 history, ${r.fetched} events in ${r.calls} calls (${r.throttled} throttled) in ${seconds.toFixed(1)} s`);
    console.log(`lookup: ${rate.toFixed(1)} events/s vs the ceiling of ${ceiling} events/s (50 per call × 2 calls/s) = ${((100 * rate) / ceiling).toFixed(1)} % (goal ≥ 90 %)`);
    console.log(`lookup: pages were ${((100 * r.fetched) / (r.calls * 50)).toFixed(1)} % full (one partial page per event-name sweep)`);
  } finally {
    restore();
    await sb.close();
  }
}

function queries(n: number) {
  const d = db(mkdtempSync(join(tmpdir(), "kw-bench-queries-")));
  const now = Date.now();
  const keys = Array.from({ length: 50 }, (_, i) => `arn:aws:kms:us-east-1:111122223333:key/${String(i).padStart(8, "0")}-0000-4000-8000-000000000000`);
  const principals = Array.from({ length: 200 }, (_, i) => `arn:aws:iam::111122223333:role/Role${i}`);
  const names = ["Decrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "Encrypt", "DescribeKey", "GetSecretValue"];
  const t0 = Date.now();
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let done = 0; done < n; done += 50_000) {
    const batch: StoredInput[] = [];
    for (let i = done; i < Math.min(n, done + 50_000); i++) {
      const key = keys[Math.floor(rnd() ** 2 * keys.length)];
      batch.push({
        eventID: `ev-${i}`,
        eventTime: now - Math.floor(rnd() * 90 * DAY),
        account: "111122223333",
        region: "us-east-1",
        eventSource: "kms.amazonaws.com",
        eventName: names[Math.floor(rnd() ** 1.5 * names.length)],
        principalArn: principals[Math.floor(rnd() ** 3 * principals.length)],
        principalType: "AssumedRole",
        sourceIPAddress: "bedrock.amazonaws.com",
        keyArn: key,
        resourceArn: `arn:aws:bedrock:us-east-1:111122223333:agent/A${key.slice(-14, -12)}`,
        correlation: "key only",
        raw: { eventID: `ev-${i}`, eventName: "Decrypt", requestParameters: { encryptionAlgorithm: "SYMMETRIC_DEFAULT" } },
      });
    }
    insertEvents(d, batch, "bench");
  }
  d.pragma("optimize");
  console.log(`queries: stored ${n.toLocaleString()} events in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const range = { from: now - 90 * DAY, to: now };
  const measure = (label: string, f: () => unknown) => {
    f(); // warm
    const ms: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      f();
      ms.push(performance.now() - t);
    }
    const q = quantiles(ms);
    console.log(`queries: ${label.padEnd(34)} p50 ${q.p50.toFixed(1)} ms, p95 ${q.p95.toFixed(1)} ms${q.p95 < 150 ? "" : "  (over the 150 ms goal)"}`);
  };
  measure("histogram, 90 days", () => histogram(d, range));
  measure("histogram, 90 days, one key", () => histogram(d, { ...range, key: keys[3] }));
  measure("top principals, 7 days", () => topValues(d, { from: now - 7 * DAY, to: now }, "principals"));
  measure("top principals, 90 days", () => topValues(d, range, "principals"));
  measure("all eight filter lists, 7 days", () => facets(d, { from: now - 7 * DAY, to: now }));
  measure("first page, unfiltered", () => eventPage(d, range, { limit: 200 }));
  measure("first page, one key", () => eventPage(d, { ...range, key: keys[7] }, { limit: 200 }));
  measure("first page, one principal + name", () => eventPage(d, { ...range, principal: principals[5], eventName: ["Decrypt"] }, { limit: 200 }));
  console.log(`queries: server memory (RSS) ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB (goal < 1024 MB)`);
}

async function main() {
  const { values } = parseArgs({ options: { part: { type: "string", default: "all" }, events: { type: "string", default: "1000000" }, days: { type: "string", default: "90" } } });
  if (values.part === "queries" || values.part === "all") queries(Number(values.events));
  if (values.part === "lookup" || values.part === "all") await lookup(Number(values.days));
}

void main();
