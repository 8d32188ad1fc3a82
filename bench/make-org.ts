// Generates sandbox/scenarios/org-large.json for the organization benchmark: an AWS Organization of
// 50 accounts (the management account and 49 members in five units) × 3 regions, 315 resources of
// every kind per account (15,750 in all) with 30 keys each, the read role in every member, and an
// AWS Config organization aggregator in the management account.
// `npm run scenario:org` (the file is not committed; bench:org regenerates it on demand).
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";

import type { ScenarioInput } from "../sandbox/scenario/schema";

export const ORG_ACCOUNTS = 50;
export const ORG_REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"];

export function orgScenario(): ScenarioInput {
  const regions = ORG_REGIONS;
  const management = "111122223333";
  const members = Array.from({ length: ORG_ACCOUNTS - 1 }, (_, i) => String(200000000000 + i * 1111));
  // Each key's policy names its own account (the scenario's ${account} placeholder is the management account's).
  const root = (account: string) => ({ Sid: "root", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" });
  const svc = (service: string, account: string) => ({
    Sid: "svc",
    Effect: "Allow",
    Principal: { Service: service },
    Action: ["kms:GenerateDataKey", "kms:Decrypt", "kms:CreateGrant", "kms:DescribeKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncrypt*"],
    Resource: "*",
    Condition: { StringEquals: { "aws:SourceAccount": account } },
  });
  const s: ScenarioInput = {
    version: 1,
    name: "org-large",
    seed: "keyward-org-1",
    account: management,
    organizationId: "o-k3yw4rd0rg1",
    regions,
    organization: {
      units: [
        { ref: "workloads", name: "Workloads" },
        { ref: "prod", name: "Production", parent: "workloads" },
        { ref: "dev", name: "Development", parent: "workloads" },
        { ref: "sandbox", name: "Sandbox" },
        { ref: "security", name: "Security" },
      ],
      accounts: members.map((id, i) => ({ id, name: `workload-${i}`, unit: ["prod", "dev", "sandbox", "security", "prod"][i % 5] })),
      // An organization aggregator recording every supported type everywhere (the Config path).
      configAggregator: { name: "org-inventory", region: "us-east-1" },
    },
    iam: { roles: [] },
    keys: [],
    agents: [],
    memories: [],
    gateways: [],
    recommendations: [],
    knowledgeBases: [],
    resources: [],
    traffic: { days: 1, generators: [] },
  };
  const further: [kind: "guardrail" | "flow" | "prompt" | "policy-engine" | "evaluator" | "dataset" | "configuration-bundle" | "payment-manager", n: number][] = [
    ["guardrail", 15],
    ["flow", 15],
    ["prompt", 15],
    ["policy-engine", 9],
    ["evaluator", 9],
    ["dataset", 9],
    ["configuration-bundle", 6],
    ["payment-manager", 6],
  ];
  [management, ...members].forEach((account, a) => {
    const p = `a${a}`;
    for (const name of ["BedrockAgentRole", "AgentCoreGatewayRole", "BedrockFlowRole", "AgentCorePaymentsRole"]) s.iam!.roles!.push({ name, account });
    // Ten keys per region; each resource uses a key of its own region, every fourth none.
    for (let k = 0; k < 30; k++)
      s.keys!.push({
        ref: `${p}k${k}`,
        account,
        region: regions[k % 3],
        rotation: k % 4 !== 0,
        state: k === 7 ? "Disabled" : "Enabled",
        policy: { Version: "2012-10-17", Statement: [root(account), svc(k % 2 ? "bedrock.amazonaws.com" : "bedrock-agentcore.amazonaws.com", account)] },
      });
    const key = (i: number, region: number) => (i % 4 ? `${p}k${((i % 10) * 3 + region) % 30}` : undefined);
    for (let i = 0; i < 90; i++) s.agents!.push({ ref: `${p}ag${i}`, account, name: `agent-${i}`, region: regions[i % 3], key: key(i, i % 3), role: "BedrockAgentRole" });
    for (let i = 0; i < 60; i++) s.memories!.push({ ref: `${p}m${i}`, account, name: `memory_${i}`, region: regions[i % 3], key: key(i, i % 3) });
    for (let i = 0; i < 30; i++) s.gateways!.push({ ref: `${p}g${i}`, account, name: `gateway-${i}`, region: regions[i % 3], role: "AgentCoreGatewayRole", key: key(i, i % 3) });
    for (let i = 0; i < 30; i++) s.recommendations!.push({ ref: `${p}r${i}`, account, name: `rec-${i}`, region: regions[i % 3] });
    for (let i = 0; i < 6; i++) s.knowledgeBases!.push({ ref: `${p}kb${i}`, account, name: `kb-${i}`, region: regions[i % 3], role: "BedrockAgentRole", key: key(i + 1, i % 3) });
    for (let i = 0; i < 12; i++)
      s.resources!.push({ kind: "data-source", ref: `${p}ds${i}`, account, name: `source_${i}`, region: regions[i % 3], key: key(i, i % 3), knowledgeBase: `${p}kb${i % 6}` });
    for (const [kind, n] of further)
      for (let i = 0; i < n; i++)
        s.resources!.push({
          kind,
          ref: `${p}${kind}-${i}`,
          account,
          name: `${kind.replace(/-/g, "_")}_${i}`,
          region: regions[i % 3],
          key: key(i, i % 3),
          role: kind === "flow" ? "BedrockFlowRole" : kind === "payment-manager" ? "AgentCorePaymentsRole" : undefined,
        });
  });
  return s;
}

if (require.main === module) {
  const out = resolve(process.cwd(), "sandbox/scenarios/org-large.json");
  writeFileSync(out, JSON.stringify(orgScenario()));
  console.log(`wrote ${out}`);
}
