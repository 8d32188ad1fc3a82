import { audit } from "@/lib/auth/audit";
import { serverConfig } from "@/lib/config/server";
import { sendTest } from "@/lib/posture/notify";
import { NotificationTestInput } from "@/lib/schemas/notifications";
import { withAuth } from "@/lib/server/with-auth";

export const dynamic = "force-dynamic";

export const POST = withAuth(
  async ({ body, user }) => {
    const cfg = serverConfig();
    const r = await sendTest(cfg, body.channel);
    audit(cfg.dataDir, { actor: user.email, action: "notification-test", outcome: r.ok ? "success" : "failure", detail: r.ok ? body.channel : `${body.channel}: ${r.error}` });
    return r;
  },
  { permission: "apply-changes", body: NotificationTestInput },
);
