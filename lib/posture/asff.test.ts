// Findings into Security Hub, against the sandbox (the request checked against the SDK's own schema
// for BatchImportFindings) and against moto server: every open finding imported into its own account
// under its default product; a rescan updates it in place (same Id, CreatedAt kept, the customer's
// workflow untouched); a resolved finding archived; what AWS refuses reported per finding.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { BatchImportFindingsCommand, EnableSecurityHubCommand, GetFindingsCommand, SecurityHubClient } from "@aws-sdk/client-securityhub";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { RunningSandbox } from "../../sandbox/index";
import { clientConfig, motoAvailable, testSandbox } from "../../sandbox/testing/index";
import { withMoto } from "../../sandbox/testing/vitest";
import { KeywardConfig, type KeywardConfigData } from "../config/schema";
import type { ScanResult } from "../inventory/types.shared";

import { asffId, exportToSecurityHub, productArn, toAsff } from "./asff";
import { fingerprint, openStates, statesOf } from "./lifecycle";
import { notifyScan } from "./notify";
import { runScan } from "./scan";
import { saveScan } from "./scans";
import { DEMO_TARGETS, pointSdkAtSandbox } from "./testing";

const ACCOUNT = "111122223333";
let sb: RunningSandbox;
let restore: () => void;
let cfg: KeywardConfigData;
let scan: ScanResult;

beforeAll(async () => {
  sb = await testSandbox({ noTraffic: true });
  restore = pointSdkAtSandbox(sb);
  cfg = KeywardConfig.parse({ mode: "sandbox", dataDir: mkdtempSync(join(tmpdir(), "kw-hub-")), securityHub: {}, notifications: { consoleUrl: "https://keyward.example" } });
  scan = await runScan({ targets: DEMO_TARGETS });
}, 60_000);
afterAll(async () => {
  restore();
  await sb.close();
});

const hubFindings = async (region: string) => {
  const hub = new SecurityHubClient(clientConfig(sb, region));
  const out = [];
  let NextToken: string | undefined;
  do {
    const r = await hub.send(new GetFindingsCommand({ Filters: { GeneratorId: [{ Value: "keyward/", Comparison: "PREFIX" }] }, MaxResults: 100, NextToken }));
    out.push(...(r.Findings ?? []));
    NextToken = r.NextToken;
  } while (NextToken);
  return out;
};

describe("export to Security Hub", () => {
  it("imports every open finding into its account and region, then updates it in place and archives what was resolved", async () => {
    const saved = saveScan(cfg.dataDir, scan, "test");
    const r1 = await notifyScan(cfg, saved.id, saved.changes, { result: scan, targets: DEMO_TARGETS });
    const open = new Set(scan.findings.map(fingerprint)).size;
    expect(r1.securityHub).toEqual({ imported: open, failed: [] });
    const east = await hubFindings("us-east-1");
    const west = await hubFindings("eu-west-1");
    expect(east.length + west.length).toBe(open);
    // A finding in an account and region the scan read without error (only there can a later scan resolve it).
    const failedPlaces = new Set(scan.errors.map((e) => `${e.account}|${e.region}`));
    const f = scan.findings.find((x) => !failedPlaces.has(`${x.resourceArn.split(":")[4]}|${x.resourceArn.split(":")[3]}`))!;
    const first = [...east, ...west].find((x) => x.Id === asffId(fingerprint(f)))!;
    expect(first).toMatchObject({
      ProductArn: productArn(f.resourceArn.split(":")[3], ACCOUNT),
      AwsAccountId: ACCOUNT,
      GeneratorId: `keyward/${f.ruleId}`,
      RecordState: "ACTIVE",
      Compliance: { Status: "FAILED" },
      Resources: [{ Id: f.resourceArn, Type: "Other" }],
      SourceUrl: `https://keyward.example/resources/detail?arn=${encodeURIComponent(f.resourceArn)}`,
    });
    // The customer triages it in Security Hub.
    const stored = [...sb.state.securityHubFindings.values()].find((x) => x.Id === first.Id)!;
    stored.Workflow = { Status: "NOTIFIED" };

    // The next scan no longer finds it (the rule passes on a resource it read): archived, same Id, triage kept.
    const next: ScanResult = { ...scan, scannedAt: new Date(Date.now() + 1000).toISOString(), findings: scan.findings.filter((x) => fingerprint(x) !== fingerprint(f)) };
    const saved2 = saveScan(cfg.dataDir, next, "test");
    expect(saved2.changes.resolved).toEqual([fingerprint(f)]);
    const r2 = await notifyScan(cfg, saved2.id, saved2.changes, { result: next, targets: DEMO_TARGETS });
    expect(r2.securityHub?.failed).toEqual([]);
    const after = [...(await hubFindings("us-east-1")), ...(await hubFindings("eu-west-1"))];
    expect(after).toHaveLength(open);
    const archived = after.find((x) => x.Id === first.Id)!;
    expect(archived).toMatchObject({ RecordState: "ARCHIVED", Compliance: { Status: "PASSED" }, CreatedAt: first.CreatedAt, Workflow: { Status: "NOTIFIED" } });
    expect(archived.Description).toMatch(/Resolved at .*: the rule passes/);
  });

  it("reports per finding what AWS refuses, and findings of an account it has no credentials for", async () => {
    const hub = new SecurityHubClient(clientConfig(sb, "us-east-1"));
    const other = toAsff(
      { ...[...openStates(cfg.dataDir).values()][0], fingerprint: "x", resourceArn: "arn:aws:bedrock:us-east-1:999988887777:agent/ABCDEFGHIJ" },
      { region: "us-east-1", consoleUrl: "https://k", now: new Date().toISOString() },
    );
    const r = await hub.send(new BatchImportFindingsCommand({ Findings: [other] }));
    expect(r).toMatchObject({ SuccessCount: 0, FailedCount: 1, FailedFindings: [{ Id: other.Id, ErrorCode: "AccessDeniedException" }] });
    const report = await exportToSecurityHub(
      cfg,
      scan,
      { open: [{ ...statesOf(cfg.dataDir, [...openStates(cfg.dataDir).keys()].slice(0, 1))[0], resourceArn: other.Resources![0].Id! }], resolved: [] },
      DEMO_TARGETS,
    );
    expect(report).toEqual({ imported: 0, failed: [expect.objectContaining({ account: "999988887777", code: "NoCredentials" })] });
  });
});

const HAVE_MOTO = motoAvailable();
if (!HAVE_MOTO) console.warn("moto_server is not installed: the Security Hub export against moto is skipped.");

describe.runIf(HAVE_MOTO)("export to Security Hub against moto server", () => {
  withMoto();

  it("moto accepts the same findings and gives them back", async () => {
    const motoAccount = "123456789012";
    const hub = new SecurityHubClient({ region: "us-east-1" });
    await hub.send(new EnableSecurityHubCommand({}));
    const arn = `arn:aws:bedrock:us-east-1:${motoAccount}:agent/ABCDEFGHIJ`;
    const state = {
      fingerprint: `KW-KEY-01|${arn}|`,
      ruleId: "KW-KEY-01",
      resourceArn: arn,
      severity: "high" as const,
      title: "The resource's key is disabled",
      firstSeen: "2026-12-01T10:00:00.000Z",
      firstScan: 1,
      lastSeen: "2026-12-01T11:00:00.000Z",
      lastScan: 2,
    };
    const moto = KeywardConfig.parse({ mode: "aws", dataDir: mkdtempSync(join(tmpdir(), "kw-hub-moto-")), securityHub: {} });
    const report = await exportToSecurityHub(moto, { ...scan, resources: [] }, { open: [state], resolved: [] }, [{ account: motoAccount, region: "us-east-1" }]);
    expect(report).toEqual({ imported: 1, failed: [] });
    const got = (await hub.send(new GetFindingsCommand({}))).Findings ?? [];
    expect(got.map((x) => [x.Id, x.GeneratorId, x.AwsAccountId])).toContainEqual([asffId(state.fingerprint), "keyward/KW-KEY-01", motoAccount]);
  });
});
