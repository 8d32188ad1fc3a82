import { describe, expect, it } from "vitest";

import { clientConfig, testSandbox } from "../sandbox/testing/index";

import { run } from "./main";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
}

describe("keyward CLI", () => {
  it("prints usage and exits 2 for unknown commands and bad flags", async () => {
    const c = capture();
    expect(await run(["frobnicate"], c.io)).toBe(2);
    expect(c.err.join("\n")).toMatch(/unknown command: frobnicate[\s\S]*usage: keyward/);
    const d = capture();
    expect(await run(["whoami", "--format", "xml"], d.io)).toBe(2);
    const e = capture();
    expect(await run(["whoami", "--bogus"], e.io)).toBe(2);
    const f = capture();
    expect(await run(["user", "add", "a@b.c", "--role", "admin"], f.io)).toBe(2);
    expect(f.err.join("")).toMatch(/--role must be one of viewer, investigator, operator/);
  });

  it("whoami prints the caller identity per account and region, against the sandbox", async () => {
    const sb = await testSandbox({ noTraffic: true });
    const cfg = clientConfig(sb);
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: sb.url,
      AWS_ACCESS_KEY_ID: cfg.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: cfg.credentials.secretAccessKey,
      KEYWARD_ACCOUNTS: "111122223333",
      KEYWARD_REGIONS: "us-east-1,eu-west-1",
    });
    try {
      const c = capture();
      expect(await run(["whoami", "--format", "json"], c.io)).toBe(0);
      const r = JSON.parse(c.out.join("")) as { region: string; identity: { arn: string }; services: { ok: boolean }[] }[];
      expect(r.map((x) => x.region)).toEqual(["us-east-1", "eu-west-1"]);
      expect(r[0].identity.arn).toBe("arn:aws:iam::111122223333:root");
      expect(r[0].services.every((s) => s.ok)).toBe(true);
    } finally {
      process.env = saved;
      await sb.close();
    }
  });
});

describe("keyward scan", () => {
  it("exits 0 with the JSON report, 1 when --fail-on is met, 2 when nothing could be scanned", async () => {
    const sb = await testSandbox({ noTraffic: true });
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: sb.url,
      AWS_ACCESS_KEY_ID: sb.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sb.secretAccessKey,
      KEYWARD_ACCOUNTS: "111122223333",
      KEYWARD_REGIONS: "us-east-1,eu-west-1",
      KEYWARD_AWS_MAX_ATTEMPTS: "1",
    });
    try {
      const ok = capture();
      expect(await run(["scan", "--format", "json", "--region", "eu-west-1"], ok.io)).toBe(0);
      const report = JSON.parse(ok.out.join("")) as { resources: { region: string }[]; findings: { ruleId: string }[] };
      expect(report.resources.length).toBeGreaterThan(0);
      expect(report.resources.every((r) => r.region === "eu-west-1")).toBe(true);
      expect(report.findings.map((f) => f.ruleId)).toContain("KW-TRL-01");
      const fail = capture();
      expect(await run(["scan", "--format", "sarif", "--fail-on", "medium"], fail.io)).toBe(1);
      expect(JSON.parse(fail.out.join("")).version).toBe("2.1.0");
      const bad = capture();
      expect(await run(["scan", "--fail-on", "urgent"], bad.io)).toBe(2);
      process.env.AWS_ACCESS_KEY_ID = "AKIAUNKNOWNKEY000000";
      const denied = capture();
      expect(await run(["scan", "--format", "json"], denied.io)).toBe(2);
    } finally {
      process.env = saved;
      await sb.close();
    }
  });
});
