// Writes sandbox/scenarios/demo.json: a realistic two-region account with every posture problem
// Keyward reports. `npm run scenario:demo` regenerates it; a test checks the file is current.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";

import type { ScenarioInput } from "../scenario/schema";

const root = { Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: "arn:aws:iam::${account}:root" }, Action: "kms:*", Resource: "*" };
type Statement = Record<string, unknown>;
const policy = (...statements: Statement[]) => ({ Version: "2012-10-17", Statement: [root, ...statements] as Statement[] });

/** Bedrock's key policy for agents created before January 22, 2025 (seed 000), for one agent and its service role. */
const agentStatements = (agentRef: string, role: string): Statement[] => [
  {
    Sid: "Allow Amazon Bedrock to encrypt and decrypt Agent resources on behalf of authorized users",
    Effect: "Allow",
    Principal: { Service: "bedrock.amazonaws.com" },
    Action: ["kms:GenerateDataKey", "kms:Decrypt"],
    Resource: "${self}",
    Condition: { StringEquals: { "kms:EncryptionContext:aws:bedrock:arn": `\${agent:${agentRef}}` } },
  },
  {
    Sid: "Allow the service role to use the key to encrypt and decrypt Agent resources",
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::\${account}:role/${role}` },
    Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
    Resource: "${self}",
  },
  {
    Sid: "Allow the attachment of persistent resources",
    Effect: "Allow",
    Principal: { Service: "bedrock.amazonaws.com" },
    Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
    Resource: "*",
    Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
  },
];

/** A service-principal statement for AgentCore Memory some third-party texts give (not on AWS's page), left unscoped. */
const memoryStatement: Statement = {
  Sid: "AllowAgentCoreMemory",
  Effect: "Allow",
  Principal: { Service: "bedrock-agentcore.amazonaws.com" },
  Action: ["kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncrypt*"],
  Resource: "*",
};

/** Seed 001: AgentCore recommendations. */
const recommendationStatements = (role: string, region: string): Statement[] => [
  { Sid: "AllowCallerAccess", Effect: "Allow", Principal: { AWS: `arn:aws:iam::\${account}:role/${role}` }, Action: "kms:DescribeKey", Resource: "*" },
  {
    Sid: "AllowCallerCryptoOps",
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::\${account}:role/${role}` },
    Action: ["kms:GenerateDataKey", "kms:Decrypt"],
    Resource: "*",
    Condition: { StringLike: { "kms:EncryptionContext:aws:bedrock-agentcore:recommendationArn": `arn:aws:bedrock-agentcore:${region}:\${account}:recommendation/*` } },
  },
  {
    Sid: "AllowServicePrincipalAccess",
    Effect: "Allow",
    Principal: { Service: "bedrock-agentcore.amazonaws.com" },
    Action: ["kms:GenerateDataKey", "kms:Decrypt"],
    Resource: "*",
    Condition: { StringEquals: { "aws:SourceAccount": "${account}" }, ArnLike: { "aws:SourceArn": `arn:aws:bedrock-agentcore:${region}:\${account}:recommendation/*` } },
  },
];

const tokenVaultStatements: Statement[] = [
  {
    Sid: "BedrockAgentCoreIdentityKMSAccess",
    Effect: "Allow",
    Principal: { AWS: "arn:aws:iam::${account}:root" },
    Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKeyWithoutPlaintext"],
    Resource: "*",
    Condition: {
      StringLike: { "kms:ViaService": "bedrock-agentcore-identity.*.amazonaws.com" },
      ArnLike: { "kms:EncryptionContext:aws-crypto-ec:aws:bedrock-agentcore-identity:token-vault-arn": "arn:aws:bedrock-agentcore:*:*:token-vault/default" },
    },
  },
  {
    Sid: "BedrockAgentCoreIdentityDescribeKeyKMSAccess",
    Effect: "Allow",
    Principal: { AWS: "arn:aws:iam::${account}:root" },
    Action: "kms:DescribeKey",
    Resource: "*",
    Condition: { StringLike: { "kms:ViaService": "bedrock-agentcore-identity.*.amazonaws.com" } },
  },
];

/** Bedrock's key policy for agents created on or after January 22, 2025: the account root plus the S3-schema statement. */
const agentStatement2025 = (agentRef: string): Statement => ({
  Sid: "Allow Amazon Bedrock to encrypt and decrypt Agent resources on behalf of authorized users",
  Effect: "Allow",
  Principal: { Service: "bedrock.amazonaws.com" },
  Action: ["kms:GenerateDataKey", "kms:Decrypt"],
  Resource: "${self}",
  Condition: { StringEquals: { "kms:EncryptionContext:aws:bedrock:arn": `\${agent:${agentRef}}` } },
});

/** The classic "key administrators" statement: it can manage the key but gives IAM nothing to grant for using it. */
const adminOnlyRoot: Statement = {
  Sid: "Allow administration of the key",
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::${account}:root" },
  Action: [
    "kms:Create*",
    "kms:Describe*",
    "kms:Enable*",
    "kms:List*",
    "kms:Put*",
    "kms:Update*",
    "kms:Revoke*",
    "kms:Disable*",
    "kms:Get*",
    "kms:Delete*",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
  ],
  Resource: "*",
};

const gatewayStatement: Statement = {
  Sid: "AllowGatewayRole",
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::${account}:role/AgentCoreGatewayRole" },
  Action: ["kms:CreateGrant", "kms:DescribeKey", "kms:Decrypt", "kms:GenerateDataKey"],
  Resource: "*",
};

const trust = (service: string) => ({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": "${account}" } } }],
});
const kmsUse = (keys: string[]) => ({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], Resource: keys.map((k) => `\${key:${k}}`) }],
});

export const demo: ScenarioInput = {
  version: 1,
  name: "demo",
  description: "Acme Support's agent platform: Bedrock agents and AgentCore in us-east-1 and eu-west-1, with every encryption problem Keyward reports.",
  seed: "keyward-demo-1",
  account: "111122223333",
  otherAccounts: ["444455556666"],
  organizationId: "o-a1b2c3d4e5",
  regions: ["us-east-1", "eu-west-1"],
  credentials: [
    { accessKeyId: "AKIAKEYWARDREADONLY1", secretAccessKey: "keyward-readonly-secret", principal: "role/KeywardReadOnly" },
    { accessKeyId: "AKIAKEYWARDCONTRACT1", secretAccessKey: "keyward-contractor-secret", principal: "role/ContractorRole" },
  ],
  iam: {
    users: [
      {
        name: "jdoe",
        inlinePolicies: [{ name: "ReadSalesforce", document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" }] } }],
        attachedPolicies: [],
      },
    ],
    policies: [{ name: "AgentKmsUse", description: "Lets agent roles use their keys", document: kmsUse(["agents-cmk", "agents-shared-cmk"]) }],
    roles: [
      {
        name: "BedrockFlowRole",
        description: "Execution role of the order-routing flow",
        assumeRolePolicy: trust("bedrock.amazonaws.com"),
        inlinePolicies: [
          {
            name: "InvokePrompts",
            document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["bedrock:InvokeModel", "bedrock:RenderPrompt"], Resource: "*" }] },
          },
          {
            // The identity policy AWS's flows page gives the execution role (flow executions).
            name: "EncryptionFlows",
            document: {
              Version: "2012-10-17",
              Statement: [
                {
                  Sid: "EncryptionFlows",
                  Effect: "Allow",
                  Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                  Resource: "${key:flows-cmk}",
                  Condition: { StringEquals: { "kms:EncryptionContext:aws:bedrock-flows:arn": "${resource:order-routing}", "kms:ViaService": "bedrock.us-east-1.amazonaws.com" } },
                },
              ],
            },
          },
        ],
      },
      {
        name: "AgentCorePaymentsRole",
        description: "Role of the checkout payment manager",
        assumeRolePolicy: trust("bedrock-agentcore.amazonaws.com"),
        inlinePolicies: [
          {
            name: "PaymentConnectors",
            document: {
              Version: "2012-10-17",
              Statement: [{ Effect: "Allow", Action: "bedrock-agentcore:GetPaymentConnector", Resource: "arn:aws:bedrock-agentcore:*:*:payment-manager/*" }],
            },
          },
          // AWS's payments page: the execution role encrypts the manager's fields itself (AWS Encryption SDK).
          {
            name: "PaymentsEncryption",
            document: {
              Version: "2012-10-17",
              Statement: [
                {
                  Effect: "Allow",
                  Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                  Resource: "${key:payments-cmk}",
                  Condition: { StringLike: { "kms:EncryptionContext:aws:payments-manager:arn": "arn:aws:bedrock-agentcore:us-east-1:${account}:payment-manager/*" } },
                },
                { Effect: "Allow", Action: "kms:DescribeKey", Resource: "${key:payments-cmk}" },
              ],
            },
          },
        ],
      },
      {
        name: "BedrockAgentRole",
        description: "Service role for support agents",
        assumeRolePolicy: trust("bedrock.amazonaws.com"),
        attachedPolicies: ["AgentKmsUse"],
        inlinePolicies: [
          {
            name: "InvokeModels",
            document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "bedrock:InvokeModel", Resource: "arn:aws:bedrock:*::foundation-model/anthropic.*" }] },
          },
        ],
      },
      {
        name: "WildcardAgentRole",
        description: "Prototype role nobody cleaned up",
        assumeRolePolicy: trust("bedrock.amazonaws.com"),
        inlinePolicies: [{ name: "DoEverything", document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } }],
      },
      { name: "AgentCoreMemoryRole", assumeRolePolicy: trust("bedrock-agentcore.amazonaws.com"), inlinePolicies: [{ name: "MemoryKms", document: kmsUse(["memory-cmk"]) }] },
      {
        name: "AgentCoreGatewayRole",
        assumeRolePolicy: trust("bedrock-agentcore.amazonaws.com"),
        inlinePolicies: [
          {
            name: "GatewayKms",
            document: {
              Version: "2012-10-17",
              Statement: [{ Effect: "Allow", Action: ["kms:CreateGrant", "kms:DescribeKey", "kms:Decrypt", "kms:GenerateDataKey"], Resource: "*" }],
            },
          },
        ],
      },
      {
        name: "AgentCoreIdentityRole",
        assumeRolePolicy: trust("bedrock-agentcore.amazonaws.com"),
        inlinePolicies: [
          {
            name: "ReadAgentSecrets",
            document: {
              Version: "2012-10-17",
              Statement: [
                { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "arn:aws:secretsmanager:*:${account}:secret:agents/*" },
                { Effect: "Allow", Action: "kms:Decrypt", Resource: "${key:secrets-cmk}" },
              ],
            },
          },
        ],
      },
      {
        name: "RecommendationRole",
        inlinePolicies: [
          {
            name: "Recommendations",
            document: {
              Version: "2012-10-17",
              Statement: [
                { Effect: "Allow", Action: ["bedrock-agentcore:*Recommendation*"], Resource: "*" },
                { Effect: "Allow", Action: ["kms:DescribeKey", "kms:GenerateDataKey", "kms:Decrypt"], Resource: "${key:recommendation-cmk}" },
              ],
            },
          },
        ],
      },
      { name: "OrdersAgentRole", description: "Service role for the orders agent", assumeRolePolicy: trust("bedrock.amazonaws.com") },
      {
        name: "KeyAdminRole",
        description: "Platform team key administrators",
        inlinePolicies: [{ name: "KmsAdmin", document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }] } }],
      },
      {
        name: "KeywardReadOnly",
        description: "Keyward's read-only scanner role",
        inlinePolicies: [
          {
            name: "KeywardRead",
            document: {
              Version: "2012-10-17",
              Statement: [
                {
                  Effect: "Allow",
                  Action: [
                    "kms:Describe*",
                    "kms:Get*",
                    "kms:List*",
                    "bedrock:Get*",
                    "bedrock:List*",
                    "bedrock-agentcore:Get*",
                    "bedrock-agentcore:List*",
                    "secretsmanager:DescribeSecret",
                    "secretsmanager:GetResourcePolicy",
                    "secretsmanager:ListSecrets",
                    "cloudtrail:LookupEvents",
                    "cloudtrail:DescribeTrails",
                    "cloudtrail:GetTrailStatus",
                    "cloudtrail:GetEventSelectors",
                    "iam:Get*",
                    "iam:List*",
                  ],
                  Resource: "*",
                },
              ],
            },
          },
        ],
      },
      {
        name: "ContractorRole",
        description: "Temporary access for an outside contractor",
        inlinePolicies: [{ name: "Misc", document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "*" }] } }],
      },
    ],
  },
  keys: [
    {
      ref: "agents-cmk",
      region: "us-east-1",
      description: "Support agent sessions",
      aliases: ["alias/agents/support"],
      rotation: true,
      tags: { team: "support", "data-class": "confidential" },
      policy: policy(...agentStatements("support-bot", "BedrockAgentRole")),
      grants: [
        {
          grantee: "bedrock.amazonaws.com",
          operations: ["Decrypt", "GenerateDataKey"],
          name: "bedrock-agent-support",
          forAwsResource: true,
          encryptionContextSubset: { "aws:bedrock:arn": "${agent:support-bot}" },
        },
      ],
    },
    {
      ref: "agents-shared-cmk",
      region: "us-east-1",
      description: "Shared key for billing agents",
      aliases: ["alias/agents/shared"],
      rotation: true,
      policy: policy(
        { Sid: "AllowBedrock", Effect: "Allow", Principal: { Service: "bedrock.amazonaws.com" }, Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: "*" },
        { Sid: "AllowRole", Effect: "Allow", Principal: { AWS: "arn:aws:iam::${account}:role/BedrockAgentRole" }, Action: ["kms:GenerateDataKey*", "kms:Decrypt"], Resource: "*" },
      ),
    },
    { ref: "memory-cmk", region: "us-east-1", description: "Customer profile memory", aliases: ["alias/agentcore/memory"], rotation: true, policy: policy(memoryStatement) },
    {
      ref: "memory-noservice-cmk",
      region: "us-east-1",
      description: "Support session memory (administrators only)",
      aliases: ["alias/agentcore/sessions"],
      rotation: false,
      policy: { Version: "2012-10-17", Statement: [adminOnlyRoot] },
    },
    {
      ref: "triage-cmk",
      region: "us-east-1",
      description: "Triage agent (created 2026)",
      aliases: ["alias/agents/triage"],
      rotation: true,
      policy: policy(agentStatement2025("triage-agent")),
    },
    {
      ref: "tls-open-cmk",
      region: "us-east-1",
      description: "Partner notes memory (open over TLS)",
      aliases: ["alias/agentcore/partner-notes"],
      rotation: true,
      policy: policy({
        Sid: "AnyoneOverTls",
        Effect: "Allow",
        Principal: "*",
        Action: ["kms:Decrypt", "kms:GenerateDataKeyWithoutPlaintext"],
        Resource: "*",
        Condition: { Bool: { "aws:SecureTransport": "true" } },
      }),
    },
    {
      ref: "caller-account-cmk",
      region: "us-east-1",
      description: "Vendor memory (another account through kms:CallerAccount)",
      aliases: ["alias/agentcore/vendor"],
      rotation: true,
      policy: policy({
        Sid: "VendorAccount",
        Effect: "Allow",
        Principal: "*",
        Action: ["kms:Decrypt", "kms:DescribeKey"],
        Resource: "*",
        Condition: { StringEquals: { "kms:CallerAccount": "444455556666" } },
      }),
    },
    {
      ref: "any-org-cmk",
      region: "us-east-1",
      description: "Shared research memory (any organization)",
      aliases: ["alias/agentcore/research"],
      rotation: true,
      policy: policy({
        Sid: "AnyOrganization",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: ["kms:Decrypt", "kms:ReEncryptTo", "kms:DisableKey"],
        Resource: "*",
        Condition: { Null: { "aws:PrincipalOrgID": "false" } },
      }),
    },
    {
      ref: "open-cmk",
      region: "us-east-1",
      description: "Finance assistant",
      aliases: ["alias/agents/finance"],
      rotation: true,
      policy: policy(...agentStatements("finance-assistant", "BedrockAgentRole"), {
        Sid: "LetAnyoneDecrypt",
        Effect: "Allow",
        Principal: "*",
        Action: "kms:Decrypt",
        Resource: "*",
      }),
    },
    {
      ref: "disabled-cmk",
      region: "us-east-1",
      description: "Legacy FAQ agent",
      aliases: ["alias/agents/legacy"],
      state: "Disabled",
      rotation: true,
      policy: policy(...agentStatements("legacy-faq", "BedrockAgentRole"), ...recommendationStatements("RecommendationRole", "us-east-1")),
    },
    {
      ref: "retiring-cmk",
      region: "us-east-1",
      description: "Archive notes memory",
      aliases: ["alias/agentcore/archive"],
      state: "PendingDeletion",
      deletionInDays: 9,
      rotation: true,
      policy: policy(memoryStatement),
    },
    {
      ref: "flows-cmk",
      region: "us-east-1",
      description: "Order flows and prompts",
      aliases: ["alias/bedrock/flows"],
      rotation: true,
      // AWS's prompt management page: Amazon Bedrock encrypts and decrypts the prompt, for its ARN only.
      policy: policy({
        Sid: "EncryptFlowKMS",
        Effect: "Allow",
        Principal: { Service: "bedrock.amazonaws.com" },
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: "*",
        Condition: { StringEquals: { "kms:EncryptionContext:aws:bedrock-prompts:arn": "${resource:order-prompt}" } },
      }),
    },
    { ref: "kb-ingest-cmk", region: "us-east-1", description: "Knowledge base ingestion", aliases: ["alias/bedrock/ingestion"], rotation: true, policy: policy() },
    {
      ref: "evaluations-cmk",
      region: "us-east-1",
      description: "Evaluators and configuration bundles",
      aliases: ["alias/agentcore/evaluations"],
      rotation: true,
      // AWS's evaluations page: AgentCore decrypts the evaluator's instructions during online evaluation.
      policy: policy({
        Sid: "AllowServicePrincipalDecrypt",
        Effect: "Allow",
        Principal: { Service: "bedrock-agentcore.amazonaws.com" },
        Action: "kms:Decrypt",
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": "${account}", "aws:SourceArn": "${resource:helpfulness}" } },
      }),
    },
    {
      ref: "datasets-cmk",
      region: "us-east-1",
      description: "Evaluation datasets",
      aliases: ["alias/agentcore/datasets"],
      rotation: true,
      // AWS's dataset page, scoped down: AgentCore writes for this account's datasets only; its reads
      // carry no source context (presigned downloads), so they stay unconditioned as AWS requires.
      policy: policy(
        {
          Sid: "AllowAgentCoreDatasetWrite",
          Effect: "Allow",
          Principal: { Service: "bedrock-agentcore.amazonaws.com" },
          Action: "kms:GenerateDataKey",
          Resource: "*",
          Condition: {
            StringEquals: { "aws:SourceAccount": "${account}" },
            StringLike: {
              "aws:SourceArn": "arn:aws:bedrock-agentcore:us-east-1:${account}:dataset/*",
              "kms:EncryptionContext:aws:bedrock-agentcore:datasetArn": "arn:aws:bedrock-agentcore:us-east-1:${account}:dataset/*",
            },
          },
        },
        { Sid: "AllowAgentCoreDatasetRead", Effect: "Allow", Principal: { Service: "bedrock-agentcore.amazonaws.com" }, Action: ["kms:Decrypt", "kms:DescribeKey"], Resource: "*" },
      ),
    },
    { ref: "policy-engine-cmk", region: "us-east-1", description: "Tool-call policy engine", aliases: ["alias/agentcore/policy"], rotation: true, policy: policy() },
    { ref: "payments-cmk", region: "us-east-1", description: "Checkout payments", aliases: ["alias/agentcore/payments"], rotation: true, policy: policy() },
    { ref: "rsa-key", region: "us-east-1", description: "Signing demo (asymmetric)", spec: "RSA_2048", usage: "ENCRYPT_DECRYPT", aliases: ["alias/agents/rsa"] },
    {
      ref: "eu-cmk",
      region: "eu-west-1",
      description: "EU tool descriptions",
      aliases: ["alias/eu/tools"],
      rotation: true,
      policy: policy(...recommendationStatements("RecommendationRole", "eu-west-1")),
    },
    { ref: "rotation-off-cmk", region: "us-east-1", description: "Tools gateway", aliases: ["alias/agentcore/gateway"], rotation: false, policy: policy(gatewayStatement) },
    {
      ref: "secrets-cmk",
      region: "us-east-1",
      description: "Agent credentials in Secrets Manager",
      aliases: ["alias/secrets/agents"],
      rotation: true,
      policy: policy({
        Sid: "AllowAgentCoreDecrypt",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::${account}:role/AgentCoreIdentityRole" },
        Action: "kms:Decrypt",
        Resource: "*",
        Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } },
      }),
    },
    {
      ref: "token-vault-cmk",
      region: "us-east-1",
      description: "AgentCore Identity token vault",
      aliases: ["alias/agentcore/token-vault"],
      rotation: true,
      policy: policy(...tokenVaultStatements),
    },
    {
      ref: "recommendation-cmk",
      region: "us-east-1",
      description: "Prompt recommendations",
      aliases: ["alias/agentcore/recommendations"],
      rotation: true,
      policy: policy(...recommendationStatements("RecommendationRole", "us-east-1")),
    },
    {
      ref: "eu-agents-cmk",
      region: "eu-west-1",
      description: "EU agents and memory",
      aliases: ["alias/eu/agents"],
      rotation: true,
      policy: policy(...agentStatements("eu-concierge", "BedrockAgentRole"), memoryStatement),
    },
    {
      ref: "admin-sprawl-cmk",
      region: "us-east-1",
      description: "Returns agent (hand-edited policy)",
      aliases: ["alias/agents/returns"],
      rotation: true,
      policy: policy(
        ...agentStatements("returns-agent", "BedrockAgentRole"),
        { Sid: "LetPlatformManage", Effect: "Allow", Principal: { AWS: "arn:aws:iam::${account}:role/KeyAdminRole" }, Action: "kms:*", Resource: "*" },
        { Sid: "PartnerAccess", Effect: "Allow", Principal: { AWS: "arn:aws:iam::444455556666:root" }, Action: ["kms:Decrypt", "kms:DescribeKey"], Resource: "*" },
      ),
      grants: [
        { grantee: "arn:aws:iam::444455556666:role/PartnerAnalytics", operations: ["Decrypt"], name: "partner-analytics", issuingAccount: "111122223333" },
        { grantee: "bedrock.amazonaws.com", operations: ["Decrypt", "GenerateDataKey"], name: "bedrock-agent-returns", forAwsResource: true },
      ],
    },
  ],
  secrets: [
    {
      ref: "github",
      name: "agents/github-client",
      region: "us-east-1",
      kmsKey: "secrets-cmk",
      rotationDays: 30,
      value: { client_secret: "demo" },
      tags: { team: "platform" },
      policy: {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AllowAgentCoreGetSecretValue",
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::${account}:role/AgentCoreIdentityRole" },
            Action: "secretsmanager:GetSecretValue",
            Resource: "${self}",
          },
        ],
      },
    },
    {
      ref: "salesforce",
      name: "agents/salesforce-client",
      region: "us-east-1",
      value: { client_secret: "demo" },
      policy: {
        Version: "2012-10-17",
        Statement: [{ Sid: "AnyoneInAccount", Effect: "Allow", Principal: { AWS: "arn:aws:iam::${account}:root" }, Action: "secretsmanager:GetSecretValue", Resource: "*" }],
      },
    },
    { ref: "jira", name: "agents/jira-token", region: "eu-west-1", kmsKey: "eu-agents-cmk", rotationDays: 60, value: { api_key: "demo" } },
  ],
  agents: [
    {
      createdDaysAgo: 800,
      ref: "support-bot",
      name: "support-bot",
      region: "us-east-1",
      key: "agents-cmk",
      role: "BedrockAgentRole",
      description: "Answers customer support tickets",
      tags: { team: "support" },
    },
    {
      createdDaysAgo: 800,
      ref: "billing-helper",
      name: "billing-helper",
      region: "us-east-1",
      key: "agents-shared-cmk",
      role: "BedrockAgentRole",
      description: "Explains invoices",
    },
    { createdDaysAgo: 800, ref: "returns-agent", name: "returns-agent", region: "us-east-1", key: "admin-sprawl-cmk", role: "BedrockAgentRole", description: "Handles returns" },
    {
      createdDaysAgo: 800,
      ref: "finance-assistant",
      name: "finance-assistant",
      region: "us-east-1",
      key: "open-cmk",
      role: "BedrockAgentRole",
      description: "Internal finance Q&A",
    },
    { createdDaysAgo: 800, ref: "hr-onboarding", name: "hr-onboarding", region: "us-east-1", role: "WildcardAgentRole", description: "Onboarding checklist agent" },
    {
      createdDaysAgo: 800,
      ref: "legacy-faq",
      name: "legacy-faq",
      region: "us-east-1",
      key: "disabled-cmk",
      role: "BedrockAgentRole",
      description: "Retired FAQ agent",
      status: "NOT_PREPARED",
    },
    {
      createdDaysAgo: 800,
      ref: "signing-demo",
      name: "signing-demo",
      region: "us-east-1",
      key: "rsa-key",
      role: "BedrockAgentRole",
      description: "Prototype with the wrong key type",
      status: "FAILED",
    },
    {
      createdDaysAgo: 800,
      ref: "orders-agent",
      name: "orders-agent",
      region: "us-east-1",
      key: "agents-cmk",
      role: "OrdersAgentRole",
      description: "Order status agent that reuses the support key",
    },
    {
      createdDaysAgo: 800,
      ref: "ghost-agent",
      name: "ghost-agent",
      region: "us-east-1",
      key: "arn:aws:kms:us-east-1:111122223333:key/0d6f3c1e-0000-4000-a000-deadbeef0001",
      role: "BedrockAgentRole",
      description: "Points at a key that was deleted",
      status: "FAILED",
    },
    { createdDaysAgo: 800, ref: "eu-concierge", name: "eu-concierge", region: "eu-west-1", key: "eu-agents-cmk", role: "BedrockAgentRole", description: "EU hotel concierge" },
    { createdDaysAgo: 800, ref: "eu-sales", name: "eu-sales", region: "eu-west-1", role: "BedrockAgentRole", description: "EU sales assistant" },
    {
      ref: "triage-agent",
      name: "triage-agent",
      region: "us-east-1",
      key: "triage-cmk",
      role: "BedrockAgentRole",
      description: "Routes tickets (created 2026)",
      createdDaysAgo: 30,
    },
  ],
  knowledgeBases: [{ ref: "kb-docs", name: "support-docs", region: "us-east-1", role: "BedrockAgentRole", description: "Product documentation" }],
  memories: [
    { ref: "customer-profile", name: "customer_profile", region: "us-east-1", key: "memory-cmk", role: "AgentCoreMemoryRole", strategies: ["SEMANTIC", "USER_PREFERENCE"] },
    { ref: "support-sessions", name: "support_sessions", region: "us-east-1", key: "memory-noservice-cmk", role: "AgentCoreMemoryRole", strategies: ["SUMMARIZATION"] },
    { ref: "archive-notes", name: "archive_notes", region: "us-east-1", key: "retiring-cmk", strategies: ["SEMANTIC"] },
    { ref: "scratch", name: "scratch_memory", region: "us-east-1", strategies: ["SEMANTIC"] },
    { ref: "eu-memory", name: "eu_guest_memory", region: "eu-west-1", key: "eu-agents-cmk", strategies: ["USER_PREFERENCE"] },
    { ref: "partner-notes", name: "partner_notes", region: "us-east-1", key: "tls-open-cmk", strategies: ["SEMANTIC"] },
    { ref: "vendor-memory", name: "vendor_memory", region: "us-east-1", key: "caller-account-cmk", strategies: ["SEMANTIC"] },
    { ref: "research-memory", name: "research_memory", region: "us-east-1", key: "any-org-cmk", strategies: ["SEMANTIC"] },
  ],
  recommendations: [
    { ref: "rec-prompt", name: "support-prompt-tuning", region: "us-east-1", key: "recommendation-cmk" },
    { ref: "rec-legacy", name: "legacy-prompt-tuning", region: "us-east-1", key: "disabled-cmk", status: "FAILED" },
    { ref: "rec-tools-eu", name: "tool-descriptions", region: "us-east-1", key: "eu-cmk", type: "TOOL_DESCRIPTION_RECOMMENDATION" },
    { ref: "rec-default", name: "onboarding-prompt", region: "us-east-1" },
  ],
  // Each further kind: one resource on a sound key, and one with a finding.
  resources: [
    { kind: "data-source", ref: "kb-docs-s3", name: "docs-bucket", region: "us-east-1", knowledgeBase: "kb-docs", key: "kb-ingest-cmk" },
    { kind: "data-source", ref: "kb-docs-web", name: "docs-website", region: "us-east-1", knowledgeBase: "kb-docs" },
    { kind: "guardrail", ref: "support-guardrail", name: "support-guardrail", region: "us-east-1", key: "flows-cmk", description: "Blocks account numbers in answers" },
    { kind: "guardrail", ref: "open-guardrail", name: "partner-guardrail", region: "us-east-1", key: "open-cmk" },
    { kind: "flow", ref: "order-routing", name: "order-routing", region: "us-east-1", key: "flows-cmk", role: "BedrockFlowRole", description: "Routes orders to agents" },
    { kind: "flow", ref: "draft-flow", name: "draft-flow", region: "us-east-1", role: "BedrockFlowRole", description: "Work in progress" },
    { kind: "prompt", ref: "order-prompt", name: "order-summary", region: "us-east-1", key: "flows-cmk" },
    { kind: "prompt", ref: "legacy-prompt", name: "legacy-faq-prompt", region: "us-east-1", key: "disabled-cmk" },
    { kind: "policy-engine", ref: "tool-guard", name: "tool_guard", region: "us-east-1", key: "policy-engine-cmk" },
    { kind: "policy-engine", ref: "sandbox-guard", name: "sandbox_guard", region: "us-east-1" },
    { kind: "evaluator", ref: "helpfulness", name: "helpfulness_judge", region: "us-east-1", key: "evaluations-cmk" },
    { kind: "evaluator", ref: "tone-check", name: "tone_check", region: "us-east-1", key: "retiring-cmk" },
    { kind: "dataset", ref: "eval-sessions", name: "support_eval_sessions", region: "us-east-1", key: "datasets-cmk" },
    { kind: "dataset", ref: "raw-sessions", name: "raw_sessions", region: "us-east-1" },
    { kind: "configuration-bundle", ref: "support-config", name: "support-config", region: "us-east-1", key: "evaluations-cmk" },
    { kind: "configuration-bundle", ref: "experiment-config", name: "experiment-config", region: "us-east-1", key: "rotation-off-cmk" },
    { kind: "payment-manager", ref: "checkout", name: "checkout-payments", region: "us-east-1", key: "payments-cmk", role: "AgentCorePaymentsRole" },
    { kind: "payment-manager", ref: "test-payments", name: "test-payments", region: "us-east-1", role: "AgentCorePaymentsRole" },
  ],
  gateways: [
    { ref: "tools-gw", name: "tools-gateway", region: "us-east-1", key: "rotation-off-cmk", role: "AgentCoreGatewayRole", description: "MCP tools for support agents" },
    { ref: "partner-gw", name: "partner-gateway", region: "us-east-1", role: "AgentCoreGatewayRole", description: "Partner APIs" },
  ],
  credentialProviders: [
    { ref: "github", name: "github-oauth", region: "us-east-1", type: "oauth2", vendor: "GithubOauth2", secret: "github", jsonKey: "client_secret" },
    { ref: "salesforce", name: "salesforce-oauth", region: "us-east-1", type: "oauth2", vendor: "SalesforceOauth2", secret: "salesforce", jsonKey: "client_secret" },
    { ref: "jira", name: "jira-apikey", region: "us-east-1", type: "apikey", secret: "jira", jsonKey: "api_key" },
    { ref: "slack", name: "slack-oauth", region: "us-east-1", type: "oauth2", vendor: "SlackOauth2" },
    { ref: "weather", name: "weather-apikey", region: "eu-west-1", type: "apikey" },
  ],
  tokenVaults: [{ region: "us-east-1", key: "token-vault-cmk" }, { region: "eu-west-1" }],
  workloadIdentities: [
    { name: "support-bot-identity", region: "us-east-1" },
    { name: "eu-concierge-identity", region: "eu-west-1" },
  ],
  trails: [
    { name: "management-events", homeRegion: "us-east-1", multiRegion: false },
    { name: "eu-audit", homeRegion: "eu-west-1", multiRegion: false, excludeManagementEventSources: ["kms.amazonaws.com"] },
  ],
  traffic: {
    days: 90,
    generators: [
      {
        name: "support-bot",
        principal: "service:bedrock.amazonaws.com",
        events: ["Decrypt", "GenerateDataKey", "Decrypt"],
        target: "agents-cmk",
        resource: "support-bot",
        perDay: 45,
      },
      {
        name: "billing",
        principal: "role/BedrockAgentRole",
        via: "service:bedrock.amazonaws.com",
        events: ["Decrypt", "GenerateDataKey"],
        target: "agents-shared-cmk",
        resource: "billing-helper",
        perDay: 30,
      },
      // The billing agent's key also encrypts a bucket's objects: S3's calls are other use of the key, not the agent's.
      {
        name: "reports-bucket",
        principal: "service:s3.amazonaws.com",
        events: ["GenerateDataKey", "Decrypt"],
        target: "agents-shared-cmk",
        resource: "arn:aws:s3:::acme-billing-reports/exports",
        perDay: 8,
      },
      // The order-routing flow's calls name it in the encryption context (aws:bedrock-flows:arn).
      {
        name: "order-routing",
        principal: "role/BedrockFlowRole",
        via: "service:bedrock.amazonaws.com",
        events: ["Decrypt", "GenerateDataKey"],
        target: "flows-cmk",
        resource: "order-routing",
        perDay: 12,
      },
      // Amazon Bedrock reads the order-summary prompt (aws:bedrock-prompts:arn).
      { name: "order-prompt", principal: "service:bedrock.amazonaws.com", events: ["Decrypt"], target: "flows-cmk", resource: "order-prompt", perDay: 6 },
      { name: "returns", principal: "service:bedrock.amazonaws.com", events: ["Decrypt", "GenerateDataKey"], target: "admin-sprawl-cmk", resource: "returns-agent", perDay: 20 },
      { name: "finance", principal: "service:bedrock.amazonaws.com", events: ["Decrypt", "GenerateDataKey"], target: "open-cmk", resource: "finance-assistant", perDay: 25 },
      {
        name: "memory",
        principal: "service:bedrock-agentcore.amazonaws.com",
        events: ["Decrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext"],
        target: "memory-cmk",
        resource: "customer-profile",
        perDay: 40,
      },
      {
        name: "sessions-denied",
        principal: "service:bedrock-agentcore.amazonaws.com",
        events: ["Decrypt", "GenerateDataKey"],
        target: "memory-noservice-cmk",
        resource: "support-sessions",
        perDay: 12,
        days: [20, 0],
        errorRate: 1,
        errorCode: "AccessDenied",
      },
      {
        name: "sessions-before",
        principal: "service:bedrock-agentcore.amazonaws.com",
        events: ["Decrypt", "GenerateDataKey"],
        target: "memory-noservice-cmk",
        resource: "support-sessions",
        perDay: 15,
        days: [89, 21],
      },
      { name: "legacy-ok", principal: "service:bedrock.amazonaws.com", events: ["Decrypt"], target: "disabled-cmk", resource: "legacy-faq", perDay: 10, days: [89, 16] },
      {
        name: "legacy-disabled",
        principal: "service:bedrock.amazonaws.com",
        events: ["Decrypt", "GenerateDataKey"],
        target: "disabled-cmk",
        resource: "legacy-faq",
        perDay: 8,
        days: [15, 0],
        errorRate: 1,
        errorCode: "DisabledException",
      },
      {
        name: "recommendations",
        principal: "role/RecommendationRole",
        via: "service:bedrock-agentcore.amazonaws.com",
        events: ["GenerateDataKey", "Decrypt", "DescribeKey"],
        target: "recommendation-cmk",
        resource: "rec-prompt",
        perDay: 15,
      },
      { name: "github-secret", principal: "role/AgentCoreIdentityRole", via: "service:bedrock-agentcore.amazonaws.com", events: ["GetSecretValue"], target: "github", perDay: 20 },
      {
        name: "salesforce-secret",
        principal: "role/AgentCoreIdentityRole",
        via: "service:bedrock-agentcore.amazonaws.com",
        events: ["GetSecretValue"],
        target: "salesforce",
        perDay: 10,
      },
      {
        name: "salesforce-human",
        principal: "user/jdoe",
        events: ["GetSecretValue"],
        target: "salesforce",
        perDay: 0.3,
        days: [40, 5],
        sourceIp: "198.51.100.23",
        userAgent: "aws-cli/2.15.0 Python/3.11.6 Darwin/23.4.0",
      },
      {
        name: "gateway",
        principal: "role/AgentCoreGatewayRole",
        via: "service:bedrock-agentcore.amazonaws.com",
        events: ["Decrypt", "GenerateDataKey"],
        target: "rotation-off-cmk",
        resource: "tools-gw",
        perDay: 15,
      },
      {
        name: "token-vault",
        principal: "role/AgentCoreIdentityRole",
        via: "service:bedrock-agentcore-identity.amazonaws.com",
        events: ["Decrypt", "Encrypt", "GenerateDataKeyWithoutPlaintext"],
        target: "token-vault-cmk",
        resource: "token-vault",
        perDay: 10,
      },
      { name: "eu-agents", principal: "service:bedrock.amazonaws.com", events: ["Decrypt", "GenerateDataKey"], target: "eu-agents-cmk", resource: "eu-concierge", perDay: 20 },
      {
        name: "eu-memory",
        principal: "service:bedrock-agentcore.amazonaws.com",
        events: ["Decrypt", "GenerateDataKey"],
        target: "eu-agents-cmk",
        resource: "eu-memory",
        perDay: 8,
      },
      {
        name: "platform-describe",
        principal: "role/KeyAdminRole",
        events: ["DescribeKey"],
        target: "agents-cmk",
        perDay: 3,
        sourceIp: "10.20.0.15",
        userAgent: "aws-cli/2.15.0 Python/3.11.6 Linux/5.10",
      },
      {
        name: "contractor-burst",
        principal: "role/ContractorRole",
        events: ["Decrypt"],
        target: "memory-cmk",
        resource: "customer-profile",
        perDay: 160,
        days: [2, 2],
        hours: [2, 4],
        sourceIp: "203.0.113.77",
        userAgent: "python-requests/2.31.0 Boto3/1.34.0",
      },
      {
        name: "partner-denied",
        principal: "arn:aws:iam::444455556666:role/PartnerAnalytics",
        events: ["Decrypt"],
        target: "agents-cmk",
        perDay: 2,
        days: [30, 0],
        errorRate: 1,
        errorCode: "AccessDenied",
        sourceIp: "192.0.2.44",
      },
    ],
    records: [],
  },
};

if (require.main === module) {
  const out = resolve(process.cwd(), "sandbox/scenarios/demo.json");
  writeFileSync(out, `${JSON.stringify(demo, null, 2)}\n`);
  console.log(`wrote ${out}`);
}
