import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { apiFetch } from "./query-client";
import { settingsKeys } from "./settings";

import type { ScheduleView } from "@/lib/server/scheduler";

export type { ScheduleView };

const key = ["schedules"] as const;

export function useSchedulesQuery() {
  return useQuery({ queryKey: key, queryFn: () => apiFetch<{ schedules: ScheduleView[] }>("/api/schedules"), refetchInterval: 30_000 });
}

export function useSetSchedule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { job: ScheduleView["job"]; cron: string | null }) =>
      apiFetch<{ schedules: ScheduleView[] }>("/api/schedules", { method: "PUT", body: JSON.stringify(input) }),
    onSuccess: (data) => {
      qc.setQueryData(key, data);
      // The change is in the audit log now.
      void qc.invalidateQueries({ queryKey: settingsKeys.audit() });
    },
  });
}
