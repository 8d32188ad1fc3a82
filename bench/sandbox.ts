// Prints the median cost of a sandbox call through the real SDK client, and the demo and large
// scenario load times and memory. `npm run bench:sandbox` (generates large.json when missing).
import { existsSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

import { DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { BedrockAgentCoreControlClient, ListMemoriesCommand } from "@aws-sdk/client-bedrock-agentcore-control";

import { startSandbox } from "../sandbox/index";
import { clientConfig } from "../sandbox/testing/index";

import { largeScenario } from "./make-large";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function timeLoad(scenario?: string) {
  global.gc?.();
  const before = process.memoryUsage().rss;
  const t = performance.now();
  const sb = await startSandbox({ scenario, enforceDefaultLimits: false });
  const ms = performance.now() - t;
  let events = 0;
  for (const l of sb.state.events.values()) events += l.length;
  const rss = process.memoryUsage().rss;
  return { sb, ms, events, rssMB: Math.round(rss / 1e6), deltaMB: Math.round((rss - before) / 1e6) };
}

async function main() {
  const demo = await timeLoad();
  console.log(`demo scenario: ${demo.events} events, ${demo.sb.state.keys.size} keys, loaded in ${(demo.ms / 1000).toFixed(2)} s, RSS ${demo.rssMB} MB`);
  const kms = new KMSClient(clientConfig(demo.sb));
  const keyArn = [...demo.sb.state.keys.keys()][0];
  const ac = new BedrockAgentCoreControlClient(clientConfig(demo.sb));
  for (const [name, call] of [
    ["kms:DescribeKey (JSON 1.1)", () => kms.send(new DescribeKeyCommand({ KeyId: keyArn }))],
    ["bedrock-agentcore:ListMemories (REST-JSON)", () => ac.send(new ListMemoriesCommand({}))],
  ] as const) {
    for (let i = 0; i < 50; i++) await call();
    const samples: number[] = [];
    for (let i = 0; i < 500; i++) {
      const t = performance.now();
      await call();
      samples.push(performance.now() - t);
    }
    console.log(
      `${name}: median ${median(samples).toFixed(2)} ms per call over ${samples.length} calls (p95 ${[...samples].sort((a, b) => a - b)[Math.floor(samples.length * 0.95)].toFixed(2)} ms)`,
    );
  }
  await demo.sb.close();

  const largeFile = resolve(process.cwd(), "sandbox/scenarios/large.json");
  if (!existsSync(largeFile)) writeFileSync(largeFile, JSON.stringify(largeScenario()));
  const large = await timeLoad(largeFile);
  const s = large.sb.state;
  const resources = s.agents.size + s.memories.size + s.gateways.size + s.recommendations.size;
  console.log(
    `large scenario: ${s.regions.length} regions, ${resources} agent resources, ${s.keys.size} keys, ${large.events} events, loaded in ${(large.ms / 1000).toFixed(1)} s (goal < 30 s), RSS ${large.rssMB} MB (goal < 2000 MB)`,
  );
  await large.sb.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
