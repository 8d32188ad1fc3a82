import { KeyRound } from "lucide-react";
import type { Metadata } from "next";

import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Keys" };

export default function KeysPage() {
  return (
    <>
      <PageHeader title="Keys" description="The KMS keys that protect agent resources." />
      <EmptyState icon={KeyRound} title="Key analysis is not built yet">
        Each key that protects an agent resource will be shown with the resources it protects, its state, last use and findings; its detail page will compare the key policy with
        the documented template and show what would break if the key were disabled.
      </EmptyState>
    </>
  );
}
