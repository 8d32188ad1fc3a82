import "server-only";

// Findings into AWS Security Hub, in the AWS Security Finding Format, under the account's own
// custom-integration product (`product/<account>/default`). With that product AWS accepts a finding
// only from the account it names, so each finding is imported with the clients of its resource's
// account (the role the scan read it through), in its resource's region (or `securityHub.region`).
// A finding keeps one Id for its whole life (from its fingerprint): a rescan updates it; a resolved
// finding is archived (RecordState ARCHIVED, Compliance PASSED). Workflow fields are the customer's
// and never sent. Imports go 100 findings a call, and what AWS refuses is reported per finding.
import { createHash } from "node:crypto";

import { BatchImportFindingsCommand, type AwsSecurityFinding } from "@aws-sdk/client-securityhub";

import type { KeywardConfigData } from "../config/schema";
import { KIND_LABELS, type ResourceRecord, type ScanResult, type Severity } from "../inventory/types.shared";
import { clientsFor, describeAwsError, type Target } from "../server/aws/clients";

import type { FindingState } from "./lifecycle.shared";

const LABEL: Record<Severity, "CRITICAL" | "HIGH" | "MEDIUM" | "LOW" | "INFORMATIONAL"> = {
  critical: "CRITICAL",
  high: "HIGH",
  medium: "MEDIUM",
  low: "LOW",
  info: "INFORMATIONAL",
};
const TYPES = ["Software and Configuration Checks/AWS Security Best Practices"];

/** The ASFF Id of a finding: stable for its fingerprint. */
export function asffId(fingerprint: string): string {
  return `keyward/${createHash("sha256").update(fingerprint).digest("hex").slice(0, 40)}`;
}

export function productArn(region: string, account: string): string {
  return `arn:aws:securityhub:${region}:${account}:product/${account}/default`;
}

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** One finding (open, or resolved when `resolvedAt` is set) in ASFF. */
export function toAsff(
  s: FindingState,
  o: { region: string; consoleUrl: string; resource?: Pick<ResourceRecord, "kind" | "name">; now: string; evidence?: Record<string, unknown> },
): AwsSecurityFinding {
  const [, partition, , , account] = s.resourceArn.split(":");
  const link = `${o.consoleUrl.replace(/\/$/, "")}/resources/detail?arn=${encodeURIComponent(s.resourceArn)}`;
  const resolved = !!s.resolvedAt;
  const severity = { Label: LABEL[s.severity], Original: s.severity };
  return {
    SchemaVersion: "2018-10-08",
    Id: asffId(s.fingerprint),
    ProductArn: productArn(o.region, account),
    GeneratorId: `keyward/${s.ruleId}`,
    AwsAccountId: account,
    Types: TYPES,
    CreatedAt: s.firstSeen,
    UpdatedAt: o.now,
    FirstObservedAt: s.firstSeen,
    LastObservedAt: s.lastSeen,
    Severity: severity,
    FindingProviderFields: { Severity: severity, Types: TYPES },
    Title: cut(`${s.ruleId}: ${s.title}`, 256),
    Description: cut(
      `${s.title} on ${o.resource ? `${KIND_LABELS[o.resource.kind]} ${o.resource.name}` : s.resourceArn}${s.keyArn ? ` (key ${s.keyArn})` : ""}.${
        resolved ? ` Resolved at ${s.resolvedAt}: ${s.resolution === "resource gone" ? "the resource no longer exists" : "the rule passes"}.` : ""
      }`,
      1024,
    ),
    Remediation: { Recommendation: { Text: cut(`See the finding's evidence and remediation in Keyward (rule ${s.ruleId}).`, 512), Url: link } },
    SourceUrl: link,
    ProductFields: { "keyward/ruleId": s.ruleId, "keyward/fingerprint": cut(s.fingerprint, 1024), ...(s.keyArn ? { "keyward/keyArn": s.keyArn } : {}) },
    Resources: [
      {
        Type: "Other",
        Id: s.resourceArn,
        Partition: partition === "aws-cn" ? "aws-cn" : partition === "aws-us-gov" ? "aws-us-gov" : "aws",
        Region: s.resourceArn.split(":")[3] || o.region,
        ...(o.resource ? { Details: { Other: { kind: o.resource.kind, name: cut(o.resource.name, 1024) } } } : {}),
      },
    ],
    Compliance: { Status: resolved ? "PASSED" : "FAILED" },
    RecordState: resolved ? "ARCHIVED" : "ACTIVE",
  };
}

export interface SecurityHubReport {
  imported: number;
  failed: { account: string; region: string; id?: string; code: string; message: string }[];
}

/**
 * Imports a scan's open findings (new and still open: their LastObservedAt moves) and the findings it
 * resolved. `targets` give the credentials of each account (its role); an account none of them covers
 * is reported, not imported.
 */
export async function exportToSecurityHub(
  cfg: KeywardConfigData,
  result: ScanResult,
  states: { open: FindingState[]; resolved: FindingState[] },
  targets: Target[],
): Promise<SecurityHubReport> {
  const report: SecurityHubReport = { imported: 0, failed: [] };
  const now = new Date().toISOString();
  const resources = new Map(result.resources.map((r) => [r.arn, r]));
  const groups = new Map<string, AwsSecurityFinding[]>();
  for (const s of [...states.open, ...states.resolved]) {
    const [, , , resRegion, account] = s.resourceArn.split(":");
    const region = cfg.securityHub?.region ?? resRegion;
    if (!account || !region) continue;
    const f = toAsff(s, { region, consoleUrl: cfg.notifications.consoleUrl, resource: resources.get(s.resourceArn), now });
    const k = `${account}|${region}`;
    groups.set(k, [...(groups.get(k) ?? []), f]);
  }
  for (const [k, findings] of groups) {
    const [account, region] = k.split("|");
    const t = targets.find((x) => x.account === account);
    if (!t) {
      report.failed.push({ account, region, code: "NoCredentials", message: `no configured or discovered account ${account} to import its findings with` });
      continue;
    }
    const hub = clientsFor({ ...t, region }).securityHub;
    for (let i = 0; i < findings.length; i += 100) {
      try {
        const r = await hub.send(new BatchImportFindingsCommand({ Findings: findings.slice(i, i + 100) }));
        report.imported += r.SuccessCount ?? 0;
        for (const f of r.FailedFindings ?? []) report.failed.push({ account, region, id: f.Id, code: f.ErrorCode ?? "Failed", message: f.ErrorMessage ?? "" });
      } catch (e) {
        const d = describeAwsError(e);
        report.failed.push({ account, region, code: d.code, message: d.message });
        break;
      }
    }
  }
  return report;
}
