import { serverConfig } from "@/lib/config/server";
import { listRuns } from "@/lib/setup/store";
import { withAuth } from "@/lib/server/with-auth";

export const dynamic = "force-dynamic";

/** The recent setup runs, newest first. */
export const GET = withAuth(() => ({ runs: listRuns(serverConfig().dataDir) }));
