import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { apiFetch } from "./query-client";
import { scanKeys } from "./scans";

import type { SetupOptions } from "@/lib/setup/options";
import type { ExportFormat, Flow, SetupPlan, SetupRequestInput, SetupRun } from "@/lib/setup/types.shared";

export const setupKeys = {
  all: ["setup"] as const,
  options: (flow: Flow, region: string, role?: string) => [...setupKeys.all, "options", flow, region, role ?? ""] as const,
  plan: (request: SetupRequestInput | undefined) => [...setupKeys.all, "plan", request ?? null] as const,
  run: (id: string) => [...setupKeys.all, "run", id] as const,
  runs: () => [...setupKeys.all, "runs"] as const,
};

export function useSetupOptions(flow: Flow, region: string, role?: string) {
  return useQuery({
    queryKey: setupKeys.options(flow, region, role),
    queryFn: () => apiFetch<SetupOptions>(`/api/setup/options?${new URLSearchParams({ flow, ...(region ? { region } : {}), ...(role ? { role } : {}) }).toString()}`),
    placeholderData: keepPreviousData,
  });
}

/** The plan of a request, rebuilt as the request changes (the Policy step's live lint). */
export function usePlan(request: SetupRequestInput | undefined) {
  return useQuery({
    queryKey: setupKeys.plan(request),
    queryFn: () => apiFetch<SetupPlan>("/api/setup/plan", { method: "POST", body: JSON.stringify({ request }) }),
    enabled: !!request,
    placeholderData: keepPreviousData,
    staleTime: 5_000,
  });
}

export function useRun(id: string | undefined) {
  return useQuery({
    queryKey: setupKeys.run(id ?? ""),
    queryFn: () => apiFetch<{ run: SetupRun; plan: SetupPlan }>(`/api/setup/runs/${encodeURIComponent(id!)}`),
    enabled: !!id,
    refetchInterval: (q) => (q.state.data && ["running", "rolling-back"].includes(q.state.data.run.status) ? 600 : false),
  });
}

export function useRuns() {
  return useQuery({ queryKey: setupKeys.runs(), queryFn: () => apiFetch<{ runs: SetupRun[] }>("/api/setup/runs") });
}

export function useApply() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { request: SetupRequestInput; planId: string; onFailure: "rollback" | "stop" }) =>
      apiFetch<{ run: SetupRun; resumed: boolean }>("/api/setup/apply", { method: "POST", body: JSON.stringify(input) }),
    onSuccess: (r) => {
      qc.setQueryData(setupKeys.run(r.run.id), undefined);
      void qc.invalidateQueries({ queryKey: setupKeys.all });
    },
  });
}

export function useRollback() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<{ run: SetupRun }>(`/api/setup/runs/${encodeURIComponent(id)}/rollback`, { method: "POST" }),
    onSettled: () => qc.invalidateQueries({ queryKey: setupKeys.all }),
  });
}

export function useCancelDeletion() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { keyArn: string; enable: boolean }) =>
      apiFetch<{ keyArn: string; state: string }>("/api/setup/cancel-deletion", { method: "POST", body: JSON.stringify(input) }),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: setupKeys.all });
      void qc.invalidateQueries({ queryKey: scanKeys.all });
    },
  });
}

/** Downloads an export of the plan (the browser saves the file). */
export async function downloadExport(request: SetupRequestInput, format: ExportFormat): Promise<void> {
  const r = await fetch("/api/setup/export", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ request, format }) });
  if (!r.ok) throw new Error(((await r.json()) as { error?: string }).error ?? `Export failed (${r.status})`);
  const name = /filename="([^"]+)"/.exec(r.headers.get("content-disposition") ?? "")?.[1] ?? `keyward-plan.${format}`;
  const url = URL.createObjectURL(await r.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

export async function exportText(request: SetupRequestInput, format: ExportFormat): Promise<string> {
  const r = await fetch("/api/setup/export", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ request, format }) });
  if (!r.ok) throw new Error(((await r.json()) as { error?: string }).error ?? `Export failed (${r.status})`);
  return r.text();
}
