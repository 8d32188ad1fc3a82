// Test helper: point the SDK clients at a sandbox through the standard environment variables.
import type { RunningSandbox, StartOptions } from "../../sandbox/index";
import { testSandbox } from "../../sandbox/testing/index";
import type { ScanResult } from "../inventory/types.shared";

import { runScan } from "./scan";

export function pointSdkAtSandbox(sb: Pick<RunningSandbox, "url" | "accessKeyId" | "secretAccessKey" | "region">): () => void {
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: sb.url,
    AWS_ACCESS_KEY_ID: sb.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sb.secretAccessKey,
    AWS_REGION: sb.region,
    KEYWARD_AWS_MAX_ATTEMPTS: "1",
  });
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  return () => {
    process.env = saved;
  };
}

export const DEMO_TARGETS = [
  { account: "111122223333", region: "us-east-1" },
  { account: "111122223333", region: "eu-west-1" },
];

/** A demo sandbox with the SDK pointed at it and a scan of it (tests that need the inventory). */
export async function scannedDemo(opts: StartOptions = {}): Promise<{ sb: RunningSandbox; scan: ScanResult; close(): Promise<void> }> {
  const sb = await testSandbox(opts);
  const restore = pointSdkAtSandbox(sb);
  const scan = await runScan({ targets: DEMO_TARGETS });
  return {
    sb,
    scan,
    close: async () => {
      restore();
      await sb.close();
    },
  };
}
