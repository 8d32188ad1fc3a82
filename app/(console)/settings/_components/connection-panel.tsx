"use client";

import { CheckCircle2, RefreshCw, XCircle } from "lucide-react";

import { Badge } from "@/components/ui/badge";
import { ErrorPanel } from "@/components/ui/error-panel";
import { TableSkeleton } from "@/components/ui/skeleton";
import { useConnectionQuery } from "@/queries/settings";

export function ConnectionPanel() {
  const q = useConnectionQuery();
  if (q.isPending) return <TableSkeleton rows={4} label="Checking the AWS connection" />;
  if (q.isError) return <ErrorPanel source="Keyward server" message={q.error.message} />;
  const r = q.data;
  if (!r.configured) {
    return (
      <ErrorPanel source="No AWS account configured" message="Keyward has no account and region to read. Set one of the following and restart:">
        <ul className="mt-2 list-disc pl-5 font-mono text-xs">
          <li>KEYWARD_ACCOUNTS=111122223333 and KEYWARD_REGIONS=us-east-1,eu-west-1</li>
          <li>or &quot;accounts&quot; in keyward.config.json (see docs/configuration.md)</li>
          <li>credentials: AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, SSO, or a container/instance role</li>
        </ul>
      </ErrorPanel>
    );
  }
  return (
    <div className="space-y-4">
      <div className="flex items-center gap-3 text-sm text-slate-600 dark:text-slate-400">
        <span>Credential sources seen: {r.credentialSources.length ? r.credentialSources.join(", ") : "the default provider chain (profile files, SSO, instance role)"}</span>
        <button
          type="button"
          onClick={() => void q.refetch()}
          disabled={q.isFetching}
          className="ml-auto flex items-center gap-1 rounded-lg border border-slate-300 px-3 py-1.5 hover:bg-slate-100 disabled:opacity-50 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          <RefreshCw aria-hidden className={`h-3.5 w-3.5 ${q.isFetching ? "animate-spin" : ""}`} />
          Check again
        </button>
      </div>
      {r.checks.map((c) => (
        <div
          key={`${c.account}-${c.region}`}
          className="rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
          data-testid={`connection-${c.account}-${c.region}`}
        >
          <div className="mb-3 flex flex-wrap items-center gap-2">
            <span className="font-mono text-sm">{c.account}</span>
            <Badge>{c.region}</Badge>
            {c.roleArn ? <span className="font-mono text-xs text-slate-500">via {c.roleArn}</span> : null}
            {c.identity ? (
              <span className="ml-auto text-sm text-slate-600 dark:text-slate-400">
                Signed in to AWS as{" "}
                <span className="font-mono" data-testid="caller-arn">
                  {c.identity.arn}
                </span>
              </span>
            ) : null}
          </div>
          {c.identityError ? (
            <ErrorPanel source="AWS STS GetCallerIdentity" code={c.identityError.code} message={c.identityError.message}>
              <p className="mt-2 text-xs">Check the credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID, SSO login) and, for a role, that it trusts the calling principal.</p>
            </ErrorPanel>
          ) : (
            <table className="w-full text-sm">
              <caption className="sr-only">Services Keyward reads in {c.region}</caption>
              <thead>
                <tr className="text-left text-xs tracking-wide text-slate-500 uppercase">
                  <th className="py-1 font-medium">Service</th>
                  <th className="py-1 font-medium">Probe</th>
                  <th className="py-1 font-medium">Result</th>
                  <th className="py-1 text-right font-medium">Time</th>
                </tr>
              </thead>
              <tbody>
                {c.services.map((s) => (
                  <tr key={s.service} className="border-t border-slate-100 dark:border-slate-800">
                    <td className="py-1.5">{s.service}</td>
                    <td className="py-1.5 font-mono text-xs">{s.operation}</td>
                    <td className="py-1.5">
                      {s.ok ? (
                        <span className="flex items-center gap-1 text-emerald-700 dark:text-emerald-400">
                          <CheckCircle2 aria-hidden className="h-4 w-4" /> Reachable
                        </span>
                      ) : (
                        <span className="flex items-center gap-1 text-red-700 dark:text-red-400" title={s.message}>
                          <XCircle aria-hidden className="h-4 w-4" /> {s.code}: {s.message}
                        </span>
                      )}
                    </td>
                    <td className="py-1.5 text-right text-slate-500 tabular-nums">{s.ms} ms</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ))}
    </div>
  );
}
