import "server-only";

// Writes a reviewed policy: refuses when the live policy is no longer the one the operator reviewed,
// validates the new one, writes it (PutKeyPolicy / PutResourcePolicy) and records the outcome in the
// audit log. Never reads a secret's value.
import { GetKeyPolicyCommand, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import { GetResourcePolicyCommand, PutResourcePolicyCommand } from "@aws-sdk/client-secrets-manager";

import { audit } from "../auth/audit";
import type { KeywardConfigData } from "../config/schema";
import { clientsFor, describeAwsError } from "../server/aws/clients";
import { targetsOf } from "../server/aws/connection";
import { HttpError } from "../server/with-auth";

import { policyStatements, PolicyParseError } from "./normalize";
import { policyHash } from "./review";

export interface ApplyInput {
  target: "key" | "secret";
  arn: string;
  policy: string;
  basedOn: string;
}

const EMPTY_SECRET_POLICY = JSON.stringify({ Version: "2012-10-17", Statement: [] });

export async function applyPolicy(cfg: KeywardConfigData, input: ApplyInput, actor: string): Promise<{ applied: true; arn: string }> {
  const [, , , region, account] = input.arn.split(":");
  try {
    const doc = JSON.parse(input.policy) as unknown;
    policyStatements(doc);
  } catch (e) {
    throw new HttpError(422, `The policy is not valid: ${e instanceof PolicyParseError ? e.message : (e as Error).message}`);
  }
  if (/\$\{(region|account-id|agent-id|key-id|role)\}/.test(input.policy)) throw new HttpError(422, "The policy still has open placeholders; fill them in first.");
  const target = targetsOf(cfg).find((t) => t.account === account && t.region === region) ?? targetsOf(cfg).find((t) => t.account === account);
  if (!target) throw new HttpError(422, `Account ${account} is not configured.`);
  const c = clientsFor({ ...target, region });
  const detail = (outcome: string) => `${input.target} policy of ${input.arn}: ${outcome}`;
  try {
    const live =
      input.target === "key"
        ? (await c.kms.send(new GetKeyPolicyCommand({ KeyId: input.arn, PolicyName: "default" }))).Policy
        : ((await c.secrets.send(new GetResourcePolicyCommand({ SecretId: input.arn }))).ResourcePolicy ?? EMPTY_SECRET_POLICY);
    if (policyHash(live) !== input.basedOn) {
      audit(cfg.dataDir, { actor, action: "apply", outcome: "failure", detail: detail("refused, the live policy changed since it was reviewed") });
      throw new HttpError(409, "The policy changed since this review was made. Rescan and review again.");
    }
    if (input.target === "key") await c.kms.send(new PutKeyPolicyCommand({ KeyId: input.arn, PolicyName: "default", Policy: input.policy }));
    else await c.secrets.send(new PutResourcePolicyCommand({ SecretId: input.arn, ResourcePolicy: input.policy, BlockPublicPolicy: true }));
  } catch (e) {
    if (e instanceof HttpError) throw e;
    const d = describeAwsError(e);
    audit(cfg.dataDir, { actor, action: "apply", outcome: "failure", detail: detail(`${d.code}: ${d.message}`) });
    throw new HttpError(d.status && d.status < 500 ? 422 : 502, `AWS refused the change: ${d.code}: ${d.message}`, { code: d.code });
  }
  audit(cfg.dataDir, { actor, action: "apply", outcome: "success", detail: detail(`written (${policyHash(input.policy).slice(0, 12)})`) });
  return { applied: true, arn: input.arn };
}
