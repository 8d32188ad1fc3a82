import { serverConfig } from "@/lib/config/server";
import { configuredChannels, lastSecurityHubExport, outbox } from "@/lib/posture/notify";
import { withAuth } from "@/lib/server/with-auth";

export const dynamic = "force-dynamic";

/** Where notifications go (each URL shown by its host only: the path of a Slack webhook is its secret) and the last deliveries. */
export const GET = withAuth(() => {
  const cfg = serverConfig();
  const n = cfg.notifications;
  const host = (u: string) => new URL(u).host;
  return {
    minSeverity: n.minSeverity,
    consoleUrl: n.consoleUrl,
    channels: configuredChannels(cfg).map((c) => ({ channel: c, host: host(c === "slack" ? n.slack!.webhookUrl : n.webhook!.url) })),
    outbox: outbox(cfg),
    securityHub: cfg.securityHub ? { region: cfg.securityHub.region ?? null, last: lastSecurityHubExport() ?? null } : null,
  };
});
