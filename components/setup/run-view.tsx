"use client";

import clsx from "clsx";
import { CheckCircle2, Circle, Loader2, Undo2, XCircle } from "lucide-react";
import Link from "next/link";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";

import { dangerButton, primaryButton, secondaryButton, Section } from "./ui";

import { SeverityBadge } from "@/components/posture/severity";
import { Badge } from "@/components/ui/badge";
import { ErrorPanel } from "@/components/ui/error-panel";
import type { RunStep, SetupRun } from "@/lib/setup/types.shared";
import { useMeQuery } from "@/queries/me";
import { useLatestScanQuery } from "@/queries/scans";
import { setupKeys, useApply, useCancelDeletion, useRollback, useRun } from "@/queries/setup";

const STATUS_TEXT: Record<SetupRun["status"], string> = {
  running: "Applying…",
  done: "Applied",
  failed: "Stopped at a failed step",
  "rolling-back": "Rolling back…",
  "rolled-back": "Rolled back",
  "rollback-failed": "Rollback incomplete",
};

function StepIcon({ s }: { s: RunStep }) {
  if (s.status === "running") return <Loader2 aria-hidden className="text-brand-600 dark:text-brand-400 h-4 w-4 animate-spin" />;
  if (s.status === "done") return <CheckCircle2 aria-hidden className="h-4 w-4 text-emerald-600" />;
  if (s.status === "failed" || s.status === "rollback-failed") return <XCircle aria-hidden className="h-4 w-4 text-red-600" />;
  if (s.status === "rolled-back") return <Undo2 aria-hidden className="h-4 w-4 text-slate-500" />;
  return <Circle aria-hidden className="h-4 w-4 text-slate-300" />;
}

export function RunView({ runId, onNew, onResume }: { runId: string; onNew: () => void; onResume: (id: string) => void }) {
  const q = useRun(runId);
  const me = useMeQuery();
  const rollback = useRollback();
  const apply = useApply();
  const cancel = useCancelDeletion();
  const [enableAgain, setEnableAgain] = useState(false);
  const qc = useQueryClient();
  const status = q.data?.run.status;
  // The recent-runs list follows the run's status.
  useEffect(() => {
    if (status) void qc.invalidateQueries({ queryKey: setupKeys.runs() });
  }, [status, qc]);
  const canApply = !!me.data?.permissions.applyChanges;
  if (q.error) return <ErrorPanel source={`Setup run ${runId}`} message={(q.error as Error).message} />;
  if (!q.data) return <p className="text-sm text-slate-500">Loading the run…</p>;
  const { run, plan } = q.data;
  const keyArn = run.steps.find((s) => s.outputs?.keyArn)?.outputs?.keyArn ?? (plan.request.key?.mode === "existing" ? plan.request.key.arn : undefined);
  const tone = run.status === "done" ? "ok" : run.status === "running" || run.status === "rolling-back" ? "brand" : run.status === "rolled-back" ? "warn" : "bad";
  return (
    <div className="space-y-6">
      <Section
        title={`${plan.flow} “${plan.request.name}” in ${plan.region}`}
        description={
          <>
            Run {run.id} of plan {plan.id.slice(0, 12)}, started {new Date(run.startedAt).toLocaleString()} by {run.actor}.
          </>
        }
        actions={
          <Badge tone={tone}>
            <span data-testid="run-status" data-status={run.status}>
              {STATUS_TEXT[run.status]}
            </span>
          </Badge>
        }
      >
        <ol className="space-y-1.5" aria-live="polite" data-testid="run-steps">
          {run.steps.map((s) => (
            <li key={s.id} data-status={s.status} className="flex items-start gap-2 text-sm">
              <span className="mt-0.5">
                <StepIcon s={s} />
              </span>
              <span className="min-w-0">
                <span className={clsx(s.status === "rolled-back" && "line-through decoration-slate-400")}>{s.title}</span>
                <span className="sr-only"> ({s.status})</span>
                {s.outputs ? <span className="block font-mono text-xs break-all text-slate-500">{Object.values(s.outputs).join(" · ")}</span> : null}
                {s.error ? <span className="block text-xs text-red-700 dark:text-red-400">{s.error}</span> : null}
                {s.rollback ? (
                  <span className={clsx("block text-xs", s.rollback.status === "done" ? "text-slate-500" : "text-red-700")}>
                    Undo {s.rollback.status === "done" ? "done" : `failed: ${s.rollback.error ?? ""}`}
                  </span>
                ) : null}
              </span>
            </li>
          ))}
        </ol>
        {run.error && run.status !== "done" ? <p className="mt-3 text-sm text-red-800 dark:text-red-300">{run.error}</p> : null}
        <div className="mt-4 flex flex-wrap gap-2">
          {run.status === "failed" && canApply ? (
            <>
              <button
                type="button"
                className={primaryButton}
                disabled={apply.isPending}
                onClick={() => apply.mutate({ request: plan.request, planId: plan.id, onFailure: "rollback" }, { onSuccess: (r) => onResume(r.run.id) })}
              >
                Continue from the failed step
              </button>
              <button type="button" className={dangerButton} disabled={rollback.isPending} onClick={() => rollback.mutate(run.id)}>
                Roll back what this run created
              </button>
            </>
          ) : null}
          <button type="button" className={secondaryButton} onClick={onNew}>
            Set up something else
          </button>
        </div>
        {apply.error ? <p className="mt-2 text-sm text-red-700">{(apply.error as Error).message}</p> : null}
        {rollback.error ? <p className="mt-2 text-sm text-red-700">{(rollback.error as Error).message}</p> : null}
      </Section>

      {run.pendingDeletion ? (
        <Section
          title="The key this run created is scheduled for deletion"
          description={
            <>
              The rollback disabled <code className="break-all">{run.pendingDeletion.keyArn}</code> and scheduled its deletion
              {run.pendingDeletion.deletionDate ? ` on ${new Date(run.pendingDeletion.deletionDate).toLocaleDateString()}` : ""} ({run.pendingDeletion.windowDays}-day waiting
              period). Until then the deletion can be cancelled: nothing was encrypted with the key by this run, but cancel it if anything else started to use it. A deleted key
              cannot be recovered.
            </>
          }
        >
          {canApply ? (
            <div className="flex flex-wrap items-center gap-4">
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" checked={enableAgain} onChange={(e) => setEnableAgain(e.target.checked)} /> Enable the key again too
              </label>
              <button
                type="button"
                className={secondaryButton}
                disabled={cancel.isPending || cancel.isSuccess}
                onClick={() => cancel.mutate({ keyArn: run.pendingDeletion!.keyArn, enable: enableAgain })}
              >
                Cancel key deletion
              </button>
              {cancel.data ? (
                <span role="status" className="text-sm text-emerald-700">
                  Deletion cancelled; the key is {cancel.data.state}.
                </span>
              ) : null}
              {cancel.error ? <span className="text-sm text-red-700">{(cancel.error as Error).message}</span> : null}
            </div>
          ) : (
            <p className="text-sm">An operator can cancel the deletion.</p>
          )}
        </Section>
      ) : null}

      {run.status === "done" ? <Check run={run} keyArn={keyArn} /> : null}
    </div>
  );
}

/** After apply: the new resource's posture from the scan that followed, and its timeline. */
function Check({ run, keyArn }: { run: SetupRun; keyArn?: string }) {
  const scan = useLatestScanQuery();
  const last = scan.data?.last;
  const fresh = !!last && !!run.finishedAt && Date.parse(last.scannedAt) >= Date.parse(run.finishedAt) - 1000 && !scan.data?.running;
  const resource = fresh ? last.resources.find((r) => r.arn === run.resourceArn) : undefined;
  const findings = useMemo(() => (fresh && last ? last.findings.filter((f) => f.resourceArn === run.resourceArn && !f.suppressed) : []), [fresh, last, run.resourceArn]);
  return (
    <Section title="Check" description="The resource as the scan after the apply sees it. Expected: no findings.">
      {!fresh ? (
        <p className="flex items-center gap-2 text-sm text-slate-600" role="status">
          <Loader2 aria-hidden className="h-4 w-4 animate-spin" /> Scanning the new resource…
        </p>
      ) : !resource ? (
        <p className="text-sm text-amber-800">The scan did not list {run.resourceArn}. It may not be visible yet; rescan from the Overview.</p>
      ) : (
        <div className="space-y-3" data-testid="check">
          {findings.length === 0 ? (
            <p className="flex items-center gap-2 text-sm font-medium text-emerald-700 dark:text-emerald-400" data-testid="check-ok">
              <CheckCircle2 aria-hidden className="h-4 w-4" /> No findings: the resource is encrypted with the key and its policy matches the template.
            </p>
          ) : (
            <ul className="space-y-1" data-testid="check-findings">
              {findings.map((f) => (
                <li key={`${f.ruleId}-${f.keyArn ?? ""}`} className="flex items-center gap-2 text-sm">
                  <SeverityBadge severity={f.severity} /> <span className="font-mono text-xs">{f.ruleId}</span> {f.title}
                </li>
              ))}
            </ul>
          )}
          <p className="flex flex-wrap gap-4 text-sm">
            <Link className="text-brand-600 dark:text-brand-400 underline" href={`/resources/detail?arn=${encodeURIComponent(resource.arn)}`}>
              Resource details
            </Link>
            {keyArn ? (
              <Link className="text-brand-600 dark:text-brand-400 underline" href={`/timeline?key=${encodeURIComponent(keyArn)}`}>
                Key timeline (CreateKey, PutKeyPolicy, Create… after the next sync)
              </Link>
            ) : null}
          </p>
        </div>
      )}
    </Section>
  );
}
