"use client";

// Where new findings are sent, a test message per channel (operators), and the last deliveries with
// their attempts and errors: a failed delivery is retried and shown here, never dropped silently.
import { When } from "@/components/posture/when";
import { Badge } from "@/components/ui/badge";
import { ErrorPanel } from "@/components/ui/error-panel";
import { TableSkeleton } from "@/components/ui/skeleton";
import type { Channel } from "@/lib/posture/notify";
import { useNotificationsQuery, useSendTest } from "@/queries/notifications";

const LABEL: Record<Channel, string> = { slack: "Slack", webhook: "Signed webhook" };

function TestButton({ channel }: { channel: Channel }) {
  const t = useSendTest();
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        onClick={() => t.mutate(channel)}
        disabled={t.isPending}
        className="rounded-lg border border-slate-300 px-2 py-0.5 text-xs disabled:opacity-50 dark:border-slate-700"
      >
        {t.isPending ? "Sending…" : "Send a test message"}
      </button>
      {t.data ? (
        t.data.ok ? (
          <span className="text-xs text-emerald-700 dark:text-emerald-400" role="status">
            delivered
          </span>
        ) : (
          <span className="text-xs text-red-700 dark:text-red-300" role="alert">
            {t.data.error}
          </span>
        )
      ) : null}
      {t.isError ? (
        <span className="text-xs text-red-700 dark:text-red-300" role="alert">
          {t.error.message}
        </span>
      ) : null}
    </span>
  );
}

export function NotificationsPanel({ canTest }: { canTest: boolean }) {
  const q = useNotificationsQuery();
  if (q.isPending) return <TableSkeleton rows={2} label="Loading the notifications" />;
  if (q.isError) return <ErrorPanel source="Notifications" message={q.error.message} />;
  const v = q.data;
  return (
    <div className="space-y-3 text-sm" data-testid="notifications">
      {v.channels.length ? (
        <ul className="space-y-1">
          {v.channels.map((c) => (
            <li key={c.channel} className="flex flex-wrap items-center gap-3">
              <span className="font-medium">{LABEL[c.channel]}</span>
              <span className="font-mono text-xs text-slate-500">{c.host}</span>
              {canTest ? <TestButton channel={c.channel} /> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-slate-600 dark:text-slate-400">
          No channel is configured: set <code>notifications.slack</code> or <code>notifications.webhook</code> in keyward.config.json (docs/monitoring.md).
        </p>
      )}
      <p className="text-slate-600 dark:text-slate-400">
        New findings of severity {v.minSeverity} or above are sent once each, grouped per scan, with links to {v.consoleUrl}.
      </p>
      {v.securityHub ? (
        <p data-testid="security-hub">
          AWS Security Hub: every open finding is imported into its own account
          {v.securityHub.region ? ` in ${v.securityHub.region}` : " in its resource's region"} after each scan.{" "}
          {v.securityHub.last ? (
            <>
              Last export <When iso={v.securityHub.last.at} />: {v.securityHub.last.imported} imported
              {v.securityHub.last.failed.length ? (
                <span className="text-red-700 dark:text-red-300">
                  , {v.securityHub.last.failed.length} refused ({v.securityHub.last.failed[0].code}: {v.securityHub.last.failed[0].message})
                </span>
              ) : null}
              .
            </>
          ) : (
            "No export since the server started."
          )}
        </p>
      ) : null}
      {v.outbox.length ? (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className="w-full" aria-label="Deliveries">
            <thead>
              <tr className="border-b border-slate-200 text-left text-xs tracking-wide text-slate-500 uppercase dark:border-slate-800">
                <th className="px-3 py-2 font-medium">Queued</th>
                <th className="px-3 py-2 font-medium">Channel</th>
                <th className="px-3 py-2 font-medium">Findings</th>
                <th className="px-3 py-2 font-medium">Delivery</th>
              </tr>
            </thead>
            <tbody>
              {v.outbox.map((e) => (
                <tr key={e.id} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
                  <td className="px-3 py-2">
                    <When iso={e.createdAt} />
                  </td>
                  <td className="px-3 py-2">{LABEL[e.channel]}</td>
                  <td className="px-3 py-2 tabular-nums">{e.total}</td>
                  <td className="px-3 py-2">
                    {e.sentAt ? <Badge tone="ok">sent</Badge> : e.failedAt ? <Badge tone="bad">gave up</Badge> : <Badge tone="neutral">retrying</Badge>} {e.attempts} attempt
                    {e.attempts === 1 ? "" : "s"}
                    {!e.sentAt && !e.failedAt ? (
                      <>
                        , next <When iso={e.nextAttemptAt} />
                      </>
                    ) : null}
                    {e.lastError ? <div className="text-xs text-red-700 dark:text-red-300">{e.lastError}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
