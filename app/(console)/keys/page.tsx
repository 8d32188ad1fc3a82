import type { Metadata } from "next";

import { KeysList } from "./_components/keys-list";

import { PageHeader } from "@/components/shell/page-header";

export const metadata: Metadata = { title: "Keys" };

export default function KeysPage() {
  return (
    <>
      <PageHeader title="Keys" description="The KMS keys that protect agent resources." />
      <KeysList />
    </>
  );
}
