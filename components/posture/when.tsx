"use client";

/** A time in the user's zone, relative when near (past or future), UTC on hover. */
export function When({ iso }: { iso: string }) {
  const d = new Date(iso);
  const secs = (Date.now() - d.getTime()) / 1000;
  const ahead = -secs;
  const rel =
    ahead > 30
      ? ahead < 3600
        ? `in ${Math.max(1, Math.round(ahead / 60))} min`
        : ahead < 86400
          ? `in ${Math.round(ahead / 3600)} h`
          : d.toLocaleString()
      : secs < 60
        ? "just now"
        : secs < 3600
          ? `${Math.round(secs / 60)} min ago`
          : secs < 86400
            ? `${Math.round(secs / 3600)} h ago`
            : d.toLocaleString();
  return (
    <time dateTime={iso} title={`${d.toISOString().replace("T", " ").slice(0, 19)} UTC`} suppressHydrationWarning>
      {rel}
    </time>
  );
}
