import { serverConfig } from "@/lib/config/server";
import { checkConnection, credentialHints, targetsOf } from "@/lib/server/aws/connection";
import { withAuth } from "@/lib/server/with-auth";

export const dynamic = "force-dynamic";

export const GET = withAuth(async () => {
  const cfg = serverConfig();
  const targets = targetsOf(cfg);
  return {
    mode: cfg.mode,
    configured: targets.length > 0,
    credentialSources: credentialHints(),
    checks: await Promise.all(targets.map((t) => checkConnection(t))),
  };
});
