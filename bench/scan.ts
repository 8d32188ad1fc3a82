// Scan benchmark on the large scenario with 30 ms latency on every call and AWS's published rate
// limits: API calls made vs the minimum the data needs, wall time vs the lower bound the rate
// limits and latency allow, and an unchanged rescan vs the cold scan. `npm run bench:scan`.
import { existsSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

import { DEFAULT_RATE_LIMITS } from "../sandbox/faults";
import { startSandbox } from "../sandbox/index";
import { runScan } from "../lib/posture/scan";
import { pointSdkAtSandbox } from "../lib/posture/testing";

import { largeScenario } from "./make-large";

const LATENCY_MS = 30;

async function main() {
  const file = resolve(process.cwd(), "sandbox/scenarios/large.json");
  if (!existsSync(file)) writeFileSync(file, JSON.stringify(largeScenario()));
  const sb = await startSandbox({ scenario: file, noTraffic: true, enforceDefaultLimits: true });
  sb.server.faults.set([{ service: "*", latencyMs: LATENCY_MS }]);
  const restore = pointSdkAtSandbox(sb);
  const s = sb.state;
  const targets = s.regions.map((region) => ({ account: s.account, region }));

  // The minimum number of calls the data needs, from the scenario's ground truth.
  const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));
  let minimum = 0;
  for (const region of s.regions) {
    const count = <T extends { region: string }>(m: Map<string, T>) => [...m.values()].filter((x) => x.region === region).length;
    const oauth = [...s.credentialProviders.values()].filter((p) => p.region === region && p.type === "oauth2").length;
    const apikey = [...s.credentialProviders.values()].filter((p) => p.region === region && p.type === "apikey").length;
    minimum += pages(count(s.agents), 100) + count(s.agents);
    minimum += pages(count(s.knowledgeBases), 100) + count(s.knowledgeBases);
    minimum += pages(count(s.memories), 100) + count(s.memories);
    minimum += pages(count(s.recommendations), 100) + count(s.recommendations);
    minimum += pages(count(s.gateways), 100) + count(s.gateways);
    minimum += pages(oauth, 20) + oauth + pages(apikey, 20) + apikey;
    minimum += 1; // GetTokenVault
    const trails = [...s.trails.values()].filter((t) => t.homeRegion === region || t.multiRegion).length;
    minimum += 1 + 2 * trails;
  }
  const usedKeys = new Set(
    [
      ...[...s.agents.values()].map((a) => a.customerEncryptionKeyArn),
      ...[...s.memories.values()].map((m) => m.encryptionKeyArn),
      ...[...s.gateways.values()].map((g) => g.kmsKeyArn),
      ...[...s.recommendations.values()].map((r) => r.kmsKeyArn),
    ].filter((k): k is string => !!k),
  );
  const keyRegions = new Set([...usedKeys].map((k) => k.split(":")[3]));
  for (const region of keyRegions) minimum += pages([...s.aliases.values()].filter((a) => a.region === region).length, 100);
  for (const arn of usedKeys) {
    const k = s.keys.get(arn)!;
    minimum += 2 + (k.spec === "SYMMETRIC_DEFAULT" ? 1 : 0) + (k.manager === "CUSTOMER" ? 3 : 0);
  }
  const roles = new Set([...s.agents.values()].map((a) => a.agentResourceRoleArn).concat([...s.gateways.values()].map((g) => g.roleArn)));
  for (const arn of roles) {
    const r = s.roles.get(arn);
    minimum += 2 + (r ? r.inlinePolicies.size + 2 * r.attachedPolicies.length : 0);
  }

  const t0 = performance.now();
  const phases: { phase: string; at: number }[] = [];
  const cold = await runScan({
    targets,
    onProgress: (p) => {
      if (phases.at(-1)?.phase !== p.phase) phases.push({ phase: p.phase, at: performance.now() - t0 });
    },
  });
  const coldMs = performance.now() - t0;
  // Lower bound: the busiest rate-limited operation, or the shortest chain of dependent calls.
  const perOp = new Map<string, number>();
  perOp.set("kms:DescribeKey", usedKeys.size);
  perOp.set("kms:GetKeyPolicy", usedKeys.size);
  perOp.set("kms:ListGrants", usedKeys.size);
  perOp.set("kms:ListResourceTags", usedKeys.size);
  let rateBound = 0;
  for (const [op, n] of perOp) {
    const rate = DEFAULT_RATE_LIMITS[op];
    if (rate) rateBound = Math.max(rateBound, (n / rate) * 1000);
  }
  const chainBound = LATENCY_MS * 6; // list → get → describe key → policy → grants → trails, at best
  const lowerBound = Math.max(rateBound, chainBound);

  const t1 = performance.now();
  const warm = await runScan({ targets, previous: cold });
  const warmMs = performance.now() - t1;
  restore();
  await sb.close();

  const resources = cold.resources.length;
  console.log(`large scenario: ${resources} resources, ${cold.keys.length} keys, ${s.regions.length} regions, ${LATENCY_MS} ms latency per call`);
  console.log(`API calls: ${cold.apiCalls} made vs ${minimum} minimum = ${(cold.apiCalls / minimum).toFixed(3)}x (goal <= 1.05x)`);
  console.log(`wall time: ${(coldMs / 1000).toFixed(1)} s vs lower bound ${(lowerBound / 1000).toFixed(1)} s = ${(coldMs / lowerBound).toFixed(2)}x (goal <= 1.25x)`);
  console.log(`unchanged rescan: ${(warmMs / 1000).toFixed(1)} s = ${((100 * warmMs) / coldMs).toFixed(0)}% of the cold scan (goal < 10%), ${warm.apiCalls} calls`);
  console.log(`phases (s from the start): ${phases.map((p) => `${p.phase} ${(p.at / 1000).toFixed(1)}`).join(", ")}`);
  console.log(`errors: ${cold.errors.length} (${[...new Set(cold.errors.map((e) => e.code))].join(", ") || "none"})`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
