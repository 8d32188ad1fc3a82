"use client";

// The setup wizard: Resource → Key → Policy → Review → Apply (→ Check). The step and a run are in the
// URL (deep links, back button); the draft is kept in localStorage so nothing typed is lost.
import clsx from "clsx";
import { RotateCcw } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";

import { clearDraft, type Draft, draftErrors, EMPTY_DRAFT, loadDraft, saveDraft } from "./draft";
import { KeyStep } from "./key-step";
import { PolicyStep } from "./policy-step";
import { ResourceStep } from "./resource-step";
import { ReviewStep } from "./review-step";
import { RunView } from "./run-view";
import { useDebounced } from "./use-debounced";

import { useSetupOptions } from "@/queries/setup";

export const STEPS = [
  { id: "resource", label: "Resource" },
  { id: "key", label: "Key" },
  { id: "policy", label: "Policy" },
  { id: "review", label: "Review" },
  { id: "apply", label: "Apply" },
] as const;
export type StepId = (typeof STEPS)[number]["id"];

/** Which draft fields each step owns: a step is complete when none of them has an error. */
const STEP_FIELDS: Record<StepId, string[]> = {
  resource: ["flow", "name", "region", "mode", "existing", "role", "secret", "description", "account"],
  key: ["key"],
  policy: ["policy"],
  review: [],
  apply: [],
};

export function Wizard() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const step = (STEPS.find((s) => s.id === params.get("step"))?.id ?? "resource") as StepId;
  const runId = params.get("run") ?? undefined;
  const [draft, setDraftState] = useState<Draft>(EMPTY_DRAFT);
  const [loaded, setLoaded] = useState(false);
  const restored = useRef(false);

  // The saved draft is restored once, after hydration (localStorage exists only in the browser).
  useEffect(() => {
    if (restored.current) return;
    restored.current = true;
    const saved = loadDraft();
    const flow = params.get("flow");
    setDraftState((d) => ({ ...d, ...(saved ?? {}), ...(flow && !saved ? { flow: flow as Draft["flow"] } : {}) }));
    setLoaded(true);
  }, [params]);

  const setDraft = useCallback((patch: Partial<Draft>) => {
    setDraftState((d) => {
      const next = { ...d, ...patch };
      saveDraft(next);
      return next;
    });
  }, []);

  // The key list depends on the role: asked again once typing pauses on a role ARN, not per keystroke.
  const role = useDebounced(draft.role.trim(), 400);
  const roleForOptions = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(role) ? role : undefined;
  const options = useSetupOptions(draft.flow, draft.region, roleForOptions);
  // The first configured region until the user picks one.
  useEffect(() => {
    const first = options.data?.accounts[0]?.regions[0];
    if (loaded && !draft.region && first) setDraft({ region: first });
  }, [loaded, draft.region, options.data, setDraft]);

  const errors = useMemo(() => draftErrors(draft), [draft]);
  const stepOk = (id: StepId) => !STEP_FIELDS[id].some((f) => errors[f]);
  const reachable = (id: StepId) =>
    STEPS.slice(
      0,
      STEPS.findIndex((s) => s.id === id),
    ).every((s) => stepOk(s.id));

  const go = (id: StepId, extra: Record<string, string | undefined> = {}) => {
    const q = new URLSearchParams(params.toString());
    q.set("step", id);
    for (const [k, v] of Object.entries(extra)) {
      if (v === undefined) q.delete(k);
      else q.set(k, v);
    }
    router.push(`${pathname}?${q.toString()}`);
  };

  if (runId) return <RunView runId={runId} onNew={() => go("resource", { run: undefined })} onResume={(id) => go("apply", { run: id })} />;

  return (
    <div className="space-y-6">
      <nav aria-label="Wizard steps" className="rounded-xl border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900">
        <ol className="flex flex-wrap items-center gap-2">
          {STEPS.map((s, i) => {
            const current = s.id === step;
            const can = reachable(s.id);
            return (
              <li key={s.id} className="flex items-center gap-2">
                {i > 0 ? (
                  <span aria-hidden className="text-slate-300 dark:text-slate-600">
                    →
                  </span>
                ) : null}
                <button
                  type="button"
                  aria-current={current ? "step" : undefined}
                  disabled={!can}
                  onClick={() => go(s.id)}
                  className={clsx(
                    "rounded-md px-3 py-1.5 text-sm font-medium disabled:cursor-not-allowed disabled:opacity-40",
                    current ? "bg-brand-600 text-white" : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800",
                  )}
                >
                  {i + 1}. {s.label}
                  {!current && can && stepOk(s.id) && i < STEPS.findIndex((x) => x.id === step) ? <span className="sr-only"> (complete)</span> : null}
                </button>
              </li>
            );
          })}
          <li className="ml-auto">
            <button
              type="button"
              onClick={() => {
                clearDraft();
                setDraftState({ ...EMPTY_DRAFT, region: options.data?.accounts[0]?.regions[0] ?? "" });
                go("resource");
              }}
              className="inline-flex items-center gap-1 rounded-md px-2 py-1 text-xs text-slate-600 hover:bg-slate-100 dark:text-slate-400 dark:hover:bg-slate-800"
            >
              <RotateCcw aria-hidden className="h-3.5 w-3.5" /> Start over
            </button>
          </li>
        </ol>
      </nav>

      {step === "resource" ? <ResourceStep draft={draft} setDraft={setDraft} errors={errors} options={options} onNext={() => go("key")} /> : null}
      {step === "key" ? <KeyStep draft={draft} setDraft={setDraft} errors={errors} options={options} onBack={() => go("resource")} onNext={() => go("policy")} /> : null}
      {step === "policy" ? <PolicyStep draft={draft} setDraft={setDraft} onBack={() => go("key")} onNext={() => go("review")} /> : null}
      {step === "review" || step === "apply" ? (
        <ReviewStep draft={draft} mode={step} onBack={() => go(step === "apply" ? "review" : "policy")} onNext={() => go("apply")} onStarted={(id) => go("apply", { run: id })} />
      ) : null}
      {!reachable(step) ? (
        <p role="status" className="text-sm text-amber-800 dark:text-amber-300">
          An earlier step is not complete: <Link href="?step=resource">go back to the first step</Link>.
        </p>
      ) : null}
    </div>
  );
}
