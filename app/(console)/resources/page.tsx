import { Layers } from "lucide-react";
import type { Metadata } from "next";

import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Resources" };

export default function ResourcesPage() {
  return (
    <>
      <PageHeader title="Resources" description="Bedrock agents, knowledge bases, AgentCore memories, recommendations, gateways, credential providers and token vaults." />
      <EmptyState icon={Layers} title="The resource inventory is not built yet">
        Every agent resource will be listed here with its key, key state, region and findings — filterable by kind, account, region, key type, severity and rule, with CSV export
        and links to each resource&apos;s detail page.
      </EmptyState>
    </>
  );
}
