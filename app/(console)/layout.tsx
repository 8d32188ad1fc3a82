import { ShieldCheck } from "lucide-react";
import Link from "next/link";

import { Badge } from "@/components/ui/badge";
import { SideNav } from "@/components/shell/side-nav";
import { SignOutButton } from "@/components/shell/sign-out-button";
import { ThemeToggle } from "@/components/shell/theme-toggle";
import { serverConfig } from "@/lib/config/server";
import { requireUser } from "@/lib/server/session";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  const cfg = serverConfig();
  const accounts = cfg.accounts.map((a) => a.name ?? a.id);
  const regions = [...new Set(cfg.accounts.flatMap((a) => a.regions))];
  return (
    <div className="flex min-h-full flex-col">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 dark:focus:bg-slate-900"
      >
        Skip to content
      </a>
      <header className="flex h-14 items-center gap-4 border-b border-slate-200 bg-white px-4 dark:border-slate-800 dark:bg-slate-900">
        <Link href="/" className="flex items-center gap-2 font-semibold">
          <ShieldCheck aria-hidden className="text-brand-600 dark:text-brand-400 h-5 w-5" />
          Keyward
        </Link>
        {cfg.mode === "sandbox" ? (
          <Badge tone="warn" className="tracking-wide uppercase">
            Sandbox account — simulated data
          </Badge>
        ) : null}
        <div className="ml-4 hidden items-center gap-3 text-sm text-slate-600 md:flex dark:text-slate-400" aria-label="Scope">
          <span>
            <span className="text-slate-400 dark:text-slate-500">Account </span>
            <span className="font-mono text-slate-800 dark:text-slate-200" data-testid="current-account">
              {accounts.length ? accounts.join(", ") : "not configured"}
            </span>
          </span>
          <span>
            <span className="text-slate-400 dark:text-slate-500">Regions </span>
            <span className="font-mono text-slate-800 dark:text-slate-200">{regions.length ? regions.join(", ") : "—"}</span>
          </span>
        </div>
        <div className="ml-auto flex items-center gap-2">
          <span className="hidden text-sm text-slate-600 sm:inline dark:text-slate-400" data-testid="current-user">
            {user.email} <Badge tone="brand">{user.role}</Badge>
          </span>
          <ThemeToggle />
          <SignOutButton />
        </div>
      </header>
      <div className="flex flex-1">
        <aside className="w-52 flex-none border-r border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <SideNav />
        </aside>
        <main id="main" className="min-w-0 flex-1 p-6">
          {children}
        </main>
      </div>
    </div>
  );
}
