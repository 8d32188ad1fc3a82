import type { Metadata } from "next";

import { AuditPanel } from "./_components/audit-panel";
import { ConnectionPanel } from "./_components/connection-panel";
import { NotificationsPanel } from "./_components/notifications-panel";
import { OrganizationPanel } from "./_components/organization-panel";
import { RetentionPanel } from "./_components/retention-panel";
import { SchedulesPanel } from "./_components/schedules-panel";

import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { can } from "@/lib/auth/roles.shared";
import { serverConfig } from "@/lib/config/server";
import { retentionPreview } from "@/lib/events/retention";
import { scanStatus } from "@/lib/posture/jobs";
import { db } from "@/lib/store/db";
import { requireUser } from "@/lib/server/session";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requireUser();
  const cfg = serverConfig();
  return (
    <>
      <PageHeader title="Settings" description="The AWS connection Keyward uses, scheduled scans and syncs, notifications, event retention, your session, and the audit log." />
      <section aria-labelledby="conn-h" className="mb-10">
        <h2 id="conn-h" className="mb-3 text-lg font-semibold">
          AWS connection
        </h2>
        <ConnectionPanel />
      </section>
      <section aria-labelledby="schedules-h" className="mb-10">
        <h2 id="schedules-h" className="mb-3 text-lg font-semibold">
          Schedules
        </h2>
        <SchedulesPanel canEdit={can(user.role, "apply-changes")} />
      </section>
      <section aria-labelledby="notifications-h" className="mb-10">
        <h2 id="notifications-h" className="mb-3 text-lg font-semibold">
          Notifications
        </h2>
        <NotificationsPanel canTest={can(user.role, "apply-changes")} />
      </section>
      {cfg.organization ? <OrganizationSection dataDir={cfg.dataDir} role={cfg.organization.role} /> : null}
      <section aria-labelledby="retention-h" className="mb-10">
        <h2 id="retention-h" className="mb-3 text-lg font-semibold">
          Event retention
        </h2>
        <RetentionPanel rows={retentionPreview(db(cfg.dataDir), cfg)} />
      </section>
      <section aria-labelledby="session-h" className="mb-10">
        <h2 id="session-h" className="mb-3 text-lg font-semibold">
          Your session
        </h2>
        <dl className="grid max-w-xl grid-cols-[10rem_1fr] gap-y-2 rounded-xl border border-slate-200 bg-white p-4 text-sm dark:border-slate-800 dark:bg-slate-900">
          <dt className="text-slate-500">Signed in as</dt>
          <dd>{user.email}</dd>
          <dt className="text-slate-500">Role</dt>
          <dd>
            <Badge tone="brand">{user.role}</Badge>
          </dd>
          <dt className="text-slate-500">Sessions last</dt>
          <dd>{cfg.auth.sessionHours} hours</dd>
          <dt className="text-slate-500">Mode</dt>
          <dd>{cfg.mode === "sandbox" ? "Sandbox (simulated account)" : "AWS"}</dd>
        </dl>
      </section>
      {can(user.role, "view-audit") ? (
        <section aria-labelledby="audit-h">
          <h2 id="audit-h" className="mb-3 text-lg font-semibold">
            Audit log
          </h2>
          <AuditPanel />
        </section>
      ) : null}
    </>
  );
}

function OrganizationSection({ dataDir, role }: { dataDir: string; role: string }) {
  const last = scanStatus(dataDir).last;
  const resourcesByAccount: Record<string, number> = {};
  for (const r of last?.resources ?? []) resourcesByAccount[r.account] = (resourcesByAccount[r.account] ?? 0) + 1;
  return (
    <section aria-labelledby="org-h" className="mb-10">
      <h2 id="org-h" className="mb-3 text-lg font-semibold">
        AWS Organization
      </h2>
      <OrganizationPanel role={role} discovery={last?.organization} scannedAt={last?.scannedAt} resourcesByAccount={resourcesByAccount} inventory={last?.inventory} />
    </section>
  );
}
