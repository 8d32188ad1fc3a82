import type { Metadata } from "next";
import { Suspense } from "react";

import { ResourcesTable } from "./_components/resources-table";

import { PageHeader } from "@/components/shell/page-header";
import { TableSkeleton } from "@/components/ui/skeleton";
import { KINDS } from "@/lib/inventory/kinds";

export const metadata: Metadata = { title: "Resources" };

/** The kinds Keyward reads, in running text (from the kind registry). */
const KIND_SUMMARY = ((names: string[]) => `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`)(KINDS.map((k) => k.text[1]));

export default function ResourcesPage() {
  return (
    <>
      <PageHeader title="Resources" description={`Every agent resource that can carry a customer managed key: ${KIND_SUMMARY}.`} />
      <Suspense fallback={<TableSkeleton rows={8} label="Loading resources" />}>
        <ResourcesTable />
      </Suspense>
    </>
  );
}
