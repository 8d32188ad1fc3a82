"use client";

import { Download, Play } from "lucide-react";
import { useEffect, useMemo, useRef, useState } from "react";

import { type Draft, toRequest } from "./draft";
import { LintList, primaryButton, secondaryButton, Section, StepButtons } from "./ui";

import { ErrorPanel } from "@/components/ui/error-panel";
import { EXPORT_FORMATS, type ExportFormat } from "@/lib/setup/types.shared";
import { useMeQuery } from "@/queries/me";
import { downloadExport, exportText, useApply, usePlan } from "@/queries/setup";

const FORMAT_LABELS: Record<ExportFormat, string> = { json: "Plan (JSON)", cloudformation: "CloudFormation (YAML)", terraform: "Terraform (HCL)", cli: "AWS CLI script" };

function iamPolicy(actions: string[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "KeywardSetupPlan", Effect: "Allow", Action: actions, Resource: "*" }] }, null, 2);
}

export function ReviewStep({
  draft,
  mode,
  onBack,
  onNext,
  onStarted,
}: {
  draft: Draft;
  mode: "review" | "apply";
  onBack: () => void;
  onNext: () => void;
  onStarted: (runId: string) => void;
}) {
  const request = useMemo(() => toRequest(draft), [draft]);
  const plan = usePlan(request);
  const me = useMeQuery();
  const apply = useApply();
  const [preview, setPreview] = useState<{ format: ExportFormat; text: string } | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  const [autoRollback, setAutoRollback] = useState(true);
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  // Keyboard users land on the confirmation button when it appears.
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);
  const p = plan.data;
  const canApply = !!me.data?.permissions.applyChanges;

  if (plan.error) return <ErrorPanel source="Plan" message={(plan.error as Error).message} />;
  if (!p) return <p className="text-sm text-slate-500">Building the plan…</p>;

  return (
    <div className="space-y-6">
      {mode === "review" ? (
        <>
          <Section
            title={`Plan ${p.id.slice(0, 12)}: ${p.steps.length} call${p.steps.length === 1 ? "" : "s"} in ${p.region} (account ${p.account})`}
            description="Every AWS call, in order, with its parameters, the permission it needs and what undoes it if a later step fails."
          >
            <ol className="space-y-2" data-testid="plan-steps">
              {p.steps.map((s, i) => (
                <li key={s.id} className="rounded-lg border border-slate-200 p-3 dark:border-slate-800">
                  <div className="flex flex-wrap items-baseline justify-between gap-2">
                    <p className="font-medium">
                      {i + 1}. {s.title}
                    </p>
                    <code className="text-xs text-slate-600 dark:text-slate-400">
                      {s.service} {s.operation}
                    </code>
                  </div>
                  <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
                    Needs <code>{s.permission}</code>
                    {s.rollback ? (
                      <>
                        {" "}
                        · undo: {s.rollback.title} (<code>{s.rollback.operation}</code>)
                      </>
                    ) : null}
                    {s.iacGap ? <> · {s.iacGap}</> : null}
                  </p>
                  <details className="mt-2">
                    <summary className="cursor-pointer text-xs text-slate-700 dark:text-slate-300">Parameters</summary>
                    <pre className="mt-1 max-h-72 overflow-auto rounded bg-slate-50 p-2 text-xs dark:bg-slate-950">{JSON.stringify(s.params, null, 2)}</pre>
                  </details>
                </li>
              ))}
            </ol>
            {p.notes.length ? (
              <div className="mt-4 rounded-lg bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950/40 dark:text-amber-200">
                <p className="font-medium">To do by hand afterwards</p>
                <ul className="mt-1 list-inside space-y-1">
                  {p.notes.map((n) => (
                    <li key={n}>{n}</li>
                  ))}
                </ul>
              </div>
            ) : null}
          </Section>
          <Section title="Checks">
            <LintList items={p.lint} />
          </Section>
          <Section title="Permissions the operator needs" description="The IAM actions of every call and every undo, as a policy to attach to the role that applies the plan.">
            <pre className="max-h-64 overflow-auto rounded bg-slate-50 p-2 text-xs dark:bg-slate-950" data-testid="plan-permissions">
              {iamPolicy(p.permissions)}
            </pre>
          </Section>
          <Section
            title="Export"
            description="The same plan as infrastructure code or a script. Steps CloudFormation or Terraform cannot express are said so and carried as AWS CLI calls."
          >
            <div className="flex flex-wrap gap-2">
              {EXPORT_FORMATS.map((f) => (
                <span key={f} className="inline-flex overflow-hidden rounded-md">
                  <button
                    type="button"
                    className={secondaryButton}
                    onClick={() => {
                      setExportError(null);
                      exportText(request, f)
                        .then((text) => setPreview({ format: f, text }))
                        .catch((e: Error) => setExportError(e.message));
                    }}
                  >
                    {FORMAT_LABELS[f]}
                  </button>
                  <button
                    type="button"
                    className={secondaryButton}
                    aria-label={`Download ${FORMAT_LABELS[f]}`}
                    onClick={() => downloadExport(request, f).catch((e: Error) => setExportError(e.message))}
                  >
                    <Download aria-hidden className="h-4 w-4" />
                  </button>
                </span>
              ))}
            </div>
            {exportError ? <p className="mt-2 text-sm text-red-700">{exportError}</p> : null}
            {preview ? (
              <pre
                className="mt-3 max-h-96 overflow-auto rounded bg-slate-50 p-3 text-xs dark:bg-slate-950"
                aria-label={`${FORMAT_LABELS[preview.format]} preview`}
                data-testid="export-preview"
              >
                {preview.text}
              </pre>
            ) : null}
          </Section>
          <StepButtons onBack={onBack} onNext={onNext} nextLabel="Continue to Apply" nextDisabled={p.blocked} why={p.blocked ? "The plan has errors (see Checks)." : undefined} />
        </>
      ) : (
        <>
          <Section
            title="Apply"
            description={
              <>
                Runs the {p.steps.length} calls of plan {p.id.slice(0, 12)} in {p.region}, one after another, with live progress. Re-applying the same plan continues where it
                stopped (AWS sees the same client tokens).
              </>
            }
          >
            {!canApply ? (
              <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="apply-not-allowed">
                Your role ({me.data?.role ?? "…"}) cannot apply plans; an operator can. Export the plan from the Review step to hand it over.
              </p>
            ) : p.blocked ? (
              <LintList items={p.lint.filter((l) => l.level === "error")} />
            ) : (
              <div className="space-y-4">
                {p.resumeOf ? <p className="text-sm text-amber-800 dark:text-amber-300">Run {p.resumeOf} of this plan stopped part-way: applying continues it.</p> : null}
                <label className="flex items-center gap-2 text-sm">
                  <input type="checkbox" checked={autoRollback} onChange={(e) => setAutoRollback(e.target.checked)} /> If a step fails, undo what this run created (newest first; a
                  new key is disabled and scheduled for deletion)
                </label>
                {apply.error ? <ErrorPanel source="Apply" message={(apply.error as Error).message} /> : null}
                {!confirming ? (
                  <button type="button" className={primaryButton} onClick={() => setConfirming(true)}>
                    <Play aria-hidden className="h-4 w-4" /> Apply plan…
                  </button>
                ) : (
                  <div
                    role="alertdialog"
                    aria-label="Confirm apply"
                    className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm dark:border-amber-800 dark:bg-amber-950/40"
                  >
                    <p className="font-medium">
                      Make {p.steps.length} changes in account {p.account}, {p.region}?
                    </p>
                    <div className="mt-3 flex gap-2">
                      <button
                        type="button"
                        className={primaryButton}
                        ref={confirmRef}
                        disabled={apply.isPending}
                        onClick={() => apply.mutate({ request, planId: p.id, onFailure: autoRollback ? "rollback" : "stop" }, { onSuccess: (r) => onStarted(r.run.id) })}
                      >
                        {apply.isPending ? "Starting…" : "Apply now"}
                      </button>
                      <button type="button" className={secondaryButton} onClick={() => setConfirming(false)}>
                        Cancel
                      </button>
                    </div>
                  </div>
                )}
              </div>
            )}
          </Section>
          <StepButtons onBack={onBack} />
        </>
      )}
    </div>
  );
}
