import { useMutation, useQueryClient } from "@tanstack/react-query";

import { apiFetch } from "./query-client";
import { scanKeys } from "./scans";

export function useSuppressMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { ruleId: string; resourceArn: string; reason: string; until: string }) => apiFetch("/api/suppressions", { method: "POST", body: JSON.stringify(input) }),
    onSettled: () => qc.invalidateQueries({ queryKey: scanKeys.all }),
  });
}

export function useUnsuppressMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiFetch(`/api/suppressions/${id}`, { method: "DELETE" }),
    onSettled: () => qc.invalidateQueries({ queryKey: scanKeys.all }),
  });
}
