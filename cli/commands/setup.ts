// `keyward setup FLOW`: the wizard's engine on the command line. Without --apply it prints the plan
// (or an export of it); with --apply it runs the plan, printing each step, and rolls back on failure.
import { exportPlan } from "../../lib/setup/export";
import { buildPlan, PlanError, scannedRoles } from "../../lib/setup/plan";
import { startRun } from "../../lib/setup/run";
import { EXPORT_FORMATS, type ExportFormat, FLOWS, type Flow, type SetupPlan, setupRequestSchema } from "../../lib/setup/types.shared";
import type { Io } from "../main";

import { configWithAccount } from "./config";

export class SetupUsageError extends Error {}

export interface SetupArgs {
  flow?: string;
  name?: string;
  region?: string;
  account?: string;
  key?: string;
  alias?: string;
  role?: string;
  secret?: string;
  "json-key"?: string;
  existing?: string;
  "fix-secret"?: boolean;
  "update-key-policy"?: boolean;
  "no-rotation"?: boolean;
  format?: string;
  apply?: boolean;
  "keep-on-failure"?: boolean;
}

function planText(plan: SetupPlan): string {
  const lines = [`Plan ${plan.id.slice(0, 12)}: ${plan.flow} "${plan.request.name}" in ${plan.region} (account ${plan.account})`, ""];
  for (const [i, s] of plan.steps.entries()) {
    lines.push(`${String(i + 1).padStart(2)}. ${s.title}`);
    lines.push(`    ${s.service} ${s.operation} (needs ${s.permission})${s.rollback ? `; undo: ${s.rollback.operation}` : ""}`);
  }
  if (plan.lint.length) {
    lines.push("", "Checks:");
    for (const l of plan.lint) lines.push(`  ${l.level.toUpperCase().padEnd(7)} ${l.message} [${l.source}]`);
  }
  if (plan.notes.length) lines.push("", "To do by hand:", ...plan.notes.map((n) => `  ${n}`));
  lines.push("", `Permissions needed: ${plan.permissions.join(", ")}`);
  return lines.join("\n");
}

export async function runSetup(args: SetupArgs, io: Io): Promise<number> {
  if (!args.flow || !(FLOWS as readonly string[]).includes(args.flow)) throw new SetupUsageError(`setup takes a FLOW: ${FLOWS.join(", ")}`);
  const flow = args.flow as Flow;
  if (!args.name) throw new SetupUsageError("setup needs --name NAME");
  if (!args.region) throw new SetupUsageError("setup needs --region REGION");
  const format = (args.format ?? "text") as ExportFormat | "text";
  if (format !== "text" && !(EXPORT_FORMATS as readonly string[]).includes(format)) throw new SetupUsageError(`--format must be ${EXPORT_FORMATS.join(", ")}`);
  if (args.apply && format !== "text") throw new SetupUsageError("--apply prints each step's result; leave out --format");
  if (flow === "credential-provider" && args.key) throw new SetupUsageError("the credential-provider flow uses its secret's key; leave out --key");
  if ((args.secret === undefined) !== (args["json-key"] === undefined)) throw new SetupUsageError("--secret and --json-key go together");
  const keySpec = args.key ?? "new";
  const parsed = setupRequestSchema.safeParse({
    flow,
    name: args.name,
    region: args.region,
    account: args.account,
    ...(args.existing ? { mode: flow === "agent" ? "update" : "replace", existing: args.existing } : {}),
    ...(flow === "credential-provider"
      ? {}
      : {
          key:
            keySpec === "new" ? { mode: "new", alias: args.alias, rotation: !args["no-rotation"] } : { mode: "existing", arn: keySpec, updatePolicy: !!args["update-key-policy"] },
        }),
    role: args.role,
    ...(args.secret ? { secret: { arn: args.secret, jsonKey: args["json-key"] } } : {}),
    ...(args["fix-secret"] ? { fixSecret: { keyPolicy: true, resourcePolicy: true } } : {}),
  });
  if (!parsed.success) throw new SetupUsageError(parsed.error.issues.map((i) => `${i.path.join(".") || "request"}: ${i.message}`).join("\n"));
  const cfg = await configWithAccount(io, parsed.data.region ? [parsed.data.region] : []);
  if (!cfg) return 2;
  let plan: SetupPlan;
  try {
    plan = await buildPlan(cfg, parsed.data, { roles: scannedRoles(cfg) });
  } catch (e) {
    if (e instanceof PlanError) {
      io.err(e.message);
      return 2;
    }
    throw e;
  }
  if (!args.apply) {
    io.out(format === "text" ? planText(plan) : exportPlan(plan, format).body.trimEnd());
    return plan.blocked ? 1 : 0;
  }
  if (plan.blocked) {
    io.err(planText(plan));
    io.err("\nThe plan has errors; nothing was changed.");
    return 1;
  }
  io.out(planText(plan));
  io.out("");
  const seen = new Set<string>();
  const started = startRun(cfg, plan, {
    actor: `cli:${process.env.USER ?? "unknown"}`,
    onFailure: args["keep-on-failure"] ? "stop" : "rollback",
    onProgress: (_run, step) => {
      if (!step) return;
      const tag = `${step.id}:${step.status}:${step.rollback?.status ?? ""}`;
      if (seen.has(tag) || step.status === "running") return;
      seen.add(tag);
      const outputs = step.outputs ? ` ${Object.values(step.outputs).join(" ")}` : "";
      if (step.rollback) io.out(`  undo ${step.id}: ${step.rollback.status}${step.rollback.error ? ` (${step.rollback.error})` : ""}`);
      else io.out(`  ${step.status === "done" ? "ok  " : step.status.toUpperCase().padEnd(4)} ${step.title}${outputs}${step.error ? `: ${step.error}` : ""}`);
    },
  });
  if (started.resumed) io.out(`Continuing run ${started.run.id} where it stopped.`);
  const run = await started.done;
  if (run.status === "done") {
    io.out(`\nDone (run ${run.id}).${run.resourceArn ? ` ${run.resourceArn}` : ""}`);
    return 0;
  }
  io.err(`\n${run.error ?? "The run failed."}`);
  if (run.status === "rolled-back") io.err("Rolled back: what this run created was undone.");
  if (run.status === "failed") io.err(`Stopped (--keep-on-failure); run the same command again to continue, or roll back in the console (run ${run.id}).`);
  if (run.pendingDeletion)
    io.err(
      `The key ${run.pendingDeletion.keyArn} is disabled and scheduled for deletion in ${run.pendingDeletion.windowDays} days; to keep it: aws kms cancel-key-deletion --key-id ${run.pendingDeletion.keyArn}`,
    );
  return 1;
}
