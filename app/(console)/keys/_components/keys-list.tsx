"use client";

import { KeyRound } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo } from "react";

import { Arn } from "@/components/posture/arn";
import { NoScanYet } from "@/components/posture/no-scan";
import { ScanBar } from "@/components/posture/scan-bar";
import { SeverityBadge } from "@/components/posture/severity";
import { SourceErrors } from "@/components/posture/source-errors";
import { When } from "@/components/posture/when";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorPanel } from "@/components/ui/error-panel";
import { TableSkeleton } from "@/components/ui/skeleton";
import { type Finding, type ResourceRecord, type ScanResult, worstSeverity } from "@/lib/inventory/types.shared";
import { useLatestScanQuery } from "@/queries/scans";

/** Each key's resources and findings, by key ARN (once per scan, not per row: an organization has thousands). */
function byKey(last: ScanResult | null | undefined) {
  const resources = new Map<string, ResourceRecord[]>();
  const findings = new Map<string, Finding[]>();
  for (const r of last?.resources ?? []) if (r.key.arn) resources.set(r.key.arn, [...(resources.get(r.key.arn) ?? []), r]);
  for (const f of last?.findings ?? []) if (f.keyArn) findings.set(f.keyArn, [...(findings.get(f.keyArn) ?? []), f]);
  return { resources, findings };
}

export function KeysList() {
  const q = useLatestScanQuery();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const account = params.get("account") ?? "";
  const last = q.data?.last;
  const index = useMemo(() => byKey(last), [last]);
  if (q.isPending) return <TableSkeleton rows={8} label="Loading keys" />;
  if (q.isError) return <ErrorPanel source="Keyward server" message={q.error.message} />;
  if (!last) return <NoScanYet icon={KeyRound} what="Keys" />;
  const all = last.keys.filter((k) => index.resources.has(k.arn));
  const protecting = account ? all.filter((k) => k.account === account) : all;
  // Accounts as the organization names them, with how many keys each holds.
  const names = new Map((last.organization?.accounts ?? []).map((a) => [a.id, a.name]));
  const counts = new Map<string, number>();
  for (const k of all) counts.set(k.account, (counts.get(k.account) ?? 0) + 1);
  const setAccount = (v: string) => {
    const next = new URLSearchParams(params.toString());
    if (v) next.set("account", v);
    else next.delete("account");
    router.replace(`${pathname}${next.size ? `?${next.toString()}` : ""}`, { scroll: false });
  };
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <label className="text-xs text-slate-500">
          Account
          <select
            value={account}
            onChange={(e) => setAccount(e.target.value)}
            className="mt-1 block rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-900 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-100"
          >
            <option value="">All accounts ({all.length} keys)</option>
            {[...new Set([...counts.keys(), ...(account ? [account] : [])])].sort().map((a) => (
              <option key={a} value={a}>
                {names.get(a) ? `${names.get(a)} (${a})` : a} · {counts.get(a) ?? 0} keys
              </option>
            ))}
          </select>
        </label>
        <ScanBar />
      </div>
      <SourceErrors errors={last.errors} />
      {protecting.length ? (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className="w-full text-sm" aria-label="Keys">
            <thead>
              <tr className="border-b border-slate-200 text-left text-xs tracking-wide text-slate-500 uppercase dark:border-slate-800">
                <th className="px-3 py-2 font-medium">Key</th>
                <th className="px-3 py-2 font-medium">State</th>
                <th className="px-3 py-2 font-medium">Spec</th>
                <th className="px-3 py-2 font-medium">Account</th>
                <th className="px-3 py-2 font-medium">Region</th>
                <th className="px-3 py-2 font-medium">Rotation</th>
                <th className="px-3 py-2 font-medium">Protects</th>
                <th className="px-3 py-2 font-medium">Last used</th>
                <th className="px-3 py-2 font-medium">Findings</th>
              </tr>
            </thead>
            <tbody>
              {protecting.map((k) => {
                const resources = index.resources.get(k.arn) ?? [];
                const findings = index.findings.get(k.arn) ?? [];
                const worst = worstSeverity(findings);
                return (
                  <tr key={k.arn} className="border-b border-slate-100 last:border-0 dark:border-slate-800" data-testid="key-row">
                    <td className="px-3 py-2">
                      <Link className="text-brand-600 dark:text-brand-400 font-medium hover:underline" href={`/keys/detail?arn=${encodeURIComponent(k.arn)}`}>
                        {k.aliases[0] ?? k.arn.split("/").pop()}
                      </Link>
                      <div>
                        <Arn value={k.arn} max={36} />
                      </div>
                    </td>
                    <td className="px-3 py-2">
                      <Badge tone={k.state === "Enabled" ? "ok" : "bad"}>{k.state ?? "unknown"}</Badge>
                    </td>
                    <td className="px-3 py-2">{k.spec ?? "—"}</td>
                    <td className="px-3 py-2">
                      <span className="font-mono text-xs">{k.account}</span>
                      {names.get(k.account) ? <div className="text-xs text-slate-500">{names.get(k.account)}</div> : null}
                    </td>
                    <td className="px-3 py-2">{k.region}</td>
                    <td className="px-3 py-2">{k.rotation === true ? "on" : k.rotation === false ? "off" : "—"}</td>
                    <td className="px-3 py-2 tabular-nums">{resources.length}</td>
                    <td className="px-3 py-2">{k.lastUsage?.time ? <When iso={k.lastUsage.time} /> : "—"}</td>
                    <td className="px-3 py-2 whitespace-nowrap">
                      {worst ? <SeverityBadge severity={worst} /> : <span className="text-emerald-700 dark:text-emerald-400">none</span>} {findings.length || ""}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : account ? (
        <EmptyState icon={KeyRound} title={`No key of account ${account} protects an agent resource`}>
          <button type="button" className="text-brand-600 dark:text-brand-400 underline" onClick={() => setAccount("")}>
            Show every account
          </button>
        </EmptyState>
      ) : (
        <EmptyState icon={KeyRound} title="No customer or AWS managed key protects an agent resource">
          Every agent resource uses an AWS owned key (see the Resources page and rule KW-ENC-01).
        </EmptyState>
      )}
    </div>
  );
}
