import type { Metadata } from "next";
import { Suspense } from "react";

import { ResourcesTable } from "./_components/resources-table";

import { PageHeader } from "@/components/shell/page-header";
import { TableSkeleton } from "@/components/ui/skeleton";

export const metadata: Metadata = { title: "Resources" };

export default function ResourcesPage() {
  return (
    <>
      <PageHeader title="Resources" description="Bedrock agents, knowledge bases, AgentCore memories, recommendations, gateways, credential providers and token vaults." />
      <Suspense fallback={<TableSkeleton rows={8} label="Loading resources" />}>
        <ResourcesTable />
      </Suspense>
    </>
  );
}
