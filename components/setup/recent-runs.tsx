"use client";

import Link from "next/link";

import { Badge } from "@/components/ui/badge";
import { useRuns } from "@/queries/setup";

/** The recent runs, each a deep link to its progress and Check. */
export function RecentRuns() {
  const q = useRuns();
  const runs = q.data?.runs ?? [];
  if (q.error) return <p className="text-sm text-red-700">Recent runs could not be loaded: {(q.error as Error).message}</p>;
  if (!runs.length) return null;
  return (
    <section aria-label="Recent setup runs" className="rounded-xl border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900">
      <h2 className="mb-3 text-base font-semibold">Recent runs</h2>
      <table className="w-full text-left text-sm">
        <thead className="text-xs text-slate-500">
          <tr>
            <th className="py-1 font-medium">Run</th>
            <th className="py-1 font-medium">Flow</th>
            <th className="py-1 font-medium">Status</th>
            <th className="py-1 font-medium">By</th>
            <th className="py-1 font-medium">Started</th>
          </tr>
        </thead>
        <tbody>
          {runs.slice(0, 10).map((r) => (
            <tr key={r.id} className="border-t border-slate-100 dark:border-slate-800">
              <td className="py-1.5">
                <Link className="text-brand-600 dark:text-brand-400 font-mono underline" href={`/setup?run=${encodeURIComponent(r.id)}`}>
                  {r.id}
                </Link>
              </td>
              <td className="py-1.5">{r.flow}</td>
              <td className="py-1.5">
                <Badge tone={r.status === "done" ? "ok" : r.status === "rolled-back" ? "warn" : r.status === "running" ? "brand" : "bad"}>{r.status}</Badge>
              </td>
              <td className="py-1.5">{r.actor}</td>
              <td className="py-1.5">{new Date(r.startedAt).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
