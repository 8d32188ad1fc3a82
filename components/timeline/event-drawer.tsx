"use client";

// One event: its normalized fields, what it is tied to and why, and the raw CloudTrail record.
import { X } from "lucide-react";
import Link from "next/link";
import { useEffect, useRef } from "react";

import { ErrorPanel } from "@/components/ui/error-panel";
import { TableSkeleton } from "@/components/ui/skeleton";
import { useEvent } from "@/queries/events";

export function EventDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const q = useEvent(id);
  useEffect(() => {
    if (id && !ref.current?.open) ref.current?.showModal();
    if (!id && ref.current?.open) ref.current.close();
  }, [id]);
  const e = q.data;
  const field = (label: string, value: React.ReactNode) => (
    <>
      <dt className="text-slate-500">{label}</dt>
      <dd className="min-w-0 font-mono text-xs break-all">{value ?? "—"}</dd>
    </>
  );
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-label="Event details"
      className="m-0 ml-auto h-full max-h-full w-full max-w-2xl overflow-auto bg-white p-0 text-slate-900 backdrop:bg-slate-900/40 dark:bg-slate-900 dark:text-slate-100"
      data-testid="event-drawer"
    >
      <div className="sticky top-0 flex items-center justify-between border-b border-slate-200 bg-white px-4 py-3 dark:border-slate-800 dark:bg-slate-900">
        <h2 className="font-semibold">{e ? `${e.eventName} · ${e.eventTime.replace("T", " ").slice(0, 19)} UTC` : "Event"}</h2>
        <button type="button" onClick={() => ref.current?.close()} aria-label="Close" className="rounded p-1 hover:bg-slate-100 dark:hover:bg-slate-800">
          <X aria-hidden className="h-5 w-5" />
        </button>
      </div>
      <div className="space-y-4 p-4 text-sm">
        {q.isPending && id ? <TableSkeleton rows={6} label="Loading the event" /> : null}
        {q.isError ? <ErrorPanel source="Event store" message={q.error.message} /> : null}
        {e ? (
          <>
            <dl className="grid grid-cols-[9rem_1fr] gap-y-1.5">
              {field("Event ID", e.idDerived ? `${e.eventID} (the record has no eventID: derived from its content)` : e.eventID)}
              {field("Source", e.eventSource)}
              {field("Account / region", `${e.account} / ${e.region}`)}
              {field("Principal", e.principalArn ?? (e.callerAccount ? `account ${e.callerAccount} (the record names no principal)` : null))}
              {field("Principal type", e.principalType)}
              {field(
                "Caller's account",
                e.callerAccount ? (
                  <>
                    {e.callerAccount}
                    {e.callerAccount !== e.account ? <span className="font-sans text-amber-700 dark:text-amber-400"> (another account)</span> : null}
                  </>
                ) : null,
              )}
              {field("Invoked by", e.invokedBy)}
              {field("Source IP", e.sourceIPAddress)}
              {field("User agent", e.userAgent)}
              {field(
                "Key",
                e.keyArn ? (
                  <Link className="text-brand-600 dark:text-brand-400 underline" href={`/keys/detail?arn=${encodeURIComponent(e.keyArn)}`}>
                    {e.keyArn}
                  </Link>
                ) : null,
              )}
              {field("Secret", e.secretArn)}
              {field("Encryption context", e.encryptionContext ? JSON.stringify(e.encryptionContext) : null)}
              {field(
                "Resource",
                e.resourceArn ? (
                  <>
                    <Link className="text-brand-600 dark:text-brand-400 underline" href={`/resources/detail?arn=${encodeURIComponent(e.resourceArn)}`}>
                      {e.resourceArn}
                    </Link>{" "}
                    <span className="font-sans text-slate-500">(linked by {e.correlation})</span>
                  </>
                ) : e.correlation === "other use" ? (
                  <span className="font-sans">other use of this key: the call served {e.otherService}, not an agent resource</span>
                ) : (
                  "not linked to a scanned resource"
                ),
              )}
              {field("Error", e.errorCode ? `${e.errorCode}: ${e.errorMessage ?? ""}` : null)}
            </dl>
            <div>
              <h3 className="mb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">Raw CloudTrail record</h3>
              <pre className="max-h-[28rem] overflow-auto rounded-lg bg-slate-900 p-3 text-xs text-slate-100" data-testid="raw-record">
                {JSON.stringify(e.raw, null, 2)}
              </pre>
            </div>
          </>
        ) : null}
      </div>
    </dialog>
  );
}
