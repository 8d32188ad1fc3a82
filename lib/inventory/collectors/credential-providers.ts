import "server-only";

import {
  GetApiKeyCredentialProviderCommand,
  GetOauth2CredentialProviderCommand,
  ListApiKeyCredentialProvidersCommand,
  ListOauth2CredentialProvidersCommand,
} from "@aws-sdk/client-bedrock-agentcore-control";

import { collectEach, iso, read, readAll, unchanged, type Collector } from "../context";
import type { AgentResource } from "../types.shared";

function source(v: string | undefined): "MANAGED" | "EXTERNAL" {
  return v === "EXTERNAL" ? "EXTERNAL" : "MANAGED";
}

export const oauth2CredentialProviders: Collector = {
  kind: "oauth2-credential-provider",
  service: "AgentCore",
  async collect(ctx) {
    const list = await readAll(ctx, this.service, "ListOauth2CredentialProviders", async (nextToken) => {
      const r = await ctx.clients.agentCoreControl.send(new ListOauth2CredentialProvidersCommand({ maxResults: 20, nextToken }));
      return { items: r.credentialProviders ?? [], next: r.nextToken };
    });
    return collectEach(ctx, list ?? [], async (s): Promise<AgentResource | undefined> => {
      const prev = unchanged(ctx, s.credentialProviderArn, s.lastUpdatedTime);
      if (prev) return prev;
      const p = await read(ctx, this.service, "GetOauth2CredentialProvider", () => ctx.clients.agentCoreControl.send(new GetOauth2CredentialProviderCommand({ name: s.name })));
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
};

export const apiKeyCredentialProviders: Collector = {
  kind: "apikey-credential-provider",
  service: "AgentCore",
  async collect(ctx) {
    const list = await readAll(ctx, this.service, "ListApiKeyCredentialProviders", async (nextToken) => {
      const r = await ctx.clients.agentCoreControl.send(new ListApiKeyCredentialProvidersCommand({ maxResults: 20, nextToken }));
      return { items: r.credentialProviders ?? [], next: r.nextToken };
    });
    return collectEach(ctx, list ?? [], async (s): Promise<AgentResource | undefined> => {
      const prev = unchanged(ctx, s.credentialProviderArn, s.lastUpdatedTime);
      if (prev) return prev;
      const p = await read(ctx, this.service, "GetApiKeyCredentialProvider", () => ctx.clients.agentCoreControl.send(new GetApiKeyCredentialProviderCommand({ name: s.name })));
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
};
