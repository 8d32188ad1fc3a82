"use client";

// Events over time, stacked by event name (recharts). Drag the brush under the chart to pick a
// range, then zoom; a bar click zooms into its bucket. Detections are marked on the time axis.
import { useMemo, useState } from "react";
import { Bar, BarChart, Brush, CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

import type { Detection } from "@/lib/events/detections";
import type { Histogram as HistogramData } from "@/lib/events/store";

const PALETTE = ["#2563eb", "#16a34a", "#dc2626", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#65a30d", "#ea580c", "#4f46e5", "#0d9488", "#9333ea", "#b91c1c", "#ca8a04"];
export const colorOf = (name: string, names: string[]) => PALETTE[Math.max(0, names.indexOf(name)) % PALETTE.length];

function label(t: number, bucketMs: number): string {
  const d = new Date(t);
  return bucketMs >= 86_400_000 ? d.toISOString().slice(5, 10) : d.toISOString().slice(5, 16).replace("T", " ");
}

export function EventHistogram({ data, detections, onZoom }: { data: HistogramData; detections: Detection[]; onZoom: (from: number, to: number) => void }) {
  const rows = useMemo(() => data.buckets.map((b) => ({ t: b.t, ...b.counts })), [data]);
  const [sel, setSel] = useState<{ startIndex?: number; endIndex?: number }>({});
  const selected = sel.startIndex !== undefined && sel.endIndex !== undefined && (sel.startIndex > 0 || sel.endIndex < rows.length - 1);
  const markers = detections.map((x) => ({ t: Math.floor(Date.parse(x.from) / data.bucketMs) * data.bucketMs, id: x.id })).filter((m) => rows.some((r) => r.t === m.t));
  return (
    <figure className="rounded-xl border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900" data-testid="histogram">
      <figcaption className="mb-2 flex flex-wrap items-center justify-between gap-2 text-sm">
        <span>
          <span className="font-semibold">{data.total.toLocaleString()}</span> events · {data.bucketMs >= 86_400_000 ? "per day" : `per ${Math.round(data.bucketMs / 60_000)} min`}{" "}
          (UTC)
        </span>
        <button
          type="button"
          disabled={!selected}
          onClick={() => {
            const a = rows[sel.startIndex!].t;
            const b = rows[sel.endIndex!].t + data.bucketMs;
            setSel({});
            onZoom(a, b);
          }}
          className="rounded-lg border border-slate-300 px-2.5 py-1 text-sm disabled:opacity-40 dark:border-slate-700"
        >
          Zoom to selection
        </button>
      </figcaption>
      <div className="h-64" aria-hidden>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart
            data={rows}
            margin={{ top: 4, right: 8, left: 0, bottom: 0 }}
            onClick={(s) => {
              const i = typeof s?.activeTooltipIndex === "number" ? s.activeTooltipIndex : Number(s?.activeTooltipIndex);
              if (Number.isInteger(i) && rows[i]) onZoom(rows[i].t, rows[i].t + data.bucketMs);
            }}
          >
            <CartesianGrid strokeDasharray="3 3" stroke="#94a3b833" />
            <XAxis dataKey="t" tickFormatter={(t: number) => label(t, data.bucketMs)} fontSize={11} minTickGap={24} />
            <YAxis fontSize={11} width={40} allowDecimals={false} />
            <Tooltip labelFormatter={(t) => new Date(Number(t)).toISOString().replace("T", " ").slice(0, 16)} />
            <Legend wrapperStyle={{ fontSize: 11 }} />
            {data.names.map((n) => (
              <Bar key={n} dataKey={n} stackId="a" fill={colorOf(n, data.names)} isAnimationActive={false} />
            ))}
            {markers.map((m, i) => (
              <ReferenceLine
                key={`${m.id}-${i}`}
                x={m.t}
                stroke="#dc2626"
                strokeDasharray="4 2"
                label={{ value: m.id.replace("KW-", ""), fontSize: 10, fill: "#dc2626", position: "top" }}
              />
            ))}
            <Brush dataKey="t" height={22} tickFormatter={(t: number) => label(t, data.bucketMs)} onChange={(r) => setSel(r as typeof sel)} travellerWidth={8} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <p className="sr-only">{data.names.map((n) => `${n}: ${data.buckets.reduce((a, b) => a + (b.counts[n] ?? 0), 0)}`).join("; ")}</p>
    </figure>
  );
}
