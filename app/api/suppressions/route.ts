import { NextResponse } from "next/server";

import { serverConfig } from "@/lib/config/server";
import { SuppressionInput } from "@/lib/schemas/suppressions";
import { activeSuppressions, addSuppression } from "@/lib/posture/suppressions";
import { withAuth } from "@/lib/server/with-auth";

export const dynamic = "force-dynamic";

export const GET = withAuth(() => ({ suppressions: activeSuppressions(serverConfig().dataDir) }));

export const POST = withAuth(({ body, user }) => NextResponse.json(addSuppression(serverConfig().dataDir, body, user.email), { status: 201 }), {
  permission: "apply-changes",
  body: SuppressionInput,
});
