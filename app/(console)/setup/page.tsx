import type { Metadata } from "next";
import { Suspense } from "react";

import { PageHeader } from "@/components/shell/page-header";
import { RecentRuns } from "@/components/setup/recent-runs";
import { Wizard } from "@/components/setup/wizard";
import { TableSkeleton } from "@/components/ui/skeleton";

export const metadata: Metadata = { title: "Setup" };

export default function SetupPage() {
  return (
    <>
      <PageHeader
        title="Setup"
        description="Create agent resources protected by a customer managed key, with the documented key policy: review every call, export it as code, apply it with rollback."
      />
      <Suspense fallback={<TableSkeleton rows={4} label="Loading the wizard" />}>
        <div className="space-y-6">
          <Wizard />
          <RecentRuns />
        </div>
      </Suspense>
    </>
  );
}
