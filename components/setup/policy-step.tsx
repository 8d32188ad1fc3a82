"use client";

import { useMemo } from "react";

import { type Draft, toRequest } from "./draft";
import { JsonEditor } from "./json-editor";
import { useDebounced } from "./use-debounced";
import { LintList, secondaryButton, Section, StepButtons } from "./ui";

import { MergeJson } from "@/components/policy/merge-view";
import { ErrorPanel } from "@/components/ui/error-panel";
import { usePlan } from "@/queries/setup";

export function PolicyStep({ draft, setDraft, onBack, onNext }: { draft: Draft; setDraft: (p: Partial<Draft>) => void; onBack: () => void; onNext: () => void }) {
  const debounced = useDebounced(draft, 400);
  const request = useMemo(() => toRequest(debounced), [debounced]);
  const plan = usePlan(request);
  const p = plan.data;
  const editable = draft.flow === "credential-provider" ? draft.fixKeyPolicy && !!p?.generatedPolicy : draft.keyMode === "new" || draft.updatePolicy;
  const text = draft.policy ?? p?.policy ?? "";
  const stale = plan.isFetching || debounced !== draft;
  const errors = p?.lint.filter((l) => l.level === "error") ?? [];
  const serviceBlocked = errors.some((e) => /could not use the key/.test(e.message));
  return (
    <div className="space-y-6">
      {plan.error ? <ErrorPanel source="Plan" message={(plan.error as Error).message} /> : null}
      <Section
        title={draft.flow === "credential-provider" ? "Secret access" : "Key policy"}
        description={
          p ? (
            <>
              Generated from {p.templates.map((t) => `${t.title} (${t.source})`).join("; ")}
              {draft.keyMode === "new" && draft.flow !== "agent" && draft.flow !== "credential-provider"
                ? ", after the account root's administration statement a new key needs (the AWS KMS default)."
                : "."}{" "}
              {draft.flow === "agent" ? "The agent's id is filled in once the agent exists." : null}
            </>
          ) : (
            "Loading the plan…"
          )
        }
        actions={
          editable && draft.policy !== undefined ? (
            <button type="button" className={secondaryButton} onClick={() => setDraft({ policy: undefined })}>
              Reset to the template
            </button>
          ) : null
        }
      >
        {p?.policy !== undefined || draft.policy !== undefined ? (
          <div className="space-y-3">
            {!editable ? <p className="text-sm text-slate-600 dark:text-slate-400">The key&apos;s current policy (the plan does not change it):</p> : null}
            <JsonEditor value={text} readOnly={!editable} label="Key policy" onChange={(v) => setDraft({ policy: v })} />
            {editable && draft.policy !== undefined && p?.generatedPolicy && draft.policy !== p.generatedPolicy ? (
              <details>
                <summary className="cursor-pointer text-sm text-slate-700 dark:text-slate-300">Compare with the generated policy</summary>
                <div className="mt-2">
                  <MergeJson left={p.generatedPolicy} right={draft.policy} leftLabel="Generated from the template" rightLabel="As edited" />
                </div>
              </details>
            ) : null}
          </div>
        ) : p && draft.flow === "credential-provider" ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">No key policy to write: see the checks below.</p>
        ) : null}
        <div className="mt-4" aria-live="polite">
          <h3 className="mb-2 text-sm font-semibold">Checks {stale ? <span className="ml-2 text-xs font-normal text-slate-500">checking…</span> : null}</h3>
          {p ? <LintList items={p.lint} /> : <p className="text-sm text-slate-500">Checking…</p>}
        </div>
      </Section>
      <StepButtons
        onBack={onBack}
        onNext={onNext}
        nextDisabled={!p || stale || p.blocked}
        why={
          !p || stale
            ? "Checking the policy…"
            : p.blocked
              ? serviceBlocked
                ? "The service could not use the key with this policy: fix it before going on."
                : "Fix the errors above before going on."
              : undefined
        }
      />
    </div>
  );
}
