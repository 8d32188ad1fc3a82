import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { apiFetch } from "./query-client";
import { scanKeys } from "./scans";

import type { PolicyReview } from "@/lib/policy/review";
import type { Variables } from "@/lib/policy/templates";

export const policyKeys = {
  all: ["policy"] as const,
  review: (target: "key" | "secret", arn: string, vars: Variables, scanId?: number) => [...policyKeys.all, target, arn, vars, scanId ?? null] as const,
};

/** Keyed by the scan it is built from, so a finished rescan refreshes it. */
export const policyReviewOptions = (target: "key" | "secret", arn: string, vars: Variables, scanId?: number) =>
  queryOptions({
    queryKey: policyKeys.review(target, arn, vars, scanId),
    queryFn: () => {
      const q = new URLSearchParams({ target, arn });
      if (Object.keys(vars).length) q.set("vars", JSON.stringify(vars));
      return apiFetch<PolicyReview>(`/api/policy?${q.toString()}`);
    },
    enabled: !!arn,
  });

export function usePolicyReviewQuery(target: "key" | "secret", arn: string, vars: Variables, scanId?: number) {
  return useQuery({ ...policyReviewOptions(target, arn, vars, scanId), placeholderData: (prev) => prev });
}

export function useApplyPolicyMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { target: "key" | "secret"; arn: string; policy: string; basedOn: string }) =>
      apiFetch<{ applied: true; arn: string; scanId: number }>("/api/policy/apply", { method: "POST", body: JSON.stringify(input) }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: scanKeys.all });
      void qc.invalidateQueries({ queryKey: policyKeys.all });
    },
  });
}
