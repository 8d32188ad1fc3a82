// Starting the sandbox, in-process (tests, `npm run demo`) or from the command line.
import { createHash } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { resolve } from "node:path";

import { DEFAULT_ACCESS_KEY_ID, DEFAULT_PORT, DEFAULT_SECRET_ACCESS_KEY } from "./defaults";
import { appendEvent, discardState, readMeta, restore, saveSnapshot, writeMeta } from "./persist";
import { buildState, readScenarioFile, type BuildOptions } from "./scenario/load";
import type { ScenarioData } from "./scenario/schema";
import { SandboxServer, type SandboxOptions } from "./server";
import type { SandboxState } from "./state";

/** Scripts run from the repository root (npm scripts, tests). */
export const DEMO_SCENARIO = resolve(process.cwd(), "sandbox/scenarios/demo.json");

export interface StartOptions extends SandboxOptions, BuildOptions {
  port?: number;
  host?: string;
  scenario?: string | ScenarioData;
  stateDir?: string;
  reset?: boolean;
}

export interface RunningSandbox {
  url: string;
  server: SandboxServer;
  state: SandboxState;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  account: string;
  close(): Promise<void>;
}

function scenarioDigest(scenario: ScenarioData): string {
  return createHash("sha256").update(JSON.stringify(scenario)).digest("hex");
}

/** Whether a state directory holds state saved from this scenario, as it is now (undefined: nothing saved). */
export function stateIsFrom(stateDir: string, scenarioFile = DEMO_SCENARIO): boolean | undefined {
  const meta = readMeta(resolve(stateDir));
  if (!meta) return undefined;
  const scenario = readScenarioFile(scenarioFile);
  return meta.scenario === scenario.name && meta.digest === scenarioDigest(scenario);
}

export async function startSandbox(opts: StartOptions = {}): Promise<RunningSandbox> {
  const scenario = typeof opts.scenario === "object" ? opts.scenario : readScenarioFile(opts.scenario ?? DEMO_SCENARIO);
  const dir = opts.stateDir ? resolve(opts.stateDir) : undefined;
  if (dir && opts.reset) rmSync(dir, { recursive: true, force: true });
  let trafficEnd = opts.trafficEnd;
  const digest = scenarioDigest(scenario);
  if (dir) {
    mkdirSync(dir, { recursive: true });
    const meta = readMeta(dir);
    // A state saved from another scenario, or another version of this one (new resources, keys...),
    // would be restored over it and mix the two: it is set aside and the sandbox starts from the scenario.
    if (meta && (meta.scenario !== scenario.name || (meta.digest ?? "") !== digest)) {
      console.warn(
        `sandbox: the scenario "${scenario.name}" is not the one the state in ${dir} was saved from; starting again from the scenario (changes made in the sandbox are dropped)`,
      );
      discardState(dir);
    } else if (meta && !trafficEnd) trafficEnd = new Date(meta.trafficEnd);
  }
  trafficEnd ??= scenario.traffic.end ? new Date(scenario.traffic.end) : new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  const state = buildState(scenario, { ...opts, trafficEnd });
  let timer: NodeJS.Timeout | undefined;
  if (dir) {
    restore(dir, state);
    writeMeta(dir, { scenario: scenario.name, trafficEnd: trafficEnd.toISOString(), digest });
  }
  const server = new SandboxServer(state, {
    ...opts,
    onChange: () => {
      opts.onChange?.();
      if (!dir) return;
      clearTimeout(timer);
      timer = setTimeout(() => saveSnapshot(dir, state), 200);
    },
    onEvent: dir ? (json) => appendEvent(dir, json) : undefined,
  });
  const url = await server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1");
  return {
    url,
    server,
    state,
    accessKeyId: DEFAULT_ACCESS_KEY_ID,
    secretAccessKey: DEFAULT_SECRET_ACCESS_KEY,
    region: scenario.regions[0],
    account: scenario.account,
    async close() {
      clearTimeout(timer);
      if (dir) saveSnapshot(dir, state);
      await server.close();
    },
  };
}

export { DEFAULT_PORT };
