import { NextResponse } from "next/server";

import { serverConfig } from "@/lib/config/server";
import { startSync, syncStatus } from "@/lib/events/jobs";
import { HttpError, withAuth } from "@/lib/server/with-auth";

export const dynamic = "force-dynamic";

export const GET = withAuth(() => syncStatus(serverConfig()));

/** Fetches new CloudTrail events into the local store (reads only, so every role may start it). */
export const POST = withAuth(({ user }) => {
  const cfg = serverConfig();
  if (!cfg.accounts.length) throw new HttpError(409, "No AWS account is configured: see Settings → AWS connection.");
  const r = startSync(cfg, user.email);
  return NextResponse.json(r, { status: r.alreadyRunning ? 200 : 202 });
});
