// AWS Organizations, the reads Keyward discovers accounts with: the organization, its root, the units
// under a parent and the accounts in a parent or in the whole organization. Only the management
// account may list (members get AccessDeniedException, as from AWS); an account outside any
// organization gets AWSOrganizationsNotInUseException. Pages follow AWS's limits (MaxResults 1-20).
import { AwsError, requireStr, str, type CallContext, type ServiceHandlers } from "../core";
import { authorize } from "../principals";
import type { OrgAccount, Organization } from "../state";

import { offsetPage } from "./paging";

function orgOf(ctx: CallContext): Organization {
  const org = ctx.state.organization;
  if (!org || !org.accounts.has(ctx.account)) throw new AwsError("AWSOrganizationsNotInUseException", "Your account is not a member of an organization.");
  return org;
}

async function managementOnly(ctx: CallContext, action: string): Promise<Organization> {
  const org = orgOf(ctx);
  if (ctx.account !== org.managementAccount) throw new AwsError("AccessDeniedException", "You don't have permissions to access this resource.");
  if (!ctx.caller.admin) await authorize(ctx, { action: `organizations:${action}`, resourceArn: "*" });
  return org;
}

function page<T>(ctx: CallContext, items: T[], input: Record<string, unknown>): { items: T[]; next?: string } {
  const n = (input.MaxResults as number | undefined) ?? 20;
  if (!Number.isInteger(n) || n < 1 || n > 20)
    throw new AwsError("InvalidInputException", "You provided a value that does not match the required pattern: MaxResults must be between 1 and 20.");
  return offsetPage(items, str(input, "NextToken"), n, new AwsError("InvalidInputException", "The provided NextToken is not valid."));
}

function parentOf(org: Organization, id: string): string {
  if (id === org.rootId || org.units.has(id)) return id;
  if (!/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/.test(id)) throw new AwsError("InvalidInputException", "You specified an invalid value for ParentId.");
  throw new AwsError("ParentNotFoundException", "We can't find a root or OU with the ParentId that you specified.");
}

function accountShape(a: OrgAccount) {
  return { Id: a.id, Arn: a.arn, Email: a.email, Name: a.name, Status: a.status, State: a.status, JoinedMethod: "CREATED", JoinedTimestamp: a.joined };
}

export const organizationsHandlers: ServiceHandlers = {
  DescribeOrganization(ctx) {
    const org = orgOf(ctx);
    const mgmt = org.accounts.get(org.managementAccount)!;
    return {
      Organization: {
        Id: org.id,
        Arn: org.arn,
        FeatureSet: "ALL",
        MasterAccountArn: mgmt.arn,
        MasterAccountId: mgmt.id,
        MasterAccountEmail: mgmt.email,
        AvailablePolicyTypes: [],
      },
    };
  },
  async ListRoots(ctx, input) {
    const org = await managementOnly(ctx, "ListRoots");
    const p = page(ctx, [{ Id: org.rootId, Arn: `arn:aws:organizations::${org.managementAccount}:root/${org.id}/${org.rootId}`, Name: "Root", PolicyTypes: [] }], input);
    return { Roots: p.items, NextToken: p.next };
  },
  async ListOrganizationalUnitsForParent(ctx, input) {
    const org = await managementOnly(ctx, "ListOrganizationalUnitsForParent");
    const parent = parentOf(org, requireStr(input, "ParentId"));
    const p = page(
      ctx,
      [...org.units.values()].filter((u) => u.parentId === parent).map((u) => ({ Id: u.id, Arn: u.arn, Name: u.name })),
      input,
    );
    return { OrganizationalUnits: p.items, NextToken: p.next };
  },
  async ListAccountsForParent(ctx, input) {
    const org = await managementOnly(ctx, "ListAccountsForParent");
    const parent = parentOf(org, requireStr(input, "ParentId"));
    const p = page(ctx, [...org.accounts.values()].filter((a) => a.parentId === parent).map(accountShape), input);
    return { Accounts: p.items, NextToken: p.next };
  },
  async ListAccounts(ctx, input) {
    const org = await managementOnly(ctx, "ListAccounts");
    const p = page(ctx, [...org.accounts.values()].map(accountShape), input);
    return { Accounts: p.items, NextToken: p.next };
  },
};
