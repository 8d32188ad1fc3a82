// Loads keyward.config.json (or KEYWARD_CONFIG) and the environment into one validated config.
// Used by the server (through lib/config/server.ts) and the CLI.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";

import { KeywardConfig, type KeywardConfigData } from "./schema";

export class ConfigError extends Error {
  constructor(
    public source: string,
    public issues: { path: string; message: string }[],
  ) {
    super(`${source}: invalid configuration\n${issues.map((i) => `  at ${i.path}: ${i.message}`).join("\n")}`);
  }
}

function pathOf(path: readonly PropertyKey[]): string {
  return `$${path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")}`;
}

/**
 * Reads the config file, then applies the environment: KEYWARD_MODE, KEYWARD_DATA_DIR,
 * KEYWARD_ACCOUNTS (id[:roleArn], comma-separated), KEYWARD_REGIONS, KEYWARD_SESSION_HOURS,
 * KEYWARD_EVENTS_FIRST_SYNC_DAYS and
 * the KEYWARD_OIDC_* variables.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): KeywardConfigData {
  const file = resolve(cwd, env.KEYWARD_CONFIG ?? "keyward.config.json");
  let raw: Record<string, unknown> = {};
  if (existsSync(/*turbopackIgnore: true*/ file)) {
    try {
      raw = JSON.parse(readFileSync(/*turbopackIgnore: true*/ file, "utf8")) as Record<string, unknown>;
    } catch (e) {
      throw new ConfigError(file, [{ path: "$", message: `not valid JSON: ${(e as Error).message}` }]);
    }
  } else if (env.KEYWARD_CONFIG) {
    throw new ConfigError(file, [{ path: "$", message: "file not found (KEYWARD_CONFIG)" }]);
  }
  if (env.KEYWARD_MODE) raw.mode = env.KEYWARD_MODE;
  if (env.KEYWARD_DATA_DIR) raw.dataDir = env.KEYWARD_DATA_DIR;
  if (env.KEYWARD_EVENTS_FIRST_SYNC_DAYS) raw.events = { ...((raw.events as Record<string, unknown>) ?? {}), firstSyncDays: Number(env.KEYWARD_EVENTS_FIRST_SYNC_DAYS) };
  const auth = { ...((raw.auth as Record<string, unknown>) ?? {}) };
  if (env.KEYWARD_SESSION_HOURS) auth.sessionHours = Number(env.KEYWARD_SESSION_HOURS);
  if (env.KEYWARD_OIDC_ISSUER) {
    auth.oidc = {
      issuer: env.KEYWARD_OIDC_ISSUER,
      clientId: env.KEYWARD_OIDC_CLIENT_ID,
      clientSecret: env.KEYWARD_OIDC_CLIENT_SECRET,
      roleClaim: env.KEYWARD_OIDC_ROLE_CLAIM,
      roleMap: env.KEYWARD_OIDC_ROLE_MAP ? (JSON.parse(env.KEYWARD_OIDC_ROLE_MAP) as unknown) : undefined,
      name: env.KEYWARD_OIDC_NAME,
    };
  }
  raw.auth = auth;
  if (env.KEYWARD_ACCOUNTS) {
    const regions = (env.KEYWARD_REGIONS ?? env.AWS_REGION ?? "us-east-1")
      .split(",")
      .map((r) => r.trim())
      .filter(Boolean);
    raw.accounts = env.KEYWARD_ACCOUNTS.split(",").map((entry) => {
      const [id, ...role] = entry.trim().split(":");
      const roleArn = role.join(":");
      return { id, regions, ...(roleArn ? { roleArn } : {}) };
    });
  }
  const r = KeywardConfig.safeParse(raw);
  if (!r.success)
    throw new ConfigError(
      existsSync(/*turbopackIgnore: true*/ file) ? file : "environment",
      r.error.issues.map((i) => ({ path: pathOf(i.path), message: i.message })),
    );
  return { ...r.data, dataDir: resolve(cwd, r.data.dataDir) };
}
