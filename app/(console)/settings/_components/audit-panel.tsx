"use client";

import { When } from "@/components/posture/when";
import { Badge } from "@/components/ui/badge";
import { ErrorPanel } from "@/components/ui/error-panel";
import { TableSkeleton } from "@/components/ui/skeleton";
import { useAuditQuery } from "@/queries/settings";

export function AuditPanel() {
  const q = useAuditQuery();
  if (q.isPending) return <TableSkeleton rows={5} label="Loading the audit log" />;
  if (q.isError) return <ErrorPanel source="Audit log" message={q.error.message} />;
  const entries = q.data.pages.flatMap((p) => p.entries);
  if (!entries.length)
    return <p className="text-sm text-slate-600 dark:text-slate-400">Nothing has been audited yet: sign-ins, sign-outs, refused access and applied changes will appear here.</p>;
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full text-sm" aria-label="Audit log">
        <thead>
          <tr className="border-b border-slate-200 text-left text-xs tracking-wide text-slate-500 uppercase dark:border-slate-800">
            <th className="px-3 py-2 font-medium">When</th>
            <th className="px-3 py-2 font-medium">Who</th>
            <th className="px-3 py-2 font-medium">Action</th>
            <th className="px-3 py-2 font-medium">Outcome</th>
            <th className="px-3 py-2 font-medium">Detail</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
              <td className="px-3 py-2 whitespace-nowrap">
                <When iso={e.at} />
              </td>
              <td className="px-3 py-2">{e.actor ?? "—"}</td>
              <td className="px-3 py-2">{e.action}</td>
              <td className="px-3 py-2">
                <Badge tone={e.outcome === "success" ? "ok" : "bad"}>{e.outcome}</Badge>
              </td>
              <td className="px-3 py-2 text-slate-600 dark:text-slate-400">
                {e.detail ?? ""}
                {e.ip ? <span className="ml-2 font-mono text-xs text-slate-400">{e.ip}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {q.hasNextPage ? (
        <div className="border-t border-slate-200 p-2 text-center dark:border-slate-800">
          <button
            type="button"
            onClick={() => void q.fetchNextPage()}
            disabled={q.isFetchingNextPage}
            className="text-brand-600 dark:text-brand-400 hover:bg-brand-50 rounded-lg px-3 py-1.5 text-sm dark:hover:bg-slate-800"
          >
            {q.isFetchingNextPage ? "Loading…" : "Show older entries"}
          </button>
        </div>
      ) : null}
    </div>
  );
}
