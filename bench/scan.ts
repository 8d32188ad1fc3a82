// Scan benchmark on the large scenario with 30 ms latency on every call and AWS's published rate
// limits: API calls made vs the minimum the data needs, wall time vs the lower bound the rate
// limits and latency allow, and an unchanged rescan vs the cold scan. `npm run bench:scan`.
// `npm run bench:scan -- --without-agent-quotas` leaves out the Bedrock and AgentCore quotas (in the
// sandbox and the scanner alike) to show what the scanner's own work costs.
import { existsSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

import { DescribeKeyCommand } from "@aws-sdk/client-kms";

import { RATE_QUOTAS } from "../lib/server/aws/quotas";
import { buildState, readScenarioFile } from "../sandbox/scenario/load";
import { runScan } from "../lib/posture/scan";
import { clientsFor } from "../lib/server/aws/clients";
import { pointSdkAtSandbox } from "../lib/posture/testing";

import { lowerBound, minimumCalls } from "./minimum";
import { largeScenario } from "./make-large";
import { forkSandbox } from "./sandbox-process";

const LATENCY_MS = 30;

async function main() {
  const file = resolve(process.cwd(), "sandbox/scenarios/large.json");
  if (!existsSync(file)) writeFileSync(file, JSON.stringify(largeScenario()));
  // The sandbox runs in its own process; the scenario's ground truth is built here to count calls.
  const withoutQuotas = process.argv.includes("--without-agent-quotas") ? Object.keys(RATE_QUOTAS).filter((op) => op.startsWith("bedrock")) : [];
  for (const op of withoutQuotas) delete RATE_QUOTAS[op];
  const sb = await forkSandbox(file, [{ service: "*", latencyMs: LATENCY_MS }], withoutQuotas);
  const restore = pointSdkAtSandbox(sb.address);
  // The scanner's own retry policy (the tests make one attempt; a scan in use retries a throttled call).
  delete process.env.KEYWARD_AWS_MAX_ATTEMPTS;
  const s = buildState(readScenarioFile(file), { noTraffic: true });
  const targets = s.regions.map((region) => ({ account: s.account, region }));

  // The minimum number of calls the data needs, from the scenario's ground truth (bench/minimum.ts).
  const need = minimumCalls(s, [s.account], s.regions);
  const minimum = need.minimum;

  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const phases: { phase: string; at: number }[] = [];
  const cold = await runScan({
    targets,
    onProgress: (p) => {
      if (phases.at(-1)?.phase !== p.phase) phases.push({ phase: p.phase, at: performance.now() - t0 });
    },
  });
  const coldMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const sandboxCpu = await sb.cpuSeconds();
  const bound = lowerBound(need, LATENCY_MS);
  const lowerBoundMs = bound.ms;

  const t1 = performance.now();
  const warm = await runScan({ targets, previous: cold });
  const warmMs = performance.now() - t1;
  // The SDK's own cost per call on this machine: the same client sending DescribeKey 2,000 times, 16 at
  // a time (no rule, no pacing), to say how much of the scanner's CPU is the SDK's.
  const kms = clientsFor(targets[0]).kms;
  const keyArns = cold.keys.filter((k) => k.found && k.region === targets[0].region && k.account === targets[0].account).map((k) => k.arn);
  const sdkCpu0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: 16 }, async (_, w) => {
      for (let i = w; i < 2000; i += 16) await kms.send(new DescribeKeyCommand({ KeyId: keyArns[i % keyArns.length] }));
    }),
  );
  const sdkCpu = process.cpuUsage(sdkCpu0);
  const sdkUs = (sdkCpu.user + sdkCpu.system) / 2000;
  restore();
  await sb.close();

  const resources = cold.resources.length;
  console.log(`large scenario: ${resources} resources, ${cold.keys.length} keys, ${s.regions.length} regions, ${LATENCY_MS} ms latency per call`);
  if (withoutQuotas.length) console.log(`without the quotas of ${withoutQuotas.join(", ")}`);
  console.log(`API calls: ${cold.apiCalls} made vs ${minimum} minimum = ${(cold.apiCalls / minimum).toFixed(3)}x (goal <= 1.05x)`);
  console.log(`wall time: ${(coldMs / 1000).toFixed(1)} s vs lower bound ${(lowerBoundMs / 1000).toFixed(1)} s = ${(coldMs / lowerBoundMs).toFixed(2)}x (goal <= 1.25x)`);
  console.log(`lower bound set by: ${bound.setBy}`);
  const scannerCpu = (cpu.user + cpu.system) / 1e6;
  console.log(
    `CPU during the cold scan: scanner ${scannerCpu.toFixed(1)} s = ${((scannerCpu * 1000) / lowerBoundMs).toFixed(1)}x the bound (its own cost, goal <= 2x), ${(
      (scannerCpu * 1e6) /
      cold.apiCalls
    ).toFixed(0)} µs per call; sandbox ${sandboxCpu.toFixed(1)} s`,
  );
  console.log(
    `the SDK alone on this machine: ${sdkUs.toFixed(0)} µs of CPU per call (DescribeKey), so ${cold.apiCalls} calls need ${((sdkUs * cold.apiCalls) / 1e6).toFixed(1)} s of one core = ${((sdkUs * cold.apiCalls) / 1e3 / lowerBoundMs).toFixed(1)}x the bound before any rule runs`,
  );
  console.log(`unchanged rescan: ${(warmMs / 1000).toFixed(1)} s = ${((100 * warmMs) / coldMs).toFixed(0)}% of the cold scan (goal < 10%), ${warm.apiCalls} calls`);
  console.log(`phases (s from the start): ${phases.map((p) => `${p.phase} ${(p.at / 1000).toFixed(1)}`).join(", ")}`);
  console.log(`errors: ${cold.errors.length} (${[...new Set(cold.errors.map((e) => `${e.code} on ${e.operation} in ${e.region}`))].join(", ") || "none"})`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
