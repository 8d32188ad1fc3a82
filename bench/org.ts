// Organization benchmark: the accounts of an AWS Organization (50 accounts × 3 regions, 15,750
// resources; bench/make-org.ts) discovered from the management account and scanned through each
// member's read role, with 30 ms latency on every call and AWS's published rate limits. Prints the
// API calls against the minimum the data needs, the wall time against the lower bound the quotas
// (per account and region) and the latency allow, the peak RSS, and the discovery's own time.
// `npm run bench:org`; `-- --without-agent-quotas` takes the Bedrock and AgentCore quotas out (the
// scanner's own cost).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

import { canonicalJson } from "../lib/canonical-json.shared";
import { KeywardConfig } from "../lib/config/schema";
import { resolveTargets } from "../lib/org/discover";
import { runScan } from "../lib/posture/scan";
import { pointSdkAtSandbox } from "../lib/posture/testing";
import { RATE_QUOTAS } from "../lib/server/aws/quotas";
import { buildState, readScenarioFile } from "../sandbox/scenario/load";

import { lowerBound, minimumCalls } from "./minimum";
import { ORG_REGIONS, orgScenario } from "./make-org";
import { forkSandbox } from "./sandbox-process";

const LATENCY_MS = 30;

async function main() {
  const file = resolve(process.cwd(), "sandbox/scenarios/org-large.json");
  const text = JSON.stringify(orgScenario());
  if (!existsSync(file) || readFileSync(file, "utf8") !== text) writeFileSync(file, text);
  const withoutQuotas = process.argv.includes("--without-agent-quotas") ? Object.keys(RATE_QUOTAS).filter((op) => op.startsWith("bedrock")) : [];
  for (const op of withoutQuotas) delete RATE_QUOTAS[op];
  const sb = await forkSandbox(file, [{ service: "*", latencyMs: LATENCY_MS }], withoutQuotas);
  const restore = pointSdkAtSandbox(sb.address);
  delete process.env.KEYWARD_AWS_MAX_ATTEMPTS;
  const s = buildState(readScenarioFile(file), { noTraffic: true });

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

  const cfg = KeywardConfig.parse({ mode: "sandbox", organization: { role: "KeywardRead", regions: ORG_REGIONS } });
  const t0 = performance.now();
  const { targets, organization } = await resolveTargets(cfg, []);
  const discoveryMs = performance.now() - t0;
  const accounts = [...new Set(targets.map((t) => t.account))];
  const need = minimumCalls(s, accounts, ORG_REGIONS);
  const bound = lowerBound(need, LATENCY_MS);

  const concurrency = Number(process.argv.find((a) => a.startsWith("--concurrency="))?.split("=")[1] ?? 0) || undefined;
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  // When each phase began (the listing and reads, the last reads, the rules still running).
  const phases: Record<string, number> = {};
  const cold = await runScan({ targets, concurrency, onProgress: (p) => (phases[p.phase] ??= performance.now() - t1) });
  const coldMs = performance.now() - t1;
  const cpu = process.cpuUsage(cpu0);
  const sandboxCpu = await sb.cpuSeconds();
  const t2 = performance.now();
  const warm = await runScan({ targets, previous: cold });
  const warmMs = performance.now() - t2;
  // The same inventory through the organization's AWS Config aggregator (a cold scan).
  const t3 = performance.now();
  const viaConfig = await runScan({ targets, configAggregator: { name: "org-inventory", target: { account: organization!.managementAccount!, region: "us-east-1" } } });
  const configMs = performance.now() - t3;
  clearInterval(sampler);
  restore();
  await sb.close();

  console.log(
    `organization: ${organization?.accounts.length} accounts (${accounts.length} read) × ${ORG_REGIONS.length} regions, ${cold.resources.length} resources, ${cold.keys.length} keys, ${LATENCY_MS} ms latency per call`,
  );
  if (withoutQuotas.length) console.log(`without the quotas of ${withoutQuotas.join(", ")}`);
  console.log(`discovery: ${(discoveryMs / 1000).toFixed(1)} s (the tree and one AssumeRole per member), ${organization?.errors.length} errors`);
  console.log(`API calls: ${cold.apiCalls} made vs ${need.minimum} minimum = ${(cold.apiCalls / need.minimum).toFixed(3)}x (goal <= 1.05x)`);
  console.log(`wall time: ${(coldMs / 1000).toFixed(1)} s vs lower bound ${(bound.ms / 1000).toFixed(1)} s = ${(coldMs / bound.ms).toFixed(2)}x (goal <= 1.25x)`);
  console.log(`lower bound set by: ${bound.setBy}`);
  console.log(
    `phases of the cold scan: listing until ${((phases["resolving keys"] ?? 0) / 1000).toFixed(1)} s, last reads until ${((phases.evaluating ?? 0) / 1000).toFixed(1)} s, rules until ${((phases.done ?? 0) / 1000).toFixed(1)} s`,
  );
  console.log(
    `CPU during the cold scan: scanner ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, sandbox ${sandboxCpu.toFixed(1)} s (one thread each; targets at once: ${concurrency ?? "default"})`,
  );
  console.log(`peak RSS of the scanner's process: ${(peakRss / 2 ** 20).toFixed(0)} MiB (goal < 1 GiB)`);
  console.log(`unchanged rescan: ${(warmMs / 1000).toFixed(1)} s = ${((100 * warmMs) / coldMs).toFixed(0)}% of the cold scan, ${warm.apiCalls} calls`);
  // What Config can stand for: the reads of the types it records (guardrails, prompts, key metadata,
  // rotation and tags); the rest (the other kinds, key policies, grants, last use, roles) it does not carry.
  const replaceable = [
    "bedrock:ListGuardrails",
    "bedrock:GetGuardrail",
    "bedrock:ListPrompts",
    "bedrock:GetPrompt",
    "kms:DescribeKey",
    "kms:GetKeyRotationStatus",
    "kms:ListResourceTags",
  ];
  let canReplace = 0;
  for (const [k, n] of need.perAccountRegionOp) if (replaceable.includes(k.split("|")[2])) canReplace += n;
  const items = Object.values(viaConfig.inventory?.items ?? {}).reduce((a, b) => a + b, 0);
  console.log(
    `Config aggregator path: ${viaConfig.apiCalls} calls = ${((100 * viaConfig.apiCalls) / cold.apiCalls).toFixed(0)}% of the API path's (goal <= 10%), ${(configMs / 1000).toFixed(1)} s; ${items} configuration items used, ${viaConfig.inventory?.fallbacks.length ?? 0} account-region-types read through the API`,
  );
  console.log(
    `  Config records ${((100 * canReplace) / need.minimum).toFixed(0)}% of what the API path reads (guardrails, prompts, key metadata, rotation, tags); the other ${(100 - (100 * canReplace) / need.minimum).toFixed(0)}% (other kinds, key policies, grants, last use, roles) only the APIs give`,
  );
  // The same findings, in whatever order the two sources list the resources.
  const sorted = (r: typeof cold) => r.findings.map(canonicalJson).sort();
  const same = JSON.stringify(sorted(viaConfig)) === JSON.stringify(sorted(cold));
  console.log(`  same findings as the API path: ${same ? "yes" : "NO"} (${viaConfig.findings.length} findings)`);
  console.log(`errors: ${cold.errors.length} (${[...new Set(cold.errors.map((e) => `${e.code} on ${e.operation}`))].slice(0, 5).join(", ") || "none"})`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
