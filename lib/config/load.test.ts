import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { ConfigError, loadConfig } from "./load";

function dir(config?: unknown): string {
  const d = mkdtempSync(join(tmpdir(), "kw-cfg-"));
  if (config !== undefined) writeFileSync(join(d, "keyward.config.json"), typeof config === "string" ? config : JSON.stringify(config));
  return d;
}

describe("configuration", () => {
  it("defaults to AWS mode, no accounts, 8-hour sessions", () => {
    const c = loadConfig({}, dir());
    expect(c.mode).toBe("aws");
    expect(c.accounts).toEqual([]);
    expect(c.auth.sessionHours).toBe(8);
  });
  it("reads accounts from the file and applies the environment on top", () => {
    const d = dir({ accounts: [{ id: "111122223333", regions: ["us-east-1"], roleArn: "arn:aws:iam::111122223333:role/Keyward" }], trustedAccounts: ["444455556666"] });
    const c = loadConfig({ KEYWARD_SESSION_HOURS: "2", KEYWARD_MODE: "sandbox" }, d);
    expect(c.accounts[0].roleArn).toBe("arn:aws:iam::111122223333:role/Keyward");
    expect(c.trustedAccounts).toEqual(["444455556666"]);
    expect(c.auth.sessionHours).toBe(2);
    expect(c.mode).toBe("sandbox");
  });
  it("reads accounts and regions from the environment", () => {
    const c = loadConfig({ KEYWARD_ACCOUNTS: "111122223333,444455556666:arn:aws:iam::444455556666:role/Audit", KEYWARD_REGIONS: "us-east-1, eu-west-1" }, dir());
    expect(c.accounts.map((a) => [a.id, a.regions, a.roleArn])).toEqual([
      ["111122223333", ["us-east-1", "eu-west-1"], undefined],
      ["444455556666", ["us-east-1", "eu-west-1"], "arn:aws:iam::444455556666:role/Audit"],
    ]);
  });
  it.each([
    [{ accounts: [{ id: "12", regions: ["us-east-1"] }] }, "$.accounts[0].id", /12 digits/],
    [{ accounts: [{ id: "111122223333", regions: [] }] }, "$.accounts[0].regions", /at least one region/],
    [{ accounts: [{ id: "111122223333", regions: ["moon-1"] }] }, "$.accounts[0].regions[0]", /region/],
    [{ mode: "prod" }, "$.mode", /./],
    [{ auth: { sessionHours: 0 } }, "$.auth.sessionHours", /./],
  ])("refuses a bad config with the path of the problem (%#)", (cfg, path, message) => {
    try {
      loadConfig({}, dir(cfg));
      throw new Error("expected a ConfigError");
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const issue = (e as ConfigError).issues.find((i) => i.path === path);
      expect(issue?.message).toMatch(message);
    }
  });
  it("refuses a file that is not JSON", () => {
    expect(() => loadConfig({}, dir("{nope"))).toThrow(/not valid JSON/);
  });
});
