import type { GetTokenVaultCommandInput, GetTokenVaultCommandOutput } from "@aws-sdk/client-bedrock-agentcore-control";

import type { AgentResource } from "../types.shared";

import { baseVariables, iso, type KindDescriptor, op } from "./kind";

const GetTokenVault = op<GetTokenVaultCommandInput, GetTokenVaultCommandOutput>("agentCoreControl", "GetTokenVault");

export const tokenVault: KindDescriptor<"token-vault"> = {
  id: "token-vault",
  label: "Token vault",
  text: ["token vault", "token vaults"],
  service: "AgentCore",
  arnService: "bedrock-agentcore",
  doc: { title: "Set customer managed key policy (token vault)", url: "https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/kms-key-policy-configuration.html" },
  reads: [GetTokenVault],
  async collect(ctx) {
    const v = await ctx.get(GetTokenVault, {});
    if (!v) return [];
    const vault: AgentResource = {
      arn: `arn:aws:bedrock-agentcore:${ctx.region}:${ctx.account}:token-vault/${v.tokenVaultId ?? "default"}`,
      kind: "token-vault",
      name: v.tokenVaultId ?? "default",
      account: ctx.account,
      region: ctx.region,
      created: iso(v.lastModifiedDate),
      keyArn: v.kmsConfiguration?.keyType === "CustomerManagedKey" ? v.kmsConfiguration.kmsKeyArn : undefined,
      roles: [],
      secrets: [],
      tags: {},
    };
    ctx.found(vault);
    return [vault];
  },
  key: { field: "GetTokenVault → kmsConfiguration.kmsKeyArn (keyType CustomerManagedKey)", remediation: "SetTokenVaultCMK (no console support)." },
  roles: { none: "the token vault is used by AgentCore Identity on the callers' behalf" },
  secrets: { none: "the vault holds its tokens itself" },
  policy: {
    templates: ["agentcore-token-vault-key"],
    variables: baseVariables,
    requirements: (r) => [
      {
        principal: `arn:aws:iam::${r.account}:root`,
        principalKind: "account",
        actions: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKeyWithoutPlaintext"],
        context: {
          "kms:CallerAccount": r.account,
          "aws:ResourceAccount": r.account,
          "kms:ViaService": `bedrock-agentcore-identity.${r.region}.amazonaws.com`,
          "kms:EncryptionContext:aws-crypto-ec:aws:bedrock-agentcore-identity:token-vault-arn": r.arn,
        },
        withIdentity: true,
        source: 'AWS doc "Set customer managed key policy" (token vault)',
        rule: "KW-POL-01",
      },
    ],
  },
  correlation: { contextKeys: ["aws:bedrock-agentcore-identity:token-vault-arn"], services: ["bedrock-agentcore-identity.amazonaws.com"] },
  config: { none: "AWS Config records no resource type for the AgentCore token vault (not among the types it records): the API is read" },
  impact: "Stored OAuth tokens and API keys in the vault cannot be decrypted.",
  setup: { flow: "token-vault" },
};
