import type { Metadata } from "next";
import { Suspense } from "react";

import { PageHeader } from "@/components/shell/page-header";
import { Timeline } from "@/components/timeline/timeline";
import { TableSkeleton } from "@/components/ui/skeleton";

export const metadata: Metadata = { title: "Timeline" };

export default function TimelinePage() {
  return (
    <>
      <PageHeader title="Timeline" description="Who used which key, when, from where, and for which agent resource — from CloudTrail, kept in Keyward's event store." />
      <Suspense fallback={<TableSkeleton rows={6} label="Loading the timeline" />}>
        <Timeline />
      </Suspense>
    </>
  );
}
