// The benchmarks' AWS: a sandbox in a process of its own, so that its per-call work does not share
// the scanner's thread (AWS's servers are not in the scanner's process either). Started by
// `forkSandbox`; answers with its address once listening and closes on "close" or when the parent exits.
import { fork, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";

import type { Fault } from "../sandbox/scenario/schema";

export interface SandboxAddress {
  url: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

interface StartMessage {
  scenario: string;
  faults: Fault[];
  /** Quotas (service:Operation) the sandbox does not enforce. */
  withoutQuotas: string[];
}

/** Starts the sandbox in a child process with the scenario file and faults given. */
export async function forkSandbox(
  scenario: string,
  faults: Fault[],
  withoutQuotas: string[] = [],
): Promise<{ address: SandboxAddress; close(): Promise<void>; cpuSeconds(): Promise<number> }> {
  const child: ChildProcess = fork(resolve(__dirname, "sandbox-process.ts"), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const address = await new Promise<SandboxAddress>((ok, fail) => {
    child.once("message", (m) => ok(m as SandboxAddress));
    child.once("exit", (code) => fail(new Error(`the sandbox process exited (${code}) before listening`)));
    child.send({ scenario, faults, withoutQuotas } satisfies StartMessage);
  });
  return {
    address,
    // The sandbox process's CPU time so far (user + system), in seconds.
    cpuSeconds: () =>
      new Promise<number>((done) => {
        child.once("message", (m) => done((m as { cpu: number }).cpu));
        child.send("cpu");
      }),
    close: () =>
      new Promise<void>((done) => {
        child.once("exit", () => done());
        child.send("close");
      }),
  };
}

async function serve(): Promise<void> {
  const { startSandbox } = await import("../sandbox/index");
  const { RATE_QUOTAS } = await import("../lib/server/aws/quotas");
  process.once("message", async (m: StartMessage) => {
    for (const op of m.withoutQuotas) delete RATE_QUOTAS[op];
    const sb = await startSandbox({ scenario: m.scenario, noTraffic: true, enforceDefaultLimits: true });
    sb.server.faults.set(m.faults);
    process.on("message", (msg) => {
      if (msg === "close") void sb.close().then(() => process.exit(0));
      if (msg === "cpu") {
        const c = process.cpuUsage();
        process.send!({ cpu: (c.user + c.system) / 1e6 });
      }
    });
    process.on("disconnect", () => void sb.close().then(() => process.exit(0)));
    process.send!({ url: sb.url, accessKeyId: sb.accessKeyId, secretAccessKey: sb.secretAccessKey, region: sb.region } satisfies SandboxAddress);
  });
}

if (process.send && require.main === module) void serve();
