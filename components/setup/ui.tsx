"use client";

import clsx from "clsx";
import { AlertTriangle, CheckCircle2, Info, XCircle } from "lucide-react";

import type { LintItem } from "@/lib/setup/types.shared";

export const inputClass =
  "w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/40 dark:border-slate-700 dark:bg-slate-950 aria-[invalid=true]:border-red-500";
export const buttonClass =
  "inline-flex items-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:cursor-not-allowed disabled:opacity-50";
export const primaryButton = `${buttonClass} bg-brand-600 text-white hover:bg-brand-700`;
export const secondaryButton = `${buttonClass} border border-slate-300 bg-white text-slate-800 hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-200 dark:hover:bg-slate-800`;
export const dangerButton = `${buttonClass} bg-red-600 text-white hover:bg-red-700`;

export function Section({ title, description, children, actions }: { title: string; description?: React.ReactNode; children: React.ReactNode; actions?: React.ReactNode }) {
  return (
    <section className="rounded-xl border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900" aria-label={title}>
      <div className="mb-4 flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 className="text-base font-semibold">{title}</h2>
          {description ? <div className="mt-1 max-w-3xl text-sm text-slate-600 dark:text-slate-400">{description}</div> : null}
        </div>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function Field({ id, label, hint, error, children }: { id: string; label: string; hint?: React.ReactNode; error?: string; children: React.ReactNode }) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {children}
      {error ? (
        <p id={`${id}-error`} className="text-xs text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export function StepButtons({
  onBack,
  onNext,
  nextLabel = "Next",
  nextDisabled,
  why,
}: {
  onBack?: () => void;
  onNext?: () => void;
  nextLabel?: string;
  nextDisabled?: boolean;
  why?: string;
}) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-3">
      {onBack ? (
        <button type="button" className={secondaryButton} onClick={onBack}>
          Back
        </button>
      ) : (
        <span />
      )}
      <div className="flex items-center gap-3">
        {nextDisabled && why ? <span className="text-sm text-slate-600 dark:text-slate-400">{why}</span> : null}
        {onNext ? (
          <button type="button" className={primaryButton} onClick={onNext} disabled={nextDisabled}>
            {nextLabel}
          </button>
        ) : null}
      </div>
    </div>
  );
}

const LINT_ICON = { error: XCircle, warning: AlertTriangle, info: Info } as const;

export function LintList({ items, empty = "No problems found." }: { items: LintItem[]; empty?: string }) {
  if (!items.length)
    return (
      <p className="flex items-center gap-2 text-sm text-emerald-700 dark:text-emerald-400" data-testid="lint-ok">
        <CheckCircle2 aria-hidden className="h-4 w-4" /> {empty}
      </p>
    );
  const order = { error: 0, warning: 1, info: 2 };
  return (
    <ul className="space-y-1.5" data-testid="lint">
      {[...items]
        .sort((a, b) => order[a.level] - order[b.level])
        .map((l, i) => {
          const Icon = LINT_ICON[l.level];
          return (
            <li
              key={i}
              data-level={l.level}
              className={clsx(
                "flex gap-2 rounded-md px-3 py-2 text-sm",
                l.level === "error" && "bg-red-50 text-red-900 dark:bg-red-950/40 dark:text-red-200",
                l.level === "warning" && "bg-amber-50 text-amber-900 dark:bg-amber-950/40 dark:text-amber-200",
                l.level === "info" && "bg-slate-50 text-slate-700 dark:bg-slate-800/60 dark:text-slate-300",
              )}
            >
              <Icon aria-hidden className="mt-0.5 h-4 w-4 flex-none" />
              <span>
                <span className="sr-only">{l.level}: </span>
                {l.message} <span className="text-xs opacity-70">[{l.source}]</span>
              </span>
            </li>
          );
        })}
    </ul>
  );
}
