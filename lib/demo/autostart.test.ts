// The demo fills itself in: the first scan, then the first event sync tied to what it found.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { RunningSandbox } from "../../sandbox/index";
import { testSandbox } from "../../sandbox/testing/index";
import { KeywardConfig } from "../config/schema";
import { eventPage } from "../events/store";
import { scanStatus } from "../posture/jobs";
import { pointSdkAtSandbox } from "../posture/testing";
import { db } from "../store/db";

import { autostart } from "./autostart";

let sb: RunningSandbox;
let restore: () => void;
beforeAll(async () => {
  sb = await testSandbox({ trafficEnd: new Date() });
  restore = pointSdkAtSandbox(sb);
});
afterAll(async () => {
  restore();
  await sb.close();
});

describe("the demo's autostart", () => {
  it("runs the first scan, then a sync whose events are tied to the scanned resources, and says how long each took", async () => {
    const cfg = KeywardConfig.parse({
      mode: "sandbox",
      accounts: [{ id: "111122223333", regions: ["us-east-1"] }],
      dataDir: mkdtempSync(join(tmpdir(), "kw-autostart-")),
      events: { firstSyncDays: 2 },
    });
    const lines: string[] = [];
    const r = await autostart(cfg, (l) => lines.push(l));
    expect(scanStatus(cfg.dataDir).last?.resources.length).toBeGreaterThan(10);
    expect(r.events).toBeGreaterThan(0);
    expect(lines.join("\n")).toMatch(/first scan done in \d+\.\d s — \d+ resources, \d+ findings/);
    expect(lines.join("\n")).toMatch(/event sync done in \d+\.\d s — \d+ events stored/);
    const page = eventPage(db(cfg.dataDir), { from: Date.now() - 3 * 86_400_000, to: Date.now() + 60_000 }, { limit: 500 });
    expect(page.events.some((e) => e.resourceArn)).toBe(true);
    // A second start finds both done and does nothing.
    expect(await autostart(cfg, () => {})).toEqual({});
  });
});
