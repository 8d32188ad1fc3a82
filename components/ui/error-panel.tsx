import { AlertTriangle } from "lucide-react";

/** An error that names its source, shown beside whatever did load. */
export function ErrorPanel({ source, code, message, children }: { source: string; code?: string; message: string; children?: React.ReactNode }) {
  return (
    <div role="alert" className="flex gap-3 rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200">
      <AlertTriangle aria-hidden className="mt-0.5 h-4 w-4 flex-none" />
      <div>
        <p className="font-medium">
          {source}
          {code ? <span className="ml-2 rounded bg-red-100 px-1.5 py-0.5 font-mono text-xs dark:bg-red-900/60">{code}</span> : null}
        </p>
        <p className="mt-1">{message}</p>
        {children}
      </div>
    </div>
  );
}
