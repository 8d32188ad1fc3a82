// The two AgentCore Identity credential providers: each reads its credential from a Secrets Manager
// secret (AgentCore's own, or an existing one named by ARN), so their key is their secret's.
import type {
  GetApiKeyCredentialProviderCommandInput,
  GetApiKeyCredentialProviderCommandOutput,
  GetOauth2CredentialProviderCommandInput,
  GetOauth2CredentialProviderCommandOutput,
  ListApiKeyCredentialProvidersCommandInput,
  ListApiKeyCredentialProvidersCommandOutput,
  ListOauth2CredentialProvidersCommandInput,
  ListOauth2CredentialProvidersCommandOutput,
} from "@aws-sdk/client-bedrock-agentcore-control";

import type { AgentResource } from "../types.shared";

import { baseVariables, iso, type KindDescriptor, op, roleName } from "./kind";

const ListOauth2 = op<ListOauth2CredentialProvidersCommandInput, ListOauth2CredentialProvidersCommandOutput>("agentCoreControl", "ListOauth2CredentialProviders");
const GetOauth2 = op<GetOauth2CredentialProviderCommandInput, GetOauth2CredentialProviderCommandOutput>("agentCoreControl", "GetOauth2CredentialProvider");
const ListApiKey = op<ListApiKeyCredentialProvidersCommandInput, ListApiKeyCredentialProvidersCommandOutput>("agentCoreControl", "ListApiKeyCredentialProviders");
const GetApiKey = op<GetApiKeyCredentialProviderCommandInput, GetApiKeyCredentialProviderCommandOutput>("agentCoreControl", "GetApiKeyCredentialProvider");

function source(v: string | undefined): "MANAGED" | "EXTERNAL" {
  return v === "EXTERNAL" ? "EXTERNAL" : "MANAGED";
}

const shared: Pick<KindDescriptor, "service" | "arnService" | "doc" | "key" | "roles" | "policy" | "correlation"> = {
  service: "AgentCore",
  arnService: "bedrock-agentcore",
  doc: {
    title: "Use an existing Secrets Manager secret for a credential provider",
    url: "https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/identity-outbound-credential-provider.html",
  },
  key: { none: "a credential provider is encrypted with its secret's key (KW-SEC-* check it)" },
  roles: { none: "AgentCore Identity reads the secret with the caller's workload identity, not a role recorded on the provider" },
  policy: {
    templates: ["agentcore-identity-secret"],
    variables: (r: AgentResource, known: { identityRole?: string }) => ({ ...baseVariables(r), role: roleName(known.identityRole) }),
    requirements: () => [],
  },
  correlation: { contextKeys: [], services: ["bedrock-agentcore-identity.amazonaws.com", "secretsmanager.amazonaws.com"] },
};

export const oauth2CredentialProvider: KindDescriptor<"oauth2-credential-provider"> = {
  ...shared,
  id: "oauth2-credential-provider",
  label: "OAuth2 credential provider",
  text: ["OAuth2 credential provider", "OAuth2 credential providers"],
  reads: [ListOauth2, GetOauth2],
  async collect(ctx) {
    const list = await ctx.list(
      ListOauth2,
      (nextToken) => ({ maxResults: 20, nextToken }),
      (r) => ({ items: r.credentialProviders, next: r.nextToken }),
    );
    return ctx.each(list ?? [], async (s) => {
      const prev = ctx.unchanged(s.credentialProviderArn, s.lastUpdatedTime);
      if (prev) return prev;
      const p = await ctx.get(GetOauth2, { name: s.name });
      if (!p) return undefined;
      return {
        arn: p.credentialProviderArn!,
        kind: "oauth2-credential-provider",
        name: p.name!,
        account: ctx.account,
        region: ctx.region,
        created: iso(s.createdTime),
        roles: [],
        secrets: p.clientSecretArn?.secretArn ? [{ arn: p.clientSecretArn.secretArn, jsonKey: p.clientSecretJsonKey, source: source(p.clientSecretSource) }] : [],
        tags: {},
        status: p.credentialProviderVendor,
        updatedAt: iso(s.lastUpdatedTime),
      };
    });
  },
  secrets: { field: "GetOauth2CredentialProvider → clientSecretArn.secretArn (clientSecretJsonKey, clientSecretSource)" },
  config: { none: "AWS Config records no resource type for AgentCore credential providers (not among the types it records): the API is read" },
  impact: "AgentCore cannot decrypt the client secret: outbound calls fail.",
  setup: { none: "the wizard's credential-provider flow creates API-key providers" },
};

export const apiKeyCredentialProvider: KindDescriptor<"apikey-credential-provider"> = {
  ...shared,
  id: "apikey-credential-provider",
  label: "API key credential provider",
  text: ["API key credential provider", "API key credential providers"],
  reads: [ListApiKey, GetApiKey],
  async collect(ctx) {
    const list = await ctx.list(
      ListApiKey,
      (nextToken) => ({ maxResults: 20, nextToken }),
      (r) => ({ items: r.credentialProviders, next: r.nextToken }),
    );
    return ctx.each(list ?? [], async (s) => {
      const prev = ctx.unchanged(s.credentialProviderArn, s.lastUpdatedTime);
      if (prev) return prev;
      const p = await ctx.get(GetApiKey, { name: s.name });
      if (!p) return undefined;
      return {
        arn: p.credentialProviderArn!,
        kind: "apikey-credential-provider",
        name: p.name!,
        account: ctx.account,
        region: ctx.region,
        created: iso(p.createdTime),
        roles: [],
        secrets: p.apiKeySecretArn?.secretArn ? [{ arn: p.apiKeySecretArn.secretArn, jsonKey: p.apiKeySecretJsonKey, source: source(p.apiKeySecretSource) }] : [],
        tags: {},
        updatedAt: iso(s.lastUpdatedTime),
      };
    });
  },
  secrets: { field: "GetApiKeyCredentialProvider → apiKeySecretArn.secretArn (apiKeySecretJsonKey, apiKeySecretSource)" },
  config: { none: "AWS Config records no resource type for AgentCore credential providers (not among the types it records): the API is read" },
  impact: "AgentCore cannot decrypt the API key: outbound calls fail.",
  setup: { flow: "credential-provider" },
};
