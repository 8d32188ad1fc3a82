import { serverConfig } from "@/lib/config/server";
import { startScan } from "@/lib/posture/jobs";
import { RunConflict, startRun } from "@/lib/setup/run";
import { planFor } from "@/lib/setup/service";
import { applyRequestSchema } from "@/lib/setup/types.shared";
import { HttpError, withAuth } from "@/lib/server/with-auth";

export const dynamic = "force-dynamic";

/**
 * Operators apply a reviewed plan. The plan is built again and must be the one reviewed (same id) and
 * not blocked; the run goes on in the background (GET /api/setup/runs/{id} for its progress).
 */
export const POST = withAuth(
  async ({ body, user }) => {
    const cfg = serverConfig();
    const plan = await planFor(cfg, body.request);
    if (plan.id !== body.planId) throw new HttpError(409, "The request changed since the plan was reviewed. Review the plan again.");
    if (plan.blocked) throw new HttpError(422, "The plan has errors; fix them before applying.", { lint: plan.lint.filter((l) => l.level === "error") });
    try {
      const started = startRun(cfg, plan, { actor: user.email, onFailure: body.onFailure });
      // A finished run is followed by a scan, so the Check step shows the new resource's posture.
      started.done.then((r) => (r.status === "done" ? startScan(cfg, user.email) : undefined)).catch((e: unknown) => console.error("setup run failed:", e));
      return { run: started.run, resumed: started.resumed };
    } catch (e) {
      if (e instanceof RunConflict) throw new HttpError(409, e.message);
      throw e;
    }
  },
  { permission: "apply-changes", body: applyRequestSchema },
);
