import "server-only";

// What the wizard offers to pick from, out of the last scan: the keys (incompatible ones listed but
// disabled, with the reason), the roles, the secrets, and the agents and memories to update or replace.
import type { KeywardConfigData } from "../config/schema";
import { insideAccounts } from "../config/schema";
import { resourceOf, type ScanResult } from "../inventory/types.shared";
import { scanStatus } from "../posture/jobs";

import { lintKeyPolicy } from "./policy";
import type { Flow, KeyChoice } from "./types.shared";

export interface SetupOptions {
  /** The configured accounts and their regions. */
  accounts: { id: string; regions: string[] }[];
  scannedAt?: string;
  keys: KeyChoice[];
  roles: string[];
  secrets: { arn: string; name?: string; region: string; keyArn?: string; owningService?: string }[];
  agents: { id: string; arn: string; name: string; region: string; keyArn?: string; role?: string }[];
  memories: { id: string; arn: string; name: string; region: string; keyArn?: string }[];
}

export async function keyChoices(scan: ScanResult, flow: Flow, account: string, region: string, role: string | undefined, inside: Set<string>): Promise<KeyChoice[]> {
  const out: KeyChoice[] = [];
  for (const k of scan.keys.filter((x) => x.account === account && x.type !== "aws-owned")) {
    const c: KeyChoice = { arn: k.arn, alias: k.aliases[0], description: k.description, region: k.region, spec: k.spec, state: k.state, manager: k.manager };
    if (!k.found) c.disabled = "could not be described (not found, or not readable with the scan's permissions)";
    else if (k.region !== region) c.disabled = `in ${k.region ?? "another region"}; the resource is in ${region}`;
    else if (k.type === "aws-managed") c.disabled = "AWS managed: its policy cannot name the service";
    else if (k.state === "PendingDeletion") c.disabled = `pending deletion${k.deletionDate ? ` (on ${k.deletionDate.slice(0, 10)})` : ""}`;
    else if (k.state === "Disabled") c.disabled = "disabled";
    else if (k.state && k.state !== "Enabled") c.disabled = `state ${k.state}`;
    else if (k.spec !== "SYMMETRIC_DEFAULT" || (k.usage && k.usage !== "ENCRYPT_DECRYPT"))
      c.disabled = `asymmetric or not for encryption (${k.spec ?? "unknown spec"}, ${k.usage ?? "unknown usage"})`;
    else if (!k.policy) c.disabled = `its policy could not be read (${k.readErrors.GetKeyPolicy ?? "not read"})`;
    else if (flow !== "credential-provider") {
      // The new agent's id is not known yet: for agents, only the parts that do not name it are checked.
      const lint = await lintKeyPolicy({ flow, account, region, name: "planned", role, policy: k.policy, keyArn: k.arn, inside });
      const denied = lint.items.find((i) => i.level === "error" && i.message.startsWith("The service could not use the key"));
      if (denied) c.needsPolicy = `its policy would not let the service use it (${(denied.message.split(" — ")[1] ?? "denied").replace(/\.$/, "")})`;
    }
    out.push(c);
  }
  const rank = (c: KeyChoice) => (c.disabled ? 2 : c.needsPolicy ? 1 : 0);
  return out.sort((a, b) => rank(a) - rank(b) || (a.alias ?? a.arn).localeCompare(b.alias ?? b.arn));
}

export async function setupOptions(cfg: KeywardConfigData, flow: Flow, account: string | undefined, region: string, role?: string): Promise<SetupOptions> {
  const scan = scanStatus(cfg.dataDir).last;
  const acct = account ?? cfg.accounts[0]?.id ?? "";
  const accounts = cfg.accounts.map((a) => ({ id: a.id, regions: a.regions }));
  if (!scan) return { accounts, keys: [], roles: [], secrets: [], agents: [], memories: [] };
  const resources = scan.resources.map(resourceOf);
  return {
    accounts,
    scannedAt: scan.scannedAt,
    keys: await keyChoices(scan, flow, acct, region, role, insideAccounts(cfg, scan)),
    roles: [...new Set([...scan.roles.map((r) => r.arn), ...resources.flatMap((r) => r.roles)])].filter((a) => a.split(":")[4] === acct).sort(),
    secrets: scan.secrets
      .filter((s) => s.account === acct && s.region === region)
      .map((s) => ({ arn: s.arn, name: s.name, region: s.region, keyArn: s.kmsKeyId, owningService: s.owningService })),
    agents: resources
      .filter((r) => r.kind === "bedrock-agent" && r.account === acct && r.region === region)
      .map((r) => ({ id: r.arn.split("/").pop()!, arn: r.arn, name: r.name, region: r.region, keyArn: r.keyArn, role: r.roles[0] })),
    memories: resources
      .filter((r) => r.kind === "agentcore-memory" && r.account === acct && r.region === region)
      .map((r) => ({ id: r.arn.split("/").pop()!, arn: r.arn, name: r.name, region: r.region, keyArn: r.keyArn })),
  };
}
