// What the event store keeps per source, and what the next purge of each source will delete (a
// purge runs only after a clean fetch or import of that source, and is written to the audit log).
import type { RetentionPreview } from "@/lib/events/retention";

const SOURCE_LABEL: Record<string, string> = {
  lookup: "CloudTrail event history (LookupEvents)",
  athena: "Amazon Athena",
  lake: "CloudTrail Lake",
  file: "Imported log files",
};

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : "—");

export function RetentionPanel({ rows }: { rows: RetentionPreview[] }) {
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full text-sm" data-testid="retention">
        <caption className="sr-only">Event retention per source</caption>
        <thead className="text-left text-xs text-slate-500">
          <tr className="border-b border-slate-200 dark:border-slate-800">
            <th scope="col" className="px-3 py-2 font-medium">
              Source
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Kept
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Stored events
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Next purge deletes
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.source} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
              <th scope="row" className="px-3 py-2 text-left font-normal">
                {SOURCE_LABEL[r.source] ?? r.source}
              </th>
              <td className="px-3 py-2">{r.days === null ? "until deleted by hand" : `${r.days} days`}</td>
              <td className="px-3 py-2 text-right tabular-nums">{r.stored.toLocaleString("en")}</td>
              <td className="px-3 py-2">
                {r.days === null ? (
                  <span className="text-slate-500">nothing</span>
                ) : r.wouldDelete === 0 ? (
                  <span className="text-slate-500">nothing (events before {day(r.cutoff)} would go)</span>
                ) : (
                  <span className="text-amber-800 dark:text-amber-300">
                    {r.wouldDelete.toLocaleString("en")} events from {day(r.oldest)} to {day(r.newest)} (before {day(r.cutoff)})
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="border-t border-slate-100 px-3 py-2 text-xs text-slate-500 dark:border-slate-800">
        A source&apos;s purge runs only after a fetch or import of that source without errors, and each purge is written to the audit log. Set <code>events.retentionDays</code> and{" "}
        <code>events.retention</code> in keyward.config.json (docs/configuration.md).
      </p>
    </div>
  );
}
