// Generates sandbox/scenarios/large.json for benchmarks: 3 regions, 3,900+ agent resources of every kind,
// 500+ keys and a traffic spec that yields 1,000,000+ CloudTrail events over 90 days.
// `npm run scenario:large` (the file is not committed; it is regenerated on demand).
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";

import type { ScenarioInput } from "../sandbox/scenario/schema";

export function largeScenario(): ScenarioInput {
  const regions = ["us-east-1", "eu-west-1", "ap-southeast-2"];
  const root = { Sid: "root", Effect: "Allow", Principal: { AWS: "arn:aws:iam::${account}:root" }, Action: "kms:*", Resource: "*" };
  const svc = (service: string) => ({
    Sid: "svc",
    Effect: "Allow",
    Principal: { Service: service },
    Action: ["kms:GenerateDataKey", "kms:Decrypt", "kms:CreateGrant", "kms:DescribeKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncrypt*"],
    Resource: "*",
  });
  const s: ScenarioInput = {
    version: 1,
    name: "large",
    seed: "keyward-large-1",
    account: "111122223333",
    regions,
    iam: { roles: [{ name: "BedrockAgentRole" }, { name: "AgentCoreGatewayRole" }, { name: "BedrockFlowRole" }, { name: "AgentCorePaymentsRole" }] },
    keys: [],
    agents: [],
    memories: [],
    gateways: [],
    recommendations: [],
    knowledgeBases: [],
    resources: [],
    trails: regions.map((r) => ({ name: `trail-${r}`, homeRegion: r, multiRegion: false })),
    traffic: { days: 90, generators: [] },
  };
  for (let i = 0; i < 510; i++) {
    const region = regions[i % 3];
    s.keys!.push({
      ref: `k${i}`,
      region,
      rotation: i % 4 !== 0,
      state: i % 97 === 5 ? "Disabled" : "Enabled",
      policy: { Version: "2012-10-17", Statement: [root, svc(i % 2 ? "bedrock.amazonaws.com" : "bedrock-agentcore.amazonaws.com")] },
    });
  }
  for (let i = 0; i < 1200; i++)
    s.agents!.push({
      ref: `a${i}`,
      name: `agent-${i}`,
      region: regions[i % 3],
      key: i % 5 ? `k${((i * 2 + 1) % 510) - ((((i * 2 + 1) % 510) % 3) - (i % 3))}` : undefined,
      role: "BedrockAgentRole",
    });
  for (let i = 0; i < 900; i++)
    s.memories!.push({ ref: `m${i}`, name: `memory_${i}`, region: regions[i % 3], key: i % 4 ? `k${((i * 2) % 510) - ((((i * 2) % 510) % 3) - (i % 3))}` : undefined });
  for (let i = 0; i < 450; i++)
    s.gateways!.push({
      ref: `g${i}`,
      name: `gateway-${i}`,
      region: regions[i % 3],
      role: "AgentCoreGatewayRole",
      key: i % 3 ? `k${((i * 3) % 510) - ((((i * 3) % 510) % 3) - (i % 3))}` : undefined,
    });
  for (let i = 0; i < 480; i++) s.recommendations!.push({ ref: `r${i}`, name: `rec-${i}`, region: regions[i % 3] });
  // The further kinds (sandbox/services/keyed.ts): every third without a customer managed key.
  for (let i = 0; i < 30; i++) s.knowledgeBases!.push({ ref: `kb${i}`, name: `kb-${i}`, region: regions[i % 3], role: "BedrockAgentRole", key: i % 3 ? `k${i * 7}` : undefined });
  const further: [kind: "guardrail" | "flow" | "prompt" | "data-source" | "policy-engine" | "evaluator" | "dataset" | "configuration-bundle" | "payment-manager", n: number][] = [
    ["guardrail", 90],
    ["flow", 150],
    ["prompt", 150],
    ["data-source", 150],
    ["policy-engine", 60],
    ["evaluator", 90],
    ["dataset", 90],
    ["configuration-bundle", 60],
    ["payment-manager", 30],
  ];
  for (const [kind, n] of further)
    for (let i = 0; i < n; i++) {
      const region = regions[i % 3];
      s.resources!.push({
        kind,
        ref: `${kind}-${i}`,
        name: `${kind.replace(/-/g, "_")}_${i}`,
        region,
        key: i % 3 ? `k${(i * 11) % 510}` : undefined,
        role: kind === "flow" ? "BedrockFlowRole" : kind === "payment-manager" ? "AgentCorePaymentsRole" : undefined,
        // Data sources: five per knowledge base, in its region.
        knowledgeBase: kind === "data-source" ? `kb${(Math.floor(i / 5) % 10) * 3 + (i % 3)}` : undefined,
      });
    }
  // Fix key refs that fell outside the range or the region after the arithmetic above.
  const keyInRegion = (ref: string | undefined, region: string) => {
    if (!ref) return undefined;
    const n = Math.max(0, Math.min(509, Number(ref.slice(1))));
    const aligned = n - ((n % 3) - regions.indexOf(region));
    return `k${aligned < 0 ? aligned + 3 : aligned > 509 ? aligned - 3 : aligned}`;
  };
  for (const list of [s.agents!, s.memories!, s.gateways!, s.knowledgeBases!, s.resources!])
    for (const r of list as { key?: string; region: string }[]) r.key = keyInRegion(r.key, r.region);
  // ~1.05M events: 350 generators x 33.5 per day x 90 days
  for (let i = 0; i < 350; i++) {
    const a = s.agents![(i * 3) % 1200];
    if (!a.key) continue;
    s.traffic!.generators!.push({
      name: `gen${i}`,
      principal: "service:bedrock.amazonaws.com",
      events: ["Decrypt", "GenerateDataKey"],
      target: a.key,
      resource: a.ref,
      perDay: 40,
    });
  }
  return s;
}

if (require.main === module) {
  const out = resolve(process.cwd(), "sandbox/scenarios/large.json");
  writeFileSync(out, JSON.stringify(largeScenario()));
  console.log(`wrote ${out}`);
}
