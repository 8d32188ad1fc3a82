import type { Metadata } from "next";
import { Suspense } from "react";

import { KeysList } from "./_components/keys-list";

import { PageHeader } from "@/components/shell/page-header";
import { TableSkeleton } from "@/components/ui/skeleton";

export const metadata: Metadata = { title: "Keys" };

export default function KeysPage() {
  return (
    <>
      <PageHeader title="Keys" description="The KMS keys that protect agent resources, in every account scanned." />
      <Suspense fallback={<TableSkeleton rows={8} label="Loading keys" />}>
        <KeysList />
      </Suspense>
    </>
  );
}
