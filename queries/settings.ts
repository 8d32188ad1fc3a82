import { queryOptions, useInfiniteQuery, useQuery } from "@tanstack/react-query";

import { apiFetch } from "./query-client";

import type { ConnectionCheck } from "@/lib/server/aws/connection.shared";

export type { ConnectionCheck };

export interface ConnectionReport {
  mode: "aws" | "sandbox";
  configured: boolean;
  credentialSources: string[];
  checks: ConnectionCheck[];
}
export interface AuditEntry {
  id: number;
  at: string;
  actor: string | null;
  action: string;
  outcome: "success" | "failure";
  ip: string | null;
  detail: string | null;
}

export const settingsKeys = {
  all: ["settings"] as const,
  connection: () => [...settingsKeys.all, "connection"] as const,
  audit: () => [...settingsKeys.all, "audit"] as const,
};

export const connectionOptions = () => queryOptions({ queryKey: settingsKeys.connection(), queryFn: () => apiFetch<ConnectionReport>("/api/settings/connection") });

export function useConnectionQuery() {
  return useQuery(connectionOptions());
}

export function useAuditQuery() {
  return useInfiniteQuery({
    queryKey: settingsKeys.audit(),
    queryFn: ({ pageParam }) => apiFetch<{ entries: AuditEntry[]; next: number | null }>(`/api/audit?limit=50${pageParam ? `&before=${pageParam}` : ""}`),
    initialPageParam: 0,
    getNextPageParam: (last) => last.next ?? undefined,
  });
}
