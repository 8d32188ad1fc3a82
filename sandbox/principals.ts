// Callers and their permissions: who a credential is, which identity policies apply to it, and
// whether it may perform an action on a resource (key policy + IAM, evaluated by iam-simulate).
import { createHash } from "node:crypto";

import { ALLOW_ALL_POLICY, evaluate } from "../lib/policy/evaluate";

import { AwsError, type Caller, type CallContext } from "./core";
import type { CallerCredential, SandboxState } from "./state";

function pseudoId(prefix: string, s: string): string {
  return prefix + createHash("sha256").update(s).digest("hex").slice(0, 17).toUpperCase();
}

export function callerFor(state: SandboxState, cred: CallerCredential): Caller {
  if (cred.principal === "admin") {
    return { type: "Root", account: cred.account, arn: `arn:aws:iam::${cred.account}:root`, principalId: cred.account, accessKeyId: cred.accessKeyId, admin: true };
  }
  if (cred.principal.startsWith("user/")) {
    const name = cred.principal.slice(5);
    const arn = `arn:aws:iam::${cred.account}:user/${name}`;
    return { type: "IAMUser", account: cred.account, arn, principalId: state.users.get(arn)?.userId ?? pseudoId("AIDA", arn), accessKeyId: cred.accessKeyId, userName: name };
  }
  const name = cred.principal.slice(5);
  const roleArn = `arn:aws:iam::${cred.account}:role/${name}`;
  const session = cred.sessionName ?? "keyward-session";
  const roleId = state.roles.get(roleArn)?.roleId ?? pseudoId("AROA", roleArn);
  return {
    type: "AssumedRole",
    account: cred.account,
    arn: `arn:aws:sts::${cred.account}:assumed-role/${name}/${session}`,
    principalId: `${roleId}:${session}`,
    accessKeyId: cred.accessKeyId,
    roleArn,
    sessionName: session,
  };
}

/** The ARN policies name for a caller: the role for assumed-role sessions. */
export function policyPrincipal(caller: Caller): string {
  if (caller.type === "AWSService") return caller.invokedBy ?? "";
  return caller.roleArn ?? caller.arn;
}

export function identityPoliciesFor(state: SandboxState, principalArn: string): { name: string; policy: unknown }[] {
  const entity = state.roles.get(principalArn) ?? state.users.get(principalArn);
  if (!entity) return [];
  const out: { name: string; policy: unknown }[] = [];
  for (const [name, doc] of entity.inlinePolicies) out.push({ name, policy: JSON.parse(doc) });
  for (const arn of entity.attachedPolicies) {
    const p = state.policies.get(arn);
    if (p) out.push({ name: p.name, policy: JSON.parse(p.document) });
    else if (arn === "arn:aws:iam::aws:policy/AdministratorAccess") {
      out.push({ name: "AdministratorAccess", policy: ALLOW_ALL_POLICY });
    }
  }
  return out;
}

/**
 * Allows or denies an action for the caller. Administrators (the default credentials) are allowed
 * everything an account root may do; other principals are evaluated against their identity
 * policies and, when given, the resource policy.
 */
export async function authorize(
  ctx: CallContext,
  opts: {
    action: string;
    resourceArn: string;
    resourceAccount?: string;
    resourcePolicy?: string;
    context?: Record<string, string | string[]>;
    deniedMessage?: (principal: string) => string;
  },
): Promise<void> {
  const caller = ctx.caller;
  if (caller.admin && !opts.resourcePolicy) return;
  const principal = policyPrincipal(caller);
  const result = await evaluate({
    principal,
    action: opts.action,
    resourceArn: opts.resourceArn,
    resourceAccount: opts.resourceAccount ?? ctx.account,
    resourcePolicy: opts.resourcePolicy ? JSON.parse(opts.resourcePolicy) : undefined,
    identityPolicies: caller.admin ? [{ name: "admin", policy: ALLOW_ALL_POLICY }] : identityPoliciesFor(ctx.state, principal),
    context: {
      "aws:PrincipalArn": principal,
      "aws:PrincipalAccount": caller.account,
      "aws:SourceIp": ctx.sourceIp,
      ...(ctx.state.organizationId ? { "aws:PrincipalOrgID": ctx.state.organizationId } : {}),
      ...(opts.context ?? {}),
    },
  });
  if (result.decision !== "Allowed") {
    const how = result.decision === "ExplicitlyDenied" ? "with an explicit deny" : "because no resource-based policy allows the action";
    throw new AwsError(
      "AccessDeniedException",
      opts.deniedMessage?.(caller.arn) ?? `User: ${caller.arn} is not authorized to perform: ${opts.action} on resource: ${opts.resourceArn} ${how}`,
      400,
    );
  }
}
