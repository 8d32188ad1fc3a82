"use client";

import { QueryClientProvider } from "@tanstack/react-query";

import { getQueryClient } from "@/queries/query-client";

export function Providers({ children }: { children: React.ReactNode }) {
  const client = getQueryClient();
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
