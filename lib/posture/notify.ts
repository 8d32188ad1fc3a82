import "server-only";

// Notifications of new findings: after each stored scan, the findings it opened at or above the
// configured severity are grouped into one message per channel (a Slack incoming webhook; a generic
// webhook whose body is signed with HMAC-SHA256) and put in an outbox in the store, in the same
// transaction that records which finding each channel is told of. Delivery reads the outbox, so a
// message survives a restart and is sent once: a failure is retried with backoff (1, 5, 30 minutes,
// then every 2 hours, 8 attempts in all) and shown in Settings. A finding is told of once per
// opening: still open on the next scan, it is not told again; resolved and back, it is.
import { createHmac } from "node:crypto";

import type { KeywardConfigData } from "../config/schema";
import { SEVERITY_RANK, type Severity } from "../inventory/types.shared";
import { db } from "../store/db";
import type { ScanResult } from "../inventory/types.shared";
import type { Target } from "../server/aws/clients";

import { exportToSecurityHub, type SecurityHubReport } from "./asff";
import { openStates, statesOf, type ScanChanges } from "./lifecycle";
import type { FindingState } from "./lifecycle.shared";

export const CHANNELS = ["slack", "webhook"] as const;
export type Channel = (typeof CHANNELS)[number];

const BACKOFF_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000, 2 * 3600_000, 2 * 3600_000, 2 * 3600_000];
export const MAX_ATTEMPTS = BACKOFF_MS.length + 1;
/** At most this many findings are listed in one message (the rest are counted, with a link). */
const LISTED = 10;

export interface FindingMessage {
  kind: "findings" | "test";
  console: string;
  scanId?: number;
  total: number;
  findings: { ruleId: string; severity: Severity; title: string; resourceArn: string; keyArn?: string; firstSeen: string; link: string }[];
}

export interface OutboxEntry {
  id: number;
  channel: Channel;
  kind: string;
  createdAt: string;
  attempts: number;
  nextAttemptAt: string;
  sentAt?: string;
  failedAt?: string;
  lastError?: string;
  total: number;
}

export function configuredChannels(cfg: KeywardConfigData): Channel[] {
  return CHANNELS.filter((c) => !!cfg.notifications[c]);
}

function messageFor(cfg: KeywardConfigData, states: FindingState[], scanId: number): FindingMessage {
  const base = cfg.notifications.consoleUrl.replace(/\/$/, "");
  const sorted = [...states].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.ruleId.localeCompare(b.ruleId));
  return {
    kind: "findings",
    console: `${base}/resources?severity=${cfg.notifications.minSeverity}`,
    scanId,
    total: states.length,
    findings: sorted.map((s) => ({
      ruleId: s.ruleId,
      severity: s.severity,
      title: s.title,
      resourceArn: s.resourceArn,
      keyArn: s.keyArn,
      firstSeen: s.firstSeen,
      link: `${base}/resources/detail?arn=${encodeURIComponent(s.resourceArn)}`,
    })),
  };
}

/**
 * Puts the message for a scan's newly opened findings in the outbox of every configured channel
 * (nothing when none reaches the severity, or every one was already told). Returns the entries made.
 */
export function enqueueFindings(cfg: KeywardConfigData, scanId: number, opened: FindingState[]): number[] {
  const channels = configuredChannels(cfg);
  const min = SEVERITY_RANK[cfg.notifications.minSeverity];
  const due = opened.filter((s) => SEVERITY_RANK[s.severity] >= min);
  if (!channels.length || !due.length) return [];
  const d = db(cfg.dataDir);
  const told = d.prepare("SELECT 1 FROM notified WHERE channel = ? AND fingerprint = ? AND first_seen = ?");
  const remember = d.prepare("INSERT INTO notified (channel, fingerprint, first_seen, notification_id) VALUES (?, ?, ?, ?)");
  const put = d.prepare("INSERT INTO notifications (channel, kind, payload, created_at, next_attempt_at) VALUES (?, 'findings', ?, ?, ?)");
  return d.transaction(() => {
    const ids: number[] = [];
    const now = new Date().toISOString();
    for (const channel of channels) {
      const fresh = due.filter((s) => !told.get(channel, s.fingerprint, s.firstSeen));
      if (!fresh.length) continue;
      const id = Number(put.run(channel, JSON.stringify(messageFor(cfg, fresh, scanId)), now, now).lastInsertRowid);
      for (const s of fresh) remember.run(channel, s.fingerprint, s.firstSeen, id);
      ids.push(id);
    }
    return ids;
  })();
}

/** The Slack text of a message (links in Slack's <url|label> form). */
export function slackText(m: FindingMessage): string {
  if (m.kind === "test") return `Keyward test message: this channel receives new findings. <${m.console}|Open Keyward>`;
  const lines = m.findings.slice(0, LISTED).map((f) => `• *${f.severity.toUpperCase()}* ${f.ruleId} ${f.title} — <${f.link}|${f.resourceArn.split(":").slice(5).join(":")}>`);
  const more = m.total > LISTED ? `\n…and ${m.total - LISTED} more: <${m.console}|open Keyward>` : "";
  return `Keyward: ${m.total} new finding${m.total === 1 ? "" : "s"}\n${lines.join("\n")}${more}`;
}

/** The signature header of a webhook body: `sha256=` and the hex HMAC of `${timestamp}.${body}`. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

async function send(cfg: KeywardConfigData, channel: Channel, m: FindingMessage): Promise<void> {
  let url: string;
  let body: string;
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "Keyward" };
  if (channel === "slack") {
    url = cfg.notifications.slack!.webhookUrl;
    body = JSON.stringify({ text: slackText(m) });
  } else {
    url = cfg.notifications.webhook!.url;
    body = JSON.stringify(m);
    const ts = String(Math.floor(Date.now() / 1000));
    headers["x-keyward-timestamp"] = ts;
    headers["x-keyward-signature"] = signature(cfg.notifications.webhook!.secret, ts, body);
  }
  const r = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(10_000) });
  if (!r.ok) throw new Error(`${r.status} ${r.statusText}${r.status === 429 ? " (rate limited)" : ""}`);
}

/** Sends every entry that is due; one at a time per process. Returns how many were sent and failed. */
export async function deliverPending(cfg: KeywardConfigData, now = new Date()): Promise<{ sent: number; failed: number }> {
  const slot = globalThis as typeof globalThis & { __keywardDelivering?: Promise<{ sent: number; failed: number }> };
  if (slot.__keywardDelivering) return slot.__keywardDelivering;
  const run = (async () => {
    const d = db(cfg.dataDir);
    const rows = d
      .prepare("SELECT id, channel, payload, attempts FROM notifications WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ? ORDER BY id")
      .all(now.toISOString()) as { id: number; channel: Channel; payload: string; attempts: number }[];
    let sent = 0;
    let failed = 0;
    for (const r of rows) {
      if (!cfg.notifications[r.channel]) {
        d.prepare("UPDATE notifications SET failed_at = ?, last_error = ? WHERE id = ?").run(new Date().toISOString(), "the channel is no longer configured", r.id);
        failed++;
        continue;
      }
      try {
        await send(cfg, r.channel, JSON.parse(r.payload) as FindingMessage);
        d.prepare("UPDATE notifications SET sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?").run(new Date().toISOString(), r.id);
        sent++;
      } catch (e) {
        const attempts = r.attempts + 1;
        const error = e instanceof Error ? (e.cause instanceof Error ? `${e.message}: ${e.cause.message}` : e.message) : String(e);
        if (attempts >= MAX_ATTEMPTS)
          d.prepare("UPDATE notifications SET attempts = ?, failed_at = ?, last_error = ? WHERE id = ?").run(attempts, new Date().toISOString(), error, r.id);
        else
          d.prepare("UPDATE notifications SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?").run(
            attempts,
            new Date(Date.now() + BACKOFF_MS[attempts - 1]).toISOString(),
            error,
            r.id,
          );
        failed++;
      }
    }
    return { sent, failed };
  })();
  slot.__keywardDelivering = run;
  try {
    return await run;
  } finally {
    slot.__keywardDelivering = undefined;
  }
}

/** A test message to one channel, sent at once (not through the outbox); the error when it fails. */
export async function sendTest(cfg: KeywardConfigData, channel: Channel): Promise<{ ok: true } | { ok: false; error: string }> {
  if (!cfg.notifications[channel]) return { ok: false, error: `${channel} is not configured (notifications.${channel} in keyward.config.json)` };
  try {
    await send(cfg, channel, { kind: "test", console: cfg.notifications.consoleUrl, total: 0, findings: [] });
    return { ok: true };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? (e.cause instanceof Error ? `${e.message}: ${e.cause.message}` : e.message) : String(e) };
  }
}

export function outbox(cfg: KeywardConfigData, limit = 20): OutboxEntry[] {
  const rows = db(cfg.dataDir).prepare("SELECT * FROM notifications ORDER BY id DESC LIMIT ?").all(limit) as {
    id: number;
    channel: Channel;
    kind: string;
    payload: string;
    created_at: string;
    attempts: number;
    next_attempt_at: string;
    sent_at: string | null;
    failed_at: string | null;
    last_error: string | null;
  }[];
  return rows.map((r) => ({
    id: r.id,
    channel: r.channel,
    kind: r.kind,
    createdAt: r.created_at,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    sentAt: r.sent_at ?? undefined,
    failedAt: r.failed_at ?? undefined,
    lastError: r.last_error ?? undefined,
    total: (JSON.parse(r.payload) as FindingMessage).total,
  }));
}

const lastExport = globalThis as typeof globalThis & { __keywardSecurityHub?: SecurityHubReport & { at: string } };

/** The last export to Security Hub from this process (Settings). */
export function lastSecurityHubExport(): (SecurityHubReport & { at: string }) | undefined {
  return lastExport.__keywardSecurityHub;
}

/**
 * After a stored scan: its newly opened findings into the outbox, then delivery; and where Security
 * Hub is configured, every open finding and those the scan resolved into it. Awaited by the CLI, not
 * by the console.
 */
export async function notifyScan(
  cfg: KeywardConfigData,
  scanId: number,
  changes: ScanChanges,
  scan?: { result: ScanResult; targets: Target[] },
): Promise<{ sent: number; failed: number; securityHub?: SecurityHubReport }> {
  try {
    enqueueFindings(cfg, scanId, statesOf(cfg.dataDir, changes.opened));
  } catch (e) {
    console.error("notifications could not be queued:", e instanceof Error ? e.message : e);
  }
  const delivered = await deliverPending(cfg).catch((e: unknown) => {
    console.error("notifications could not be delivered:", e instanceof Error ? e.message : e);
    return { sent: 0, failed: 0 };
  });
  if (!cfg.securityHub || !scan) return delivered;
  const securityHub = await exportToSecurityHub(
    cfg,
    scan.result,
    { open: [...openStates(cfg.dataDir).values()], resolved: statesOf(cfg.dataDir, changes.resolved) },
    scan.targets,
  ).catch((e: unknown): SecurityHubReport => ({ imported: 0, failed: [{ account: "", region: "", code: "Error", message: e instanceof Error ? e.message : String(e) }] }));
  lastExport.__keywardSecurityHub = { ...securityHub, at: new Date().toISOString() };
  return { ...delivered, securityHub };
}
