import { queryOptions, useQuery } from "@tanstack/react-query";

import { apiFetch } from "./query-client";

export interface Me {
  email: string;
  role: "viewer" | "investigator" | "operator";
  mode: "aws" | "sandbox";
  permissions: { exportEvents: boolean; applyChanges: boolean; viewAudit: boolean };
}

export const meKeys = { all: ["me"] as const };
export const meOptions = () => queryOptions({ queryKey: meKeys.all, queryFn: () => apiFetch<Me>("/api/me"), staleTime: 5 * 60_000 });

export function useMeQuery() {
  return useQuery(meOptions());
}
