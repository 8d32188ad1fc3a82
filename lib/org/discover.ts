import "server-only";

// The accounts of an AWS Organization, discovered with the base credentials (the management account
// or a delegated administrator): the tree from the root down (units and the accounts in each), the
// configured include/exclude applied, suspended and closing accounts skipped, and in each account
// the read role tried once — so that a missing role or a denied AssumeRole is one error for that
// account, beside the accounts that load.
import { ListAccountsForParentCommand, ListOrganizationalUnitsForParentCommand, ListRootsCommand, DescribeOrganizationCommand } from "@aws-sdk/client-organizations";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";

import type { KeywardConfigData, OrganizationConfigData } from "../config/schema";
import type { ScanError } from "../inventory/types.shared";
import { clientsFor, describeAwsError, type Target } from "../server/aws/clients";

import type { OrgAccount, OrgDiscovery } from "./types.shared";

export type { OrgAccount, OrgDiscovery };

/** Follows NextToken through every page. */
async function all<T>(page: (token?: string) => Promise<{ items?: T[]; next?: string }>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const r = await page(token);
    out.push(...(r.items ?? []));
    token = r.next;
  } while (token);
  return out;
}

/** Whether an account in this unit path is read: included (empty = all) and not excluded; exclusion wins. */
export function selected(cfg: Pick<OrganizationConfigData, "include" | "exclude">, accountId: string, path: string[]): boolean {
  const ids = [accountId, ...path];
  if (cfg.exclude.some((x) => ids.includes(x))) return false;
  return cfg.include.length === 0 || cfg.include.some((x) => ids.includes(x));
}

export interface DiscoverOptions {
  /** The base target (credentials as they are) to list the organization with. */
  base: Target;
  /** Try the read role in each selected account (one STS call each). Default true. */
  checkRoles?: boolean;
}

/** Lists the organization and works out which accounts to read, and how. */
export async function discoverOrganization(org: OrganizationConfigData, opts: DiscoverOptions): Promise<OrgDiscovery> {
  const c = clientsFor(opts.base);
  const errors: ScanError[] = [];
  const fail = (operation: string, e: unknown, account?: string) => {
    const d = describeAwsError(e);
    errors.push({ service: "Organizations", region: "global", account, operation, code: d.code, message: d.message });
  };
  const out: OrgDiscovery = { at: new Date().toISOString(), role: org.role, accounts: [], errors };
  let caller: string | undefined;
  try {
    caller = (await c.sts.send(new GetCallerIdentityCommand({}))).Account;
    const d = (await c.organizations.send(new DescribeOrganizationCommand({}))).Organization;
    out.organizationId = d?.Id;
    out.managementAccount = d?.MasterAccountId;
  } catch (e) {
    fail("DescribeOrganization", e);
    return out;
  }
  let roots: { Id?: string; Name?: string }[];
  try {
    roots = await all(async (NextToken) => {
      const r = await c.organizations.send(new ListRootsCommand({ NextToken }));
      return { items: r.Roots, next: r.NextToken };
    });
  } catch (e) {
    // A member account that is not a delegated administrator is told it may not list.
    fail("ListRoots", e);
    return out;
  }
  // Depth first from each root: each unit's accounts carry the path of unit ids above them.
  const walk = async (parentId: string, path: { id: string; name: string }[]): Promise<void> => {
    let listed;
    try {
      listed = await Promise.all([
        all(async (NextToken) => {
          const r = await c.organizations.send(new ListAccountsForParentCommand({ ParentId: parentId, NextToken }));
          return { items: r.Accounts, next: r.NextToken };
        }),
        all(async (NextToken) => {
          const r = await c.organizations.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parentId, NextToken }));
          return { items: r.OrganizationalUnits, next: r.NextToken };
        }),
      ]);
    } catch (e) {
      // The unit's accounts are unknown: say so for the unit, never read it as empty.
      fail(`ListAccountsForParent ${parentId}`, e);
      return;
    }
    const [accounts, units] = listed;
    for (const a of accounts) {
      const state = a.State ?? a.Status ?? "ACTIVE";
      const ids = path.map((p) => p.id);
      const account: OrgAccount = { id: a.Id!, name: a.Name ?? a.Id!, email: a.Email, status: state, path, management: a.Id === out.managementAccount };
      if (!selected(org, account.id, ids)) account.skipped = "not selected (include / exclude)";
      else if (state !== "ACTIVE") account.skipped = state.toLowerCase().replace("_", " ");
      out.accounts.push(account);
    }
    for (const u of units) await walk(u.Id!, [...path, { id: u.Id!, name: u.Name ?? u.Id! }]);
  };
  for (const r of roots) await walk(r.Id!, [{ id: r.Id!, name: r.Name ?? "Root" }]);

  // The account Keyward runs as needs no role; every other account is read through the role.
  for (const a of out.accounts) {
    if (a.skipped) continue;
    a.roleArn = a.id === caller ? undefined : `arn:aws:iam::${a.id}:role/${org.role}`;
  }
  if (opts.checkRoles !== false)
    await Promise.all(
      out.accounts
        .filter((a) => !a.skipped && a.roleArn)
        .map(async (a) => {
          try {
            await clientsFor({ account: a.id, region: org.regions[0], roleArn: a.roleArn, externalId: org.externalId }).sts.send(new GetCallerIdentityCommand({}));
          } catch (e) {
            const d = describeAwsError(e);
            a.error = { code: d.code, message: d.message };
            errors.push({ service: "STS", region: org.regions[0], account: a.id, operation: `AssumeRole ${org.role}`, code: d.code, message: d.message });
          }
        }),
    );
  return out;
}

/** The targets a discovery yields: every selected, active account whose role worked, in each configured region. */
export function discoveredTargets(org: OrganizationConfigData, d: OrgDiscovery): Target[] {
  return d.accounts
    .filter((a) => !a.skipped && !a.error)
    .flatMap((a) => org.regions.map((region) => ({ account: a.id, region, roleArn: a.roleArn, externalId: a.roleArn ? org.externalId : undefined })));
}

/**
 * Everything a scan reads: the configured accounts, and the organization's when one is configured
 * (a configured account keeps its own settings). The base credentials list the organization.
 */
export async function resolveTargets(
  cfg: KeywardConfigData,
  explicit: Target[],
): Promise<{ targets: Target[]; organization?: OrgDiscovery; configAggregator?: { name: string; target: Target } }> {
  if (!cfg.organization) return { targets: explicit };
  const base: Target = { account: explicit[0]?.account ?? "", region: cfg.organization.regions[0] };
  const organization = await discoverOrganization(cfg.organization, { base });
  const known = new Set(explicit.map((t) => t.account));
  const agg = cfg.organization.configAggregator;
  return {
    targets: [...explicit, ...discoveredTargets(cfg.organization, organization).filter((t) => !known.has(t.account))],
    organization,
    // The aggregator is read with the base credentials, in its own region.
    ...(agg ? { configAggregator: { name: agg.name, target: { account: organization.managementAccount ?? base.account, region: agg.region } } } : {}),
  };
}
