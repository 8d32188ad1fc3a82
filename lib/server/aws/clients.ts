import "server-only";

// One place builds AWS SDK clients: per (account, region, role), from the standard credential
// chain (environment, AWS_PROFILE, SSO, container/instance role) or a role to assume, honouring
// AWS_ENDPOINT_URL and the service-specific endpoint variables (the SDK reads them itself), with
// the SDK's adaptive retry mode.
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";

import { AccessAnalyzerClient } from "@aws-sdk/client-accessanalyzer";
import { BedrockClient } from "@aws-sdk/client-bedrock";
import { BedrockAgentClient } from "@aws-sdk/client-bedrock-agent";
import { BedrockAgentCoreClient } from "@aws-sdk/client-bedrock-agentcore";
import { BedrockAgentCoreControlClient } from "@aws-sdk/client-bedrock-agentcore-control";
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { IAMClient } from "@aws-sdk/client-iam";
import { KMSClient } from "@aws-sdk/client-kms";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SecurityHubClient } from "@aws-sdk/client-securityhub";
import { STSClient } from "@aws-sdk/client-sts";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { AwsCredentialIdentityProvider } from "@smithy/types";

export interface Target {
  /** The configured account id (informational when no role is assumed). */
  account: string;
  region: string;
  roleArn?: string;
  externalId?: string;
}

export interface AwsClients {
  target: Target;
  kms: KMSClient;
  sts: STSClient;
  iam: IAMClient;
  secrets: SecretsManagerClient;
  cloudtrail: CloudTrailClient;
  bedrock: BedrockClient;
  bedrockAgent: BedrockAgentClient;
  agentCoreControl: BedrockAgentCoreControlClient;
  agentCore: BedrockAgentCoreClient;
  accessAnalyzer: AccessAnalyzerClient;
  organizations: OrganizationsClient;
  config: ConfigServiceClient;
  securityHub: SecurityHubClient;
}

const cache = new Map<string, AwsClients>();

// One connection pool for every client: a scan of many accounts and regions creates a dozen clients
// per target, and each would otherwise open its own connections (and pay for their setup) to the
// same service endpoints.
const agentOptions = { keepAlive: true, maxSockets: 128 };
const sharedAgents = { httpAgent: new HttpAgent(agentOptions), httpsAgent: new HttpsAgent(agentOptions) };

export function credentialsFor(target: Target): AwsCredentialIdentityProvider | undefined {
  if (!target.roleArn) return undefined; // the SDK's default provider chain
  return fromTemporaryCredentials({
    params: { RoleArn: target.roleArn, RoleSessionName: "keyward", ExternalId: target.externalId, DurationSeconds: 3600 },
    clientConfig: { region: target.region },
  });
}

export function clientsFor(target: Target): AwsClients {
  const key = `${target.account}|${target.region}|${target.roleArn ?? ""}|${process.env.AWS_ENDPOINT_URL ?? ""}|${process.env.AWS_ACCESS_KEY_ID ?? ""}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const config = {
    region: target.region,
    credentials: credentialsFor(target),
    retryMode: "adaptive" as const,
    requestHandler: sharedAgents,
    // Each command class's middleware is resolved once per client, not on every call (Keyward adds
    // no per-command middleware, the case the SDK's cache is for).
    cacheMiddleware: true,
    maxAttempts: Number(process.env.KEYWARD_AWS_MAX_ATTEMPTS ?? 4),
  };
  const clients: AwsClients = {
    target,
    kms: new KMSClient(config),
    sts: new STSClient(config),
    // IAM is global; it signs in us-east-1.
    iam: new IAMClient({ ...config, region: target.region.startsWith("cn-") ? "cn-north-1" : "us-east-1" }),
    secrets: new SecretsManagerClient(config),
    cloudtrail: new CloudTrailClient(config),
    bedrock: new BedrockClient(config),
    bedrockAgent: new BedrockAgentClient(config),
    agentCoreControl: new BedrockAgentCoreControlClient(config),
    agentCore: new BedrockAgentCoreClient(config),
    accessAnalyzer: new AccessAnalyzerClient(config),
    // Organizations is global; it signs in us-east-1.
    organizations: new OrganizationsClient({ ...config, region: target.region.startsWith("cn-") ? "cn-northwest-1" : "us-east-1" }),
    config: new ConfigServiceClient(config),
    securityHub: new SecurityHubClient(config),
  };
  cache.set(key, clients);
  return clients;
}

/** A short, user-meant description of an AWS SDK error: its code and message, never a stack. */
export function describeAwsError(e: unknown): { code: string; message: string; status?: number } {
  const err = e as { name?: string; Code?: string; message?: string; $metadata?: { httpStatusCode?: number }; code?: string };
  const code = err.Code ?? err.name ?? err.code ?? "Error";
  let message = err.message ?? String(e);
  if (/ECONNREFUSED|ENOTFOUND|ECONNRESET|socket hang up|EAI_AGAIN/.test(`${err.code ?? ""} ${message}`)) {
    return { code: "EndpointUnreachable", message: "The service endpoint could not be reached (the service may not be offered in this region)." };
  }
  if (message.length > 500) message = `${message.slice(0, 500)}…`;
  return { code, message, status: err.$metadata?.httpStatusCode };
}
