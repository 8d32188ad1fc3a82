import { serverConfig } from "@/lib/config/server";
import { describeAwsError } from "@/lib/server/aws/clients";
import { cancelKeyDeletion } from "@/lib/setup/run";
import { cancelDeletionSchema } from "@/lib/setup/types.shared";
import { HttpError, withAuth } from "@/lib/server/with-auth";

export const dynamic = "force-dynamic";

/** Operators cancel the scheduled deletion of a key a rollback scheduled (optionally enabling it again). */
export const POST = withAuth(
  async ({ body, user }) => {
    try {
      return await cancelKeyDeletion(serverConfig(), body.keyArn, body.enable, user.email);
    } catch (e) {
      const d = describeAwsError(e);
      throw new HttpError(d.status && d.status < 500 ? 422 : 502, `AWS refused: ${d.code}: ${d.message}`, { code: d.code });
    }
  },
  { permission: "apply-changes", body: cancelDeletionSchema },
);
