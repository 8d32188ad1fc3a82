"use client";

// The events under the filters, newest first: a virtualized list that loads more pages as it
// scrolls. Each row is a button that opens the event drawer.
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef } from "react";

import { Badge } from "@/components/ui/badge";
import type { EventRow } from "@/lib/events/names.shared";

const short = (arn: string | null) => (arn ? (arn.split(/[/:]/).pop() ?? arn) : "—");

export function EventList({
  events,
  hasMore,
  loadingMore,
  onMore,
  onOpen,
  names,
}: {
  events: EventRow[];
  hasMore: boolean;
  loadingMore: boolean;
  onMore: () => void;
  onOpen: (id: string) => void;
  names: Map<string, string>;
}) {
  const parent = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: events.length + (hasMore ? 1 : 0), getScrollElement: () => parent.current, estimateSize: () => 44, overscan: 12 });
  const items = v.getVirtualItems();
  const last = items[items.length - 1];
  useEffect(() => {
    if (last && last.index >= events.length - 1 && hasMore && !loadingMore) onMore();
  }, [last, events.length, hasMore, loadingMore, onMore]);
  return (
    <div className="rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <div
        className="grid grid-cols-[10rem_11rem_1fr_1fr_8rem] gap-2 border-b border-slate-200 px-3 py-2 text-xs font-medium text-slate-500 uppercase dark:border-slate-800"
        aria-hidden
      >
        <span>Time (UTC)</span>
        <span>Event</span>
        <span>Principal</span>
        <span>Resource (link)</span>
        <span>Source</span>
      </div>
      <div ref={parent} className="h-[28rem] overflow-auto" role="list" aria-label="Events" data-testid="event-list">
        <div style={{ height: v.getTotalSize(), position: "relative" }}>
          {items.map((it) => {
            const e = events[it.index];
            return (
              <div key={it.key} role="listitem" style={{ position: "absolute", top: 0, left: 0, width: "100%", transform: `translateY(${it.start}px)`, height: it.size }}>
                {e ? (
                  <button
                    type="button"
                    onClick={() => onOpen(e.eventID)}
                    className="grid h-full w-full grid-cols-[10rem_11rem_1fr_1fr_8rem] items-center gap-2 border-b border-slate-100 px-3 text-left text-sm hover:bg-slate-50 focus-visible:bg-slate-50 dark:border-slate-800 dark:hover:bg-slate-800/60"
                    data-testid="event-row"
                  >
                    <span className="font-mono text-xs">{e.eventTime.replace("T", " ").slice(0, 19)}</span>
                    <span className="flex items-center gap-1 truncate">
                      {e.eventName}
                      {e.errorCode ? <Badge tone="bad">{e.errorCode}</Badge> : null}
                    </span>
                    <span className="truncate font-mono text-xs" title={e.principalArn ?? (e.callerAccount ? `account ${e.callerAccount}` : "")}>
                      {e.principalType === "AWSService" ? e.principalArn : e.principalArn ? short(e.principalArn) : e.callerAccount ? `account ${e.callerAccount}` : "unknown"}
                      {e.callerAccount && e.callerAccount !== e.account ? <span className="text-amber-700 dark:text-amber-400"> · other account</span> : null}
                      {e.invokedBy && e.principalType !== "AWSService" ? <span className="text-slate-500"> via {e.invokedBy}</span> : null}
                    </span>
                    <span className="truncate text-xs" title={e.resourceArn ?? ""}>
                      {e.resourceArn ? (
                        (names.get(e.resourceArn) ?? short(e.resourceArn))
                      ) : e.correlation === "other use" ? (
                        <span className="text-slate-500">other use: {e.otherService}</span>
                      ) : (
                        <span className="text-slate-400">not linked</span>
                      )}
                      {e.correlation && e.correlation !== "other use" ? <span className="text-slate-500"> · {e.correlation}</span> : null}
                    </span>
                    <span className="truncate font-mono text-xs">{e.sourceIPAddress}</span>
                  </button>
                ) : (
                  <div className="px-3 py-3 text-sm text-slate-500">{loadingMore ? "Loading more events…" : ""}</div>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
