import "server-only";

// Runs a setup plan step by step with the SDK clients, keeping each step's state in SQLite so a
// re-run continues where the last one stopped (and AWS sees the same client tokens), and undoes what
// the run created, newest first, when a step fails: a key it created is disabled and scheduled for
// deletion. Every apply and rollback is written to the audit log with each call's result.
import * as bedrock from "@aws-sdk/client-bedrock";
import * as bedrockAgent from "@aws-sdk/client-bedrock-agent";
import * as agentCore from "@aws-sdk/client-bedrock-agentcore";
import * as agentCoreControl from "@aws-sdk/client-bedrock-agentcore-control";
import * as kms from "@aws-sdk/client-kms";
import { CancelKeyDeletionCommand, DescribeKeyCommand, DisableKeyCommand, EnableKeyCommand, GetKeyPolicyCommand, ScheduleKeyDeletionCommand } from "@aws-sdk/client-kms";
import * as secrets from "@aws-sdk/client-secrets-manager";

import { audit } from "../auth/audit";
import type { KeywardConfigData } from "../config/schema";
import { policyHash } from "../policy/review";
import { type AwsClients, clientsFor, describeAwsError } from "../server/aws/clients";

import { targetFor, withTokens } from "./plan";
import { getRun, insertRun, isResumable, latestRunOf, saveRun } from "./store";
import type { PlanCall, PlanStep, RunStep, SetupPlan, SetupRun } from "./types.shared";

type Sendable = { send(command: unknown): Promise<unknown> };
const MODULES: Record<PlanCall["service"], Record<string, unknown>> = {
  kms,
  bedrock,
  "bedrock-agent": bedrockAgent,
  "bedrock-agentcore-control": agentCoreControl,
  "bedrock-agentcore": agentCore,
  secretsmanager: secrets,
};

function clientOf(c: AwsClients, service: PlanCall["service"]): Sendable {
  const map: Record<PlanCall["service"], Sendable> = {
    kms: c.kms,
    bedrock: c.bedrock,
    "bedrock-agent": c.bedrockAgent,
    "bedrock-agentcore-control": c.agentCoreControl,
    "bedrock-agentcore": c.agentCore,
    secretsmanager: c.secrets,
  };
  return map[service];
}

/** Sends one plan call through the SDK client of its service. */
export async function sendCall(c: AwsClients, call: PlanCall, params: Record<string, unknown>): Promise<Record<string, unknown>> {
  const Command = MODULES[call.service][`${call.operation}Command`] as (new (input: unknown) => unknown) | undefined;
  if (!Command) throw new Error(`No ${call.operation} in the ${call.service} client.`);
  return (await clientOf(c, call.service).send(new Command(params))) as Record<string, unknown>;
}

const REF = /\{\{([a-z-]+)\.([a-zA-Z]+)\}\}/g;

/** Replaces `{{step.output}}` with the outputs recorded so far; throws when one is missing. */
export function resolveRefs<T>(value: T, outputs: Record<string, Record<string, string>>): T {
  const text = JSON.stringify(value).replace(REF, (whole, step: string, name: string) => {
    const v = outputs[step]?.[name];
    if (v === undefined) throw new Error(`The output ${step}.${name} is not known (its step has not run).`);
    return JSON.stringify(v).slice(1, -1);
  });
  return JSON.parse(text) as T;
}

function pick(obj: unknown, path: string): string | undefined {
  let cur: unknown = obj;
  for (const p of path.split(".")) cur = cur && typeof cur === "object" ? (cur as Record<string, unknown>)[p] : undefined;
  return typeof cur === "string" ? cur : undefined;
}

// ------------------------------------------------------------------ apply

export class RunConflict extends Error {}

// Runs going on in this process: a "running" run not listed here was interrupted (the process
// stopped) and is continued like a failed one.
const active = ((globalThis as { __keywardSetupRuns?: Set<string> }).__keywardSetupRuns ??= new Set<string>());

export interface ApplyOptions {
  actor: string;
  onFailure: "rollback" | "stop";
  onProgress?: (run: SetupRun, step?: RunStep) => void;
}

/**
 * Starts or continues the plan's run. The same plan continues its last run unless that run was rolled
 * back (then a new attempt, with new client tokens, starts) or finished (returned as is).
 * Returns the run record at once; `done` settles when the run stops.
 */
export function startRun(cfg: KeywardConfigData, plan: SetupPlan, opts: ApplyOptions): { run: SetupRun; done: Promise<SetupRun>; resumed: boolean } {
  const last = latestRunOf(cfg.dataDir, plan.id);
  if ((last?.run.status === "running" || last?.run.status === "rolling-back") && active.has(last.run.id))
    throw new RunConflict(`This plan is already running (run ${last.run.id}).`);
  if (last?.run.status === "done") return { run: last.run, done: Promise.resolve(last.run), resumed: false };
  const resume = last && isResumable(last.run);
  let run: SetupRun;
  let stored: SetupPlan;
  if (resume) {
    stored = last.plan;
    run = { ...last.run, status: "running", error: undefined, finishedAt: undefined, actor: opts.actor };
    for (const s of run.steps) if (s.status === "failed" || s.status === "running") s.status = "pending";
  } else {
    const attempt = (last?.attempt ?? 0) + 1;
    stored = { ...plan, steps: withTokens(plan.steps, plan.id, attempt) };
    run = {
      id: `${plan.id.slice(0, 12)}-${attempt}`,
      planId: plan.id,
      flow: plan.flow,
      actor: opts.actor,
      status: "running",
      startedAt: new Date().toISOString(),
      steps: stored.steps.map((s) => ({ id: s.id, title: s.title, status: "pending" })),
    };
    insertRun(cfg.dataDir, run, stored, attempt);
  }
  saveRun(cfg.dataDir, run);
  active.add(run.id);
  const done = execute(cfg, stored, run, opts).finally(() => active.delete(run.id));
  return { run: structuredClone(run), done, resumed: !!resume };
}

function outputsOf(run: SetupRun): Record<string, Record<string, string>> {
  return Object.fromEntries(run.steps.filter((s) => s.outputs).map((s) => [s.id, s.outputs!]));
}

function summary(run: SetupRun): string {
  return run.steps
    .map(
      (s) =>
        `${s.id} ${s.status}${s.error ? ` (${s.error.slice(0, 120)})` : ""}${s.rollback ? ` / undo ${s.rollback.status}${s.rollback.error ? ` (${s.rollback.error.slice(0, 80)})` : ""}` : ""}`,
    )
    .join("; ");
}

async function execute(cfg: KeywardConfigData, plan: SetupPlan, run: SetupRun, opts: ApplyOptions): Promise<SetupRun> {
  const c = clientsFor(targetFor(cfg, plan.account, plan.region));
  for (const [i, step] of plan.steps.entries()) {
    const rs = run.steps[i];
    if (rs.status === "done") continue;
    rs.status = "running";
    rs.at = new Date().toISOString();
    saveRun(cfg.dataDir, run);
    opts.onProgress?.(run, rs);
    try {
      const params = resolveRefs(step.params, outputsOf(run));
      if (step.expect && step.operation === "PutKeyPolicy") {
        const live = (await c.kms.send(new GetKeyPolicyCommand({ KeyId: String(params.KeyId), PolicyName: "default" }))).Policy;
        if (policyHash(live) !== step.expect.basedOn) throw new Error("The key's policy changed since the plan was made; build the plan again and review it.");
      }
      const out = await sendCall(c, step, params);
      if (step.outputs) rs.outputs = Object.fromEntries(Object.entries(step.outputs).flatMap(([k, path]) => (pick(out, path) !== undefined ? [[k, pick(out, path)!]] : [])));
      rs.status = "done";
      rs.error = undefined;
    } catch (e) {
      const d = describeAwsError(e);
      rs.status = "failed";
      rs.error = e instanceof Error && !("$metadata" in e) ? e.message : `${d.code}: ${d.message}`;
      run.status = "failed";
      run.error = `${step.title}: ${rs.error}`;
      saveRun(cfg.dataDir, run);
      opts.onProgress?.(run, rs);
      audit(cfg.dataDir, {
        actor: opts.actor,
        action: "apply",
        outcome: "failure",
        detail: `setup ${plan.flow} ${plan.request.name} plan ${plan.id.slice(0, 12)} run ${run.id}: ${summary(run)}`,
      });
      if (opts.onFailure === "rollback") return rollbackRun(cfg, plan, run, opts.actor, opts.onProgress);
      run.finishedAt = new Date().toISOString();
      saveRun(cfg.dataDir, run);
      return run;
    }
    saveRun(cfg.dataDir, run);
    opts.onProgress?.(run, rs);
  }
  run.status = "done";
  run.finishedAt = new Date().toISOString();
  run.resourceArn = resolveRefsSafe(plan.resource.arn, outputsOf(run));
  saveRun(cfg.dataDir, run);
  opts.onProgress?.(run);
  audit(cfg.dataDir, {
    actor: opts.actor,
    action: "apply",
    outcome: "success",
    detail: `setup ${plan.flow} ${plan.request.name} plan ${plan.id.slice(0, 12)} run ${run.id}: ${summary(run)}`,
  });
  return run;
}

function resolveRefsSafe(text: string, outputs: Record<string, Record<string, string>>): string | undefined {
  try {
    return resolveRefs(text, outputs);
  } catch {
    return undefined;
  }
}

/** Undoes, newest first, every step of the run that completed and has an undo. */
export async function rollbackRun(cfg: KeywardConfigData, plan: SetupPlan, run: SetupRun, actor: string, onProgress?: ApplyOptions["onProgress"]): Promise<SetupRun> {
  const c = clientsFor(targetFor(cfg, plan.account, plan.region));
  run.status = "rolling-back";
  saveRun(cfg.dataDir, run);
  onProgress?.(run);
  const outputs = outputsOf(run);
  let failed = false;
  for (let i = plan.steps.length - 1; i >= 0; i--) {
    const step: PlanStep = plan.steps[i];
    const rs = run.steps[i];
    if (rs.status !== "done" || !step.rollback || rs.rollback?.status === "done") continue;
    try {
      const params = resolveRefs(step.rollback.params, outputs);
      if (step.operation === "CreateKey") {
        const keyArn = String(params.KeyId);
        await c.kms.send(new DisableKeyCommand({ KeyId: keyArn }));
        const r = await c.kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyArn, PendingWindowInDays: Number(params.PendingWindowInDays) }));
        run.pendingDeletion = { keyArn, deletionDate: r.DeletionDate?.toISOString(), windowDays: Number(params.PendingWindowInDays) };
      } else {
        await sendCall(c, step.rollback, params);
      }
      rs.rollback = { status: "done", at: new Date().toISOString() };
      rs.status = "rolled-back";
    } catch (e) {
      const d = describeAwsError(e);
      failed = true;
      rs.rollback = { status: "failed", error: `${d.code}: ${d.message}`, at: new Date().toISOString() };
      rs.status = "rollback-failed";
    }
    saveRun(cfg.dataDir, run);
    onProgress?.(run, rs);
  }
  run.status = failed ? "rollback-failed" : "rolled-back";
  run.finishedAt = new Date().toISOString();
  saveRun(cfg.dataDir, run);
  onProgress?.(run);
  audit(cfg.dataDir, {
    actor,
    action: "rollback",
    outcome: failed ? "failure" : "success",
    detail: `setup ${plan.flow} ${plan.request.name} plan ${plan.id.slice(0, 12)} run ${run.id}: ${summary(run)}`,
  });
  return run;
}

/** Rolls back a stopped run on request (the console's Roll back button, `keyward setup --rollback`). */
export async function rollbackById(cfg: KeywardConfigData, id: string, actor: string): Promise<SetupRun> {
  const found = getRun(cfg.dataDir, id);
  if (!found) throw new RunConflict(`No setup run ${id}.`);
  if (found.run.status === "running" || found.run.status === "rolling-back") throw new RunConflict("The run is still going; wait for it to stop.");
  if (found.run.status === "rolled-back") return found.run;
  return rollbackRun(cfg, found.plan, found.run, actor);
}

/** Cancels the scheduled deletion of a key a rollback scheduled; optionally enables it again. */
export async function cancelKeyDeletion(cfg: KeywardConfigData, keyArn: string, enable: boolean, actor: string): Promise<{ keyArn: string; state: string }> {
  const [, , , region, account] = keyArn.split(":");
  const c = clientsFor(targetFor(cfg, account, region));
  try {
    await c.kms.send(new CancelKeyDeletionCommand({ KeyId: keyArn }));
    if (enable) await c.kms.send(new EnableKeyCommand({ KeyId: keyArn }));
  } catch (e) {
    const d = describeAwsError(e);
    audit(cfg.dataDir, { actor, action: "cancel-key-deletion", outcome: "failure", detail: `${keyArn}: ${d.code}: ${d.message}` });
    throw e;
  }
  const state = (await c.kms.send(new DescribeKeyCommand({ KeyId: keyArn }))).KeyMetadata?.KeyState ?? "Unknown";
  audit(cfg.dataDir, {
    actor,
    action: "cancel-key-deletion",
    outcome: "success",
    detail: `${keyArn}: deletion cancelled${enable ? ", key enabled" : " (the key stays disabled)"}`,
  });
  return { keyArn, state };
}
