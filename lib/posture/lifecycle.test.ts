// Findings over time, through the scan repository: opened, still open, resolved only where a later
// scan re-checked them, and opened again when they come back. A scan that could not re-check a
// finding (not assessed, a failed read in its account and region) never resolves it.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import type { Finding, ResourceRecord, ScanError, ScanResult } from "../inventory/types.shared";

import { changesSince, fingerprint, openStates } from "./lifecycle";
import { saveScan } from "./scans";

const A = "arn:aws:bedrock:us-east-1:111122223333:agent/AAAAAAAAAA";
const B = "arn:aws:bedrock:us-east-1:111122223333:agent/BBBBBBBBBB";
const KEY = "arn:aws:kms:us-east-1:111122223333:key/k1";

const resource = (arn: string): ResourceRecord => ({
  arn,
  kind: "bedrock-agent",
  name: arn.slice(-3),
  account: "111122223333",
  region: "us-east-1",
  roles: [],
  secrets: [],
  tags: {},
  key: { arn: KEY, type: "customer" },
});
const finding = (ruleId: string, arn: string): Finding => ({ ruleId, severity: "high", title: ruleId, resourceArn: arn, keyArn: KEY, evidence: {} });

function scan(at: string, o: { resources: string[]; findings: Finding[]; notAssessed?: [string, string][]; errors?: ScanError[] }): ScanResult {
  return {
    scannedAt: at,
    durationMs: 1,
    resources: o.resources.map(resource),
    keys: [],
    secrets: [],
    roles: [],
    trails: [{ account: "111122223333", region: "us-east-1" } as ScanResult["trails"][number]],
    findings: o.findings,
    notAssessed: (o.notAssessed ?? []).map(([ruleId, resourceArn]) => ({ ruleId, resourceArn, reason: "the key policy could not be read" })),
    errors: o.errors ?? [],
    apiCalls: 1,
  };
}

describe("finding lifecycle", () => {
  it("opens, keeps, resolves only what a later scan re-checked, and reopens what comes back", () => {
    const dir = mkdtempSync(join(tmpdir(), "kw-life-"));
    const a = finding("KW-KEY-01", A);
    const b = finding("KW-POL-01", B);

    const s1 = saveScan(dir, scan("2026-12-01T10:00:00.000Z", { resources: [A, B], findings: [a, b] }), "test");
    expect(s1.changes).toEqual({ opened: [fingerprint(a), fingerprint(b)], resolved: [] });

    // B's rule passed on a resource read again: resolved. A is still there: still open, first seen unchanged.
    const s2 = saveScan(dir, scan("2026-12-01T11:00:00.000Z", { resources: [A, B], findings: [a] }), "test");
    expect(s2.changes).toEqual({ opened: [], resolved: [fingerprint(b)] });
    expect(openStates(dir).get(fingerprint(a))).toMatchObject({ firstSeen: "2026-12-01T10:00:00.000Z", lastSeen: "2026-12-01T11:00:00.000Z" });

    // A's rule could not be assessed: not resolved.
    const s3 = saveScan(dir, scan("2026-12-01T12:00:00.000Z", { resources: [A, B], findings: [], notAssessed: [["KW-KEY-01", A]] }), "test");
    expect(s3.changes.resolved).toEqual([]);

    // A's resource is not listed, but its account and region had a failed read: not resolved either.
    const failed: ScanError = {
      service: "Bedrock Agents",
      account: "111122223333",
      region: "us-east-1",
      operation: "ListAgents",
      code: "ThrottlingException",
      message: "slow down",
    };
    const s4 = saveScan(dir, scan("2026-12-01T13:00:00.000Z", { resources: [B], findings: [], errors: [failed] }), "test");
    expect(s4.changes.resolved).toEqual([]);
    expect(openStates(dir).has(fingerprint(a))).toBe(true);

    // Listed in full and gone: resolved, with the reason.
    const s5 = saveScan(dir, scan("2026-12-01T14:00:00.000Z", { resources: [B], findings: [] }), "test");
    expect(s5.changes.resolved).toEqual([fingerprint(a)]);
    expect(openStates(dir).size).toBe(0);

    // B comes back: opened again, first seen now.
    const s6 = saveScan(dir, scan("2026-12-01T15:00:00.000Z", { resources: [B], findings: [b] }), "test");
    expect(s6.changes.opened).toEqual([fingerprint(b)]);
    expect(openStates(dir).get(fingerprint(b))?.firstSeen).toBe("2026-12-01T15:00:00.000Z");

    const since = changesSince(dir, "2026-12-01T12:30:00.000Z");
    expect(since.opened.map((s) => s.fingerprint)).toEqual([fingerprint(b)]);
    expect(since.resolved.map((s) => [s.fingerprint, s.resolution])).toEqual([[fingerprint(a), "resource gone"]]);
  });

  it("a scan of other accounts leaves the findings of an account it did not read open", () => {
    const dir = mkdtempSync(join(tmpdir(), "kw-life-"));
    const a = finding("KW-KEY-01", A);
    saveScan(dir, scan("2026-12-01T10:00:00.000Z", { resources: [A], findings: [a] }), "test");
    const other = scan("2026-12-01T11:00:00.000Z", { resources: [], findings: [] });
    other.trails = [{ account: "444455556666", region: "us-east-1" } as ScanResult["trails"][number]];
    expect(saveScan(dir, other, "test").changes.resolved).toEqual([]);
  });
});
