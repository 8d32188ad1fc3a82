"use client";

import { RefreshCw } from "lucide-react";

import { When } from "./when";

import { ErrorPanel } from "@/components/ui/error-panel";
import { describeProgress } from "@/lib/inventory/types.shared";
import { useLatestScanQuery, useStartScanMutation } from "@/queries/scans";

/** Last scan time, the Rescan button and live progress while a scan runs. */
export function ScanBar() {
  const q = useLatestScanQuery();
  const start = useStartScanMutation();
  const running = q.data?.running;
  const last = q.data?.last;
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex items-center gap-3 text-sm text-slate-600 dark:text-slate-400">
        {last ? (
          <span>
            Last scan <When iso={last.scannedAt} /> · {last.apiCalls} API calls · {(last.durationMs / 1000).toFixed(1)} s
          </span>
        ) : null}
        <button
          type="button"
          onClick={() => start.mutate()}
          disabled={!!running || start.isPending}
          className="bg-brand-600 hover:bg-brand-700 flex items-center gap-2 rounded-lg px-3 py-1.5 text-sm font-medium text-white disabled:opacity-60"
        >
          <RefreshCw aria-hidden className={`h-4 w-4 ${running ? "animate-spin" : ""}`} />
          {running ? "Scanning…" : last ? "Rescan" : "Run the first scan"}
        </button>
      </div>
      {running ? (
        <p role="status" aria-live="polite" className="text-xs text-slate-600 dark:text-slate-400">
          {describeProgress(running.progress)}
        </p>
      ) : null}
      {start.isError ? <ErrorPanel source="Starting a scan" message={start.error.message} /> : null}
    </div>
  );
}
