"use client";

import { Check, Copy } from "lucide-react";
import { useState } from "react";

/** An ARN truncated in the middle, the full value on hover, with a copy button. */
export function Arn({ value, max = 48 }: { value: string; max?: number }) {
  const [copied, setCopied] = useState(false);
  if (!value) return <span className="text-slate-400">—</span>;
  const short = value.length > max ? `${value.slice(0, Math.ceil(max / 2) - 1)}…${value.slice(-Math.floor(max / 2))}` : value;
  return (
    <span className="inline-flex items-center gap-1 font-mono text-xs">
      <span title={value}>{short}</span>
      <button
        type="button"
        aria-label={copied ? "Copied" : `Copy ${value}`}
        onClick={() => {
          void navigator.clipboard?.writeText(value).then(() => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          });
        }}
        className="rounded p-0.5 text-slate-400 hover:bg-slate-100 hover:text-slate-700 dark:hover:bg-slate-800 dark:hover:text-slate-200"
      >
        {copied ? <Check aria-hidden className="h-3 w-3" /> : <Copy aria-hidden className="h-3 w-3" />}
      </button>
    </span>
  );
}
