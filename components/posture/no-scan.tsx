import type { LucideIcon } from "lucide-react";

import { ScanBar } from "./scan-bar";

import { EmptyState } from "@/components/ui/empty-state";

/** What a posture page shows before the first scan: the scan button and why the page is empty. */
export function NoScanYet({ icon, what }: { icon: LucideIcon; what: string }) {
  return (
    <div className="space-y-4">
      <div className="flex justify-end">
        <ScanBar />
      </div>
      <EmptyState icon={icon} title="No scan has run yet">
        {what} appear here after the first scan.
      </EmptyState>
    </div>
  );
}
