import { listAudit } from "@/lib/auth/audit";
import { serverConfig } from "@/lib/config/server";
import { AuditQuery } from "@/lib/schemas/settings";
import { withAuth } from "@/lib/server/with-auth";

export const dynamic = "force-dynamic";

export const GET = withAuth(
  ({ query }) => {
    const entries = listAudit(serverConfig().dataDir, { limit: query.limit, before: query.before });
    return { entries, next: entries.length === query.limit ? entries[entries.length - 1].id : null };
  },
  { permission: "view-audit", query: AuditQuery },
);
