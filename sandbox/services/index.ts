// The services the sandbox serves: one line each. Models come from the SDK client packages.
import * as AccessAnalyzer from "@aws-sdk/client-accessanalyzer";
import * as Athena from "@aws-sdk/client-athena";
import * as Bedrock from "@aws-sdk/client-bedrock";
import * as BedrockAgent from "@aws-sdk/client-bedrock-agent";
import * as AgentCoreData from "@aws-sdk/client-bedrock-agentcore";
import * as AgentCoreControl from "@aws-sdk/client-bedrock-agentcore-control";
import * as CloudTrail from "@aws-sdk/client-cloudtrail";
import * as IAM from "@aws-sdk/client-iam";
import * as KMS from "@aws-sdk/client-kms";
import * as ConfigService from "@aws-sdk/client-config-service";
import * as Organizations from "@aws-sdk/client-organizations";
import * as SecretsManager from "@aws-sdk/client-secrets-manager";
import * as SecurityHub from "@aws-sdk/client-securityhub";
import * as STS from "@aws-sdk/client-sts";

import type { ServiceHandlers } from "../core";
import { buildServiceModel, type Protocol, type ServiceModel } from "../protocols/model";

import { accessAnalyzerHandlers } from "./accessanalyzer";
import { agentCoreControlHandlers, agentCoreDataHandlers } from "./agentcore";
import { athenaHandlers } from "./athena";
import { bedrockAgentHandlers } from "./bedrock-agent";
import { cloudTrailHandlers } from "./cloudtrail";
import { iamHandlers } from "./iam";
import { lakeHandlers } from "./lake";
import { keyedAgentCoreControlHandlers, keyedBedrockAgentHandlers, keyedBedrockHandlers } from "./keyed";
import { kmsHandlers } from "./kms";
import { configHandlers } from "./config";
import { organizationsHandlers } from "./organizations";
import { secretsManagerHandlers } from "./secretsmanager";
import { securityHubHandlers } from "./securityhub";
import { stsHandlers } from "./sts";

export interface ServiceDef {
  signingName: string;
  protocol: Protocol;
  models: ServiceModel[];
  handlersFor(model: ServiceModel): ServiceHandlers;
}

type Ctor = Parameters<typeof buildServiceModel>[0]["clientCtor"];

function service(signingName: string, protocol: Protocol, parts: [string, Record<string, unknown>, Ctor, ServiceHandlers][]): ServiceDef {
  const models = parts.map(([id, module, clientCtor]) => buildServiceModel({ id, signingName, protocol, module, clientCtor }));
  const handlers = new Map(models.map((m, i) => [m, parts[i][3]]));
  return { signingName, protocol, models, handlersFor: (m) => handlers.get(m) ?? {} };
}

export const SERVICES: ServiceDef[] = [
  service("kms", "awsJson1_1", [["kms", KMS, KMS.KMSClient as unknown as Ctor, kmsHandlers]]),
  service("secretsmanager", "awsJson1_1", [["secretsmanager", SecretsManager, SecretsManager.SecretsManagerClient as unknown as Ctor, secretsManagerHandlers]]),
  service("cloudtrail", "awsJson1_1", [["cloudtrail", CloudTrail, CloudTrail.CloudTrailClient as unknown as Ctor, { ...cloudTrailHandlers, ...lakeHandlers }]]),
  service("athena", "awsJson1_1", [["athena", Athena, Athena.AthenaClient as unknown as Ctor, athenaHandlers]]),
  service("organizations", "awsJson1_1", [["organizations", Organizations, Organizations.OrganizationsClient as unknown as Ctor, organizationsHandlers]]),
  service("config", "awsJson1_1", [["config", ConfigService, ConfigService.ConfigServiceClient as unknown as Ctor, configHandlers]]),
  service("sts", "awsQuery", [["sts", STS, STS.STSClient as unknown as Ctor, stsHandlers]]),
  service("iam", "awsQuery", [["iam", IAM, IAM.IAMClient as unknown as Ctor, iamHandlers]]),
  service("securityhub", "restJson1", [["securityhub", SecurityHub, SecurityHub.SecurityHubClient as unknown as Ctor, securityHubHandlers]]),
  service("access-analyzer", "restJson1", [["accessanalyzer", AccessAnalyzer, AccessAnalyzer.AccessAnalyzerClient as unknown as Ctor, accessAnalyzerHandlers]]),
  service("bedrock", "restJson1", [
    ["bedrock-agent", BedrockAgent, BedrockAgent.BedrockAgentClient as unknown as Ctor, { ...bedrockAgentHandlers, ...keyedBedrockAgentHandlers }],
    ["bedrock", Bedrock, Bedrock.BedrockClient as unknown as Ctor, keyedBedrockHandlers],
  ]),
  service("bedrock-agentcore", "restJson1", [
    [
      "bedrock-agentcore-control",
      AgentCoreControl,
      AgentCoreControl.BedrockAgentCoreControlClient as unknown as Ctor,
      { ...agentCoreControlHandlers, ...keyedAgentCoreControlHandlers },
    ],
    ["bedrock-agentcore", AgentCoreData, AgentCoreData.BedrockAgentCoreClient as unknown as Ctor, agentCoreDataHandlers],
  ]),
];

/** Every operation the sandbox implements, as `service:Operation`. */
export function implementedOperations(): string[] {
  return SERVICES.flatMap((s) => s.models.flatMap((m) => Object.keys(s.handlersFor(m)).map((op) => `${m.id}:${op}`)));
}
