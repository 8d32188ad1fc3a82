// Scan benchmark on the large scenario with 30 ms latency on every call and AWS's published rate
// limits: API calls made vs the minimum the data needs, wall time vs the lower bound the rate
// limits and latency allow, and an unchanged rescan vs the cold scan. `npm run bench:scan`.
// `npm run bench:scan -- --without-agent-quotas` leaves out the Bedrock and AgentCore quotas (in the
// sandbox and the scanner alike) to show what the scanner's own work costs.
import { existsSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

import { RATE_QUOTAS } from "../lib/server/aws/quotas";
import { buildState, readScenarioFile } from "../sandbox/scenario/load";
import { runScan } from "../lib/posture/scan";
import { pointSdkAtSandbox } from "../lib/posture/testing";

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

  // The minimum number of calls the data needs, from the scenario's ground truth, per region and
  // operation (AWS's quotas, and the sandbox's buckets, are per account and region).
  const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));
  const perRegionOp = new Map<string, number>();
  let minimum = 0;
  const need = (region: string, op: string, n: number) => {
    minimum += n;
    perRegionOp.set(`${region}|${op}`, (perRegionOp.get(`${region}|${op}`) ?? 0) + n);
  };
  for (const region of s.regions) {
    const count = <T extends { region: string }>(m: Map<string, T>) => [...m.values()].filter((x) => x.region === region).length;
    const oauth = [...s.credentialProviders.values()].filter((p) => p.region === region && p.type === "oauth2").length;
    const apikey = [...s.credentialProviders.values()].filter((p) => p.region === region && p.type === "apikey").length;
    need(region, "bedrock:ListAgents", pages(count(s.agents), 100));
    need(region, "bedrock:GetAgent", count(s.agents));
    need(region, "bedrock:ListKnowledgeBases", pages(count(s.knowledgeBases), 100));
    need(region, "bedrock:GetKnowledgeBase", count(s.knowledgeBases));
    need(region, "bedrock-agentcore:ListMemories", pages(count(s.memories), 100));
    need(region, "bedrock-agentcore:GetMemory", count(s.memories));
    need(region, "bedrock-agentcore:ListRecommendations", pages(count(s.recommendations), 100));
    need(region, "bedrock-agentcore:GetRecommendation", count(s.recommendations));
    need(region, "bedrock-agentcore:ListGateways", pages(count(s.gateways), 100));
    need(region, "bedrock-agentcore:GetGateway", count(s.gateways));
    need(region, "bedrock-agentcore:ListOauth2CredentialProviders", pages(oauth, 20));
    need(region, "bedrock-agentcore:GetOauth2CredentialProvider", oauth);
    need(region, "bedrock-agentcore:ListApiKeyCredentialProviders", pages(apikey, 20));
    need(region, "bedrock-agentcore:GetApiKeyCredentialProvider", apikey);
    need(region, "bedrock-agentcore:GetTokenVault", 1);
    // The further kinds: a listing each, and a read per resource where the listing lacks the key.
    const further = (kind: string) => [...s.keyedResources.values()].filter((r) => r.kind === kind && r.region === region);
    for (const [kind, list, get] of [
      ["guardrail", "bedrock:ListGuardrails", "bedrock:GetGuardrail"],
      ["flow", "bedrock:ListFlows", "bedrock:GetFlow"],
      ["prompt", "bedrock:ListPrompts", "bedrock:GetPrompt"],
      ["policy-engine", "bedrock-agentcore:ListPolicyEngines", undefined],
      ["evaluator", "bedrock-agentcore:ListEvaluators", undefined],
      ["dataset", "bedrock-agentcore:ListDatasets", "bedrock-agentcore:GetDataset"],
      ["configuration-bundle", "bedrock-agentcore:ListConfigurationBundles", "bedrock-agentcore:GetConfigurationBundle"],
      ["payment-manager", "bedrock-agentcore:ListPaymentManagers", undefined],
    ] as const) {
      need(region, list, pages(further(kind).length, 100));
      if (get) need(region, get, further(kind).length);
    }
    for (const kb of [...s.knowledgeBases.values()].filter((k) => k.region === region)) {
      const sources = further("data-source").filter((d) => d.parentId === kb.knowledgeBaseId);
      need(region, "bedrock:ListDataSources", pages(sources.length, 100));
      need(region, "bedrock:GetDataSource", sources.length);
    }
    const trails = [...s.trails.values()].filter((t) => t.homeRegion === region || t.multiRegion).length;
    need(region, "cloudtrail:DescribeTrails", 1);
    need(region, "cloudtrail:GetTrailStatus", trails);
    need(region, "cloudtrail:GetEventSelectors", trails);
  }
  const usedKeys = new Set(
    [
      ...[...s.agents.values()].map((a) => a.customerEncryptionKeyArn),
      ...[...s.memories.values()].map((m) => m.encryptionKeyArn),
      ...[...s.gateways.values()].map((g) => g.kmsKeyArn),
      ...[...s.recommendations.values()].map((r) => r.kmsKeyArn),
      ...[...s.knowledgeBases.values()].map((k) => k.kmsKeyArn),
      ...[...s.keyedResources.values()].map((r) => r.keyArn),
    ].filter((k): k is string => !!k),
  );
  const keyRegions = new Set([...usedKeys].map((k) => k.split(":")[3]));
  for (const region of keyRegions) need(region, "kms:ListAliases", pages([...s.aliases.values()].filter((a) => a.region === region).length, 100));
  // IAM Access Analyzer's ValidatePolicy (on by default): once per distinct customer key policy text.
  const validated = new Set<string>();
  for (const arn of usedKeys) {
    const k = s.keys.get(arn);
    if (!k || k.manager !== "CUSTOMER") continue;
    const id = `${arn.split(":")[3]}|${k.policy}`;
    if (validated.has(id)) continue;
    validated.add(id);
    need(arn.split(":")[3], "access-analyzer:ValidatePolicy", 1);
  }
  for (const arn of usedKeys) {
    const k = s.keys.get(arn)!;
    const region = arn.split(":")[3];
    need(region, "kms:DescribeKey", 1);
    need(region, "kms:GetKeyPolicy", 1);
    if (k.spec === "SYMMETRIC_DEFAULT") need(region, "kms:GetKeyRotationStatus", 1);
    if (k.manager === "CUSTOMER") for (const op of ["kms:ListGrants", "kms:ListResourceTags", "kms:GetKeyLastUsage"]) need(region, op, 1);
  }
  const roles = new Set(
    [
      ...[...s.agents.values()].map((a) => a.agentResourceRoleArn),
      ...[...s.gateways.values()].map((g) => g.roleArn),
      ...[...s.knowledgeBases.values()].map((k) => k.roleArn),
      ...[...s.keyedResources.values()].map((r) => r.roleArn),
    ].filter((r): r is string => !!r),
  );
  for (const arn of roles) {
    const r = s.roles.get(arn);
    need("global", "iam:GetRole", 1);
    need("global", "iam:ListRolePolicies", 1);
    need("global", "iam:GetRolePolicy", r ? r.inlinePolicies.size : 0);
    need("global", "iam:ListAttachedRolePolicies", r ? r.attachedPolicies.length : 0);
    need("global", "iam:GetPolicyVersion", r ? r.attachedPolicies.length : 0);
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
  // Lower bound: the busiest rate-limited operation in one region (a bucket holds a second's worth
  // of requests, then refills at the quota) plus its last answer, or the shortest chain of dependent
  // calls, whichever is longer.
  let rateBound = 0;
  let busiest = "";
  for (const [regionOp, n] of perRegionOp) {
    const op = regionOp.split("|")[1];
    const rate = RATE_QUOTAS[op];
    if (!rate) continue;
    const ms = (Math.max(0, n - rate) / rate) * 1000 + LATENCY_MS;
    if (ms > rateBound) [rateBound, busiest] = [ms, `${n} ${op} in ${regionOp.split("|")[0]} at ${rate}/s`];
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
  if (withoutQuotas.length) console.log(`without the quotas of ${withoutQuotas.join(", ")}`);
  console.log(`API calls: ${cold.apiCalls} made vs ${minimum} minimum = ${(cold.apiCalls / minimum).toFixed(3)}x (goal <= 1.05x)`);
  console.log(`wall time: ${(coldMs / 1000).toFixed(1)} s vs lower bound ${(lowerBound / 1000).toFixed(1)} s = ${(coldMs / lowerBound).toFixed(2)}x (goal <= 1.25x)`);
  console.log(`lower bound set by: ${rateBound >= chainBound ? busiest : "the chain of dependent calls"}`);
  console.log(`unchanged rescan: ${(warmMs / 1000).toFixed(1)} s = ${((100 * warmMs) / coldMs).toFixed(0)}% of the cold scan (goal < 10%), ${warm.apiCalls} calls`);
  console.log(`phases (s from the start): ${phases.map((p) => `${p.phase} ${(p.at / 1000).toFixed(1)}`).join(", ")}`);
  console.log(`errors: ${cold.errors.length} (${[...new Set(cold.errors.map((e) => `${e.code} on ${e.operation} in ${e.region}`))].join(", ") || "none"})`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
