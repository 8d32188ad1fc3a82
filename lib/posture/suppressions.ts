import "server-only";

// Findings an operator has suppressed, with a reason and an expiry. Suppressions are audited and
// shown beside the finding — never silently hidden — and expire on their own.
import type { Finding } from "../inventory/types.shared";
import type { SuppressionInputData } from "../schemas/suppressions";
import { audit } from "../auth/audit";
import { db } from "../store/db";

export interface Suppression {
  id: number;
  ruleId: string;
  resourceArn: string;
  reason: string;
  until: string;
  createdBy: string;
  createdAt: string;
}

interface Row {
  id: number;
  rule_id: string;
  resource_arn: string;
  reason: string;
  until: string;
  created_by: string;
  created_at: string;
}

export function activeSuppressions(dataDir: string, now = new Date()): Suppression[] {
  const rows = db(dataDir).prepare("SELECT * FROM suppressions WHERE removed_at IS NULL AND until > ? ORDER BY id").all(now.toISOString()) as Row[];
  return rows.map((r) => ({ id: r.id, ruleId: r.rule_id, resourceArn: r.resource_arn, reason: r.reason, until: r.until, createdBy: r.created_by, createdAt: r.created_at }));
}

export function addSuppression(dataDir: string, input: SuppressionInputData, by: string): Suppression {
  const createdAt = new Date().toISOString();
  const until = new Date(input.until).toISOString();
  const id = Number(
    db(dataDir)
      .prepare("INSERT INTO suppressions (rule_id, resource_arn, reason, until, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)")
      .run(input.ruleId, input.resourceArn, input.reason, until, by, createdAt).lastInsertRowid,
  );
  audit(dataDir, { actor: by, action: "suppress", outcome: "success", detail: `${input.ruleId} on ${input.resourceArn} until ${until}: ${input.reason}` });
  return { id, ruleId: input.ruleId, resourceArn: input.resourceArn, reason: input.reason, until, createdBy: by, createdAt };
}

export function removeSuppression(dataDir: string, id: number, by: string): boolean {
  const r = db(dataDir).prepare("UPDATE suppressions SET removed_by = ?, removed_at = ? WHERE id = ? AND removed_at IS NULL").run(by, new Date().toISOString(), id);
  if (r.changes) audit(dataDir, { actor: by, action: "suppress", outcome: "success", detail: `removed suppression ${id}` });
  return r.changes > 0;
}

/** Marks findings covered by an active suppression (they stay in the list, flagged). */
export function applySuppressions(findings: Finding[], active: Suppression[]): Finding[] {
  return findings.map((f) => {
    const s = active.find((x) => x.ruleId === f.ruleId && x.resourceArn === f.resourceArn);
    return s ? { ...f, suppressed: { by: s.createdBy, reason: s.reason, until: s.until, id: s.id } } : f;
  });
}
