import Link from "next/link";

export default function NotFound() {
  return (
    <main className="flex min-h-full flex-col items-center justify-center gap-3 p-6 text-center">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="text-sm text-slate-600 dark:text-slate-400">There is nothing at this address.</p>
      <Link href="/" className="text-brand-600 dark:text-brand-400 text-sm underline">
        Back to the overview
      </Link>
    </main>
  );
}
