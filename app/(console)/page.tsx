import { Gauge } from "lucide-react";
import type { Metadata } from "next";

import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Overview" };

export default function OverviewPage() {
  return (
    <>
      <PageHeader title="Overview" description="Encryption posture of every agent resource in the configured accounts." />
      <EmptyState icon={Gauge} title="No scan has run yet">
        This page will show the posture score and how it is computed, findings by severity, a matrix of resource kinds by key type, the top findings, a breakdown per account and
        region, the time of the last scan and a Rescan button. Scanning arrives with the posture release; until then there is nothing to count, so nothing is shown.
      </EmptyState>
    </>
  );
}
