import "server-only";

// Scans and event syncs on a schedule (croner, five-field cron in UTC), in the console's server
// process. Each job runs through the same background slot a click uses, so a scheduled run and a
// manual one never overlap: a run that finds its job busy is recorded as skipped. A run the process
// missed while it was down (the schedule's last time falls after the job's last run) runs once when
// the scheduler starts. Every run is recorded with its trigger, times, outcome and detail.
import { Cron } from "croner";

import { audit } from "../auth/audit";
import { type KeywardConfigData, CronExpression } from "../config/schema";
import { startSync, syncStatus, waitForSync } from "../events/jobs";
import { scanStatus, startScan, waitForScan } from "../posture/jobs";
import { db } from "../store/db";

export const JOBS = ["scan", "sync"] as const;
export type Job = (typeof JOBS)[number];

export interface ScheduleRun {
  id: number;
  job: Job;
  trigger: "schedule" | "missed";
  startedAt: string;
  finishedAt?: string;
  outcome?: "done" | "skipped" | "failed";
  detail?: string;
}

export interface ScheduleView {
  job: Job;
  cron: string | null;
  /** Where the expression comes from: the configuration, or an operator in Settings. */
  source: "config" | "settings" | "none";
  updatedBy?: string;
  nextRun?: string;
  runs: ScheduleRun[];
}

const slot = globalThis as typeof globalThis & { __keywardCrons?: Map<Job, Cron> };

/** Each job's expression: an operator's from the store, else the configuration's. */
export function effectiveSchedules(cfg: KeywardConfigData): Record<Job, { cron: string | null; source: ScheduleView["source"]; updatedBy?: string }> {
  const rows = db(cfg.dataDir).prepare("SELECT job, cron, updated_by FROM schedules").all() as { job: Job; cron: string | null; updated_by: string }[];
  const stored = new Map(rows.map((r) => [r.job, r]));
  const out = {} as Record<Job, { cron: string | null; source: ScheduleView["source"]; updatedBy?: string }>;
  for (const job of JOBS) {
    const s = stored.get(job);
    out[job] = s
      ? { cron: s.cron, source: "settings", updatedBy: s.updated_by }
      : cfg.schedules[job]
        ? { cron: cfg.schedules[job]!, source: "config" }
        : { cron: null, source: "none" };
  }
  return out;
}

function lastRuns(cfg: KeywardConfigData, job: Job, n: number): ScheduleRun[] {
  const rows = db(cfg.dataDir).prepare("SELECT * FROM schedule_runs WHERE job = ? ORDER BY id DESC LIMIT ?").all(job, n) as {
    id: number;
    job: Job;
    trigger: ScheduleRun["trigger"];
    started_at: string;
    finished_at: string | null;
    outcome: ScheduleRun["outcome"] | null;
    detail: string | null;
  }[];
  return rows.map((r) => ({
    id: r.id,
    job: r.job,
    trigger: r.trigger,
    startedAt: r.started_at,
    finishedAt: r.finished_at ?? undefined,
    outcome: r.outcome ?? undefined,
    detail: r.detail ?? undefined,
  }));
}

export function scheduleViews(cfg: KeywardConfigData): ScheduleView[] {
  const eff = effectiveSchedules(cfg);
  return JOBS.map((job) => {
    const e = eff[job];
    const next = e.cron ? new Cron(e.cron, { paused: true, timezone: "UTC" }).nextRun() : null;
    return { job, cron: e.cron, source: e.source, updatedBy: e.updatedBy, nextRun: next?.toISOString(), runs: lastRuns(cfg, job, 5) };
  });
}

/** Runs one job now through its background slot and records the run. */
export async function runJob(cfg: KeywardConfigData, job: Job, trigger: ScheduleRun["trigger"]): Promise<ScheduleRun> {
  const d = db(cfg.dataDir);
  const startedAt = new Date().toISOString();
  const id = Number(d.prepare("INSERT INTO schedule_runs (job, trigger, started_at) VALUES (?, ?, ?)").run(job, trigger, startedAt).lastInsertRowid);
  const finish = (outcome: NonNullable<ScheduleRun["outcome"]>, detail: string): ScheduleRun => {
    const finishedAt = new Date().toISOString();
    d.prepare("UPDATE schedule_runs SET finished_at = ?, outcome = ?, detail = ? WHERE id = ?").run(finishedAt, outcome, detail, id);
    return { id, job, trigger, startedAt, finishedAt, outcome, detail };
  };
  try {
    if (job === "scan") {
      const before = scanStatus(cfg.dataDir).last?.id ?? 0;
      if (startScan(cfg, `schedule`).alreadyRunning) return finish("skipped", "a scan was already running");
      await waitForScan();
      const s = scanStatus(cfg.dataDir);
      if (!s.last || s.last.id <= before) return finish("failed", s.lastFailure?.error ?? "the scan did not complete");
      const errors = s.last.errors.length;
      return finish("done", `${s.last.resources.length} resources, ${s.last.findings.length} findings${errors ? `, ${errors} source errors` : ""}`);
    }
    if (startSync(cfg, "schedule").alreadyRunning) return finish("skipped", "an event sync was already running");
    await waitForSync();
    const last = syncStatus(cfg).last;
    const failed = last?.errors.find((e) => e.code === "InternalError");
    if (failed) return finish("failed", failed.message);
    return finish("done", `${last?.inserted ?? 0} events stored${last?.errors.length ? `, ${last.errors.length} source errors` : ""}`);
  } catch (e) {
    return finish("failed", e instanceof Error ? e.message : String(e));
  }
}

/** Stops every running schedule (tests; a change of schedule). */
export function stopScheduler(): void {
  for (const c of slot.__keywardCrons?.values() ?? []) c.stop();
  slot.__keywardCrons = new Map();
}

/**
 * (Re)starts the schedules. Returns the missed runs it started (awaited by tests): a job whose
 * schedule fired while the process was down runs once now.
 */
export function startScheduler(cfg: KeywardConfigData, opts: { now?: Date; catchUp?: boolean } = {}): Promise<ScheduleRun>[] {
  const now = opts.now ?? new Date();
  stopScheduler();
  const crons = slot.__keywardCrons!;
  const missed: Promise<ScheduleRun>[] = [];
  const eff = effectiveSchedules(cfg);
  for (const job of JOBS) {
    const expr = eff[job].cron;
    if (!expr) continue;
    // protect: a tick that comes while the previous run of this schedule is still going is dropped.
    const cron = new Cron(expr, { timezone: "UTC", protect: true }, async () => {
      await runJob(cfg, job, "schedule");
    });
    crons.set(job, cron);
    const last = lastRuns(cfg, job, 1)[0];
    const previous = cron.previousRuns(1, now)[0];
    if (opts.catchUp !== false && last && previous && Date.parse(last.startedAt) < previous.getTime()) missed.push(runJob(cfg, job, "missed"));
  }
  return missed;
}

/** An operator's change of one job's schedule (null: no schedule), validated, audited, applied at once. */
export function setSchedule(cfg: KeywardConfigData, job: Job, cron: string | null, by: string): ScheduleView[] {
  const value = cron === null ? null : CronExpression.parse(cron);
  db(cfg.dataDir)
    .prepare(
      "INSERT INTO schedules (job, cron, updated_by, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(job) DO UPDATE SET cron = excluded.cron, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .run(job, value, by, new Date().toISOString());
  audit(cfg.dataDir, { actor: by, action: "schedule", outcome: "success", detail: `${job}: ${value ?? "no schedule"}` });
  // A changed schedule starts from now: no catching up on the times the new expression would have had.
  startScheduler(cfg, { catchUp: false });
  return scheduleViews(cfg);
}
