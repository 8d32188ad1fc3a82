import { z } from "zod";

import { serverConfig } from "@/lib/config/server";
import { removeSuppression } from "@/lib/posture/suppressions";
import { HttpError, withAuth } from "@/lib/server/with-auth";

export const dynamic = "force-dynamic";

export const DELETE = withAuth(
  ({ params, user }) => {
    const id = z.coerce.number().int().positive().safeParse(params.id);
    if (!id.success) throw new HttpError(422, "The suppression id is not a number.");
    if (!removeSuppression(serverConfig().dataDir, id.data, user.email)) throw new HttpError(404, "No active suppression has this id.");
    return { removed: id.data };
  },
  { permission: "apply-changes" },
);
