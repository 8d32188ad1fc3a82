import { Activity } from "lucide-react";
import type { Metadata } from "next";

import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Timeline" };

export default function TimelinePage() {
  return (
    <>
      <PageHeader title="Timeline" description="Who used which key, when, from where, and for which agent resource." />
      <EmptyState icon={Activity} title="The key-usage timeline is not built yet">
        GenerateDataKey, Decrypt, GetSecretValue and related CloudTrail events will be shown here on a histogram and in a searchable list, each tied to the agent resource it
        served.
      </EmptyState>
    </>
  );
}
