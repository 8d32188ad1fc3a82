import { serverConfig } from "@/lib/config/server";
import { getRun } from "@/lib/setup/store";
import { redactPlan } from "@/lib/setup/types.shared";
import { HttpError, withAuth } from "@/lib/server/with-auth";

export const dynamic = "force-dynamic";

/** One run: each step's status, outputs and error, and the plan it runs. */
export const GET = withAuth(({ params }) => {
  const found = getRun(serverConfig().dataDir, params.id ?? "");
  if (!found) throw new HttpError(404, `No setup run ${params.id}.`);
  return { run: found.run, plan: redactPlan(found.plan) };
});
