"use client";

import { createColumnHelper, flexRender, getCoreRowModel, getSortedRowModel, useReactTable, type SortingState, type VisibilityState } from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { Download, Layers } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo, useRef, useState } from "react";

import { csvCell } from "@/lib/csv.shared";
import { Arn } from "@/components/posture/arn";
import { NoScanYet } from "@/components/posture/no-scan";
import { ScanBar } from "@/components/posture/scan-bar";
import { SeverityBadge } from "@/components/posture/severity";
import { SourceErrors } from "@/components/posture/source-errors";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorPanel } from "@/components/ui/error-panel";
import { TableSkeleton } from "@/components/ui/skeleton";
import {
  KIND_LABELS,
  RESOURCE_KINDS,
  SEVERITIES,
  type Finding,
  type ResourceKind,
  type ResourceRecord,
  type Severity,
  SEVERITY_RANK,
  worstSeverity,
} from "@/lib/inventory/types.shared";
import { useLatestScanQuery } from "@/queries/scans";

interface Row extends ResourceRecord {
  findings: Finding[];
  worst?: Severity;
  /** Checks that could not be made on the resource. */
  notAssessed: number;
}

const col = createColumnHelper<Row>();
const FILTERS = ["kind", "account", "region", "keyType", "severity", "rule", "q"] as const;

/** Each column's share of the row: long kind names and key ARNs get more room than a region. */
const WIDTH: Record<string, number> = { name: 1.4, kind: 1.6, account: 1.1, region: 0.9, keyType: 0.9, keyState: 1.1, key: 1.8, worst: 1 };

export function ResourcesTable() {
  const q = useLatestScanQuery();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const [sorting, setSorting] = useState<SortingState>([{ id: "worst", desc: true }]);
  const [visibility, setVisibility] = useState<VisibilityState>({ account: false });
  const filter = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ""])) as Record<(typeof FILTERS)[number], string>;
  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params.toString());
    if (value) next.set(name, value);
    else next.delete(name);
    router.replace(`${pathname}?${next.toString()}`, { scroll: false });
  };

  const last = q.data?.last;
  const rows = useMemo<Row[]>(() => {
    if (!last) return [];
    const by = new Map<string, Finding[]>();
    for (const f of last.findings) if (!f.suppressed) by.set(f.resourceArn, [...(by.get(f.resourceArn) ?? []), f]);
    const unassessed = new Map<string, number>();
    for (const n of last.notAssessed) unassessed.set(n.resourceArn, (unassessed.get(n.resourceArn) ?? 0) + 1);
    return last.resources.map((r) => {
      const findings = by.get(r.arn) ?? [];
      const worst = worstSeverity(findings);
      return { ...r, findings, worst, notAssessed: unassessed.get(r.arn) ?? 0 };
    });
  }, [last]);
  const filtered = useMemo(
    () =>
      rows.filter(
        (r) =>
          (!filter.kind || r.kind === filter.kind) &&
          (!filter.account || r.account === filter.account) &&
          (!filter.region || r.region === filter.region) &&
          (!filter.keyType || r.key.type === filter.keyType) &&
          (!filter.severity || r.findings.some((f) => f.severity === filter.severity)) &&
          (!filter.rule || r.findings.some((f) => f.ruleId === filter.rule)) &&
          (!filter.q || `${r.name} ${r.arn} ${r.key.arn}`.toLowerCase().includes(filter.q.toLowerCase())),
      ),
    [rows, filter.kind, filter.account, filter.region, filter.keyType, filter.severity, filter.rule, filter.q],
  );

  const columns = useMemo(
    () => [
      col.accessor("name", {
        header: "Name",
        cell: (c) => (
          <Link className="text-brand-600 dark:text-brand-400 font-medium hover:underline" href={`/resources/detail?arn=${encodeURIComponent(c.row.original.arn)}`}>
            {c.getValue()}
          </Link>
        ),
      }),
      col.accessor("kind", { header: "Kind", cell: (c) => KIND_LABELS[c.getValue()] }),
      col.accessor("account", { header: "Account", cell: (c) => <span className="font-mono text-xs">{c.getValue()}</span> }),
      col.accessor("region", { header: "Region" }),
      col.accessor((r) => r.key.type, { id: "keyType", header: "Key type" }),
      col.accessor((r) => r.key.state ?? "", { id: "keyState", header: "Key state" }),
      col.accessor((r) => r.key.arn, { id: "key", header: "Key", cell: (c) => <Arn value={c.getValue()} max={26} />, enableSorting: false }),
      col.accessor((r) => (r.worst ? SEVERITY_RANK[r.worst] * 1000 + r.findings.length : 0), {
        id: "worst",
        header: "Findings",
        cell: (c) => {
          const r = c.row.original;
          return r.worst ? (
            <span className="flex items-center gap-2">
              <SeverityBadge severity={r.worst} />
              <span className="text-slate-600 tabular-nums dark:text-slate-400">{r.findings.length}</span>
            </span>
          ) : r.notAssessed ? (
            // No finding is not a pass while a check could not be made.
            <span className="text-amber-700 dark:text-amber-400" title="Some checks could not be made: see the resource">
              none · {r.notAssessed} not assessed
            </span>
          ) : (
            <span className="text-emerald-700 dark:text-emerald-400">none</span>
          );
        },
      }),
    ],
    [],
  );
  const table = useReactTable({
    data: filtered,
    columns,
    state: { sorting, columnVisibility: visibility },
    onSortingChange: setSorting,
    onColumnVisibilityChange: setVisibility,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });
  const parent = useRef<HTMLDivElement>(null);
  const tableRows = table.getRowModel().rows;
  const virtual = useVirtualizer({ count: tableRows.length, getScrollElement: () => parent.current, estimateSize: () => 41, overscan: 12 });

  if (q.isPending) return <TableSkeleton rows={8} label="Loading resources" />;
  if (q.isError) return <ErrorPanel source="Keyward server" message={q.error.message} />;
  if (!last) return <NoScanYet icon={Layers} what="Resources" />;
  const options = (values: string[]) => [...new Set(values)].sort();
  const exportCsv = () => {
    const lines = [["name", "kind", "account", "region", "arn", "keyType", "keyState", "keyArn", "findings", "rules"].join(",")];
    for (const r of filtered)
      lines.push(
        [r.name, r.kind, r.account, r.region, r.arn, r.key.type, r.key.state ?? "", r.key.arn, String(r.findings.length), [...new Set(r.findings.map((f) => f.ruleId))].join(" ")]
          .map(csvCell)
          .join(","),
      );
    const url = URL.createObjectURL(new Blob([`${lines.join("\n")}\n`], { type: "text/csv" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = `keyward-resources-${last.scannedAt.slice(0, 10)}.csv`;
    a.click();
    URL.revokeObjectURL(url);
  };
  const select = (name: (typeof FILTERS)[number], label: string, values: { value: string; label: string }[]) => (
    <label className="flex flex-col text-xs text-slate-600 dark:text-slate-400">
      {label}
      <select
        value={filter[name]}
        onChange={(e) => setFilter(name, e.target.value)}
        className="mt-1 rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-900 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-100"
      >
        <option value="">All</option>
        {values.map((v) => (
          <option key={v.value} value={v.value}>
            {v.label}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="space-y-4">
      <div className="flex justify-end">
        <ScanBar />
      </div>
      <SourceErrors errors={last.errors} />
      <div className="flex flex-wrap items-end gap-3" role="search" aria-label="Filter resources">
        <label className="flex flex-col text-xs text-slate-600 dark:text-slate-400">
          Search
          <input
            type="search"
            value={filter.q}
            onChange={(e) => setFilter("q", e.target.value)}
            placeholder="Name or ARN"
            className="mt-1 w-56 rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-900 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-100"
          />
        </label>
        {select(
          "kind",
          "Kind",
          RESOURCE_KINDS.filter((k) => rows.some((r) => r.kind === k)).map((k) => ({ value: k, label: KIND_LABELS[k as ResourceKind] })),
        )}
        {select(
          "account",
          "Account",
          options(rows.map((r) => r.account)).map((v) => ({ value: v, label: v })),
        )}
        {select(
          "region",
          "Region",
          options(rows.map((r) => r.region)).map((v) => ({ value: v, label: v })),
        )}
        {select(
          "keyType",
          "Key type",
          options(rows.map((r) => r.key.type)).map((v) => ({ value: v, label: v })),
        )}
        {select(
          "severity",
          "Severity",
          SEVERITIES.map((v) => ({ value: v, label: v })),
        )}
        {select(
          "rule",
          "Rule",
          options(last.findings.map((f) => f.ruleId)).map((v) => ({ value: v, label: v })),
        )}
        <details className="relative text-sm">
          <summary className="cursor-pointer rounded-lg border border-slate-300 px-3 py-1.5 dark:border-slate-700">Columns</summary>
          <div className="absolute z-10 mt-1 space-y-1 rounded-lg border border-slate-200 bg-white p-2 shadow dark:border-slate-700 dark:bg-slate-900">
            {table.getAllLeafColumns().map((c) => (
              <label key={c.id} className="flex items-center gap-2 whitespace-nowrap">
                <input type="checkbox" checked={c.getIsVisible()} onChange={c.getToggleVisibilityHandler()} /> {String(c.columnDef.header)}
              </label>
            ))}
          </div>
        </details>
        <button
          type="button"
          onClick={exportCsv}
          className="flex items-center gap-1 rounded-lg border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          <Download aria-hidden className="h-4 w-4" /> CSV
        </button>
        <span className="ml-auto text-sm text-slate-600 dark:text-slate-400" data-testid="resource-count">
          {filtered.length} of {rows.length} resources
        </span>
      </div>
      {filtered.length ? (
        <div ref={parent} className="max-h-[65vh] overflow-auto rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className="w-full text-sm" aria-label="Resources" aria-rowcount={filtered.length}>
            <thead className="sticky top-0 z-[1] bg-slate-50 dark:bg-slate-900">
              {table.getHeaderGroups().map((hg) => (
                <tr key={hg.id} className="flex w-full">
                  {hg.headers.map((h) => (
                    <th
                      key={h.id}
                      className="min-w-0 truncate border-b border-slate-200 px-3 py-2 text-left text-xs font-medium tracking-wide text-slate-500 uppercase dark:border-slate-800"
                      style={{ flex: `${WIDTH[h.column.id] ?? 1} 1 0%` }}
                      aria-sort={h.column.getIsSorted() === "asc" ? "ascending" : h.column.getIsSorted() === "desc" ? "descending" : "none"}
                    >
                      {h.column.getCanSort() ? (
                        <button type="button" onClick={h.column.getToggleSortingHandler()} className="uppercase hover:text-slate-900 dark:hover:text-slate-100">
                          {flexRender(h.column.columnDef.header, h.getContext())}
                          {h.column.getIsSorted() === "asc" ? " ▲" : h.column.getIsSorted() === "desc" ? " ▼" : ""}
                        </button>
                      ) : (
                        flexRender(h.column.columnDef.header, h.getContext())
                      )}
                    </th>
                  ))}
                </tr>
              ))}
            </thead>
            <tbody style={{ height: virtual.getTotalSize(), position: "relative" }}>
              {virtual.getVirtualItems().map((v) => {
                const row = tableRows[v.index];
                return (
                  <tr
                    key={row.id}
                    data-testid="resource-row"
                    aria-rowindex={v.index + 1}
                    className="absolute flex w-full border-b border-slate-100 dark:border-slate-800"
                    style={{ transform: `translateY(${v.start}px)`, height: v.size }}
                  >
                    {row.getVisibleCells().map((cell) => (
                      <td key={cell.id} className="flex min-w-0 items-center truncate px-3 py-2" style={{ flex: `${WIDTH[cell.column.id] ?? 1} 1 0%` }}>
                        {flexRender(cell.column.columnDef.cell, cell.getContext())}
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : (
        <EmptyState icon={Layers} title="No resource matches these filters">
          Clear a filter to see more.
        </EmptyState>
      )}
    </div>
  );
}
