import type { LucideIcon } from "lucide-react";

export function EmptyState({ icon: Icon, title, children, action }: { icon: LucideIcon; title: string; children: React.ReactNode; action?: React.ReactNode }) {
  return (
    <div className="flex flex-col items-center rounded-xl border border-dashed border-slate-300 bg-white px-6 py-14 text-center dark:border-slate-700 dark:bg-slate-900">
      <Icon aria-hidden className="mb-4 h-10 w-10 text-slate-400" />
      <h2 className="text-lg font-semibold">{title}</h2>
      <div className="mt-2 max-w-xl text-sm text-slate-600 dark:text-slate-400">{children}</div>
      {action ? <div className="mt-6">{action}</div> : null}
    </div>
  );
}
