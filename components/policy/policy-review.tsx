"use client";

import { clsx } from "clsx";
import { Check, Copy, Download, ShieldAlert, ShieldCheck } from "lucide-react";
import dynamic from "next/dynamic";
import { useId, useRef, useState } from "react";

import { SeverityBadge } from "@/components/posture/severity";
import { Badge } from "@/components/ui/badge";
import { ErrorPanel } from "@/components/ui/error-panel";
import { TableSkeleton } from "@/components/ui/skeleton";
import type { ExtraStatementResult, StatementStatus, TemplateStatementResult } from "@/lib/policy/diff";
import type { PolicyReview } from "@/lib/policy/review";
import type { Variables } from "@/lib/policy/templates";
import type { AccessCheck } from "@/lib/posture/access";
import { useMeQuery } from "@/queries/me";
import { useApplyPolicyMutation, usePolicyReviewQuery } from "@/queries/policy";
import { useLatestScanQuery } from "@/queries/scans";

// CodeMirror is large and browser-only: loaded when a policy view is shown.
const MergeJson = dynamic(() => import("./merge-view").then((m) => m.MergeJson), { ssr: false, loading: () => <TableSkeleton rows={4} label="Loading the diff view" /> });

type ShownStatus = StatementStatus | "optional";

/** How a statement's result is shown: an optional statement the policy leaves out is not a gap. */
const shown = (r: Pick<TemplateStatementResult, "status" | "optional">): ShownStatus => (r.optional && r.status === "missing" ? "optional" : r.status);

const STATUS: Record<ShownStatus, { tone: "ok" | "warn" | "bad" | "neutral"; label: string; means: string; card: string }> = {
  optional: {
    tone: "neutral",
    label: "optional, absent",
    means: "AWS's page calls for this statement only in some setups (see the template's note): its absence is not a gap.",
    card: "border-slate-200 dark:border-slate-800",
  },
  match: { tone: "ok", label: "match", means: "The policy grants what this statement grants.", card: "border-emerald-200 dark:border-emerald-900" },
  broader: {
    tone: "warn",
    label: "broader",
    means: "The policy grants more than this statement: a risk.",
    card: "border-amber-300 bg-amber-50/60 dark:border-amber-800 dark:bg-amber-950/20",
  },
  narrower: {
    tone: "bad",
    label: "narrower",
    means: "The policy grants less than this statement: the service or caller will fail.",
    card: "border-red-300 bg-red-50/60 dark:border-red-900 dark:bg-red-950/20",
  },
  mixed: {
    tone: "bad",
    label: "mixed",
    means: "The policy grants more than this statement in one way and less in another: a risk, and the service or caller may fail.",
    card: "border-red-300 bg-red-50/60 dark:border-red-900 dark:bg-red-950/20",
  },
  missing: {
    tone: "bad",
    label: "missing",
    means: "Nothing in the policy grants it: the service or caller will fail.",
    card: "border-red-300 bg-red-50/60 dark:border-red-900 dark:bg-red-950/20",
  },
};

const pretty = (text: string | undefined) => {
  if (text === undefined) return "";
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
};

function StatementCard({ r, policyStatements }: { r: TemplateStatementResult; policyStatements: { Sid?: string }[] }) {
  const s = STATUS[shown(r)];
  return (
    <li className={clsx("rounded-xl border bg-white p-3 text-sm dark:bg-slate-900", s.card)} data-testid="statement-card" data-status={shown(r)}>
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={s.tone}>{s.label}</Badge>
        <span className="font-mono text-xs text-slate-500">
          {r.templateId} #{r.index + 1}
        </span>
        <span className="font-medium">{r.sid ?? "(no Sid)"}</span>
      </div>
      <p className="mt-1 text-slate-600 dark:text-slate-400">{r.purpose}</p>
      <p className="mt-1 text-xs text-slate-500">{s.means}</p>
      {r.reasons.length ? (
        <ul className="mt-2 list-disc space-y-0.5 pl-5">
          {r.reasons.map((x) => (
            <li key={x}>{x}</li>
          ))}
        </ul>
      ) : null}
      {r.matchedBy.length ? (
        <p className="mt-2 text-xs text-slate-500">
          Granted by:{" "}
          {r.matchedBy.map((i) => (
            <span key={i} className="mr-2 font-mono">
              #{i + 1} {policyStatements[i]?.Sid ? `"${policyStatements[i].Sid}"` : ""}
            </span>
          ))}
        </p>
      ) : null}
    </li>
  );
}

function ExtraCard({ e }: { e: ExtraStatementResult }) {
  return (
    <li
      className={clsx(
        "rounded-xl border bg-white p-3 text-sm dark:bg-slate-900",
        e.flagged ? "border-orange-300 bg-orange-50/60 dark:border-orange-800 dark:bg-orange-950/20" : "border-slate-200 dark:border-slate-800",
      )}
      data-testid="extra-card"
      data-flagged={e.flagged}
    >
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={e.flagged ? "warn" : "neutral"}>{e.effect === "Deny" ? "deny" : e.flagged ? "extra — review" : "extra"}</Badge>
        <span className="font-mono text-xs text-slate-500">statement #{e.index + 1}</span>
        <span className="font-medium">{e.sid ?? "(no Sid)"}</span>
      </div>
      <p className="mt-1">{e.reason}</p>
      <p className="mt-1 text-xs text-slate-500">
        Principals: <span className="font-mono">{e.principals.join(", ") || "—"}</span>
        {e.partial ? " · part of the statement" : ""}
      </p>
    </li>
  );
}

function AccessTable({ name, checks }: { name: string; checks: AccessCheck[] }) {
  return (
    <table
      className="w-full rounded-xl border border-slate-200 bg-white text-sm dark:border-slate-800 dark:bg-slate-900"
      aria-label={`Access checks for ${name}`}
      data-testid="access-table"
    >
      <thead>
        <tr className="text-left text-xs text-slate-500 uppercase">
          <th className="px-3 py-2 font-medium">Question</th>
          <th className="px-3 py-2 font-medium">Expected</th>
          <th className="px-3 py-2 font-medium">Answer</th>
          <th className="px-3 py-2 font-medium">Decided by</th>
        </tr>
      </thead>
      <tbody>
        {checks.map((c) => {
          const allowed = c.answers.filter((a) => a.decision === "Allowed").map((a) => a.action);
          const denied = c.answers.filter((a) => a.decision !== "Allowed").map((a) => a.action);
          const deciding = [...new Set(c.answers.flatMap((a) => a.decidingStatements))];
          return (
            <tr key={c.id} className="border-t border-slate-100 align-top dark:border-slate-800" data-testid="access-row" data-ok={c.ok}>
              <td className="px-3 py-2">
                {c.question}
                {c.rule ? <span className="ml-2 font-mono text-xs text-slate-500">{c.rule}</span> : null}
                {c.note ? <p className="mt-1 text-xs text-slate-500">{c.note}</p> : null}
              </td>
              <td className="px-3 py-2 whitespace-nowrap">{c.expect === "allow" ? "allowed" : "denied"}</td>
              <td className="px-3 py-2">
                <span className="inline-flex items-center gap-1">
                  {c.ok ? <ShieldCheck aria-hidden className="h-4 w-4 text-emerald-600" /> : <ShieldAlert aria-hidden className="h-4 w-4 text-red-600" />}
                  <Badge tone={c.ok ? "ok" : "bad"}>{c.ok ? "as expected" : "not as expected"}</Badge>
                </span>
                {allowed.length ? <p className="mt-1 text-xs">Allowed: {allowed.join(", ")}</p> : null}
                {denied.length ? <p className="mt-1 text-xs text-slate-500">Denied: {denied.join(", ")}</p> : null}
              </td>
              <td className="px-3 py-2 font-mono text-xs">{deciding.join(", ") || (denied.length ? "no statement allows it" : "—")}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

const GROUP_WORDS: Record<string, string> = {
  use: "use it",
  read: "read the value",
  grants: "create grants",
  write: "change the value",
  policy: "change its policy",
  administration: "administer it",
  metadata: "read its metadata",
};

/** IAM Access Analyzer's own answers, beside Keyward's. */
function AccessAnalyzerAnswer({ review }: { review: PolicyReview }) {
  const aa = review.accessAnalyzer;
  if (!aa) return <p className="text-xs text-slate-500">IAM Access Analyzer was not asked about this policy (see accessAnalyzer in the configuration).</p>;
  const pub = aa.noPublicAccess;
  const v = aa.validate;
  return (
    <div className="space-y-1 text-sm" data-testid="access-analyzer">
      <p>
        <span className="font-medium">IAM Access Analyzer, public access: </span>
        {!pub ? (
          <span className="text-slate-500">not asked (CheckNoPublicAccess is billed per call; turn it on with accessAnalyzer.checkNoPublicAccess)</span>
        ) : "error" in pub ? (
          <span className="text-amber-800 dark:text-amber-200">no answer ({pub.error})</span>
        ) : (
          <>
            <Badge tone={pub.result === "PASS" ? "ok" : "bad"}>{pub.result}</Badge> {pub.message}
            {pub.reasons.length ? ` — ${pub.reasons.map((r) => `${r.description ?? ""}${r.statementId ? ` (${r.statementId})` : ""}`).join("; ")}` : ""}
          </>
        )}
      </p>
      {v && "error" in v ? (
        <p className="text-amber-800 dark:text-amber-200">IAM Access Analyzer ValidatePolicy gave no answer ({v.error}).</p>
      ) : v ? (
        v.findings.length ? (
          <ul className="space-y-1" aria-label="IAM Access Analyzer policy checks">
            {v.findings.map((f, i) => (
              <li key={`${f.issueCode}-${i}`} className="text-xs">
                <Badge tone={f.findingType === "ERROR" || f.findingType === "SECURITY_WARNING" ? "bad" : "neutral"}>{f.findingType}</Badge>{" "}
                <span className="font-mono">{f.issueCode}</span>
                {f.statement !== undefined ? ` (statement ${f.statement + 1})` : ""}: {f.details}{" "}
                {f.learnMoreLink ? (
                  <a className="text-brand-700 dark:text-brand-400 underline" href={f.learnMoreLink} target="_blank" rel="noreferrer">
                    AWS&apos;s explanation
                  </a>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-xs text-slate-600 dark:text-slate-400">IAM Access Analyzer&apos;s policy checks (ValidatePolicy) found nothing.</p>
        )
      ) : null}
    </div>
  );
}

/** Who outside the account (and the trusted set) can do what: the one analysis KW-POL-03 and KW-SEC-02 read. */
function OutsideAccess({ review }: { review: PolicyReview }) {
  const v = review.outside;
  const what = review.target === "key" ? "key" : "secret";
  return (
    <section aria-labelledby="outside-h" className="space-y-2" data-testid="outside-access">
      <h3 id="outside-h" className="font-semibold">
        Outside access
      </h3>
      {v.error ? (
        <p className="text-sm text-amber-800 dark:text-amber-200" data-testid="outside-not-assessed">
          Not assessed: {v.error}. Keyward does not call a policy it cannot read safe.
        </p>
      ) : v.open.length === 0 ? (
        <p className="text-sm text-emerald-700 dark:text-emerald-300" data-testid="outside-none">
          Nobody outside account {review.account}
          {v.analysis && (v.analysis.trusted.accounts.length || v.analysis.trusted.organizations.length) ? " and the trusted accounts and organizations" : ""} can do anything with
          this {what}.
        </p>
      ) : (
        <ul className="space-y-2" aria-label={`Who outside the account can act on the ${what}`}>
          {v.open.map((g) => (
            <li
              key={g.who}
              className="rounded-xl border border-red-300 bg-red-50/60 p-3 text-sm dark:border-red-900 dark:bg-red-950/20"
              data-testid="outside-grant"
              data-who={g.who}
            >
              <div className="flex flex-wrap items-center gap-2">
                <SeverityBadge severity={g.severity} />
                <span className="font-medium">{g.label}</span>
                <span className="font-mono text-xs text-slate-500">{g.who}</span>
              </div>
              <p className="mt-1">Can {g.groups.map((x) => GROUP_WORDS[x] ?? x).join(", ")}.</p>
              <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">{g.why}</p>
              <p className="mt-1 text-xs">
                Actions: <span className="font-mono">{g.actions.join(", ")}</span>
              </p>
              <p className="mt-1 text-xs">
                Statements: <span className="font-mono">{g.statements.join(", ")}</span>
              </p>
            </li>
          ))}
        </ul>
      )}
      <AccessAnalyzerAnswer review={review} />
      {v.documented.length ? (
        <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="outside-documented">
          As AWS documents it for this resource ({v.documented[0].source}):{" "}
          {v.documented.map((g) => `${g.label} can ${g.groups.map((x) => GROUP_WORDS[x] ?? x).join(", ")} (${g.statements.join(", ")})`).join("; ")}.
        </p>
      ) : null}
    </section>
  );
}

function CopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="inline-flex items-center gap-1 rounded-lg border border-slate-300 px-2.5 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => {
          setDone(true);
          setTimeout(() => setDone(false), 1500);
        });
      }}
    >
      {done ? <Check aria-hidden className="h-4 w-4" /> : <Copy aria-hidden className="h-4 w-4" />} {done ? "Copied" : label}
    </button>
  );
}

function FixPanel({ review }: { review: PolicyReview }) {
  const me = useMeQuery();
  const apply = useApplyPolicyMutation();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const diff = review.diff!;
  const merged = JSON.stringify(diff.merged, null, 2);
  const canApply = me.data?.permissions.applyChanges ?? false;
  const blocked = diff.open.length
    ? `Fill in ${diff.open.map((o) => "${" + o + "}").join(", ")} above before applying.`
    : !review.basedOn
      ? "The current policy could not be read."
      : undefined;
  const download = () => {
    const url = URL.createObjectURL(new Blob([merged], { type: "application/json" }));
    const a = Object.assign(document.createElement("a"), { href: url, download: "policy.json" });
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <section aria-labelledby="fix-h" className="space-y-3 rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900" data-testid="fix-panel">
      <h3 id="fix-h" className="font-semibold">
        Corrected policy
      </h3>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        The current policy with the missing statements added, the broader ones narrowed and every statement that lets someone outside the account in removed; other statements no
        template accounts for and Deny statements are kept for you to decide.
      </p>
      <MergeJson left={pretty(review.policy)} right={merged} leftLabel="Current policy" rightLabel="Corrected policy" testId="fix-diff" />
      <div className="flex flex-wrap items-center gap-2">
        <CopyButton text={merged} label="Copy JSON" />
        <button
          type="button"
          onClick={download}
          className="inline-flex items-center gap-1 rounded-lg border border-slate-300 px-2.5 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          <Download aria-hidden className="h-4 w-4" /> Download policy.json
        </button>
        <CopyButton text={review.command} label="Copy CLI command" />
        {canApply ? (
          <button
            type="button"
            disabled={!!blocked || apply.isPending}
            title={blocked}
            onClick={() => dialog.current?.showModal()}
            className="bg-brand-600 hover:bg-brand-700 rounded-lg px-3 py-1.5 text-sm font-medium text-white disabled:cursor-not-allowed disabled:opacity-50"
          >
            Apply…
          </button>
        ) : (
          <span className="text-xs text-slate-500">Operators can apply the corrected policy from here.</span>
        )}
      </div>
      {blocked && canApply ? <p className="text-sm text-amber-700 dark:text-amber-300">{blocked}</p> : null}
      <pre className="overflow-x-auto rounded-lg bg-slate-900 p-2 text-xs text-slate-100" data-testid="fix-command">
        {review.command}
      </pre>
      {apply.isSuccess ? (
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-300" data-testid="apply-result">
          Applied. A rescan is running; this view refreshes when it finishes.
        </p>
      ) : null}
      {apply.isError ? <ErrorPanel source={review.target === "key" ? "KMS PutKeyPolicy" : "Secrets Manager PutResourcePolicy"} message={apply.error.message} /> : null}
      <dialog ref={dialog} aria-labelledby={titleId} className="m-auto max-w-lg rounded-xl p-0 backdrop:bg-slate-900/50 dark:bg-slate-900 dark:text-slate-100">
        <form
          method="dialog"
          className="space-y-3 p-5"
          onSubmit={(e) => {
            if ((e.nativeEvent as SubmitEvent).submitter?.getAttribute("value") !== "apply") return;
            apply.mutate({ target: review.target, arn: review.arn, policy: JSON.stringify(diff.merged), basedOn: review.basedOn! });
          }}
        >
          <h4 id={titleId} className="text-lg font-semibold">
            Replace the {review.target === "key" ? "key policy" : "secret's resource policy"}?
          </h4>
          <p className="text-sm">
            Keyward will write the corrected policy to <span className="font-mono text-xs break-all">{review.arn}</span> with{" "}
            {review.target === "key" ? "kms:PutKeyPolicy" : "secretsmanager:PutResourcePolicy"}. The call is recorded in CloudTrail and in Keyward&apos;s audit log. If the policy
            changed since the last scan, nothing is written.
          </p>
          <div className="flex justify-end gap-2">
            <button value="cancel" className="rounded-lg border border-slate-300 px-3 py-1.5 text-sm dark:border-slate-700">
              Cancel
            </button>
            <button value="apply" className="rounded-lg bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-700">
              Replace the policy
            </button>
          </div>
        </form>
      </dialog>
    </section>
  );
}

function OpenVariables({ review, onSubmit }: { review: PolicyReview; onSubmit: (v: Variables) => void }) {
  const open = [...new Set(review.templates.flatMap((t) => t.open))];
  if (!open.length) return null;
  return (
    <form
      className="flex flex-wrap items-end gap-3 rounded-xl border border-amber-200 bg-amber-50 p-3 text-sm dark:border-amber-900 dark:bg-amber-950/30"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        onSubmit(Object.fromEntries(open.map((o) => [o, String(data.get(o) ?? "").trim()]).filter(([, v]) => v)) as Variables);
      }}
      aria-label="Open template variables"
    >
      <p className="basis-full">
        The scan does not record {open.map((o) => "${" + o + "}").join(", ")}: statements that name it match whatever the policy has there. Enter a value to check it and to fill
        the corrected policy.
      </p>
      {open.map((o) => (
        <label key={o} className="flex flex-col gap-1">
          <span className="font-mono text-xs">{o}</span>
          <input name={o} className="rounded-lg border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900" placeholder={o === "role" ? "RoleName" : o} />
        </label>
      ))}
      <button type="submit" className="rounded-lg border border-slate-300 bg-white px-3 py-1.5 dark:border-slate-700 dark:bg-slate-900">
        Resolve
      </button>
    </form>
  );
}

/** The policy of a key or secret against the documented templates, its access checks and the fix. */
export function PolicyReviewPanel({ target, arn, resourceArn }: { target: "key" | "secret"; arn: string; resourceArn?: string }) {
  const scan = useLatestScanQuery();
  const [vars, setVars] = useState<Variables>({});
  const q = usePolicyReviewQuery(target, arn, vars, scan.data?.last?.id);
  if (q.isPending) return <TableSkeleton rows={5} label="Comparing the policy with the templates" />;
  if (q.isError) return <ErrorPanel source="Policy review" message={q.error.message} />;
  const review = q.data;
  const policyStatements = (() => {
    try {
      const d = JSON.parse(review.policy ?? "{}") as { Statement?: unknown };
      return (Array.isArray(d.Statement) ? d.Statement : d.Statement ? [d.Statement] : []) as { Sid?: string }[];
    } catch {
      return [];
    }
  })();
  const resources = resourceArn ? review.resources.filter((r) => r.arn === resourceArn) : review.resources;
  const diff = review.diff;
  const counts = diff
    ? (["missing", "mixed", "narrower", "broader", "match", "optional"] as const).map((s) => [s, diff.results.filter((r) => shown(r) === s).length] as const)
    : [];
  return (
    <div className="space-y-4" data-testid="policy-review">
      {review.readError ? (
        <ErrorPanel source={target === "key" ? "KMS GetKeyPolicy" : "Secrets Manager GetResourcePolicy"} message={`The policy could not be read (${review.readError}).`} />
      ) : null}
      {!review.templates.length ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No scanned agent resource uses this {target}, so no documented template applies.</p>
      ) : (
        <>
          <div className="text-sm">
            <p className="text-slate-600 dark:text-slate-400">Compared by meaning (not text) with:</p>
            <ul className="mt-1 space-y-1" data-testid="template-uses">
              {review.templates.map((t) => (
                <li key={`${t.id}-${t.resources.join()}`}>
                  <span className="font-mono text-xs">{t.id}</span> — {t.title}, for {t.resources.join(", ")}
                  <span className="block font-mono text-xs text-slate-500">
                    {Object.entries(t.variables)
                      .map(([k, v]) => `${k}=${v}`)
                      .join(" ")}
                    {t.open.map((o) => ` ${o}=\${${o}}`).join("")}
                  </span>
                  <span className="block text-xs text-slate-500">
                    Source: {t.source}
                    {t.note ? ` · ${t.note}` : ""}
                  </span>
                </li>
              ))}
            </ul>
          </div>
          <OpenVariables review={review} onSubmit={(v) => setVars(v)} />
          {review.diffError ? <ErrorPanel source="Policy engine" message={`The current policy is not a valid policy: ${review.diffError}`} /> : null}
          {diff ? (
            <>
              <p className="flex flex-wrap gap-2 text-sm" aria-label="Statement summary">
                {counts.map(([s, n]) => (
                  <Badge key={s} tone={n === 0 ? "neutral" : STATUS[s].tone}>
                    {n} {STATUS[s].label}
                  </Badge>
                ))}
                <Badge tone={diff.extras.some((e) => e.flagged) ? "warn" : "neutral"}>{diff.extras.length} extra</Badge>
              </p>
              <ul className="grid gap-2 lg:grid-cols-2" aria-label="Template statements">
                {diff.results.map((r) => (
                  <StatementCard key={`${r.templateId}-${r.index}-${r.statement.Sid as string}-${JSON.stringify(r.statement).length}`} r={r} policyStatements={policyStatements} />
                ))}
              </ul>
              {diff.extras.length ? (
                <>
                  <h3 className="text-sm font-semibold">Statements no template accounts for</h3>
                  <ul className="grid gap-2 lg:grid-cols-2" aria-label="Extra statements">
                    {diff.extras.map((e) => (
                      <ExtraCard key={`${e.index}-${e.actions.join()}`} e={e} />
                    ))}
                  </ul>
                </>
              ) : null}
              <MergeJson
                left={pretty(review.policy)}
                right={JSON.stringify(review.templatePolicy, null, 2)}
                leftLabel="Current policy"
                rightLabel="Documented template"
                testId="template-diff"
              />
            </>
          ) : null}
        </>
      )}
      {review.policy !== undefined || review.readError ? <OutsideAccess review={review} /> : null}
      {target === "key" && resources.length ? (
        <section aria-labelledby="access-h" className="space-y-2">
          <h3 id="access-h" className="font-semibold">
            Effective access
          </h3>
          {resources.map((r) => (
            <div key={r.arn} className="space-y-1">
              {!resourceArn ? <p className="text-sm font-medium">{r.name}</p> : null}
              {r.access.length ? <AccessTable name={r.name} checks={r.access} /> : <p className="text-sm text-slate-500">Not assessed: the key policy could not be read.</p>}
            </div>
          ))}
        </section>
      ) : null}
      {review.immutable ? (
        <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="immutable">
          {review.immutable}
        </p>
      ) : diff && (!diff.conforms || review.outside.open.length > 0) ? (
        <FixPanel review={review} />
      ) : diff ? (
        <p className="text-sm text-emerald-700 dark:text-emerald-300">Every template statement matches: nothing to fix.</p>
      ) : null}
    </div>
  );
}
