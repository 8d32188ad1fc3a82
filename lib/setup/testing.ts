// Test helper for the setup engine: a demo sandbox with the SDK pointed at it, a config on a fresh
// data directory, SDK clients and the sandbox's faults.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { RunningSandbox } from "../../sandbox/index";
import { testSandbox } from "../../sandbox/testing/index";
import { KeywardConfig, type KeywardConfigData } from "../config/schema";
import { pointSdkAtSandbox } from "../posture/testing";
import { type AwsClients, clientsFor } from "../server/aws/clients";

export const ACCOUNT = "111122223333";
export const REGION = "us-east-1";
export const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

export interface SetupSandbox {
  sb: RunningSandbox;
  cfg: KeywardConfigData;
  clients: () => AwsClients;
  /** Replaces the sandbox's faults (an empty list clears them). */
  faults: (list: unknown[]) => Promise<void>;
  close: () => Promise<void>;
}

export async function setupSandbox(regions = [REGION, "eu-west-1"]): Promise<SetupSandbox> {
  const sb = await testSandbox({ noTraffic: true });
  const restore = pointSdkAtSandbox(sb);
  const cfg = KeywardConfig.parse({ mode: "sandbox", accounts: [{ id: ACCOUNT, regions }], dataDir: mkdtempSync(join(tmpdir(), "kw-setup-")) });
  return {
    sb,
    cfg,
    clients: () => clientsFor({ account: ACCOUNT, region: REGION }),
    faults: async (list) => {
      await fetch(`${sb.url}/_sandbox/faults`, list.length ? { method: "PUT", body: JSON.stringify(list) } : { method: "DELETE" });
    },
    close: async () => {
      restore();
      await sb.close();
    },
  };
}
