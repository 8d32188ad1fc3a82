import { serverConfig } from "@/lib/config/server";
import { rollbackById, RunConflict } from "@/lib/setup/run";
import { HttpError, withAuth } from "@/lib/server/with-auth";

export const dynamic = "force-dynamic";

/** Operators undo what a stopped run created, newest first. */
export const POST = withAuth(
  async ({ params, user }) => {
    try {
      return { run: await rollbackById(serverConfig(), params.id ?? "", user.email) };
    } catch (e) {
      if (e instanceof RunConflict) throw new HttpError(409, e.message);
      throw e;
    }
  },
  { permission: "apply-changes" },
);
