import "server-only";

// The audit log: every sign-in, sign-out and refused access (and later every change applied).
import { db } from "../store/db";

export type AuditAction =
  | "sign-in"
  | "sign-out"
  | "access-refused"
  | "sign-in-throttled"
  | "apply"
  | "rollback"
  | "cancel-key-deletion"
  | "suppress"
  | "retention-purge"
  | "schedule"
  | "notification-test";

export interface AuditEntry {
  id: number;
  at: string;
  actor: string | null;
  action: AuditAction;
  outcome: "success" | "failure";
  ip: string | null;
  detail: string | null;
}

export function audit(dataDir: string, e: { actor?: string; action: AuditAction; outcome: "success" | "failure"; ip?: string; detail?: string }): void {
  db(dataDir)
    .prepare("INSERT INTO audit (at, actor, action, outcome, ip, detail) VALUES (?, ?, ?, ?, ?, ?)")
    .run(new Date().toISOString(), e.actor ?? null, e.action, e.outcome, e.ip ?? null, e.detail ?? null);
}

export function listAudit(dataDir: string, opts: { limit: number; before?: number }): AuditEntry[] {
  const d = db(dataDir);
  return (
    opts.before
      ? d.prepare("SELECT * FROM audit WHERE id < ? ORDER BY id DESC LIMIT ?").all(opts.before, opts.limit)
      : d.prepare("SELECT * FROM audit ORDER BY id DESC LIMIT ?").all(opts.limit)
  ) as AuditEntry[];
}
