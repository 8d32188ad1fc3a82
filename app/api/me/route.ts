import { can } from "@/lib/auth/roles.shared";
import { serverConfig } from "@/lib/config/server";
import { withAuth } from "@/lib/server/with-auth";

export const GET = withAuth(({ user }) => ({
  email: user.email,
  role: user.role,
  mode: serverConfig().mode,
  permissions: { exportEvents: can(user.role, "export-events"), applyChanges: can(user.role, "apply-changes"), viewAudit: can(user.role, "view-audit") },
}));
