"use client";

// The last week's detections, for the Overview: each links to the timeline filtered to its events.
import Link from "next/link";
import { useState } from "react";

import { SeverityBadge } from "@/components/posture/severity";
import { ErrorPanel } from "@/components/ui/error-panel";
import { filterParams, useDetections } from "@/queries/events";

export function RecentDetections({ names }: { names: Map<string, string> }) {
  const [range] = useState(() => {
    const to = Math.ceil(Date.now() / 60_000) * 60_000;
    return { from: new Date(to - 7 * 86_400_000).toISOString(), to: new Date(to).toISOString() };
  });
  const q = useDetections(range);
  if (q.isPending) return <p className="text-sm text-slate-500">Looking for detections…</p>;
  if (q.isError) return <ErrorPanel source="Detections" message={q.error.message} />;
  if (!q.data.detections.length)
    return (
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Nothing detected in the stored events of the last 7 days.{" "}
        <Link className="text-brand-600 dark:text-brand-400 underline" href="/timeline">
          Open the timeline
        </Link>{" "}
        to fetch new events.
      </p>
    );
  return (
    <ul className="divide-y divide-slate-100 dark:divide-slate-800" data-testid="overview-detections">
      {q.data.detections.slice(0, 10).map((x, i) => (
        <li key={`${x.id}-${i}`} className="flex flex-wrap items-center gap-3 py-2 text-sm">
          <SeverityBadge severity={x.severity} />
          <span className="font-mono text-xs text-slate-500">{x.id}</span>
          <Link
            className="text-brand-600 dark:text-brand-400 flex-1 hover:underline"
            href={`/timeline?${filterParams({ from: new Date(Date.parse(x.from) - 3_600_000).toISOString(), to: new Date(Date.parse(x.to) + 3_600_000).toISOString(), ...x.filters })}`}
          >
            {x.summary}
          </Link>
          {x.resourceArn ? <span className="text-xs text-slate-500">{names.get(x.resourceArn) ?? x.resourceArn.split(/[/:]/).pop()}</span> : null}
        </li>
      ))}
    </ul>
  );
}
