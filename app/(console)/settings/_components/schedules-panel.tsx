"use client";

// Scheduled scans and event syncs: each job's expression (UTC), where it comes from, the next run and
// the last runs with their outcome. Operators change an expression here (validated by the server,
// audited); an empty field turns the schedule off.
import { useState } from "react";

import { When } from "@/components/posture/when";
import { Badge } from "@/components/ui/badge";
import { ErrorPanel } from "@/components/ui/error-panel";
import { TableSkeleton } from "@/components/ui/skeleton";
import { type ScheduleView, useSchedulesQuery, useSetSchedule } from "@/queries/schedules";

const LABEL: Record<ScheduleView["job"], string> = { scan: "Posture scan", sync: "Event sync" };

function Editor({ view }: { view: ScheduleView }) {
  const [value, setValue] = useState(view.cron ?? "");
  const save = useSetSchedule();
  const changed = value.trim() !== (view.cron ?? "");
  return (
    <form
      className="flex flex-wrap items-center gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ job: view.job, cron: value.trim() ? value.trim() : null });
      }}
    >
      <label className="sr-only" htmlFor={`cron-${view.job}`}>
        {LABEL[view.job]} schedule (cron, UTC)
      </label>
      <input
        id={`cron-${view.job}`}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        placeholder="none (e.g. 0 * * * *)"
        className="w-44 rounded-lg border border-slate-300 bg-white px-2 py-1 font-mono text-sm dark:border-slate-700 dark:bg-slate-950"
      />
      <button type="submit" disabled={!changed || save.isPending} className="bg-brand-600 rounded-lg px-3 py-1 text-sm text-white disabled:opacity-50">
        {save.isPending ? "Saving…" : "Save"}
      </button>
      {save.isError ? (
        <span role="alert" className="text-sm text-red-700 dark:text-red-300">
          {save.error.message}
        </span>
      ) : null}
    </form>
  );
}

export function SchedulesPanel({ canEdit }: { canEdit: boolean }) {
  const q = useSchedulesQuery();
  if (q.isPending) return <TableSkeleton rows={2} label="Loading the schedules" />;
  if (q.isError) return <ErrorPanel source="Schedules" message={q.error.message} />;
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full text-sm" aria-label="Schedules">
        <thead>
          <tr className="border-b border-slate-200 text-left text-xs tracking-wide text-slate-500 uppercase dark:border-slate-800">
            <th className="px-3 py-2 font-medium">Job</th>
            <th className="px-3 py-2 font-medium">Schedule (cron, UTC)</th>
            <th className="px-3 py-2 font-medium">Next run</th>
            <th className="px-3 py-2 font-medium">Last run</th>
          </tr>
        </thead>
        <tbody>
          {q.data.schedules.map((v) => {
            const last = v.runs[0];
            return (
              <tr key={v.job} className="border-b border-slate-100 align-top last:border-0 dark:border-slate-800" data-testid="schedule-row" data-job={v.job}>
                <td className="px-3 py-2 font-medium">{LABEL[v.job]}</td>
                <td className="px-3 py-2">
                  {canEdit ? <Editor key={v.cron ?? ""} view={v} /> : <span className="font-mono">{v.cron ?? "none"}</span>}
                  <div className="mt-1 text-xs text-slate-500">
                    {v.source === "settings"
                      ? `${v.cron ? "set" : "turned off"} in Settings by ${v.updatedBy}`
                      : v.source === "config"
                        ? "from keyward.config.json"
                        : "not scheduled"}
                  </div>
                </td>
                <td className="px-3 py-2">{v.nextRun ? <When iso={v.nextRun} /> : "—"}</td>
                <td className="px-3 py-2" data-testid="schedule-last">
                  {last ? (
                    <>
                      <Badge tone={last.outcome === "done" ? "ok" : last.outcome === "failed" ? "bad" : "neutral"}>{last.outcome ?? "running"}</Badge> <When iso={last.startedAt} />
                      {last.finishedAt ? ` · ${((Date.parse(last.finishedAt) - Date.parse(last.startedAt)) / 1000).toFixed(1)} s` : ""}
                      {last.trigger === "missed" ? " · missed while the server was down" : ""}
                      {last.detail ? <div className="text-xs text-slate-500">{last.detail}</div> : null}
                    </>
                  ) : (
                    "never"
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
