// Schedules against the sandbox: an operator's expression is validated, audited and wins over the
// configuration's; a run the server missed while down runs once at start (not again after); a run
// that finds its job busy is recorded as skipped; every run keeps its trigger, outcome and detail.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { RunningSandbox } from "../../sandbox/index";
import { testSandbox } from "../../sandbox/testing/index";
import { KeywardConfig, type KeywardConfigData } from "../config/schema";
import { startScan, waitForScan } from "../posture/jobs";
import { pointSdkAtSandbox } from "../posture/testing";
import { db } from "../store/db";

import { runJob, scheduleViews, setSchedule, startScheduler, stopScheduler } from "./scheduler";

let sb: RunningSandbox;
let restore: () => void;
let cfg: KeywardConfigData;

beforeAll(async () => {
  sb = await testSandbox({ noTraffic: true });
  restore = pointSdkAtSandbox(sb);
  cfg = KeywardConfig.parse({
    mode: "sandbox",
    accounts: [{ id: "111122223333", regions: ["us-east-1"] }],
    schedules: { scan: "0 * * * *" },
    dataDir: mkdtempSync(join(tmpdir(), "kw-sched-")),
  });
});
afterAll(async () => {
  stopScheduler();
  restore();
  await sb.close();
});

describe("schedules", () => {
  it("shows the configuration's schedule with its next run; an operator's change is validated, audited and wins", () => {
    const [scan, sync] = scheduleViews(cfg);
    expect(scan).toMatchObject({ job: "scan", cron: "0 * * * *", source: "config" });
    expect(new Date(scan.nextRun!).getUTCMinutes()).toBe(0);
    expect(sync).toMatchObject({ job: "sync", cron: null, source: "none", nextRun: undefined });

    expect(() => setSchedule(cfg, "sync", "every minute", "op@example.com")).toThrow(/five fields/);
    expect(() => setSchedule(cfg, "sync", "61 * * * *", "op@example.com")).toThrow(/cron expression/);
    expect(scheduleViews(cfg)[1].source).toBe("none");

    const views = setSchedule(cfg, "sync", "*/15 * * * *", "op@example.com");
    expect(views[1]).toMatchObject({ cron: "*/15 * * * *", source: "settings", updatedBy: "op@example.com" });
    const audit = db(cfg.dataDir).prepare("SELECT actor, action, detail FROM audit WHERE action = 'schedule'").all();
    expect(audit).toEqual([{ actor: "op@example.com", action: "schedule", detail: "sync: */15 * * * *" }]);
    // Turned off by the operator: no schedule, whatever the configuration says.
    expect(setSchedule(cfg, "scan", null, "op@example.com")[0]).toMatchObject({ cron: null, source: "settings" });
    setSchedule(cfg, "scan", "0 * * * *", "op@example.com");
    stopScheduler();
  });

  it("runs a missed scan once at start, records it, and does not run it again", async () => {
    const d = db(cfg.dataDir);
    // The last scheduled scan ran three hours ago; the server was down since.
    d.prepare("INSERT INTO schedule_runs (job, trigger, started_at, finished_at, outcome, detail) VALUES ('scan', 'schedule', ?, ?, 'done', 'earlier')").run(
      new Date(Date.now() - 3 * 3600_000).toISOString(),
      new Date(Date.now() - 3 * 3600_000 + 1000).toISOString(),
    );
    const missed = startScheduler(cfg);
    expect(missed).toHaveLength(1);
    const run = await missed[0];
    expect(run).toMatchObject({ job: "scan", trigger: "missed", outcome: "done" });
    expect(run.detail).toMatch(/^\d+ resources, \d+ findings/);
    expect(startScheduler(cfg)).toHaveLength(0);
    stopScheduler();
    expect(scheduleViews(cfg)[0].runs[0]).toMatchObject({ id: run.id, trigger: "missed", outcome: "done" });
  });

  it("a run that finds its job busy is recorded as skipped, not queued", async () => {
    expect(startScan(cfg, "someone").alreadyRunning).toBe(false);
    const run = await runJob(cfg, "scan", "schedule");
    expect(run).toMatchObject({ outcome: "skipped", detail: "a scan was already running" });
    await waitForScan();
  });
});
