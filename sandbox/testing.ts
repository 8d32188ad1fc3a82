// Helpers for tests: a sandbox in-process and SDK client configs pointed at it.
import { startSandbox, type RunningSandbox, type StartOptions } from "./index";
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY } from "./defaults";

export async function testSandbox(opts: StartOptions = {}): Promise<RunningSandbox> {
  return startSandbox({ strict: true, enforceDefaultLimits: false, ...opts });
}

export function clientConfig(sb: RunningSandbox, region = "us-east-1", creds = { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY }) {
  return { endpoint: sb.url, region, credentials: creds, maxAttempts: 1 };
}
