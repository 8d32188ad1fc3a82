"use client";

import type { UseQueryResult } from "@tanstack/react-query";
import clsx from "clsx";

import type { Draft } from "./draft";
import { Field, inputClass, Section, StepButtons } from "./ui";

import { ErrorPanel } from "@/components/ui/error-panel";
import { isKnown, KINDS } from "@/lib/inventory/kinds";
import type { SetupOptions } from "@/lib/setup/options";
import { FLOW_HELP, FLOW_LABELS, FLOWS, isRecipeFlow, NAME_RULES, recipeOf } from "@/lib/setup/types.shared";

export function ResourceStep({
  draft,
  setDraft,
  errors,
  options,
  onNext,
}: {
  draft: Draft;
  setDraft: (p: Partial<Draft>) => void;
  errors: Record<string, string>;
  options: UseQueryResult<SetupOptions>;
  onNext: () => void;
}) {
  const o = options.data;
  const regions = [...new Set(o?.accounts.flatMap((a) => a.regions) ?? [])];
  const recipe = isRecipeFlow(draft.flow) ? recipeOf(draft.flow) : undefined;
  const needsRole = (draft.flow === "agent" && draft.mode === "create") || ["gateway", "recommendation", "credential-provider"].includes(draft.flow) || !!recipe?.role;
  const roleLabel: Record<string, string> = {
    agent: "Agent service role",
    gateway: "Gateway service role",
    recommendation: "Role that starts recommendations",
    "credential-provider": "Role AgentCore Identity reads the secret with",
    memory: "Memory execution role (optional)",
    ...(recipe?.role ? { [draft.flow]: recipe.role.label } : {}),
  };
  const blocking = ["flow", "name", "region", "mode", "existing", "role", "secret", "description"].filter((f) => errors[f]);
  return (
    <div className="space-y-6">
      {options.error ? <ErrorPanel source="Setup options" message={(options.error as Error).message} /> : null}
      <Section title="What to set up" description="Each flow writes the key policy its service documents; the plan lists every call before anything changes.">
        <fieldset>
          <legend className="sr-only">Flow</legend>
          <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
            {FLOWS.map((f) => (
              <label
                key={f}
                aria-label={FLOW_LABELS[f]}
                className={clsx(
                  "focus-within:ring-brand-500 flex cursor-pointer gap-3 rounded-lg border p-3 text-sm focus-within:ring-2",
                  draft.flow === f ? "border-brand-500 bg-brand-50/60 dark:bg-brand-700/10" : "border-slate-200 dark:border-slate-800",
                )}
              >
                <input
                  type="radio"
                  name="flow"
                  value={f}
                  checked={draft.flow === f}
                  onChange={() => setDraft({ flow: f, mode: "create", existing: "", policy: undefined, existingKeyArn: "", updatePolicy: false })}
                  className="mt-1"
                />
                <span>
                  <span className="block font-medium">{FLOW_LABELS[f]}</span>
                  <span className="mt-0.5 block text-xs text-slate-600 dark:text-slate-400">{FLOW_HELP[f]}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <NotCreatedHere />
      </Section>

      <Section title="The resource">
        <div className="grid gap-4 md:grid-cols-2">
          <Field id="region" label="Region" error={draft.region ? errors.region : undefined} hint="The key is created in (or must be in) this region.">
            <select id="region" className={inputClass} value={draft.region} onChange={(e) => setDraft({ region: e.target.value, existingKeyArn: "", secretArn: "", existing: "" })}>
              {!regions.includes(draft.region) && draft.region ? <option value={draft.region}>{draft.region}</option> : null}
              {regions.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </Field>
          {draft.flow === "agent" || draft.flow === "memory" ? (
            <fieldset className="space-y-1">
              <legend className="text-sm font-medium">{draft.flow === "agent" ? "New or existing agent" : "New or replacing a memory"}</legend>
              <div className="flex flex-wrap gap-4 text-sm">
                <label className="flex items-center gap-2">
                  <input type="radio" name="mode" checked={draft.mode === "create"} onChange={() => setDraft({ mode: "create", existing: "" })} /> New
                </label>
                <label className="flex items-center gap-2">
                  <input type="radio" name="mode" checked={draft.mode !== "create"} onChange={() => setDraft({ mode: draft.flow === "agent" ? "update" : "replace" })} />
                  {draft.flow === "agent" ? "Change an existing agent's key" : "Replace an existing memory (its key cannot be changed in place)"}
                </label>
              </div>
            </fieldset>
          ) : (
            <span />
          )}
          {draft.mode !== "create" && (draft.flow === "agent" || draft.flow === "memory") ? (
            <Field id="existing" label={draft.flow === "agent" ? "Agent" : "Memory to replace"} error={errors.existing}>
              <select
                id="existing"
                className={inputClass}
                value={draft.existing}
                onChange={(e) => {
                  const a = o?.agents.find((x) => x.id === e.target.value);
                  setDraft({ existing: e.target.value, ...(draft.flow === "agent" && a ? { name: a.name, role: a.role ?? draft.role } : {}) });
                }}
              >
                <option value="">Choose…</option>
                {(draft.flow === "agent" ? (o?.agents ?? []) : (o?.memories ?? [])).map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.name} ({x.keyArn ? `key ${x.keyArn.split("/").pop()?.slice(0, 8)}…` : "AWS owned key"})
                  </option>
                ))}
              </select>
            </Field>
          ) : null}
          {draft.flow !== "token-vault" ? (
            <Field
              id="name"
              label={draft.flow === "memory" && draft.mode === "replace" ? "Name of the new memory" : "Name"}
              error={draft.name ? errors.name : undefined}
              hint={NAME_RULES[draft.flow].text}
            >
              <input
                id="name"
                className={inputClass}
                value={draft.name}
                aria-invalid={!!errors.name && !!draft.name}
                onChange={(e) => setDraft({ name: e.target.value })}
                disabled={draft.flow === "agent" && draft.mode === "update"}
                autoComplete="off"
              />
            </Field>
          ) : (
            <p className="text-sm text-slate-600 dark:text-slate-400">The region&apos;s token vault is named “default”.</p>
          )}
          {draft.flow !== "token-vault" && !(draft.flow === "agent" && draft.mode === "update") ? (
            <Field id="description" label="Description (optional)" error={errors.description}>
              <input id="description" className={inputClass} value={draft.description} onChange={(e) => setDraft({ description: e.target.value })} maxLength={200} />
            </Field>
          ) : null}
          {needsRole || draft.flow === "memory" ? (
            <Field id="role" label={roleLabel[draft.flow] ?? "Role"} error={needsRole && draft.role ? errors.role : undefined} hint="A role ARN; the scanned roles are suggested.">
              <input
                id="role"
                list="role-options"
                className={inputClass}
                value={draft.role}
                onChange={(e) => setDraft({ role: e.target.value })}
                placeholder="arn:aws:iam::123456789012:role/NAME"
                autoComplete="off"
              />
              <datalist id="role-options">
                {(o?.roles ?? []).map((r) => (
                  <option key={r} value={r} />
                ))}
              </datalist>
            </Field>
          ) : null}
          {draft.flow === "credential-provider" ? (
            <>
              <Field
                id="secret"
                label="Secrets Manager secret"
                error={errors.secret}
                hint="Only secrets in the resource's region are offered: AgentCore Identity reads secrets in its own region."
              >
                <select id="secret" className={inputClass} value={draft.secretArn} onChange={(e) => setDraft({ secretArn: e.target.value })}>
                  <option value="">Choose…</option>
                  {(o?.secrets ?? []).map((s) => (
                    <option key={s.arn} value={s.arn} disabled={!!s.owningService}>
                      {s.name ?? s.arn}
                      {s.owningService ? ` (managed by ${s.owningService})` : s.keyArn ? "" : " (aws/secretsmanager)"}
                    </option>
                  ))}
                </select>
              </Field>
              <Field id="json-key" label="JSON key holding the API key" hint="The console never reads the secret's value.">
                <input id="json-key" className={inputClass} value={draft.jsonKey} onChange={(e) => setDraft({ jsonKey: e.target.value })} />
              </Field>
              <fieldset className="space-y-1 md:col-span-2">
                <legend className="text-sm font-medium">Offer to fix</legend>
                <label className="flex items-center gap-2 text-sm">
                  <input type="checkbox" checked={draft.fixKeyPolicy} onChange={(e) => setDraft({ fixKeyPolicy: e.target.checked })} /> Fix the secret key&apos;s policy
                  (kms:Decrypt through Secrets Manager for the role)
                </label>
                <label className="flex items-center gap-2 text-sm">
                  <input type="checkbox" checked={draft.fixResourcePolicy} onChange={(e) => setDraft({ fixResourcePolicy: e.target.checked })} /> Fix the secret&apos;s resource
                  policy (GetSecretValue for the role)
                </label>
              </fieldset>
            </>
          ) : null}
        </div>
        {!o?.scannedAt && !options.isLoading ? (
          <p className="mt-4 text-sm text-amber-800 dark:text-amber-300">No scan yet: the pickers are empty until a scan has run; ARNs can still be typed.</p>
        ) : null}
      </Section>
      <StepButtons onNext={onNext} nextDisabled={blocking.length > 0} why={blocking.length ? errors[blocking[0]] : undefined} />
    </div>
  );
}

/** The kinds Keyward reads but this wizard does not create, each with why (from the kind descriptors). */
function NotCreatedHere() {
  const others = KINDS.flatMap((k) => (isKnown(k.setup) ? [] : [{ id: k.id, label: k.label, why: k.setup.none, url: k.doc.url }]));
  if (!others.length) return null;
  return (
    <details className="mt-4 text-sm" data-testid="not-created-here">
      <summary className="cursor-pointer text-slate-600 dark:text-slate-400">Kinds Keyward checks but does not create here ({others.length})</summary>
      <ul className="mt-2 space-y-1">
        {others.map((o) => (
          <li key={o.id}>
            <a className="text-brand-600 dark:text-brand-400 font-medium hover:underline" href={o.url} target="_blank" rel="noreferrer">
              {o.label}
            </a>
            <span className="text-slate-600 dark:text-slate-400"> — {o.why}.</span>
          </li>
        ))}
      </ul>
    </details>
  );
}
