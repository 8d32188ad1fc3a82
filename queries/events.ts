import { infiniteQueryOptions, queryOptions, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { apiFetch } from "./query-client";

import type { Detection, DetectionInfo } from "@/lib/events/detections";
import type { SyncStatus } from "@/lib/events/jobs";
import type { EventRow } from "@/lib/events/names.shared";
import type { Facets, Histogram } from "@/lib/events/store";

/** Timeline filters as URL parameters (the page's URL is the source of truth). */
export interface TimelineFilters {
  from: string;
  to: string;
  account?: string;
  region?: string;
  key?: string;
  resource?: string;
  secret?: string;
  principal?: string;
  eventName?: string;
  errorCode?: string;
  sourceIp?: string;
  callerAccount?: string;
}

export const FILTER_KEYS = ["account", "region", "key", "resource", "secret", "principal", "callerAccount", "eventName", "errorCode", "sourceIp"] as const;

export function filterParams(f: TimelineFilters): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v) q.set(k, v);
  return q.toString();
}

export const eventKeys = {
  all: ["events"] as const,
  summary: (f: TimelineFilters) => [...eventKeys.all, "summary", f] as const,
  list: (f: TimelineFilters) => [...eventKeys.all, "list", f] as const,
  one: (id: string) => [...eventKeys.all, "one", id] as const,
  detections: (f: TimelineFilters) => [...eventKeys.all, "detections", f] as const,
  sync: () => [...eventKeys.all, "sync"] as const,
};

export const summaryOptions = (f: TimelineFilters) =>
  queryOptions({ queryKey: eventKeys.summary(f), queryFn: () => apiFetch<{ histogram: Histogram; facets: Facets }>(`/api/events/summary?${filterParams(f)}`) });

export function useEventSummary(f: TimelineFilters) {
  return useQuery({ ...summaryOptions(f), placeholderData: (prev) => prev });
}

export const listOptions = (f: TimelineFilters) =>
  infiniteQueryOptions({
    queryKey: eventKeys.list(f),
    queryFn: ({ pageParam }) => apiFetch<{ events: EventRow[]; next: string | null }>(`/api/events?${filterParams(f)}&limit=200${pageParam ? `&cursor=${pageParam}` : ""}`),
    initialPageParam: "",
    getNextPageParam: (last) => last.next ?? undefined,
  });

export function useEventList(f: TimelineFilters) {
  return useInfiniteQuery(listOptions(f));
}

export function useEvent(id: string | null) {
  return useQuery({
    queryKey: eventKeys.one(id ?? ""),
    queryFn: () => apiFetch<EventRow & { raw: unknown }>(`/api/events/${encodeURIComponent(id!)}`),
    enabled: !!id,
  });
}

export function useDetections(f: TimelineFilters) {
  return useQuery({
    queryKey: eventKeys.detections(f),
    queryFn: () => apiFetch<{ catalogue: DetectionInfo[]; detections: Detection[]; baseline: boolean }>(`/api/events/detections?${filterParams(f)}`),
    placeholderData: (prev) => prev,
  });
}

export function useSyncStatus() {
  const qc = useQueryClient();
  return useQuery({
    queryKey: eventKeys.sync(),
    queryFn: async () => {
      const s = await apiFetch<SyncStatus>("/api/events/sync");
      const prev = qc.getQueryData<SyncStatus>(eventKeys.sync());
      // A sync just finished: everything built on the store is stale.
      if (prev?.running && !s.running) void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] === "events" && q.queryKey[1] !== "sync" });
      return s;
    },
    refetchInterval: (q) => (q.state.data?.running ? 1000 : false),
  });
}

export function useStartSync() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<{ alreadyRunning: boolean }>("/api/events/sync", { method: "POST" }),
    onSettled: () => qc.invalidateQueries({ queryKey: eventKeys.sync() }),
  });
}
