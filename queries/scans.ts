import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { apiFetch } from "./query-client";

import type { ScanProgress, ScanResult } from "@/lib/inventory/types.shared";
import type { FindingState } from "@/lib/posture/lifecycle.shared";

export interface ScanStatus {
  running: { id: number; startedAt: string; startedBy: string; progress: ScanProgress } | null;
  last: (ScanResult & { id: number; startedBy: string | null }) | null;
  lastFailure: { id: number; at: string; error: string } | null;
  /** Findings opened and resolved in the last 24 hours. */
  changes: { since: string; opened: FindingState[]; resolved: FindingState[] };
}

export const scanKeys = {
  all: ["scans"] as const,
  latest: () => [...scanKeys.all, "latest"] as const,
};

export const latestScanOptions = () =>
  queryOptions({
    queryKey: scanKeys.latest(),
    queryFn: () => apiFetch<ScanStatus>("/api/scans/latest"),
    // Poll while a scan runs; otherwise the data is as fresh as the last scan.
    refetchInterval: (q) => (q.state.data?.running ? 1000 : false),
  });

export function useLatestScanQuery() {
  return useQuery(latestScanOptions());
}

export function useStartScanMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<{ id: number; alreadyRunning: boolean }>("/api/scans", { method: "POST" }),
    onSettled: () => qc.invalidateQueries({ queryKey: scanKeys.all }),
  });
}
