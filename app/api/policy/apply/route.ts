import { serverConfig } from "@/lib/config/server";
import { applyPolicy } from "@/lib/policy/apply";
import { startScan } from "@/lib/posture/jobs";
import { ApplyPolicyInput } from "@/lib/schemas/policy";
import { withAuth } from "@/lib/server/with-auth";

export const dynamic = "force-dynamic";

/** Operators write a reviewed key or secret policy; a rescan follows so the posture shows the result. */
export const POST = withAuth(
  async ({ body, user }) => {
    const cfg = serverConfig();
    const result = await applyPolicy(cfg, body, user.email);
    const scan = startScan(cfg, user.email);
    return { ...result, scanId: scan.id };
  },
  { permission: "apply-changes", body: ApplyPolicyInput },
);
