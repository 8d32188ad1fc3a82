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
      <Section id="conn-h" title="AWS connection">
        <ConnectionPanel />
      </Section>
      <Section id="schedules-h" title="Schedules">
        <SchedulesPanel canEdit={can(user.role, "apply-changes")} />
      </Section>
      <Section id="notifications-h" title="Notifications">
        <NotificationsPanel canTest={can(user.role, "apply-changes")} />
      </Section>
      {cfg.organization ? <OrganizationSection dataDir={cfg.dataDir} role={cfg.organization.role} /> : null}
      <Section id="retention-h" title="Event retention">
        <RetentionPanel rows={retentionPreview(db(cfg.dataDir), cfg)} />
      </Section>
      <Section id="session-h" title="Your session">
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
      </Section>
      {can(user.role, "view-audit") ? (
        <Section id="audit-h" title="Audit log">
          <AuditPanel />
        </Section>
      ) : null}
    </>
  );
}

function OrganizationSection({ dataDir, role }: { dataDir: string; role: string }) {
  const last = scanStatus(dataDir).last;
  const resourcesByAccount: Record<string, number> = {};
  for (const r of last?.resources ?? []) resourcesByAccount[r.account] = (resourcesByAccount[r.account] ?? 0) + 1;
  return (
    <Section id="org-h" title="AWS Organization">
      <OrganizationPanel role={role} discovery={last?.organization} scannedAt={last?.scannedAt} resourcesByAccount={resourcesByAccount} inventory={last?.inventory} />
    </Section>
  );
}

/** One titled part of the page, labelled by its heading. */
function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="mb-10">
      <h2 id={id} className="mb-3 text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}
