import type { Metadata } from "next";
import { Suspense } from "react";

import { ResourceDetail } from "./resource-detail";

import { TableSkeleton } from "@/components/ui/skeleton";

export const metadata: Metadata = { title: "Resource" };

export default function ResourceDetailPage() {
  return (
    <Suspense fallback={<TableSkeleton rows={6} label="Loading the resource" />}>
      <ResourceDetail />
    </Suspense>
  );
}
