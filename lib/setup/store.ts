import "server-only";

// Setup runs in SQLite (`setup_runs`): each run with the plan it runs, its state kept step by step.
import { db } from "../store/db";

import type { SetupPlan, SetupRun } from "./types.shared";

interface Row {
  id: string;
  plan_id: string;
  attempt: number;
  status: string;
  plan: string;
  state: string;
}

const parse = (row: Row) => ({ run: JSON.parse(row.state) as SetupRun, plan: JSON.parse(row.plan) as SetupPlan, attempt: row.attempt });

export function insertRun(dataDir: string, run: SetupRun, plan: SetupPlan, attempt: number): void {
  db(dataDir)
    .prepare("INSERT INTO setup_runs (id, plan_id, attempt, status, actor, started_at, plan, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
    .run(run.id, run.planId, attempt, run.status, run.actor, run.startedAt, JSON.stringify(plan), JSON.stringify(run));
}

export function saveRun(dataDir: string, run: SetupRun): void {
  db(dataDir).prepare("UPDATE setup_runs SET status = ?, state = ? WHERE id = ?").run(run.status, JSON.stringify(run), run.id);
}

export function getRun(dataDir: string, id: string): { run: SetupRun; plan: SetupPlan } | undefined {
  const row = db(dataDir).prepare("SELECT * FROM setup_runs WHERE id = ?").get(id) as Row | undefined;
  return row ? parse(row) : undefined;
}

export function latestRunOf(dataDir: string, planId: string): { run: SetupRun; plan: SetupPlan; attempt: number } | undefined {
  const row = db(dataDir).prepare("SELECT * FROM setup_runs WHERE plan_id = ? ORDER BY attempt DESC LIMIT 1").get(planId) as Row | undefined;
  return row ? parse(row) : undefined;
}

export function listRuns(dataDir: string, limit = 50): SetupRun[] {
  return (db(dataDir).prepare("SELECT state FROM setup_runs ORDER BY started_at DESC LIMIT ?").all(limit) as { state: string }[]).map((r) => JSON.parse(r.state) as SetupRun);
}

/** A run that stopped part-way (a failure, or an interrupted process) and was not rolled back: applying continues it. */
export function isResumable(run: SetupRun): boolean {
  return (run.status === "failed" || run.status === "running") && !run.steps.some((s) => s.rollback);
}
