// The e2e sandbox: its endpoint (written by `npm run demo` to the data dir) for SDK checks and faults.
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { DATA_DIR } from "./support";

export interface SandboxInfo {
  url: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export function sandboxInfo(): SandboxInfo {
  return JSON.parse(readFileSync(join(DATA_DIR, "sandbox.json"), "utf8")) as SandboxInfo;
}

export function sdkConfig(region = "us-east-1") {
  const sb = sandboxInfo();
  return { endpoint: sb.url, region, credentials: { accessKeyId: sb.accessKeyId, secretAccessKey: sb.secretAccessKey }, maxAttempts: 1 };
}

export async function setFaults(faults: unknown[]): Promise<void> {
  const r = await fetch(`${sandboxInfo().url}/_sandbox/faults`, { method: faults.length ? "PUT" : "DELETE", body: faults.length ? JSON.stringify(faults) : undefined });
  if (!r.ok) throw new Error(`faults: ${r.status}`);
}
