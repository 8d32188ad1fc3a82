// The credentials provider's decisions: right password, wrong password, throttling after repeated
// failures, and demo users refused outside sandbox mode.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { beforeAll, describe, expect, it } from "vitest";

import { listAudit } from "./audit";
import { upsertUser } from "./users";

const dataDir = mkdtempSync(join(tmpdir(), "kw-auth-"));
type Authorize = (creds: Record<string, string>, req: { headers: Record<string, string> }) => Promise<{ email: string; role: string } | null>;
let authorize: Authorize;

beforeAll(async () => {
  Object.assign(process.env, { KEYWARD_DATA_DIR: dataDir, KEYWARD_MODE: "aws", NEXTAUTH_SECRET: "test-secret" });
  delete process.env.KEYWARD_CONFIG;
  upsertUser(dataDir, "alice@example.com", "investigator", "a long enough password");
  upsertUser(dataDir, "demo@keyward.local", "operator", "another long password", true);
  const { authOptions } = await import("./options");
  const provider = authOptions().providers[0] as unknown as { options: { authorize: Authorize } };
  authorize = provider.options.authorize;
});

const req = (ip: string) => ({ headers: { "x-forwarded-for": ip } });

describe("credentials sign-in", () => {
  it("accepts the right password and returns the role", async () => {
    expect(await authorize({ email: "Alice@Example.com", password: "a long enough password" }, req("10.0.0.1"))).toMatchObject({
      email: "alice@example.com",
      role: "investigator",
    });
  });
  it("refuses a wrong password and audits the failure", async () => {
    expect(await authorize({ email: "alice@example.com", password: "nope" }, req("10.0.0.2"))).toBeNull();
    expect(listAudit(dataDir, { limit: 10 }).some((e) => e.action === "sign-in" && e.outcome === "failure" && e.actor === "alice@example.com")).toBe(true);
  });
  it("refuses demo users outside sandbox mode", async () => {
    await expect(authorize({ email: "demo@keyward.local", password: "another long password" }, req("10.0.0.3"))).rejects.toThrow("DemoUserRefused");
  });
  it("throttles a user after repeated failures, even with the right password", async () => {
    for (let i = 0; i < 5; i++) await authorize({ email: "alice@example.com", password: `wrong-${i}` }, req(`10.1.0.${i}`)).catch(() => null);
    await expect(authorize({ email: "alice@example.com", password: "a long enough password" }, req("10.2.0.1"))).rejects.toThrow("TooManyAttempts");
    expect(listAudit(dataDir, { limit: 50 }).some((e) => e.action === "sign-in-throttled")).toBe(true);
  });
});
