// AWS IAM (read side): roles, their inline and attached policies, managed policies. Policy
// documents are URL-encoded JSON in responses, as IAM returns them.
import { AwsError, requireStr, str, type ServiceHandlers } from "../core";
import type { Role } from "../state";

import { offsetPage } from "./paging";

function page<T>(items: T[], input: Record<string, unknown>): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const max = (input.MaxItems as number | undefined) ?? 100;
  if (max < 1 || max > 1000) throw new AwsError("ValidationError", "MaxItems must be between 1 and 1000.");
  const p = offsetPage(items, str(input, "Marker"), max, new AwsError("ValidationError", "Invalid Marker."));
  return p.next ? { items: p.items, IsTruncated: true, Marker: p.next } : { items: p.items, IsTruncated: false };
}

function roleByName(ctx: { state: { roles: Map<string, Role> }; account: string }, name: string): Role {
  for (const r of ctx.state.roles.values()) if (r.name === name && r.account === ctx.account) return r;
  throw new AwsError("NoSuchEntity", `The role with name ${name} cannot be found.`, 404);
}

function roleShape(r: Role) {
  return {
    Path: r.path,
    RoleName: r.name,
    RoleId: r.roleId,
    Arn: r.arn,
    CreateDate: r.createdAt,
    AssumeRolePolicyDocument: encodeURIComponent(r.assumeRolePolicy),
    Description: r.description || undefined,
    MaxSessionDuration: 3600,
  };
}

export const iamHandlers: ServiceHandlers = {
  GetRole(ctx, input) {
    return { Role: roleShape(roleByName(ctx, requireStr(input, "RoleName"))) };
  },
  ListRoles(ctx, input) {
    const prefix = str(input, "PathPrefix") ?? "/";
    const roles = [...ctx.state.roles.values()].filter((r) => r.account === ctx.account && r.path.startsWith(prefix)).sort((a, b) => a.name.localeCompare(b.name));
    const p = page(roles, input);
    return { Roles: p.items.map(roleShape), IsTruncated: p.IsTruncated, Marker: p.Marker };
  },
  ListRolePolicies(ctx, input) {
    const r = roleByName(ctx, requireStr(input, "RoleName"));
    const p = page([...r.inlinePolicies.keys()].sort(), input);
    return { PolicyNames: p.items, IsTruncated: p.IsTruncated, Marker: p.Marker };
  },
  GetRolePolicy(ctx, input) {
    const r = roleByName(ctx, requireStr(input, "RoleName"));
    const name = requireStr(input, "PolicyName");
    const doc = r.inlinePolicies.get(name);
    if (doc === undefined) throw new AwsError("NoSuchEntity", `The role policy with name ${name} cannot be found.`, 404);
    return { RoleName: r.name, PolicyName: name, PolicyDocument: encodeURIComponent(doc) };
  },
  ListAttachedRolePolicies(ctx, input) {
    const r = roleByName(ctx, requireStr(input, "RoleName"));
    const attached = r.attachedPolicies.map((arn) => ({ PolicyArn: arn, PolicyName: arn.split("/").pop() }));
    const p = page(attached, input);
    return { AttachedPolicies: p.items, IsTruncated: p.IsTruncated, Marker: p.Marker };
  },
  GetPolicy(ctx, input) {
    const arn = requireStr(input, "PolicyArn");
    const p = ctx.state.policies.get(arn);
    if (!p) throw new AwsError("NoSuchEntity", `Policy ${arn} does not exist or is not attachable.`, 404);
    return {
      Policy: {
        PolicyName: p.name,
        PolicyId: p.policyId,
        Arn: p.arn,
        Path: "/",
        DefaultVersionId: p.versionId,
        AttachmentCount: p.attachmentCount,
        PermissionsBoundaryUsageCount: 0,
        IsAttachable: true,
        Description: p.description || undefined,
        CreateDate: p.createdAt,
        UpdateDate: p.createdAt,
      },
    };
  },
  GetPolicyVersion(ctx, input) {
    const arn = requireStr(input, "PolicyArn");
    const v = requireStr(input, "VersionId");
    const p = ctx.state.policies.get(arn);
    if (!p) throw new AwsError("NoSuchEntity", `Policy ${arn} does not exist or is not attachable.`, 404);
    if (v !== p.versionId) throw new AwsError("NoSuchEntity", `Policy ${arn} version ${v} does not exist or is not attachable.`, 404);
    return { PolicyVersion: { Document: encodeURIComponent(p.document), VersionId: p.versionId, IsDefaultVersion: true, CreateDate: p.createdAt } };
  },
};
