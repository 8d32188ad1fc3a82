"use client";

// The key-usage timeline: filters (all in the URL, so a link shares the view), the histogram with
// zoom, detections, the virtualized event list with its drawer, exports, and the sync that fills
// the local store. Key and resource pages embed it with their own filter fixed.
import { Activity, Download, RefreshCw } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo, useState } from "react";

import { EventDrawer } from "./event-drawer";
import { EventHistogram } from "./histogram";
import { EventList } from "./event-list";

import { SeverityBadge } from "@/components/posture/severity";
import { When } from "@/components/posture/when";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorPanel } from "@/components/ui/error-panel";
import { TableSkeleton } from "@/components/ui/skeleton";
import { EVENT_NAMES } from "@/lib/events/names.shared";
import { useMeQuery } from "@/queries/me";
import { FILTER_KEYS, filterParams, type TimelineFilters, useDetections, useEventList, useEventSummary, useStartSync, useSyncStatus } from "@/queries/events";
import { useLatestScanQuery } from "@/queries/scans";

const PRESETS: [string, number][] = [
  ["24 h", 86_400_000],
  ["7 days", 7 * 86_400_000],
  ["30 days", 30 * 86_400_000],
  ["90 days", 90 * 86_400_000],
];
const LABELS: Record<(typeof FILTER_KEYS)[number], string> = {
  account: "Account",
  region: "Region",
  key: "Key",
  resource: "Resource",
  secret: "Secret",
  principal: "Principal",
  callerAccount: "Caller's account",
  eventName: "Event",
  errorCode: "Error",
  sourceIp: "Source IP",
};

/** The hour the page was opened, so "last 7 days" stays one cache key while the page is open. */
function useNow(): number {
  const [now] = useState(() => Math.ceil(Date.now() / 60_000) * 60_000);
  return now;
}

export function SyncBar() {
  const status = useSyncStatus();
  const start = useStartSync();
  const s = status.data;
  const p = s?.running?.progress;
  return (
    <div className="flex flex-wrap items-center gap-3 text-sm" data-testid="sync-bar">
      <button
        type="button"
        onClick={() => start.mutate()}
        disabled={!!s?.running || start.isPending}
        className="bg-brand-600 hover:bg-brand-700 inline-flex items-center gap-1.5 rounded-lg px-3 py-1.5 font-medium text-white disabled:opacity-60"
      >
        <RefreshCw aria-hidden className={s?.running ? "h-4 w-4 animate-spin" : "h-4 w-4"} />
        {s?.running ? "Fetching events…" : "Fetch new events"}
      </button>
      {p ? (
        <span role="status" className="text-slate-600 dark:text-slate-400">
          {p.done} of {p.total} lookups · {p.calls} LookupEvents calls · {p.fetched.toLocaleString()} events read, {p.inserted.toLocaleString()} new
          {p.current ? <span className="block text-xs text-slate-500">{p.current}</span> : null}
        </span>
      ) : s?.syncedAt ? (
        <span className="text-slate-600 dark:text-slate-400">
          Last fetched <When iso={s.syncedAt} />
          {s.last ? ` · ${s.last.inserted.toLocaleString()} new events in ${Math.round(s.last.ms / 1000)} s` : ""}
        </span>
      ) : (
        <span className="text-slate-600 dark:text-slate-400">No events fetched yet.</span>
      )}
      {s?.needsScan ? <span className="text-amber-700 dark:text-amber-300">Run a scan first so events can be tied to resources.</span> : null}
      {start.isError ? <ErrorPanel source="Event sync" message={start.error.message} /> : null}
      {s?.last?.errors.length ? (
        <ErrorPanel source="CloudTrail LookupEvents" message={`${s.last.errors.length} lookup${s.last.errors.length === 1 ? "" : "s"} failed; the other sources loaded.`}>
          <ul className="mt-1 list-disc pl-5 text-xs">
            {s.last.errors.slice(0, 6).map((e, i) => (
              <li key={i}>
                {e.account} {e.region} {e.attribute}: {e.code} — {e.message}
              </li>
            ))}
          </ul>
        </ErrorPanel>
      ) : null}
    </div>
  );
}

export function Timeline({ fixed, embedded = false }: { fixed?: Partial<TimelineFilters>; embedded?: boolean }) {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const now = useNow();
  const me = useMeQuery();
  const scan = useLatestScanQuery();
  const [open, setOpen] = useState<string | null>(embedded ? null : params.get("event"));

  const filters: TimelineFilters = useMemo(() => {
    const f: TimelineFilters = {
      from: (!embedded && params.get("from")) || new Date(now - 7 * 86_400_000).toISOString(),
      to: (!embedded && params.get("to")) || new Date(now).toISOString(),
    };
    if (!embedded) for (const k of FILTER_KEYS) f[k] = params.get(k) ?? undefined;
    return { ...f, ...fixed };
  }, [params, now, fixed, embedded]);

  const setParams = useCallback(
    (patch: Record<string, string | undefined>) => {
      const q = new URLSearchParams(params.toString());
      for (const [k, v] of Object.entries(patch)) {
        if (v) q.set(k, v);
        else q.delete(k);
      }
      router.replace(`${pathname}?${q.toString()}`, { scroll: false });
    },
    [params, router, pathname],
  );

  const summary = useEventSummary(filters);
  const list = useEventList(filters);
  const detections = useDetections(filters);
  const names = useMemo(() => new Map((scan.data?.last?.resources ?? []).map((r) => [r.arn, r.name])), [scan.data]);
  const events = useMemo(() => list.data?.pages.flatMap((p) => p.events) ?? [], [list.data]);
  const timelineHref = `/timeline?${filterParams({ ...filters, from: filters.from, to: filters.to })}`;

  const zoom = (from: number, to: number) => {
    if (embedded) router.push(`/timeline?${filterParams({ ...filters, from: new Date(from).toISOString(), to: new Date(to).toISOString() })}`);
    else setParams({ from: new Date(from).toISOString(), to: new Date(to).toISOString() });
  };
  const openEvent = (id: string | null) => {
    setOpen(id);
    if (!embedded) setParams({ event: id ?? undefined });
  };

  const facetOptions = (k: (typeof FILTER_KEYS)[number]): string[] => {
    const f = summary.data?.facets;
    const pick = {
      principal: f?.principals,
      eventName: f?.eventNames,
      errorCode: f?.errorCodes,
      key: f?.keys,
      resource: f?.resources,
      sourceIp: f?.sourceIps,
      callerAccount: f?.callerAccounts,
    } as Record<string, { value: string }[] | undefined>;
    const base = k === "eventName" ? [...EVENT_NAMES] : k === "errorCode" ? ["any", ...(pick.errorCode ?? []).map((x) => x.value)] : (pick[k] ?? []).map((x) => x.value);
    const current = filters[k];
    return current && !base.includes(current) ? [current, ...base] : base;
  };

  return (
    <div className="space-y-4" data-testid={embedded ? "embedded-timeline" : "timeline"}>
      {!embedded ? (
        <>
          <SyncBar />
          <form
            className="flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-3 text-sm dark:border-slate-800 dark:bg-slate-900"
            aria-label="Filters"
            onSubmit={(e) => e.preventDefault()}
          >
            <fieldset className="flex flex-wrap items-end gap-1">
              <legend className="mb-1 text-xs text-slate-500">Range</legend>
              {PRESETS.map(([label, ms]) => (
                <button
                  key={label}
                  type="button"
                  className="rounded-lg border border-slate-300 px-2 py-1 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
                  onClick={() => setParams({ from: new Date(Date.now() - ms).toISOString(), to: undefined })}
                >
                  {label}
                </button>
              ))}
              <label className="ml-2 flex flex-col text-xs text-slate-500">
                From (UTC)
                <input
                  type="datetime-local"
                  value={filters.from.slice(0, 16)}
                  onChange={(e) => e.target.value && setParams({ from: new Date(`${e.target.value}:00Z`).toISOString() })}
                  className="rounded border border-slate-300 px-1 py-0.5 text-sm text-slate-900 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-100"
                />
              </label>
              <label className="flex flex-col text-xs text-slate-500">
                To (UTC)
                <input
                  type="datetime-local"
                  value={filters.to.slice(0, 16)}
                  onChange={(e) => e.target.value && setParams({ to: new Date(`${e.target.value}:00Z`).toISOString() })}
                  className="rounded border border-slate-300 px-1 py-0.5 text-sm text-slate-900 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-100"
                />
              </label>
            </fieldset>
            {(["eventName", "key", "resource", "principal", "callerAccount", "errorCode", "sourceIp", "region", "account"] as const).map((k) => (
              <label key={k} className="flex max-w-[14rem] flex-col text-xs text-slate-500">
                {LABELS[k]}
                <select
                  value={filters[k] ?? ""}
                  onChange={(e) => setParams({ [k]: e.target.value || undefined })}
                  className="rounded border border-slate-300 px-1 py-1 text-sm text-slate-900 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-100"
                >
                  <option value="">all</option>
                  {(k === "region"
                    ? [...new Set([...(filters.region ? [filters.region] : []), ...(scan.data?.last?.resources ?? []).map((r) => r.region)])]
                    : k === "account"
                      ? [...new Set([...(filters.account ? [filters.account] : []), ...(scan.data?.last?.resources ?? []).map((r) => r.account)])]
                      : facetOptions(k)
                  ).map((v) => (
                    <option key={v} value={v}>
                      {k === "resource" ? (names.get(v) ?? v) : k === "key" || k === "principal" ? v.split(/[/:]/).slice(-2).join("/") : v}
                    </option>
                  ))}
                </select>
              </label>
            ))}
            <button type="button" className="text-brand-600 dark:text-brand-400 underline" onClick={() => router.replace(pathname)}>
              Clear filters
            </button>
            {me.data?.permissions.exportEvents ? (
              <span className="ml-auto flex gap-2">
                {(["csv", "json"] as const).map((fmt) => (
                  <a
                    key={fmt}
                    href={`/api/events/export?${filterParams(filters)}&format=${fmt}`}
                    download
                    className="inline-flex items-center gap-1 rounded-lg border border-slate-300 px-2.5 py-1 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
                  >
                    <Download aria-hidden className="h-4 w-4" /> Export {fmt.toUpperCase()}
                  </a>
                ))}
              </span>
            ) : null}
          </form>
        </>
      ) : null}

      {summary.isError ? <ErrorPanel source="Event store" message={summary.error.message} /> : null}
      {summary.isPending ? <TableSkeleton rows={4} label="Loading events" /> : null}
      {summary.data && summary.data.histogram.total === 0 ? (
        <EmptyState icon={Activity} title="No events in this range">
          {embedded ? (
            <>
              No stored event touches this {fixed?.key ? "key" : "resource"} in the last 7 days.{" "}
              <Link className="text-brand-600 dark:text-brand-400 underline" href="/timeline">
                Open the timeline
              </Link>{" "}
              to fetch events or widen the range.
            </>
          ) : (
            "Fetch new events from CloudTrail, widen the range or clear the filters."
          )}
        </EmptyState>
      ) : null}
      {summary.data && summary.data.histogram.total > 0 ? (
        <>
          <EventHistogram data={summary.data.histogram} detections={detections.data?.detections ?? []} onZoom={zoom} />
          {detections.data?.detections.length ? (
            <section aria-labelledby="det-h" className="rounded-xl border border-red-200 bg-red-50/50 p-3 dark:border-red-900 dark:bg-red-950/20" data-testid="detections">
              <h2 id="det-h" className="mb-2 text-sm font-semibold">
                Detections ({detections.data.detections.length})
              </h2>
              <ul className="space-y-1 text-sm">
                {detections.data.detections.slice(0, embedded ? 5 : 50).map((x, i) => (
                  <li key={`${x.id}-${i}`} className="flex flex-wrap items-center gap-2">
                    <SeverityBadge severity={x.severity} />
                    <span className="font-mono text-xs">{x.id}</span>
                    <Link
                      className="text-brand-600 dark:text-brand-400 hover:underline"
                      href={`/timeline?${filterParams({ from: new Date(Date.parse(x.from) - 3_600_000).toISOString(), to: new Date(Date.parse(x.to) + 3_600_000).toISOString(), ...x.filters })}`}
                    >
                      {x.summary}
                    </Link>
                    {x.resourceArn ? <span className="text-xs text-slate-500">{names.get(x.resourceArn) ?? x.resourceArn}</span> : null}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {detections.data && !detections.data.baseline && !embedded ? (
            <p className="text-xs text-slate-500" data-testid="no-baseline">
              KW-DET-02, 03 and 04 compare with the 30 days before the range; the store has no events from then. Fetch more history (events.firstSyncDays) or move the range.
            </p>
          ) : null}
          {fixed?.key && summary.data.facets.otherServices.length ? (
            <section
              aria-labelledby="other-use-h"
              className="rounded-xl border border-slate-200 bg-white p-3 text-sm dark:border-slate-800 dark:bg-slate-900"
              data-testid="other-use"
            >
              <h3 id="other-use-h" className="mb-1 font-semibold">
                Other use of this key
              </h3>
              <p className="mb-2 text-xs text-slate-500">Calls whose encryption context or calling service names another service: not tied to an agent resource.</p>
              <ul className="flex flex-wrap gap-2">
                {summary.data.facets.otherServices.map((o) => (
                  <li key={o.value} className="rounded-lg bg-slate-100 px-2 py-0.5 font-mono text-xs dark:bg-slate-800">
                    {o.value} · {o.count.toLocaleString("en")}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {list.isError ? <ErrorPanel source="Event store" message={list.error.message} /> : null}
          <EventList events={events} hasMore={!!list.hasNextPage} loadingMore={list.isFetchingNextPage} onMore={() => void list.fetchNextPage()} onOpen={openEvent} names={names} />
          {embedded ? (
            <Link className="text-brand-600 dark:text-brand-400 text-sm underline" href={timelineHref}>
              Open in the timeline
            </Link>
          ) : null}
        </>
      ) : null}
      <EventDrawer id={open} onClose={() => openEvent(null)} />
    </div>
  );
}
