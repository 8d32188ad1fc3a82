"use client";

import { ArrowLeft, SearchX } from "lucide-react";
import Link from "next/link";
import { useSearchParams } from "next/navigation";

import { PolicyReviewPanel } from "@/components/policy/policy-review";
import { Arn } from "@/components/posture/arn";
import { SeverityBadge } from "@/components/posture/severity";
import { SuppressControl } from "@/components/posture/suppress-control";
import { When } from "@/components/posture/when";
import { PageHeader } from "@/components/shell/page-header";
import { Timeline } from "@/components/timeline/timeline";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorPanel } from "@/components/ui/error-panel";
import { TableSkeleton } from "@/components/ui/skeleton";
import { isKnown, kindOf } from "@/lib/inventory/kinds";
import { KIND_LABELS, type ResourceKind } from "@/lib/inventory/types.shared";
import { ruleInfo } from "@/lib/posture/catalogue.shared";
import { useLatestScanQuery } from "@/queries/scans";

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <dt className="text-slate-500">{label}</dt>
      <dd className="min-w-0">{children}</dd>
    </>
  );
}

export function ResourceDetail() {
  const arn = useSearchParams().get("arn") ?? "";
  const q = useLatestScanQuery();
  if (q.isPending) return <TableSkeleton rows={6} label="Loading the resource" />;
  if (q.isError) return <ErrorPanel source="Keyward server" message={q.error.message} />;
  const last = q.data.last;
  const r = last?.resources.find((x) => x.arn === arn);
  if (!last || !r) {
    return (
      <EmptyState
        icon={SearchX}
        title="This resource is not in the last scan"
        action={
          <Link className="text-brand-600 dark:text-brand-400 underline" href="/resources">
            Back to resources
          </Link>
        }
      >
        <span className="font-mono text-xs">{arn || "(no ARN given)"}</span>
      </EmptyState>
    );
  }
  const key = last.keys.find((k) => k.arn === r.key.arn);
  const findings = last.findings.filter((f) => f.resourceArn === arn);
  const notAssessed = last.notAssessed.filter((n) => n.resourceArn === arn);
  return (
    <div className="space-y-6">
      <Link href="/resources" className="inline-flex items-center gap-1 text-sm text-slate-600 hover:underline dark:text-slate-400">
        <ArrowLeft aria-hidden className="h-4 w-4" /> Resources
      </Link>
      <PageHeader title={r.name} description={`${KIND_LABELS[r.kind]} in ${r.region} (account ${r.account})`} />
      <div className="grid gap-4 lg:grid-cols-2">
        <section aria-label="Resource" className="rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
          <h2 className="mb-3 text-sm font-semibold">Resource</h2>
          <dl className="grid grid-cols-[8rem_1fr] gap-y-2 text-sm">
            <Field label="ARN">
              <Arn value={r.arn} max={56} />
            </Field>
            <Field label="Status">{r.status ?? "—"}</Field>
            <Field label="Created">{r.created ? <When iso={r.created} /> : "—"}</Field>
            <Field label="Read from">
              {r.recorded?.by === "config" ? (
                <span data-testid="read-from">
                  AWS Config aggregator{last.inventory ? ` ${last.inventory.aggregator}` : ""}, as recorded {r.recorded.at ? <When iso={r.recorded.at} /> : "(time not given)"}
                </span>
              ) : (
                <span data-testid="read-from">the service&apos;s API, at the scan</span>
              )}
            </Field>
            <Field label="Roles">{r.roles.length ? r.roles.map((x) => <Arn key={x} value={x} max={56} />) : "—"}</Field>
            <Field label="Secrets">
              {r.secrets.length
                ? r.secrets.map((s) => (
                    <div key={s.arn} className="flex flex-wrap items-center gap-2">
                      <Arn value={s.arn} max={48} /> <Badge>{s.source === "EXTERNAL" ? `external · ${s.jsonKey ?? ""}` : "service-managed"}</Badge>
                    </div>
                  ))
                : "—"}
            </Field>
          </dl>
        </section>
        <section aria-label="Key" className="rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900" data-testid="key-card">
          <h2 className="mb-3 text-sm font-semibold">Encryption key</h2>
          {r.key.type === "aws-owned" ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">An AWS owned key: not visible in your account, no key policy, no CloudTrail record of its use.</p>
          ) : (
            <dl className="grid grid-cols-[8rem_1fr] gap-y-2 text-sm">
              <Field label="Key">
                <Arn value={r.key.arn} max={56} />
              </Field>
              <Field label="Type">
                <Badge tone={r.key.type === "customer" ? "ok" : "warn"}>{r.key.type}</Badge>
              </Field>
              <Field label="State">
                <Badge tone={r.key.state === "Enabled" ? "ok" : "bad"}>{r.key.state ?? "not readable"}</Badge>
              </Field>
              <Field label="Spec">{r.key.spec ?? "—"}</Field>
              <Field label="Region">{r.key.region ?? "—"}</Field>
              <Field label="Rotation">{r.key.rotation === true ? "on" : r.key.rotation === false ? "off" : "—"}</Field>
              <Field label="Aliases">{key?.aliases.length ? key.aliases.join(", ") : "—"}</Field>
              <Field label="Grants">{key ? `${key.grants.length} (${key.grants.filter((g) => !g.forAwsService).length} not for an AWS service)` : "—"}</Field>
              <Field label="Last used">
                {key?.lastUsage?.time ? (
                  <>
                    {key.lastUsage.operation} <When iso={key.lastUsage.time} />
                  </>
                ) : (
                  "—"
                )}
              </Field>
              {key ? (
                <Field label="More">
                  <Link className="text-brand-600 dark:text-brand-400 hover:underline" href={`/keys/detail?arn=${encodeURIComponent(key.arn)}`}>
                    Key policy, grants and impact →
                  </Link>
                </Field>
              ) : null}
            </dl>
          )}
          <KindFacts kind={r.kind} />
        </section>
      </div>
      <section aria-labelledby="findings-h">
        <h2 id="findings-h" className="mb-3 text-lg font-semibold">
          Findings ({findings.length})
        </h2>
        {findings.length ? (
          <ul className="space-y-3" data-testid="finding-list">
            {findings.map((f, i) => {
              const info = ruleInfo(f.ruleId);
              return (
                <li key={`${f.ruleId}-${i}`} className="rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
                  <div className="flex flex-wrap items-center gap-2">
                    <SeverityBadge severity={f.severity} />
                    <span className="font-mono text-xs text-slate-500">{f.ruleId}</span>
                    <h3 className="font-medium">{f.title}</h3>
                  </div>
                  {info ? <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">{info.rationale}</p> : null}
                  <h4 className="mt-3 text-xs font-semibold tracking-wide text-slate-500 uppercase">Evidence</h4>
                  <pre className="mt-1 overflow-x-auto rounded-lg bg-slate-50 p-2 text-xs dark:bg-slate-950">{JSON.stringify(f.evidence, null, 2)}</pre>
                  {info ? (
                    <>
                      <h4 className="mt-3 text-xs font-semibold tracking-wide text-slate-500 uppercase">Remediation</h4>
                      <p className="mt-1 text-sm">{info.remediation}</p>
                      <p className="mt-2 text-xs text-slate-500">Source: {info.source}</p>
                    </>
                  ) : null}
                  <SuppressControl finding={f} />
                </li>
              );
            })}
          </ul>
        ) : (
          <p className="text-sm text-slate-600 dark:text-slate-400">No findings for this resource.</p>
        )}
        {notAssessed.length ? (
          <div className="mt-4 rounded-xl border border-amber-200 bg-amber-50 p-3 text-sm dark:border-amber-900 dark:bg-amber-950/40">
            <p className="font-medium">Not assessed ({notAssessed.length})</p>
            <ul className="mt-1 list-disc pl-5">
              {notAssessed.map((n) => (
                <li key={n.ruleId}>
                  {n.ruleId}: {n.reason}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </section>
      <section aria-labelledby="res-timeline-h" className="space-y-3">
        <h2 id="res-timeline-h" className="text-lg font-semibold">
          Key usage for this resource (last 7 days)
        </h2>
        <Timeline embedded fixed={{ resource: r.arn }} />
      </section>
      {r.key.type === "customer" && r.key.arn ? (
        <section aria-labelledby="policy-h" className="space-y-3" data-testid="resource-policy">
          <h2 id="policy-h" className="text-lg font-semibold">
            Key policy and access
          </h2>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            The policy of this resource&apos;s key against the documented template, and who can use the key for it.{" "}
            <Link className="text-brand-600 dark:text-brand-400 underline" href={`/keys/detail?arn=${encodeURIComponent(r.key.arn)}#policy-h`}>
              All resources of this key
            </Link>
          </p>
          <PolicyReviewPanel target="key" arn={r.key.arn} resourceArn={r.arn} />
        </section>
      ) : null}
      {r.secrets
        .filter((s) => s.source === "EXTERNAL")
        .map((s) => (
          <section key={s.arn} aria-label={`Secret policy of ${s.arn}`} className="space-y-3" data-testid="secret-policy">
            <h2 className="text-lg font-semibold">Secret resource policy</h2>
            <p className="text-sm text-slate-600 dark:text-slate-400">
              <span className="font-mono text-xs">{s.arn}</span> against the seed-004 template. Keyward describes the secret; it never reads its value.
            </p>
            <PolicyReviewPanel target="secret" arn={s.arn} />
          </section>
        ))}
    </div>
  );
}

/** What Keyward knows of the resource's kind (its descriptor): where the key is set, what breaks without it, the documented policy. */
function KindFacts({ kind }: { kind: ResourceKind }) {
  const k = kindOf(kind);
  return (
    <dl className="mt-4 grid grid-cols-[8rem_1fr] gap-y-2 border-t border-slate-200 pt-3 text-sm dark:border-slate-800" data-testid="kind-facts">
      <Field label="Key setting">{isKnown(k.key) ? <code className="text-xs">{k.key.field}</code> : k.key.none}</Field>
      {isKnown(k.key) ? <Field label="To set one">{k.key.remediation}</Field> : null}
      <Field label="Without its key">{k.impact}</Field>
      <Field label="Key policy">{isKnown(k.policy) ? `held to AWS's template (${k.policy.templates.join(", ")})` : <span>not assessed: {k.policy.none}</span>}</Field>
      <Field label="AWS page">
        <a className="text-brand-600 dark:text-brand-400 hover:underline" href={k.doc.url} target="_blank" rel="noreferrer">
          {k.doc.title}
        </a>
      </Field>
    </dl>
  );
}
