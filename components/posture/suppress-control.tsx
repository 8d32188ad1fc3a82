"use client";

import { useState } from "react";

import { When } from "./when";

import { ErrorPanel } from "@/components/ui/error-panel";
import type { Finding } from "@/lib/inventory/types.shared";
import { useMeQuery } from "@/queries/me";
import { useSuppressMutation, useUnsuppressMutation } from "@/queries/suppressions";

/** Shows a finding's suppression, and lets operators add or remove one (with a reason and an expiry). */
export function SuppressControl({ finding }: { finding: Finding }) {
  const me = useMeQuery();
  const suppress = useSuppressMutation();
  const unsuppress = useUnsuppressMutation();
  const [open, setOpen] = useState(false);
  const canChange = !!me.data?.permissions.applyChanges;
  const defaultUntil = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  if (finding.suppressed) {
    return (
      <div className="mt-3 rounded-lg border border-slate-300 bg-slate-50 p-2 text-sm dark:border-slate-700 dark:bg-slate-950" data-testid="suppression">
        Suppressed by {finding.suppressed.by} until <When iso={finding.suppressed.until} />: “{finding.suppressed.reason}”
        {canChange ? (
          <button
            type="button"
            onClick={() => unsuppress.mutate(finding.suppressed!.id)}
            disabled={unsuppress.isPending}
            className="text-brand-600 dark:text-brand-400 ml-3 underline"
          >
            Remove suppression
          </button>
        ) : null}
      </div>
    );
  }
  if (!canChange) return null;
  if (!open) {
    return (
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="mt-3 rounded-lg border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
      >
        Suppress…
      </button>
    );
  }
  return (
    <form
      className="mt-3 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 p-3 dark:border-slate-700"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        suppress.mutate(
          { ruleId: finding.ruleId, resourceArn: finding.resourceArn, reason: String(form.get("reason")), until: new Date(`${String(form.get("until"))}T23:59:59Z`).toISOString() },
          { onSuccess: () => setOpen(false) },
        );
      }}
    >
      <label className="flex flex-1 flex-col text-xs">
        Reason
        <input name="reason" required minLength={10} className="mt-1 rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-950" />
      </label>
      <label className="flex flex-col text-xs">
        Until
        <input
          name="until"
          type="date"
          required
          defaultValue={defaultUntil}
          className="mt-1 rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-950"
        />
      </label>
      <button type="submit" disabled={suppress.isPending} className="bg-brand-600 rounded-lg px-3 py-1.5 text-sm text-white disabled:opacity-60">
        Suppress finding
      </button>
      <button type="button" onClick={() => setOpen(false)} className="px-2 py-1.5 text-sm">
        Cancel
      </button>
      {suppress.isError ? <ErrorPanel source="Suppression" message={suppress.error.message} /> : null}
    </form>
  );
}
