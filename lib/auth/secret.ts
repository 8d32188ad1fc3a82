// The auth secret: NEXTAUTH_SECRET (or AUTH_SECRET) from the environment; in sandbox mode, when
// unset, one is generated once and kept in the data directory with mode 0600.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function authSecret(opts: { mode: "aws" | "sandbox"; dataDir: string }, env: Record<string, string | undefined> = process.env): string {
  const fromEnv = env.NEXTAUTH_SECRET ?? env.AUTH_SECRET;
  if (fromEnv) return fromEnv;
  if (opts.mode !== "sandbox") {
    throw new Error("NEXTAUTH_SECRET is not set: set it to a long random value (openssl rand -base64 32) before starting Keyward.");
  }
  const f = join(opts.dataDir, "auth-secret");
  if (existsSync(f)) return readFileSync(f, "utf8").trim();
  mkdirSync(opts.dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(f, secret, { mode: 0o600 });
  chmodSync(f, 0o600);
  return secret;
}
