import { Wand2 } from "lucide-react";
import type { Metadata } from "next";

import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Setup" };

export default function SetupPage() {
  return (
    <>
      <PageHeader title="Setup" description="Create agent resources protected by a customer managed key, with the documented policies." />
      <EmptyState icon={Wand2} title="The setup wizard is not built yet">
        A step-by-step wizard will pick or create the key, write the documented key policy, show every API call it will make, export the plan as CloudFormation, Terraform or an AWS
        CLI script, and apply it with rollback.
      </EmptyState>
    </>
  );
}
