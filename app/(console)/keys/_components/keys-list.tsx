"use client";

import { KeyRound } from "lucide-react";
import Link from "next/link";

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
import { worstSeverity } from "@/lib/inventory/types.shared";
import { useLatestScanQuery } from "@/queries/scans";

export function KeysList() {
  const q = useLatestScanQuery();
  if (q.isPending) return <TableSkeleton rows={8} label="Loading keys" />;
  if (q.isError) return <ErrorPanel source="Keyward server" message={q.error.message} />;
  const last = q.data.last;
  if (!last) return <NoScanYet icon={KeyRound} what="Keys" />;
  const protecting = last.keys.filter((k) => last.resources.some((r) => r.key.arn === k.arn));
  return (
    <div className="space-y-4">
      <div className="flex justify-end">
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
                <th className="px-3 py-2 font-medium">Region</th>
                <th className="px-3 py-2 font-medium">Rotation</th>
                <th className="px-3 py-2 font-medium">Protects</th>
                <th className="px-3 py-2 font-medium">Last used</th>
                <th className="px-3 py-2 font-medium">Findings</th>
              </tr>
            </thead>
            <tbody>
              {protecting.map((k) => {
                const resources = last.resources.filter((r) => r.key.arn === k.arn);
                const findings = last.findings.filter((f) => f.keyArn === k.arn);
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
      ) : (
        <EmptyState icon={KeyRound} title="No customer or AWS managed key protects an agent resource">
          Every agent resource uses an AWS owned key (see the Resources page and rule KW-ENC-01).
        </EmptyState>
      )}
    </div>
  );
}
