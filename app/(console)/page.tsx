import type { Metadata } from "next";

import { Overview } from "./_components/overview";

import { PageHeader } from "@/components/shell/page-header";

export const metadata: Metadata = { title: "Overview" };

export default function OverviewPage() {
  return (
    <>
      <PageHeader title="Overview" description="Encryption posture of every agent resource in the configured accounts." />
      <Overview />
    </>
  );
}
