"use client";

import { ErrorPanel } from "@/components/ui/error-panel";

export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="max-w-2xl">
      <ErrorPanel source="This page" message={`It could not be shown${error.digest ? ` (reference ${error.digest})` : ""}. The details are in the server log.`} />
      <button type="button" onClick={reset} className="mt-4 rounded-lg border border-slate-300 px-3 py-1.5 text-sm dark:border-slate-700">
        Try again
      </button>
    </div>
  );
}
