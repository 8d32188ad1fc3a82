import { serverConfig } from "@/lib/config/server";
import { scanStatus } from "@/lib/posture/jobs";
import { withAuth } from "@/lib/server/with-auth";

export const dynamic = "force-dynamic";

export const GET = withAuth(() => scanStatus(serverConfig().dataDir));
