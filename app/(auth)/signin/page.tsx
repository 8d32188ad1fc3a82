import { ShieldCheck } from "lucide-react";
import type { Metadata } from "next";
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";

import { SignInForm } from "./sign-in-form";

import { Badge } from "@/components/ui/badge";
import { authOptions, SIGN_IN_ERRORS } from "@/lib/auth/options";
import { serverConfig } from "@/lib/config/server";
import { safeCallback } from "@/lib/auth/callback.shared";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const sp = await searchParams;
  const callbackUrl = safeCallback(sp.callbackUrl);
  if (await getServerSession(authOptions())) redirect(callbackUrl);
  const cfg = serverConfig();
  const initialError = sp.error ? (SIGN_IN_ERRORS[sp.error as keyof typeof SIGN_IN_ERRORS] ?? "Sign-in failed. Try again.") : undefined;
  return (
    <main className="flex min-h-full items-center justify-center p-6">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center gap-2 text-center">
          <ShieldCheck aria-hidden className="text-brand-600 dark:text-brand-400 h-10 w-10" />
          <h1 className="text-2xl font-semibold">Sign in to Keyward</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">Encryption posture and key usage for your AI agents.</p>
          {cfg.mode === "sandbox" ? <Badge tone="warn">Sandbox account — simulated data</Badge> : null}
        </div>
        <SignInForm callbackUrl={callbackUrl} initialError={initialError} oidcName={cfg.auth.oidc?.name} messages={SIGN_IN_ERRORS} />
      </div>
    </main>
  );
}
