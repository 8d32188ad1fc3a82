import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

import { describe, expect, it } from "vitest";

import { resolveTemplate, templateDocument } from "../lib/policy/templates";
import { testSandbox } from "../sandbox/testing/index";

import { run } from "./main";

/** Points the SDK (and so the CLI) at the sandbox, with the given Keyward variables. */
function useSandbox(sb: { url: string; accessKeyId: string; secretAccessKey: string }, vars: Record<string, string>): void {
  Object.assign(process.env, { AWS_ENDPOINT_URL: sb.url, AWS_ACCESS_KEY_ID: sb.accessKeyId, AWS_SECRET_ACCESS_KEY: sb.secretAccessKey, ...vars });
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
}

describe("keyward CLI", () => {
  it("--help and -h on every command print that command's usage and exit 0; --version; unknown flags exit 2 with the command's usage", async () => {
    for (const command of ["whoami", "scan", "lint-policy", "access", "templates", "sync", "athena-table", "events", "import", "setup", "user"]) {
      for (const flag of ["--help", "-h"]) {
        const c = capture();
        expect(await run(command === "user" ? ["user", "add", flag] : [command, flag], c.io), `${command} ${flag}`).toBe(0);
        expect(c.out.join("\n"), command).toMatch(new RegExp(`^usage: keyward ${command}`));
      }
    }
    const v = capture();
    expect(await run(["--version"], v.io)).toBe(0);
    expect(v.out.join("")).toMatch(/^keyward \d+\.\d+\.\d+$/);
    const bad = capture();
    expect(await run(["scan", "--frobnicate"], bad.io)).toBe(2);
    expect(bad.err.join("\n")).toMatch(/Unknown option '--frobnicate'[\s\S]*usage: keyward scan/);
    expect(bad.err.join("\n")).not.toMatch(/lint-policy FILE/);
  });

  it("--progress is an option of every command, not an unknown flag", async () => {
    const c = capture();
    expect(await run(["lint-policy", "--progress"], c.io)).toBe(2);
    expect(c.err.join("")).not.toMatch(/Unknown option '--progress'/);
  });

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

  it("with no account configured, setup and sync work on the credentials' own account and say which", async () => {
    const sb = await testSandbox({ noTraffic: true });
    const saved = { ...process.env };
    const dataDir = mkdtempSync(join(tmpdir(), "kw-self-"));
    useSandbox(sb, {
      AWS_REGION: "us-east-1",
      KEYWARD_DATA_DIR: dataDir,
    });
    delete process.env.KEYWARD_ACCOUNTS;
    delete process.env.KEYWARD_REGIONS;
    delete process.env.KEYWARD_CONFIG;
    try {
      const plan = capture();
      expect(await run(["setup", "memory", "--name", "self_memory", "--region", "us-east-1", "--format", "json"], plan.io)).toBe(0);
      expect(plan.err.join("\n")).toMatch(/No account is configured: using the credentials' own account 111122223333 in us-east-1/);
      expect(JSON.parse(plan.out.join("")).account).toBe("111122223333");
      const sync = capture();
      expect(await run(["sync", "--since", "1d"], sync.io)).toBe(0);
      expect(sync.err.join("\n")).toMatch(/using the credentials' own account 111122223333 in us-east-1/);
    } finally {
      process.env = saved;
      await sb.close();
    }
  });

  it("whoami prints the caller identity per account and region, against the sandbox", async () => {
    const sb = await testSandbox({ noTraffic: true });
    const saved = { ...process.env };
    useSandbox(sb, {
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
    useSandbox(sb, {
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
      // A slow scan says how far it is on stderr (every 2 s), and stdout keeps only the report.
      sb.server.faults.set([{ service: "bedrock", operation: "GetAgent", latencyMs: 2500 }]);
      const slow = capture();
      expect(await run(["scan", "--format", "json", "--region", "us-east-1", "--progress"], slow.io)).toBe(0);
      sb.server.faults.set([]);
      expect(slow.err.join("\n")).toMatch(/^… Listing \(keys are read meanwhile\): .*AgentCore memor(y|ies).* · keys \d+\/\d+/m);
      expect(JSON.parse(slow.out.join("")).resources.length).toBeGreaterThan(0);
      process.env.AWS_ACCESS_KEY_ID = "AKIAUNKNOWNKEY000000";
      const denied = capture();
      expect(await run(["scan", "--format", "json"], denied.io)).toBe(2);
    } finally {
      process.env = saved;
      await sb.close();
    }
  });
});

describe("keyward lint-policy and templates", () => {
  const dir = mkdtempSync(join(tmpdir(), "kw-lint-"));
  const write = (name: string, body: string) => {
    const p = join(dir, name);
    writeFileSync(p, body);
    return p;
  };
  const vars = ["--var", "region=us-east-1", "--var", "account-id=111122223333", "--var", "role=RecommendationRole"];
  const conforming = templateDocument(resolveTemplate("agentcore-recommendation-key", { region: "us-east-1", "account-id": "111122223333", role: "RecommendationRole" }));

  it("exits 0 for a conforming policy and 1 when a statement is broader, with the reason", async () => {
    const ok = capture();
    expect(await run(["lint-policy", write("ok.json", JSON.stringify(conforming)), "--template", "agentcore-recommendation-key", ...vars], ok.io)).toBe(0);
    expect(ok.out.join("\n")).toMatch(/all 3 template statements match/);
    const wide = structuredClone(conforming);
    delete wide.Statement[2].Condition;
    const bad = capture();
    expect(await run(["lint-policy", write("wide.json", JSON.stringify(wide)), "--template", "agentcore-recommendation-key", ...vars, "--format", "json"], bad.io)).toBe(1);
    const out = JSON.parse(bad.out.join(""));
    expect(out.results[2].status).toBe("broader");
    expect(out.results[2].reasons.join()).toMatch(/no condition on aws:SourceAccount/);
    expect(out.merged.Statement.find((x: { Sid?: string; Condition?: unknown }) => x.Sid === "AllowServicePrincipalAccess" && x.Condition)).toBeDefined();
  });

  it("exits 2 with a clear message for bad JSON, an unknown template, a missing or unknown variable", async () => {
    const cases: [string[], RegExp][] = [
      [["lint-policy", write("bad.json", '{ "Statement": [ }'), "--template", "agentcore-recommendation-key", ...vars], /bad\.json: not valid JSON/],
      [["lint-policy", write("x.json", JSON.stringify(conforming)), "--template", "no-such-template", ...vars], /unknown template "no-such-template"/],
      [
        ["lint-policy", write("y.json", JSON.stringify(conforming)), "--template", "agentcore-recommendation-key", "--var", "region=us-east-1"],
        /needs --var account-id=\.\.\. --var role=/,
      ],
      [["lint-policy", write("z.json", JSON.stringify(conforming)), "--template", "agentcore-recommendation-key", ...vars, "--var", "agent-id=A1"], /has no variable "agent-id"/],
      [["lint-policy", join(dir, "absent.json"), "--template", "agentcore-recommendation-key", ...vars], /cannot read .*absent\.json: ENOENT/],
      [["lint-policy", write("w.json", "{}")], /needs --template/],
    ];
    for (const [argv, message] of cases) {
      const c = capture();
      expect(await run(argv, c.io), argv.join(" ")).toBe(2);
      expect(c.err.join("\n")).toMatch(message);
    }
  });

  it("exits 1 when every template statement matches but an extra statement opens the key or hands out administration", async () => {
    const rec = ["--var", "region=us-east-1", "--var", "account-id=111122223333", "--var", "role=RecommendationRole"];
    const base = templateDocument(resolveTemplate("agentcore-recommendation-key", { region: "us-east-1", "account-id": "111122223333", role: "RecommendationRole" }));
    const root = { Sid: "Root", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" };
    const clean = capture();
    expect(
      await run(
        ["lint-policy", write("rec-ok.json", JSON.stringify({ ...base, Statement: [root, ...base.Statement] })), "--template", "agentcore-recommendation-key", ...rec],
        clean.io,
      ),
    ).toBe(0);
    expect(clean.out.join("\n")).toMatch(/PASS/);
    const extras: [string, Record<string, unknown>, RegExp][] = [
      [
        "another account kms:*",
        { Sid: "Partner", Effect: "Allow", Principal: { AWS: "444455556666" }, Action: "kms:*", Resource: "*" },
        /account 444455556666 can use, grants, administration/,
      ],
      [
        "everyone ScheduleKeyDeletion",
        { Sid: "Oops", Effect: "Allow", Principal: "*", Action: "kms:ScheduleKeyDeletion", Resource: "*" },
        /everyone \(any AWS account\) can administration/,
      ],
      [
        "a role of the account PutKeyPolicy",
        { Sid: "Ops", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:role/Ops" }, Action: "kms:PutKeyPolicy", Resource: "*" },
        /grants administration \(kms:PutKeyPolicy\) to arn:aws:iam::111122223333:role\/Ops/,
      ],
    ];
    for (const [what, extra, message] of extras) {
      const c = capture();
      const file = write(`rec-${what.replace(/\W+/g, "-")}.json`, JSON.stringify({ ...base, Statement: [root, ...base.Statement, extra] }));
      expect(await run(["lint-policy", file, "--template", "agentcore-recommendation-key", ...rec, "--format", "json"], c.io), what).toBe(1);
      const out = JSON.parse(c.out.join(""));
      expect(out.conforms, what).toBe(true);
      expect(out.failures.join("\n"), what).toMatch(message);
      // The corrected policy drops what opens the key to others.
      expect(JSON.stringify(out.merged), what).not.toContain('"Sid":"Partner"');
      expect(JSON.stringify(out.merged), what).not.toContain('"Sid":"Oops"');
    }
    // A named administrator is not a failure.
    const ops = capture();
    const opsFile = write("rec-ops-admin.json", JSON.stringify({ ...base, Statement: [root, ...base.Statement, extras[2][1]] }));
    expect(await run(["lint-policy", opsFile, "--template", "agentcore-recommendation-key", ...rec, "--admin", "arn:aws:iam::111122223333:role/Ops"], ops.io)).toBe(0);
  });

  it("access says who outside the account can do what: exit 0 nobody, 1 someone, 2 bad input", async () => {
    const root = { Sid: "Root", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" };
    const closed = capture();
    expect(await run(["access", write("acc-closed.json", JSON.stringify({ Statement: [root] })), "--account", "111122223333"], closed.io)).toBe(0);
    expect(closed.out.join("")).toMatch(/nobody outside account 111122223333/);
    const org = {
      Sid: "Org",
      Effect: "Allow",
      Principal: "*",
      Action: ["kms:Decrypt", "kms:DescribeKey"],
      Resource: "*",
      Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
    };
    const open = capture();
    const file = write("acc-org.json", JSON.stringify({ Statement: [root, org] }));
    expect(await run(["access", file, "--account", "111122223333", "--format", "json"], open.io)).toBe(1);
    expect(JSON.parse(open.out.join(""))).toMatchObject({ outside: [{ who: "org:o-a1b2c3d4e5", actions: ["kms:Decrypt", "kms:DescribeKey"], statements: ["Org"] }] });
    const trusted = capture();
    expect(await run(["access", file, "--account", "111122223333", "--trusted-org", "o-a1b2c3d4e5"], trusted.io)).toBe(0);
    const secret = capture();
    const sp = { Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::444455556666:role/Reader" }, Action: "secretsmanager:GetSecretValue", Resource: "*" }] };
    expect(await run(["access", write("acc-secret.json", JSON.stringify(sp)), "--account", "111122223333", "--format", "json"], secret.io)).toBe(1);
    expect(JSON.parse(secret.out.join(""))).toMatchObject({ kind: "secret-policy", outside: [{ who: "account:444455556666", actions: ["secretsmanager:GetSecretValue"] }] });
    const bad: [string[], RegExp][] = [
      [["access", write("acc-bad.json", "{ nope"), "--account", "111122223333"], /not valid JSON/],
      [["access", write("acc-np.json", JSON.stringify({ Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }] })), "--account", "111122223333"], /has no Principal/],
      [["access", write("acc-notpolicy.json", JSON.stringify({ hello: 1 })), "--account", "111122223333"], /no Statement/],
      [["access", file], /needs --account/],
      [["access", file, "--account", "111122223333", "--trusted-org", "org1"], /--trusted-org takes an organization id/],
    ];
    for (const [argv, message] of bad) {
      const c = capture();
      expect(await run(argv, c.io), argv.join(" ")).toBe(2);
      expect(c.err.join("\n")).toMatch(message);
    }
  });

  it("templates lists every id with its source and variables", async () => {
    const c = capture();
    expect(await run(["templates", "--format", "json"], c.io)).toBe(0);
    const list = JSON.parse(c.out.join("")) as { id: string; source: string; variables: string[] }[];
    expect(list.map((t) => t.id)).toEqual([
      "bedrock-agent-key",
      "bedrock-agent-key-2025",
      "bedrock-agent-caller",
      "bedrock-flow-key",
      "bedrock-prompt-key",
      "agentcore-recommendation-key",
      "agentcore-memory-key",
      "agentcore-memory-caller",
      "agentcore-token-vault-key",
      "agentcore-identity-secret",
      "agentcore-gateway-key",
      "agentcore-evaluator-key",
      "agentcore-policy-engine-key",
      "agentcore-dataset-key",
      "agentcore-payment-manager-key",
    ]);
    expect(list.find((t) => t.id === "agentcore-gateway-key")!.variables).toEqual(["region", "account-id", "role", "gateway-id"]);
    expect(list.find((t) => t.id === "bedrock-flow-key")).toMatchObject({ variables: ["region", "account-id", "role", "flow-id"], appliesTo: ["bedrock-flow"] });
    expect(list.every((t) => t.source.length > 10)).toBe(true);
  });
});

describe("keyward sync and events", () => {
  it("keyward scan stores its result; events synced before it are tied to resources afterwards, and those synced after at once", async () => {
    const sb = await testSandbox({ trafficEnd: new Date() });
    const saved = { ...process.env };
    const dataDir = mkdtempSync(join(tmpdir(), "kw-cli-scan-store-"));
    useSandbox(sb, {
      KEYWARD_ACCOUNTS: "111122223333",
      KEYWARD_REGIONS: "us-east-1",
      KEYWARD_DATA_DIR: dataDir,
    });
    const tied = async () => {
      const c = capture();
      expect(await run(["events", "--since", "2d", "--format", "json"], c.io)).toBe(0);
      return (JSON.parse(c.out.join("")) as { events: { resourceArn: string | null }[] }).events.filter((e) => e.resourceArn).length;
    };
    try {
      // Events first: no scan yet, so nothing is tied.
      expect(await run(["sync", "--since", "1d"], capture().io)).toBe(0);
      expect(await tied()).toBe(0);
      // The scan is stored, and the events already stored are tied to what it found.
      const s = capture();
      expect(await run(["scan", "--format", "json"], s.io)).toBe(0);
      expect(s.err.join("\n")).toMatch(/Scan \d+ stored in .*; \d+ stored events tied to its resources/);
      const after = await tied();
      expect(after).toBeGreaterThan(0);
      // A sync after the scan reads the stored scan: no "run keyward scan first".
      const again = capture();
      expect(await run(["sync", "--since", "1d"], again.io)).toBe(0);
      expect(again.err.join("\n")).not.toMatch(/no scan yet/i);
    } finally {
      process.env = saved;
      await sb.close();
    }
  });

  it("fills the store from CloudTrail and reads it back per key with detections; bad flags exit 2", async () => {
    const sb = await testSandbox({ trafficEnd: new Date() });
    const saved = { ...process.env };
    useSandbox(sb, {
      KEYWARD_ACCOUNTS: "111122223333",
      KEYWARD_REGIONS: "us-east-1,eu-west-1",
      KEYWARD_DATA_DIR: mkdtempSync(join(tmpdir(), "kw-cli-events-")),
    });
    try {
      const s = capture();
      expect(await run(["sync", "--since", "1d"], s.io)).toBe(0);
      const inserted = Number(/^(\d+) new events/.exec(s.out.join(""))![1]);
      expect(inserted).toBeGreaterThan(50);

      // Read back over a wider window than the sync: time moved on while it ran, and the store holds only what it fetched.
      const all = capture();
      expect(await run(["events", "--since", "2d", "--format", "json"], all.io)).toBe(0);
      const body = JSON.parse(all.out.join("")) as { events: { keyArn: string | null; eventName: string }[]; detections: unknown[] };
      expect(body.events).toHaveLength(inserted);
      expect(Array.isArray(body.detections)).toBe(true);
      const key = body.events.find((e) => e.keyArn && e.eventName === "Decrypt")!.keyArn!;

      const one = capture();
      expect(await run(["events", "--key", key, "--since", "1d", "--format", "json"], one.io)).toBe(0);
      const forKey = JSON.parse(one.out.join("")) as { events: { keyArn: string; resourceArn: string | null; correlation: string | null }[] };
      expect(forKey.events.length).toBeGreaterThan(0);
      expect(forKey.events.every((e) => e.keyArn === key)).toBe(true);

      const csv = capture();
      expect(await run(["events", "--key", key, "--since", "1d", "--format", "csv", "--fetch"], csv.io)).toBe(0);
      expect(csv.out[0]).toMatch(/^eventTime,eventName,/);
      expect(csv.out.length - 1).toBe(forKey.events.length);

      for (const argv of [
        ["events", "--key", key, "--secret", "arn:aws:secretsmanager:us-east-1:111122223333:secret:x"],
        ["events", "--since", "yesterday-ish"],
        ["events", "--format", "xml"],
        ["events", "--fetch"],
      ]) {
        const c = capture();
        expect(await run(argv, c.io), argv.join(" ")).toBe(2);
        expect(c.err.join("")).toMatch(/usage: keyward/);
      }
    } finally {
      process.env = saved;
      await sb.close();
    }
  }, 60_000);
});

describe("keyward import", () => {
  it("loads a folder of log files and refuses what is not a folder", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kw-cli-import-"));
    const rec = {
      eventTime: "2026-10-01T10:00:00Z",
      eventSource: "kms.amazonaws.com",
      eventName: "Decrypt",
      awsRegion: "us-east-1",
      userIdentity: { type: "AWSService", invokedBy: "bedrock.amazonaws.com" },
      eventID: "11111111-2222-4333-8444-555555555555",
      recipientAccountId: "111122223333",
      resources: [{ ARN: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" }],
    };
    writeFileSync(join(dir, "x.json.gz"), gzipSync(JSON.stringify({ Records: [rec] })));
    const saved = { ...process.env };
    process.env.KEYWARD_DATA_DIR = mkdtempSync(join(tmpdir(), "kw-cli-import-data-"));
    try {
      const ok = capture();
      expect(await run(["import", dir], ok.io)).toBe(0);
      expect(ok.out.join("")).toMatch(/^1 new events \(1 of the collected kinds, 0 already stored\) from 1 records in 1 log files$/);
      // The default window (7 days) holds none of this history: the CLI says where it is, and which
      // detections had no baseline to compare with.
      const events = capture();
      expect(await run(["events"], events.io)).toBe(0);
      expect(events.err.join("\n")).toContain("1 stored event matching these filters lies outside the window (from 2026-10-01T10:00:00.000Z to 2026-10-01T10:00:00.000Z)");
      expect(events.err.join("\n")).toMatch(/KW-DET-02, KW-DET-03, KW-DET-04 could not run: needs events from the 30 days before the window/);
      const json = capture();
      expect(await run(["events", "--format", "json"], json.io)).toBe(0);
      const body = JSON.parse(json.out.join("")) as { events: unknown[]; outsideWindow: { count: number }; detectionsNotRun: { id: string }[] };
      expect(body.events).toEqual([]);
      expect(body.outsideWindow.count).toBe(1);
      expect(body.detectionsNotRun.map((x) => x.id)).toEqual(["KW-DET-02", "KW-DET-03", "KW-DET-04"]);
      const wide = capture();
      expect(await run(["events", "--since", "2026-09-30T00:00:00Z", "--until", "2026-10-02T00:00:00Z", "--format", "json"], wide.io)).toBe(0);
      expect(JSON.parse(wide.out.join(""))).toMatchObject({ events: [{ eventID: rec.eventID, account: "111122223333" }], outsideWindow: null });
      const bad = capture();
      expect(await run(["import", join(dir, "nope")], bad.io)).toBe(2);
      expect(bad.err.join("")).toMatch(/is not a folder/);
    } finally {
      process.env = saved;
    }
  });
});

describe("keyward athena-table and sync --source athena", () => {
  it("prints the DDL, creates the table on the configured Athena, and fills the store from it", async () => {
    const sb = await testSandbox({ trafficEnd: new Date() });
    const dir = mkdtempSync(join(tmpdir(), "kw-cli-athena-"));
    const config = join(dir, "keyward.config.json");
    writeFileSync(
      config,
      JSON.stringify({
        accounts: [{ id: "111122223333", regions: ["us-east-1"] }],
        dataDir: join(dir, "data"),
        events: { athena: { account: "111122223333", region: "us-east-1", database: "security", table: "cloudtrail_logs", outputLocation: "s3://results-bucket/keyward/" } },
      }),
    );
    const saved = { ...process.env };
    useSandbox(sb, {
      KEYWARD_CONFIG: config,
    });
    delete process.env.KEYWARD_ACCOUNTS;
    delete process.env.KEYWARD_DATA_DIR;
    try {
      const location = "s3://trail-bucket/AWSLogs/111122223333/CloudTrail/";
      const print = capture();
      expect(await run(["athena-table", "--location", location, "--regions", "us-east-1,eu-west-1"], print.io)).toBe(0);
      expect(print.out.join("")).toMatch(/'projection.timestamp.format' = 'yyyy\/MM\/dd'/);
      const bad = capture();
      expect(await run(["athena-table", "--location", "s3://bucket/somewhere/"], bad.io)).toBe(2);
      const create = capture();
      expect(await run(["athena-table", "--location", location, "--create"], create.io)).toBe(0);
      expect(create.out.join("")).toMatch(/^created security.cloudtrail_logs/);
      const sync = capture();
      expect(await run(["sync", "--since", "1d"], sync.io)).toBe(0);
      expect(Number(/^(\d+) new events \(\d+ rows from Athena query/.exec(sync.out.join(""))![1])).toBeGreaterThan(50);
    } finally {
      process.env = saved;
      await sb.close();
    }
  }, 60_000);
});
