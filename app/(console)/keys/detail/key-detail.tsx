"use client";

import { ArrowLeft, SearchX } from "lucide-react";
import Link from "next/link";
import { useSearchParams } from "next/navigation";

import { PolicyReviewPanel } from "@/components/policy/policy-review";
import { Arn } from "@/components/posture/arn";
import { SeverityBadge } from "@/components/posture/severity";
import { When } from "@/components/posture/when";
import { PageHeader } from "@/components/shell/page-header";
import { Timeline } from "@/components/timeline/timeline";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorPanel } from "@/components/ui/error-panel";
import { TableSkeleton } from "@/components/ui/skeleton";
import { kindOf } from "@/lib/inventory/kinds";
import { KIND_LABELS } from "@/lib/inventory/types.shared";
import { useLatestScanQuery } from "@/queries/scans";

const TIMELINE_FILTERS = (arn: string) => ({ key: arn });

export function KeyDetail() {
  const arn = useSearchParams().get("arn") ?? "";
  const q = useLatestScanQuery();
  if (q.isPending) return <TableSkeleton rows={6} label="Loading the key" />;
  if (q.isError) return <ErrorPanel source="Keyward server" message={q.error.message} />;
  const last = q.data.last;
  const k = last?.keys.find((x) => x.arn === arn);
  if (!last || !k) {
    return (
      <EmptyState
        icon={SearchX}
        title="This key is not in the last scan"
        action={
          <Link className="text-brand-600 dark:text-brand-400 underline" href="/keys">
            Back to keys
          </Link>
        }
      >
        <span className="font-mono text-xs">{arn || "(no ARN given)"}</span>
      </EmptyState>
    );
  }
  const resources = last.resources.filter((r) => r.key.arn === k.arn);
  const providers = last.resources.filter((r) => r.secrets.some((s) => last.secrets.find((x) => x.arn === s.arn)?.kmsKeyId === k.arn));
  const affected = [...resources, ...providers];
  const findings = last.findings.filter((f) => f.keyArn === k.arn);
  return (
    <div className="space-y-6">
      <Link href="/keys" className="inline-flex items-center gap-1 text-sm text-slate-600 hover:underline dark:text-slate-400">
        <ArrowLeft aria-hidden className="h-4 w-4" /> Keys
      </Link>
      <PageHeader title={k.aliases[0] ?? k.arn.split("/").pop()!} description={k.description || `${k.type} key in ${k.region}`} />
      <section aria-label="Key facts" className="rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
        <dl className="grid grid-cols-[9rem_1fr] gap-y-2 text-sm">
          <dt className="text-slate-500">ARN</dt>
          <dd>
            <Arn value={k.arn} max={70} />
          </dd>
          <dt className="text-slate-500">State</dt>
          <dd>
            <Badge tone={k.state === "Enabled" ? "ok" : "bad"}>{k.state}</Badge>{" "}
            {k.deletionDate ? (
              <>
                deleted <When iso={k.deletionDate} />
              </>
            ) : null}
          </dd>
          <dt className="text-slate-500">Spec / usage</dt>
          <dd>
            {k.spec} / {k.usage}
          </dd>
          <dt className="text-slate-500">Manager</dt>
          <dd>{k.manager}</dd>
          <dt className="text-slate-500">Rotation</dt>
          <dd>{k.rotation === true ? "on" : k.rotation === false ? "off" : "—"}</dd>
          <dt className="text-slate-500">Aliases</dt>
          <dd>{k.aliases.join(", ") || "—"}</dd>
          <dt className="text-slate-500">Last used</dt>
          <dd>
            {k.lastUsage?.time ? (
              <>
                {k.lastUsage.operation} <When iso={k.lastUsage.time} />
              </>
            ) : (
              "not used since tracking began"
            )}
          </dd>
        </dl>
      </section>
      <section aria-labelledby="impact-h" className="rounded-xl border border-amber-200 bg-amber-50 p-4 dark:border-amber-900 dark:bg-amber-950/30" data-testid="impact-panel">
        <h2 id="impact-h" className="text-sm font-semibold">
          If this key is disabled or scheduled for deletion
        </h2>
        {affected.length ? (
          <ul className="mt-2 space-y-1 text-sm">
            {affected.map((r) => (
              <li key={r.arn}>
                <Link className="text-brand-600 dark:text-brand-400 font-medium hover:underline" href={`/resources/detail?arn=${encodeURIComponent(r.arn)}`}>
                  {r.name}
                </Link>{" "}
                <span className="text-slate-500">
                  ({KIND_LABELS[r.kind]}, {r.region})
                </span>{" "}
                — {kindOf(r.kind).impact}
              </li>
            ))}
          </ul>
        ) : (
          <p className="mt-2 text-sm">No scanned agent resource depends on this key.</p>
        )}
      </section>
      <section aria-labelledby="grants-h">
        <h2 id="grants-h" className="mb-2 text-lg font-semibold">
          Grants ({k.grants.length})
        </h2>
        {k.grants.length ? (
          <table className="w-full rounded-xl border border-slate-200 bg-white text-sm dark:border-slate-800 dark:bg-slate-900" aria-label="Grants">
            <thead>
              <tr className="text-left text-xs text-slate-500 uppercase">
                <th className="px-3 py-2 font-medium">Grantee</th>
                <th className="px-3 py-2 font-medium">Operations</th>
                <th className="px-3 py-2 font-medium">Kind</th>
              </tr>
            </thead>
            <tbody>
              {k.grants.map((g) => (
                <tr key={g.grantId} className="border-t border-slate-100 dark:border-slate-800">
                  <td className="px-3 py-2 font-mono text-xs">{g.grantee}</td>
                  <td className="px-3 py-2">{g.operations.join(", ")}</td>
                  <td className="px-3 py-2">{g.forAwsService ? <Badge tone="ok">AWS service use</Badge> : <Badge tone="warn">person or tool</Badge>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="text-sm text-slate-600 dark:text-slate-400">No grants.</p>
        )}
      </section>
      <section aria-labelledby="kf-h">
        <h2 id="kf-h" className="mb-2 text-lg font-semibold">
          Findings on this key ({findings.length})
        </h2>
        <ul className="space-y-1 text-sm">
          {findings.map((f, i) => (
            <li key={`${f.ruleId}-${i}`} className="flex items-center gap-2">
              <SeverityBadge severity={f.severity} /> <span className="font-mono text-xs">{f.ruleId}</span> {f.title}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="key-timeline-h" className="space-y-3">
        <h2 id="key-timeline-h" className="text-lg font-semibold">
          Key usage (last 7 days)
        </h2>
        <Timeline embedded fixed={TIMELINE_FILTERS(k.arn)} />
      </section>
      <section aria-labelledby="policy-h" className="space-y-3">
        <h2 id="policy-h" className="text-lg font-semibold">
          Key policy against the documented templates
        </h2>
        <PolicyReviewPanel target="key" arn={k.arn} />
      </section>
    </div>
  );
}
