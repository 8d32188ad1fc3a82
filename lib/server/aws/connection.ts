import "server-only";

// Who Keyward is in each configured account and region, and whether each service it reads answers.
import { ListAgentsCommand } from "@aws-sdk/client-bedrock-agent";
import { ListMemoriesCommand } from "@aws-sdk/client-bedrock-agentcore-control";
import { DescribeTrailsCommand } from "@aws-sdk/client-cloudtrail";
import { ListRolesCommand } from "@aws-sdk/client-iam";
import { ListKeysCommand } from "@aws-sdk/client-kms";
import { ListSecretsCommand } from "@aws-sdk/client-secrets-manager";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";

import type { KeywardConfigData } from "../../config/schema";

import type { ConnectionCheck, ServiceCheck } from "./connection.shared";
import { clientsFor, describeAwsError, type Target } from "./clients";

export type { ConnectionCheck, ServiceCheck };

export function targetsOf(config: KeywardConfigData): Target[] {
  return config.accounts.flatMap((a) => a.regions.map((region) => ({ account: a.id, region, roleArn: a.roleArn, externalId: a.externalId })));
}

async function probe(service: string, operation: string, call: () => Promise<unknown>): Promise<ServiceCheck> {
  const t = Date.now();
  try {
    await call();
    return { service, operation, ok: true, ms: Date.now() - t };
  } catch (e) {
    const d = describeAwsError(e);
    return { service, operation, ok: false, code: d.code, message: d.message, ms: Date.now() - t };
  }
}

export async function checkConnection(target: Target): Promise<ConnectionCheck> {
  const c = clientsFor(target);
  const out: ConnectionCheck = { account: target.account, region: target.region, roleArn: target.roleArn, services: [] };
  try {
    const id = await c.sts.send(new GetCallerIdentityCommand({}));
    out.identity = { account: id.Account ?? "", arn: id.Arn ?? "", userId: id.UserId ?? "" };
  } catch (e) {
    out.identityError = describeAwsError(e);
    return out;
  }
  out.services = await Promise.all([
    probe("KMS", "ListKeys", () => c.kms.send(new ListKeysCommand({ Limit: 1 }))),
    probe("Bedrock Agents", "ListAgents", () => c.bedrockAgent.send(new ListAgentsCommand({ maxResults: 1 }))),
    probe("AgentCore", "ListMemories", () => c.agentCoreControl.send(new ListMemoriesCommand({ maxResults: 1 }))),
    probe("Secrets Manager", "ListSecrets", () => c.secrets.send(new ListSecretsCommand({ MaxResults: 1 }))),
    probe("CloudTrail", "DescribeTrails", () => c.cloudtrail.send(new DescribeTrailsCommand({}))),
    probe("IAM", "ListRoles", () => c.iam.send(new ListRolesCommand({ MaxItems: 1 }))),
  ]);
  return out;
}

/** Is any credential source configured at all? (Used to show the "what to set" page.) */
export function credentialHints(env: Record<string, string | undefined> = process.env): string[] {
  const found: string[] = [];
  if (env.AWS_ACCESS_KEY_ID) found.push("AWS_ACCESS_KEY_ID");
  if (env.AWS_PROFILE) found.push(`AWS_PROFILE=${env.AWS_PROFILE}`);
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE) found.push("AWS_WEB_IDENTITY_TOKEN_FILE");
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI) found.push("container credentials");
  if (env.AWS_ENDPOINT_URL) found.push(`AWS_ENDPOINT_URL=${env.AWS_ENDPOINT_URL}`);
  return found;
}
