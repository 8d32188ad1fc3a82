// Helpers for tests: a sandbox in-process, SDK client configs pointed at it, and moto server.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY } from "../defaults";
import { startSandbox, type RunningSandbox, type StartOptions } from "../index";

export async function testSandbox(opts: StartOptions = {}): Promise<RunningSandbox> {
  return startSandbox({ strict: true, enforceDefaultLimits: false, ...opts });
}

export function clientConfig(sb: { url: string }, region = "us-east-1", creds = { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY }) {
  return { endpoint: sb.url, region, credentials: creds, maxAttempts: 1 };
}

export function motoAvailable(): boolean {
  return spawnSync("moto_server", ["--help"], { stdio: "ignore" }).status === 0;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Moto {
  url: string;
  stop(): Promise<void>;
}

/** Starts moto server on a free loopback port and waits until it answers. */
export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const proc: ChildProcess = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const r = await fetch(`${url}/moto-api/`);
      if (r.status < 500) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      proc.kill();
      throw new Error("moto_server did not start within 30 s");
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        proc.once("exit", () => resolve());
        proc.kill();
      }),
  };
}

/** Points the SDK at moto through the standard environment variables; returns the restore. */
export function pointSdkAtMoto(moto: Moto): () => void {
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: moto.url,
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_REGION: "us-east-1",
    KEYWARD_AWS_MAX_ATTEMPTS: "1",
  });
  return () => {
    process.env = saved;
  };
}
