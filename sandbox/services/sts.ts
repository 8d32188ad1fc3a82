// AWS STS: who am I, and role sessions whose credentials the sandbox then accepts.
import { randomBytes } from "node:crypto";

import { AwsError, requireStr, type ServiceHandlers } from "../core";
import { callerFor } from "../principals";
import { evaluate } from "../../lib/policy/evaluate";

export const stsHandlers: ServiceHandlers = {
  GetCallerIdentity(ctx) {
    const c = ctx.caller;
    return { UserId: c.type === "Root" ? c.account : c.principalId, Account: c.account, Arn: c.arn };
  },

  async AssumeRole(ctx, input) {
    const roleArn = requireStr(input, "RoleArn");
    const session = requireStr(input, "RoleSessionName");
    if (!/^[\w+=,.@-]{2,64}$/.test(session)) throw new AwsError("ValidationError", "RoleSessionName must be 2-64 characters of [\\w+=,.@-].");
    const duration = (input.DurationSeconds as number | undefined) ?? 3600;
    if (duration < 900 || duration > 43200) throw new AwsError("ValidationError", "DurationSeconds must be between 900 and 43200.");
    const role = ctx.state.roles.get(roleArn);
    if (!role) throw new AwsError("AccessDenied", `User: ${ctx.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
    if (!ctx.caller.admin) {
      const principal = ctx.caller.roleArn ?? ctx.caller.arn;
      const r = await evaluate({
        principal,
        action: "sts:AssumeRole",
        resourceArn: roleArn,
        resourceAccount: role.account,
        resourcePolicy: JSON.parse(role.assumeRolePolicy),
        identityPolicies: [],
      });
      if (r.decision !== "Allowed") throw new AwsError("AccessDenied", `User: ${ctx.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
    }
    const accessKeyId = `ASIA${randomBytes(8).toString("hex").toUpperCase()}`;
    const secret = randomBytes(30).toString("base64");
    const token = randomBytes(64).toString("base64");
    const expiresAt = new Date(ctx.now.getTime() + duration * 1000);
    const cred = { accessKeyId, secretAccessKey: secret, sessionToken: token, principal: `role/${role.name}`, account: role.account, sessionName: session, expiresAt };
    ctx.state.credentials.set(accessKeyId, cred);
    const caller = callerFor(ctx.state, cred);
    ctx.trail.resources = [{ accountId: role.account, type: "AWS::IAM::Role", ARN: roleArn }];
    ctx.trail.responseElements = {
      credentials: { accessKeyId, sessionToken: "***", expiration: expiresAt.toUTCString() },
      assumedRoleUser: { assumedRoleId: caller.principalId, arn: caller.arn },
    };
    return {
      Credentials: { AccessKeyId: accessKeyId, SecretAccessKey: secret, SessionToken: token, Expiration: expiresAt },
      AssumedRoleUser: { AssumedRoleId: caller.principalId, Arn: caller.arn },
      PackedPolicySize: 0,
    };
  },
};
