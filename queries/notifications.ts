import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { apiFetch } from "./query-client";
import { settingsKeys } from "./settings";

import type { SecurityHubReport } from "@/lib/posture/asff";
import type { Channel, OutboxEntry } from "@/lib/posture/notify";

export interface NotificationsView {
  minSeverity: string;
  consoleUrl: string;
  channels: { channel: Channel; host: string }[];
  outbox: OutboxEntry[];
  securityHub: { region: string | null; last: (SecurityHubReport & { at: string }) | null } | null;
}

const key = ["notifications"] as const;

export function useNotificationsQuery() {
  return useQuery({ queryKey: key, queryFn: () => apiFetch<NotificationsView>("/api/notifications"), refetchInterval: 30_000 });
}

export function useSendTest() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (channel: Channel) => apiFetch<{ ok: true } | { ok: false; error: string }>("/api/notifications/test", { method: "POST", body: JSON.stringify({ channel }) }),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: key });
      void qc.invalidateQueries({ queryKey: settingsKeys.audit() });
    },
  });
}
