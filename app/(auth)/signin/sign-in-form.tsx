"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";

export function SignInForm({ callbackUrl, initialError, oidcName, messages }: { callbackUrl: string; initialError?: string; oidcName?: string; messages: Record<string, string> }) {
  const router = useRouter();
  const [error, setError] = useState(initialError);
  const [pending, setPending] = useState(false);
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <form
        className="space-y-4"
        onSubmit={async (e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          setPending(true);
          setError(undefined);
          const r = await signIn("credentials", { email: String(form.get("email")), password: String(form.get("password")), redirect: false, callbackUrl });
          setPending(false);
          if (!r || r.error) {
            setError(messages[r?.error ?? ""] ?? messages.CredentialsSignin);
            return;
          }
          router.replace(callbackUrl);
          router.refresh();
        }}
      >
        <div>
          <label htmlFor="email" className="mb-1 block text-sm font-medium">
            Email
          </label>
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            required
            className="w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-950"
          />
        </div>
        <div>
          <label htmlFor="password" className="mb-1 block text-sm font-medium">
            Password
          </label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            className="w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-950"
          />
        </div>
        {error ? (
          <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/50 dark:text-red-300">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={pending} className="bg-brand-600 hover:bg-brand-700 w-full rounded-lg px-3 py-2 text-sm font-medium text-white disabled:opacity-60">
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {oidcName ? (
        <>
          <div className="my-4 text-center text-xs tracking-wide text-slate-400 uppercase">or</div>
          <button
            type="button"
            onClick={() => void signIn("oidc", { callbackUrl })}
            className="w-full rounded-lg border border-slate-300 px-3 py-2 text-sm font-medium hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800"
          >
            Continue with {oidcName}
          </button>
        </>
      ) : null}
    </div>
  );
}
