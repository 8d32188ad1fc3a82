import { NextResponse } from "next/server";

import { serverConfig } from "@/lib/config/server";
import { startScan } from "@/lib/posture/jobs";
import { HttpError, withAuth } from "@/lib/server/with-auth";

export const dynamic = "force-dynamic";

/** Starts a scan (scans only read AWS, so every role may start one). */
export const POST = withAuth(({ user }) => {
  const cfg = serverConfig();
  if (!cfg.accounts.length) throw new HttpError(409, "No AWS account is configured: see Settings → AWS connection.");
  const r = startScan(cfg, user.email);
  return NextResponse.json(r, { status: r.alreadyRunning ? 200 : 202 });
});
