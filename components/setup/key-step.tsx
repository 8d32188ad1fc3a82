"use client";

import type { UseQueryResult } from "@tanstack/react-query";
import clsx from "clsx";

import type { Draft } from "./draft";
import { Field, inputClass, Section, StepButtons } from "./ui";

import { ErrorPanel } from "@/components/ui/error-panel";
import type { SetupOptions } from "@/lib/setup/options";

export function KeyStep({
  draft,
  setDraft,
  errors,
  options,
  onBack,
  onNext,
}: {
  draft: Draft;
  setDraft: (p: Partial<Draft>) => void;
  errors: Record<string, string>;
  options: UseQueryResult<SetupOptions>;
  onBack: () => void;
  onNext: () => void;
}) {
  if (draft.flow === "credential-provider") {
    const secret = options.data?.secrets.find((s) => s.arn === draft.secretArn);
    return (
      <div className="space-y-6">
        <Section
          title="The secret's key"
          description="A credential provider reads its secret with the key the secret is encrypted with; the Policy step checks that key and the secret's resource policy."
        >
          <p className="text-sm">
            {secret?.keyArn ? (
              <>
                The secret is encrypted with <code className="break-all">{secret.keyArn}</code>.
              </>
            ) : (
              <>The secret is encrypted with the AWS managed key aws/secretsmanager: there is no key policy to change; the role&apos;s IAM permissions decide.</>
            )}
          </p>
        </Section>
        <StepButtons onBack={onBack} onNext={onNext} />
      </div>
    );
  }
  const keys = options.data?.keys ?? [];
  const chosen = keys.find((k) => k.arn === draft.existingKeyArn);
  return (
    <div className="space-y-6">
      {options.error ? <ErrorPanel source="Keys" message={(options.error as Error).message} /> : null}
      <Section title="Key" description={`A symmetric encryption key in ${draft.region}, the resource's region.`}>
        <fieldset className="mb-4 flex flex-wrap gap-6 text-sm">
          <legend className="sr-only">New or existing key</legend>
          <label className="flex items-center gap-2">
            <input type="radio" name="key-mode" checked={draft.keyMode === "new"} onChange={() => setDraft({ keyMode: "new", policy: undefined })} /> Create a new key
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name="key-mode" checked={draft.keyMode === "existing"} onChange={() => setDraft({ keyMode: "existing", policy: undefined })} /> Use an existing key
          </label>
        </fieldset>
        {draft.keyMode === "new" ? (
          <div className="grid gap-4 md:grid-cols-2">
            <Field id="alias" label="Alias (optional)" hint="alias/ followed by letters, digits, /, _ or -" error={errors.key && draft.alias ? errors.key : undefined}>
              <input
                id="alias"
                className={inputClass}
                value={draft.alias}
                placeholder={`alias/agents/${draft.name || "name"}`}
                onChange={(e) => setDraft({ alias: e.target.value })}
              />
            </Field>
            <Field id="key-description" label="Description (optional)">
              <input id="key-description" className={inputClass} value={draft.keyDescription} onChange={(e) => setDraft({ keyDescription: e.target.value })} />
            </Field>
            <Field id="tags" label="Tags (optional)" hint="One KEY=VALUE per line. The plan adds keyward:plan to find the key again.">
              <textarea id="tags" rows={3} className={inputClass} value={draft.tags} onChange={(e) => setDraft({ tags: e.target.value })} />
            </Field>
            <div className="space-y-3">
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" checked={draft.rotation} onChange={(e) => setDraft({ rotation: e.target.checked })} /> Rotate the key material automatically (yearly)
              </label>
              <Field
                id="window"
                label="Waiting period if the key is rolled back (days)"
                hint="A rolled-back key is disabled and deleted after 7–30 days; the deletion can be cancelled until then."
              >
                <input
                  id="window"
                  type="number"
                  min={7}
                  max={30}
                  className={clsx(inputClass, "w-28")}
                  value={draft.deletionWindowDays}
                  onChange={(e) => setDraft({ deletionWindowDays: Number(e.target.value) || 30 })}
                />
              </Field>
            </div>
          </div>
        ) : (
          <div>
            {options.isLoading ? <p className="text-sm text-slate-500">Loading the keys…</p> : null}
            {!options.isLoading && !keys.length ? <p className="text-sm text-slate-600">No keys in the last scan for this account; run a scan, or create a new key.</p> : null}
            <label className="mb-3 flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                className="mt-1"
                checked={draft.updatePolicy || draft.flow === "agent"}
                disabled={draft.flow === "agent"}
                onChange={(e) => setDraft({ updatePolicy: e.target.checked, policy: undefined, ...(!e.target.checked && chosen?.needsPolicy ? { existingKeyArn: "" } : {}) })}
              />
              <span>
                Let the plan add the template statements to the chosen key&apos;s policy (PutKeyPolicy; undone on rollback).
                {draft.flow === "agent"
                  ? " Always on for agents: Bedrock needs a statement naming the agent."
                  : " Keys whose policy would not let the service use the key can only be chosen with it."}
              </span>
            </label>
            <fieldset>
              <legend className="sr-only">Existing keys</legend>
              <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800" data-testid="key-choices">
                {keys.map((k) => {
                  const policyBlocks = !!k.needsPolicy && !draft.updatePolicy && draft.flow !== "agent";
                  const off = !!k.disabled || policyBlocks;
                  return (
                    <li key={k.arn} className={clsx("px-3 py-2 text-sm", off && "opacity-60")}>
                      <label className={clsx("flex gap-3", off ? "cursor-not-allowed" : "cursor-pointer")}>
                        <input
                          type="radio"
                          name="existing-key"
                          value={k.arn}
                          disabled={off}
                          checked={draft.existingKeyArn === k.arn}
                          onChange={() => setDraft({ existingKeyArn: k.arn, updatePolicy: draft.updatePolicy || draft.flow === "agent", policy: undefined })}
                          className="mt-1"
                        />
                        <span className="min-w-0">
                          <span className="block font-medium">{k.alias ?? k.arn.split("/").pop()}</span>
                          <span className="block font-mono text-xs break-all text-slate-500">{k.arn}</span>
                          {k.disabled ? <span className="block text-xs text-red-700 dark:text-red-400">Cannot be used: {k.disabled}</span> : null}
                          {!k.disabled && k.needsPolicy ? (
                            <span className={clsx("block text-xs", policyBlocks ? "text-red-700 dark:text-red-400" : "text-amber-800 dark:text-amber-300")}>
                              {policyBlocks ? "Cannot be used as it is: " : "The plan changes its policy: "}
                              {k.needsPolicy}
                            </span>
                          ) : null}
                        </span>
                      </label>
                    </li>
                  );
                })}
              </ul>
            </fieldset>
          </div>
        )}
      </Section>
      <StepButtons
        onBack={onBack}
        onNext={onNext}
        nextDisabled={!!errors.key || (draft.keyMode === "existing" && (!chosen || (!!chosen.needsPolicy && !draft.updatePolicy && draft.flow !== "agent")))}
        why={
          draft.keyMode === "existing" && !chosen ? "Choose a key." : chosen?.needsPolicy && !draft.updatePolicy ? "This key's policy needs the template statements." : errors.key
        }
      />
    </div>
  );
}
