import "server-only";

import { GetTokenVaultCommand } from "@aws-sdk/client-bedrock-agentcore-control";

import { iso, read, type Collector } from "../context";
import type { AgentResource } from "../types.shared";

export const tokenVaults: Collector = {
  kind: "token-vault",
  service: "AgentCore",
  async collect(ctx) {
    const v = await read(ctx, this.service, "GetTokenVault", () => ctx.clients.agentCoreControl.send(new GetTokenVaultCommand({})));
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
    ctx.onResource?.(vault);
    return [vault];
  },
};
