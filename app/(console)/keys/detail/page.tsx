import type { Metadata } from "next";
import { Suspense } from "react";

import { KeyDetail } from "./key-detail";

import { TableSkeleton } from "@/components/ui/skeleton";

export const metadata: Metadata = { title: "Key" };

export default function KeyDetailPage() {
  return (
    <Suspense fallback={<TableSkeleton rows={6} label="Loading the key" />}>
      <KeyDetail />
    </Suspense>
  );
}
