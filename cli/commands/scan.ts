import { describeProgress, type Severity } from "../../lib/inventory/types.shared";
import { SEVERITY_RANK, toCsv, toJsonReport, toSarif, toTable } from "../../lib/posture/report";
import { runScan } from "../../lib/posture/scan";
import { notifyScan } from "../../lib/posture/notify";
import { saveScan } from "../../lib/posture/scans";
import { resolveTargets } from "../../lib/org/discover";
import { targetsOf } from "../../lib/server/aws/connection";
import type { Io } from "../main";

import { configOrReport } from "./config";

export interface ScanFlags {
  account?: string;
  regions: string[];
  format: "table" | "json" | "csv" | "sarif";
  failOn?: Severity;
}

const DENIED = ["AccessDeniedException", "AccessDenied", "UnrecognizedClientException", "InvalidClientTokenId", "EndpointUnreachable", "CredentialsProviderError"];
/** Nothing read and every failure a refusal (reads not attempted because their parents failed follow from those). */
const allFailedOf = (r: { resources: unknown[]; errors: { code: string }[] }) => {
  const failures = r.errors.filter((e) => e.code !== "NotAttempted");
  return r.resources.length === 0 && failures.length > 0 && failures.every((e) => DENIED.includes(e.code));
};

export async function runScanCommand(flags: ScanFlags, io: Io): Promise<number> {
  const cfg = configOrReport(io);
  if (!cfg) return 2;
  let targets = targetsOf(cfg);
  // The organization's accounts, discovered with the base credentials, beside the configured ones.
  const discovered = cfg.organization ? await resolveTargets(cfg, targets) : undefined;
  if (discovered) {
    targets = discovered.targets;
    const o = discovered.organization!;
    const read = o.accounts.filter((a) => !a.skipped && !a.error).length;
    io.err(`Organization ${o.organizationId ?? "(not listed)"}: ${o.accounts.length} accounts, ${read} to read${o.errors.length ? `, ${o.errors.length} failed:` : "."}`);
    for (const e of o.errors) io.err(`  ${e.account ?? "organization"} ${e.operation}: ${e.code} — ${e.message}`);
  }
  if (!targets.length) {
    const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (!region && !flags.regions.length) {
      io.err("Nothing to scan: configure accounts (KEYWARD_ACCOUNTS / keyward.config.json) or pass --region.");
      return 2;
    }
    targets = (flags.regions.length ? flags.regions : [region!]).map((r) => ({ account: flags.account ?? "self", region: r }));
  }
  if (flags.account) targets = targets.filter((t) => t.account === flags.account || t.account === "self");
  if (flags.regions.length) targets = targets.filter((t) => flags.regions.includes(t.region));
  if (!targets.length) {
    io.err("No configured account and region matches --account/--region.");
    return 2;
  }
  if (targets.some((t) => t.account === "self")) {
    const { STSClient, GetCallerIdentityCommand } = await import("@aws-sdk/client-sts");
    try {
      const id = await new STSClient({ region: targets[0].region }).send(new GetCallerIdentityCommand({}));
      targets = targets.map((t) => ({ ...t, account: id.Account ?? t.account }));
    } catch (e) {
      io.err(`Cannot identify the AWS account: ${(e as Error).message}`);
      return 2;
    }
  }
  // Progress on stderr every 2 s when it is a terminal or asked for (a large account takes a while:
  // Bedrock reads agents at 15 a second).
  let lastLine = Date.now();
  const result = await runScan({
    targets,
    configAggregator: discovered?.configAggregator,
    trustedAccounts: [...cfg.trustedAccounts, ...cfg.trustedOrganizations],
    accessAnalyzer: cfg.accessAnalyzer,
    onProgress: (p) => {
      if (!io.progress || Date.now() - lastLine < 2000 || p.phase === "done") return;
      lastLine = Date.now();
      io.err(`… ${describeProgress(p)}`);
    },
  });
  if (discovered?.organization) {
    result.organization = discovered.organization;
    result.errors.unshift(...discovered.organization.errors);
  }
  const inv = result.inventory;
  if (inv) {
    const used = Object.entries(inv.items).map(([t, n]) => `${n} ${t}`);
    io.err(
      inv.error
        ? `AWS Config aggregator ${inv.aggregator} (${inv.region}) could not be read (${inv.error.code}): every API was read instead.`
        : `AWS Config aggregator ${inv.aggregator} (${inv.region}): ${used.join(", ") || "no items"} used; ${inv.fallbacks.length} account-region-types read through the API instead.`,
    );
    for (const f of inv.fallbacks.filter((x) => !/holds no/.test(x.reason)).slice(0, 20)) io.err(`  ${f.account} ${f.region} ${f.type}: ${f.reason}`);
  }
  // Stored like a console scan: the console, `keyward sync` and the policy review read it; events
  // stored before it are tied to the resources it found.
  if (!allFailedOf(result)) {
    const saved = saveScan(cfg.dataDir, result, "keyward scan (CLI)");
    io.err(
      `Scan ${saved.id} stored in ${cfg.dataDir}: ${saved.changes.opened.length} findings opened, ${saved.changes.resolved.length} resolved since the last scan${saved.tied ? `; ${saved.tied} stored events tied to its resources` : ""}.`,
    );
    // Notifications of the findings it opened, as after a console scan (what fails stays queued for the console to retry).
    const n = await notifyScan(cfg, saved.id, saved.changes, { result, targets });
    if (n.sent || n.failed) io.err(`Notifications: ${n.sent} sent${n.failed ? `, ${n.failed} failed (retried later; Settings → Notifications)` : ""}.`);
    if (n.securityHub) {
      io.err(`Security Hub: ${n.securityHub.imported} findings imported${n.securityHub.failed.length ? `, ${n.securityHub.failed.length} refused:` : "."}`);
      for (const f of n.securityHub.failed.slice(0, 20)) io.err(`  ${f.account} ${f.region}${f.id ? ` ${f.id}` : ""}: ${f.code} — ${f.message}`);
    }
  }
  const allFailed = allFailedOf(result);
  const out =
    flags.format === "json"
      ? JSON.stringify(toJsonReport(result), null, 2)
      : flags.format === "csv"
        ? toCsv(result)
        : flags.format === "sarif"
          ? JSON.stringify(toSarif(result), null, 2)
          : toTable(result);
  io.out(out);
  if (allFailed) return 2;
  if (flags.failOn && result.findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[flags.failOn!])) return 1;
  return 0;
}
