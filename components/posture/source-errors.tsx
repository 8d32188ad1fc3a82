import { ErrorPanel } from "@/components/ui/error-panel";
import type { ScanError } from "@/lib/inventory/types.shared";

/** Source errors of a scan, grouped by service and region, shown beside what did load. */
export function SourceErrors({ errors }: { errors: ScanError[] }) {
  if (!errors.length) return null;
  const groups = new Map<string, ScanError[]>();
  for (const e of errors) groups.set(`${e.service} · ${e.region}`, [...(groups.get(`${e.service} · ${e.region}`) ?? []), e]);
  return (
    <section aria-label="Source errors" className="space-y-2">
      {[...groups.entries()].map(([source, list]) => (
        <ErrorPanel
          key={source}
          source={source}
          code={list[0].code}
          message={`${list.length} read${list.length === 1 ? "" : "s"} failed (${[...new Set(list.map((e) => e.operation))].join(", ")}): ${list[0].message}`}
        />
      ))}
    </section>
  );
}
