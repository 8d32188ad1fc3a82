"use client";

import { Gauge } from "lucide-react";
import Link from "next/link";

import { Arn } from "@/components/posture/arn";
import { ScanBar } from "@/components/posture/scan-bar";
import { SeverityBadge, SEVERITY_STYLE } from "@/components/posture/severity";
import { SourceErrors } from "@/components/posture/source-errors";
import { When } from "@/components/posture/when";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorPanel } from "@/components/ui/error-panel";
import { Skeleton } from "@/components/ui/skeleton";
import { KIND_LABELS, plural, RESOURCE_KINDS, type ScanResult, SEVERITIES, type KeyType, type Severity, SEVERITY_RANK } from "@/lib/inventory/types.shared";
import type { FindingState } from "@/lib/posture/lifecycle.shared";
import { postureScore, SCORE_EXPLANATION } from "@/lib/posture/score.shared";
import { useLatestScanQuery } from "@/queries/scans";
import { RecentDetections } from "@/components/timeline/recent-detections";

const KEY_TYPES: KeyType[] = ["customer", "aws-managed", "aws-owned", "unknown"];

function Card({ title, children, className = "" }: { title: string; children: React.ReactNode; className?: string }) {
  return (
    <section aria-label={title} className={`rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900 ${className}`}>
      <h2 className="mb-3 text-sm font-semibold text-slate-700 dark:text-slate-300">{title}</h2>
      {children}
    </section>
  );
}

export function Overview() {
  const q = useLatestScanQuery();
  if (q.isPending) {
    return (
      <div role="status" aria-label="Loading the last scan" className="grid gap-4 md:grid-cols-3">
        <Skeleton className="h-36" />
        <Skeleton className="h-36" />
        <Skeleton className="h-36" />
      </div>
    );
  }
  if (q.isError) return <ErrorPanel source="Keyward server" message={q.error.message} />;
  const { last, lastFailure, running, changes } = q.data;
  if (!last) {
    return (
      <div className="space-y-4">
        <div className="flex justify-end">
          <ScanBar />
        </div>
        {lastFailure ? <ErrorPanel source="The last scan" message={lastFailure.error} /> : null}
        <EmptyState icon={Gauge} title={running ? "The first scan is running" : "No scan has run yet"}>
          Keyward lists every Bedrock agent and AgentCore resource in the configured accounts and regions, reads the key that protects each, and checks them against the rule
          catalogue. Run a scan to see the posture here.
        </EmptyState>
      </div>
    );
  }
  // Suppressed findings are counted apart, never silently dropped.
  const open = last.findings.filter((f) => !f.suppressed);
  const suppressed = last.findings.length - open.length;
  const score = postureScore(last.resources, open);
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, open.filter((f) => f.severity === s).length])) as Record<Severity, number>;
  const kinds = RESOURCE_KINDS.filter((k) => last.resources.some((r) => r.kind === k));
  const top = [...open].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.ruleId.localeCompare(b.ruleId)).slice(0, 8);
  const names = new Map(last.resources.map((r) => [r.arn, r.name]));
  return (
    <div className="space-y-4">
      <div className="flex justify-end">
        <ScanBar />
      </div>
      <SourceErrors errors={last.errors} />
      <div className="grid gap-4 lg:grid-cols-3">
        <Card title="Posture score">
          <p className="text-5xl font-semibold tabular-nums" data-testid="posture-score">
            {score ?? "—"}
            <span className="text-xl text-slate-400">/100</span>
          </p>
          <p className="mt-3 text-xs text-slate-500 dark:text-slate-400">{SCORE_EXPLANATION}</p>
        </Card>
        <Card title="Findings by severity">
          <ul className="space-y-1.5" data-testid="severity-counts">
            {SEVERITIES.filter((s) => s !== "info").map((s) => (
              <li key={s} className="flex items-center gap-3">
                <SeverityBadge severity={s} className="w-20 justify-center" />
                <span className="h-2 flex-1 rounded bg-slate-100 dark:bg-slate-800">
                  <span className={`block h-2 rounded ${SEVERITY_STYLE[s]}`} style={{ width: `${open.length ? (100 * bySeverity[s]) / open.length : 0}%` }} />
                </span>
                <Link href={`/resources?severity=${s}`} className="w-8 text-right tabular-nums underline-offset-2 hover:underline" data-testid={`count-${s}`}>
                  {bySeverity[s]}
                </Link>
              </li>
            ))}
          </ul>
          <p className="mt-3 text-xs text-slate-500">
            {plural(open.length, "finding")} on {plural(last.resources.length, "resource")}; {suppressed} suppressed; {plural(last.notAssessed.length, "check")} not assessed (a
            read failed — never counted as a pass).
          </p>
        </Card>
        <Card title="By account">
          <AccountsTable last={last} open={open} />
        </Card>
      </div>
      <Card title="Resources by kind and key type">
        <div className="overflow-x-auto">
          <table className="w-full text-sm" data-testid="kind-key-matrix">
            <thead>
              <tr className="text-left text-xs text-slate-500">
                <th className="py-1 font-medium">Kind</th>
                {KEY_TYPES.map((t) => (
                  <th key={t} className="py-1 text-right font-medium">
                    {t === "customer" ? "Customer managed" : t === "aws-managed" ? "AWS managed" : t === "aws-owned" ? "AWS owned" : "Unknown"}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {kinds.map((k) => (
                <tr key={k} className="border-t border-slate-100 dark:border-slate-800">
                  <td className="py-1.5">{KIND_LABELS[k]}</td>
                  {KEY_TYPES.map((t) => {
                    const n = last.resources.filter((r) => r.kind === k && r.key.type === t).length;
                    return (
                      <td key={t} className="text-right tabular-nums">
                        {n ? (
                          <Link className="hover:underline" href={`/resources?kind=${k}&keyType=${t}`}>
                            {n}
                          </Link>
                        ) : (
                          <span className="text-slate-300 dark:text-slate-700">0</span>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
      {changes ? (
        <Card title="Changed in the last 24 hours">
          <Changes changes={changes} names={new Map(last.resources.map((r) => [r.arn, r.name]))} />
        </Card>
      ) : null}
      <Card title="Detections in the last 7 days">
        <RecentDetections names={names} />
      </Card>
      <Card title="Top findings">
        {top.length ? (
          <ul className="divide-y divide-slate-100 dark:divide-slate-800">
            {top.map((f, i) => (
              <li key={`${f.ruleId}-${f.resourceArn}-${i}`} className="flex flex-wrap items-center gap-3 py-2 text-sm">
                <SeverityBadge severity={f.severity} />
                <span className="font-mono text-xs text-slate-500">{f.ruleId}</span>
                <span className="flex-1">{f.title}</span>
                <Link href={`/resources/detail?arn=${encodeURIComponent(f.resourceArn)}`} className="text-brand-600 dark:text-brand-400 hover:underline">
                  {names.get(f.resourceArn) ?? f.resourceArn.split(":")[3]}
                </Link>
                <Arn value={f.resourceArn} max={36} />
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-600">No findings: every resource passed every rule that could be assessed.</p>
        )}
      </Card>
    </div>
  );
}

/**
 * One row per account: its organizational unit and name where the organization was discovered, its
 * regions, resources, open findings (suppressed ones left out) and read failures; the most findings first.
 */
function AccountsTable({ last, open }: { last: ScanResult; open: ScanResult["findings"] }) {
  const org = new Map((last.organization?.accounts ?? []).map((a) => [a.id, a]));
  const ids = [...new Set([...last.resources.map((r) => r.account), ...(last.organization?.accounts ?? []).filter((a) => !a.skipped).map((a) => a.id)])];
  const rows = ids
    .map((id) => ({
      id,
      info: org.get(id),
      regions: new Set(last.resources.filter((r) => r.account === id).map((r) => r.region)).size,
      resources: last.resources.filter((r) => r.account === id).length,
      findings: open.filter((f) => f.resourceArn.split(":")[4] === id).length,
      errors: last.errors.filter((e) => e.account === id && e.code !== "NotAttempted").length,
    }))
    .sort((a, b) => b.findings - a.findings || b.errors - a.errors || a.id.localeCompare(b.id));
  const read = rows.filter((r) => !r.info?.error);
  const failed = rows.length - read.length;
  const units = new Set(read.map((r) => r.info?.path.at(-1)?.id).filter(Boolean)).size;
  return (
    <>
      {last.organization ? (
        <p className="mb-2 text-xs text-slate-500" data-testid="org-summary">
          Organization <span className="font-mono">{last.organization.organizationId}</span>: {plural(read.length, "account")} read in {plural(units, "unit")}
          {failed ? `, ${plural(failed, "account")} not read` : ""} ·{" "}
          <Link className="underline-offset-2 hover:underline" href="/settings#org-h">
            all accounts
          </Link>
        </p>
      ) : null}
      <div className="max-h-72 overflow-y-auto">
        <table className="w-full text-sm" data-testid="accounts-table">
          <caption className="sr-only">Resources and open findings per account</caption>
          <thead>
            <tr className="text-left text-xs text-slate-500">
              <th scope="col" className="font-medium">
                Account
              </th>
              <th scope="col" className="text-right font-medium">
                Resources
              </th>
              <th scope="col" className="text-right font-medium">
                Findings
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className="border-t border-slate-100 dark:border-slate-800" data-testid="account-row" data-account={r.id}>
                <th scope="row" className="py-1 text-left font-normal">
                  <Link className="font-mono text-xs hover:underline" href={`/resources?account=${r.id}`}>
                    {r.id}
                  </Link>
                  {r.info ? (
                    <span className="block text-xs text-slate-500">
                      {r.info.name}
                      {r.info.path.length > 1 ? ` · ${r.info.path.at(-1)!.name}` : ""}
                    </span>
                  ) : null}
                  {r.errors && !r.info?.error ? <span className="block text-xs text-red-700 dark:text-red-300">{plural(r.errors, "read")} failed</span> : null}
                </th>
                {r.info?.error ? (
                  <td colSpan={2} className="text-right text-xs text-red-700 dark:text-red-300">
                    not read: {r.info.error.code}
                  </td>
                ) : (
                  <>
                    <td className="text-right tabular-nums">
                      {r.resources}
                      <span className="block text-xs text-slate-500">{plural(r.regions, "region")}</span>
                    </td>
                    <td className="text-right tabular-nums">{r.findings}</td>
                  </>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** Findings a scan reported first, or again, in the last day, and those later scans resolved (and why). */
function Changes({ changes, names }: { changes: NonNullable<ReturnType<typeof useLatestScanQuery>["data"]>["changes"]; names: Map<string, string> }) {
  const row = (s: FindingState, what: React.ReactNode) => (
    <li key={s.fingerprint} className="flex flex-wrap items-center gap-3 py-1.5 text-sm">
      <SeverityBadge severity={s.severity} />
      <span className="font-mono text-xs text-slate-500">{s.ruleId}</span>
      <span className="flex-1">{s.title}</span>
      <Link href={`/resources/detail?arn=${encodeURIComponent(s.resourceArn)}`} className="text-brand-600 dark:text-brand-400 hover:underline">
        {names.get(s.resourceArn) ?? s.resourceArn.split(":").slice(5).join(":")}
      </Link>
      <span className="text-xs text-slate-500">{what}</span>
    </li>
  );
  if (!changes.opened.length && !changes.resolved.length)
    return <p className="text-sm text-slate-600 dark:text-slate-400">No finding opened or resolved since {changes.since.slice(0, 16).replace("T", " ")} UTC.</p>;
  return (
    <div className="grid gap-4 md:grid-cols-2" data-testid="changes">
      <div>
        <h3 className="text-xs font-medium tracking-wide text-slate-500 uppercase" data-testid="changes-opened">
          {plural(changes.opened.length, "new finding")}
        </h3>
        <ul className="divide-y divide-slate-100 dark:divide-slate-800">
          {changes.opened.slice(0, 8).map((s) =>
            row(
              s,
              <>
                first seen <When iso={s.firstSeen} />
              </>,
            ),
          )}
        </ul>
      </div>
      <div>
        <h3 className="text-xs font-medium tracking-wide text-slate-500 uppercase" data-testid="changes-resolved">
          {plural(changes.resolved.length, "resolved finding")}
        </h3>
        <ul className="divide-y divide-slate-100 dark:divide-slate-800">
          {changes.resolved.slice(0, 8).map((s) =>
            row(
              s,
              <>
                {s.resolution === "resource gone" ? "resource deleted" : "rule passes"} <When iso={s.resolvedAt!} />
              </>,
            ),
          )}
        </ul>
      </div>
    </div>
  );
}
