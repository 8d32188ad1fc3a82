import { clsx } from "clsx";

import type { Severity } from "@/lib/inventory/types.shared";

export const SEVERITY_STYLE: Record<Severity, string> = {
  critical: "bg-sev-critical text-white",
  high: "bg-sev-high text-white",
  medium: "bg-sev-medium text-white",
  low: "bg-sev-low text-white",
  info: "bg-sev-info text-white",
};

/** Severity always shown with its label, in the same colours everywhere. */
export function SeverityBadge({ severity, className }: { severity: Severity; className?: string }) {
  return (
    <span className={clsx("inline-flex items-center rounded px-1.5 py-0.5 text-xs font-semibold tracking-wide uppercase", SEVERITY_STYLE[severity], className)}>{severity}</span>
  );
}
