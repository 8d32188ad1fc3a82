import { ConfigError, loadConfig } from "../../lib/config/load";
import type { KeywardConfigData } from "../../lib/config/schema";
import type { Io } from "../main";

/** The configuration, or undefined after printing why it is invalid (the command then exits 2). */
export function configOrReport(io: Io): KeywardConfigData | undefined {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      io.err(e.message);
      return undefined;
    }
    throw e;
  }
}

/**
 * The configuration with an account to work on: when none is configured, the credentials' own
 * account in AWS_REGION (or the regions given), as `keyward scan` does. Says which it used on
 * stderr; undefined after printing why there is none (the command then exits 2).
 */
export async function configWithAccount(io: Io, regions: string[] = []): Promise<KeywardConfigData | undefined> {
  const cfg = configOrReport(io);
  if (!cfg || cfg.accounts.length) return cfg;
  const region = regions[0] ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) {
    io.err("No account is configured and no region is set: configure accounts (KEYWARD_ACCOUNTS / keyward.config.json) or set AWS_REGION.");
    return undefined;
  }
  const { STSClient, GetCallerIdentityCommand } = await import("@aws-sdk/client-sts");
  try {
    const id = await new STSClient({ region }).send(new GetCallerIdentityCommand({}));
    const account = id.Account!;
    const used = regions.length ? regions : [region];
    io.err(`No account is configured: using the credentials' own account ${account} in ${used.join(", ")}.`);
    return { ...cfg, accounts: [{ id: account, regions: used }] } as KeywardConfigData;
  } catch (e) {
    io.err(`No account is configured, and the AWS credentials' own account cannot be identified: ${(e as Error).message}`);
    return undefined;
  }
}
