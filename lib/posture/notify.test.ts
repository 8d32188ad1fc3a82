// Notifications to a local webhook receiver: signed, sent once per opening of a finding (not again on
// the next scan; again when it comes back after a fix), nothing below the severity, and nothing lost
// when the receiver is down: the message stays in the store's outbox and goes out once, on a later
// delivery (as after a restart).
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { KeywardConfig, type KeywardConfigData } from "../config/schema";
import type { Finding, ResourceRecord, ScanResult, Severity } from "../inventory/types.shared";

import { deliverPending, type FindingMessage, notifyScan, outbox, sendTest, signature, slackText } from "./notify";
import { saveScan } from "./scans";

const ARN = (n: string) => `arn:aws:bedrock:us-east-1:111122223333:agent/${n.padEnd(10, "X")}`;
const resource = (arn: string): ResourceRecord => ({
  arn,
  kind: "bedrock-agent",
  name: arn.slice(-10),
  account: "111122223333",
  region: "us-east-1",
  roles: [],
  secrets: [],
  tags: {},
  key: { arn: "", type: "aws-owned" },
});
const finding = (ruleId: string, arn: string, severity: Severity): Finding => ({ ruleId, severity, title: `${ruleId} title`, resourceArn: arn, evidence: {} });
function scan(at: string, arns: string[], findings: Finding[]): ScanResult {
  return {
    scannedAt: at,
    durationMs: 1,
    resources: arns.map(resource),
    keys: [],
    secrets: [],
    roles: [],
    trails: [{ account: "111122223333", region: "us-east-1" } as ScanResult["trails"][number]],
    findings,
    notAssessed: [],
    errors: [],
    apiCalls: 1,
  };
}

const SECRET = "a-webhook-secret-of-some-length";
let server: Server;
let status = 200;
const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
let cfg: KeywardConfigData;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  cfg = KeywardConfig.parse({
    mode: "sandbox",
    dataDir: mkdtempSync(join(tmpdir(), "kw-notify-")),
    notifications: { minSeverity: "high", consoleUrl: "https://keyward.example/", webhook: { url, secret: SECRET } },
  });
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

async function storeAndNotify(s: ScanResult) {
  const saved = saveScan(cfg.dataDir, s, "test");
  return notifyScan(cfg, saved.id, saved.changes);
}

describe("notifications", () => {
  const a = ARN("A");
  const b = ARN("B");
  const c = ARN("C");

  it("sends the new findings at or above the severity, signed, with links to the console; once", async () => {
    const r1 = await storeAndNotify(scan("2026-12-01T10:00:00.000Z", [a, b], [finding("KW-KEY-01", a, "critical"), finding("KW-ROT-01", b, "low")]));
    expect(r1).toEqual({ sent: 1, failed: 0 });
    expect(received).toHaveLength(1);
    const { headers, body } = received[0];
    expect(headers["x-keyward-signature"]).toBe(signature(SECRET, headers["x-keyward-timestamp"] as string, body));
    expect(signature("another-secret-of-some-length", headers["x-keyward-timestamp"] as string, body)).not.toBe(headers["x-keyward-signature"]);
    const m = JSON.parse(body) as FindingMessage;
    expect(m.total).toBe(1);
    expect(m.findings[0]).toMatchObject({ ruleId: "KW-KEY-01", severity: "critical", link: `https://keyward.example/resources/detail?arn=${encodeURIComponent(a)}` });

    // The next scan still finds it: nothing new to tell.
    expect(await storeAndNotify(scan("2026-12-01T11:00:00.000Z", [a, b], [finding("KW-KEY-01", a, "critical"), finding("KW-ROT-01", b, "low")]))).toEqual({ sent: 0, failed: 0 });
    expect(received).toHaveLength(1);
  });

  it("keeps a message the receiver refused, retries it later, and sends it once", async () => {
    status = 503;
    const r = await storeAndNotify(scan("2026-12-01T12:00:00.000Z", [a, b, c], [finding("KW-KEY-01", a, "critical"), finding("KW-POL-02", c, "high")]));
    expect(r).toEqual({ sent: 0, failed: 1 });
    const [entry] = outbox(cfg, 1);
    expect(entry).toMatchObject({ attempts: 1, lastError: "503 Service Unavailable", total: 1 });
    expect(entry.sentAt).toBeUndefined();
    // Not due yet: nothing is sent.
    status = 200;
    expect(await deliverPending(cfg)).toEqual({ sent: 0, failed: 0 });
    // Two minutes later (the server restarted meanwhile: the outbox is in the store), it goes out once.
    const later = new Date(Date.now() + 2 * 60_000);
    expect(await deliverPending(cfg, later)).toEqual({ sent: 1, failed: 0 });
    expect(await deliverPending(cfg, later)).toEqual({ sent: 0, failed: 0 });
    expect((JSON.parse(received.at(-1)!.body) as FindingMessage).findings.map((f) => f.ruleId)).toEqual(["KW-POL-02"]);
    expect(outbox(cfg, 1)[0]).toMatchObject({ attempts: 2, sentAt: expect.any(String) });
  });

  it("tells a finding again when it comes back after a fix", async () => {
    const before = received.length;
    await storeAndNotify(scan("2026-12-01T13:00:00.000Z", [a, b, c], [finding("KW-POL-02", c, "high")]));
    expect(received.length).toBe(before);
    await storeAndNotify(scan("2026-12-01T14:00:00.000Z", [a, b, c], [finding("KW-KEY-01", a, "critical"), finding("KW-POL-02", c, "high")]));
    expect(received.length).toBe(before + 1);
    expect((JSON.parse(received.at(-1)!.body) as FindingMessage).findings.map((f) => f.ruleId)).toEqual(["KW-KEY-01"]);
  });

  it("test messages say what failed; Slack text lists the findings with their links", async () => {
    expect(await sendTest(cfg, "webhook")).toEqual({ ok: true });
    expect(await sendTest(cfg, "slack")).toEqual({ ok: false, error: expect.stringMatching(/not configured/) });
    status = 404;
    expect(await sendTest(cfg, "webhook")).toEqual({ ok: false, error: "404 Not Found" });
    status = 200;
    const text = slackText({
      kind: "findings",
      console: "https://keyward.example/resources",
      total: 12,
      findings: Array.from({ length: 12 }, (_, i) => ({
        ruleId: "KW-KEY-01",
        severity: "high" as const,
        title: "Key disabled",
        resourceArn: ARN(String(i)),
        firstSeen: "2026-12-01T10:00:00.000Z",
        link: `https://keyward.example/r/${i}`,
      })),
    });
    expect(text).toMatch(/^Keyward: 12 new findings\n/);
    expect(text).toContain("<https://keyward.example/r/0|agent/0XXXXXXXXX>");
    expect(text).toContain("…and 2 more: <https://keyward.example/resources|open Keyward>");
  });
});
