import type {
  GetConfigurationBundleCommandInput,
  GetConfigurationBundleCommandOutput,
  ListConfigurationBundlesCommandInput,
  ListConfigurationBundlesCommandOutput,
} from "@aws-sdk/client-bedrock-agentcore-control";

import { iso, type KindDescriptor, op } from "./kind";

const ListConfigurationBundles = op<ListConfigurationBundlesCommandInput, ListConfigurationBundlesCommandOutput>("agentCoreControl", "ListConfigurationBundles");
const GetConfigurationBundle = op<GetConfigurationBundleCommandInput, GetConfigurationBundleCommandOutput>("agentCoreControl", "GetConfigurationBundle");

export const agentCoreConfigurationBundle: KindDescriptor<"agentcore-configuration-bundle"> = {
  id: "agentcore-configuration-bundle",
  label: "AgentCore configuration bundle",
  text: ["AgentCore configuration bundle", "AgentCore configuration bundles"],
  service: "AgentCore",
  arnService: "bedrock-agentcore",
  doc: { title: "CreateConfigurationBundle (kmsKeyArn)", url: "https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_CreateConfigurationBundle.html" },
  reads: [ListConfigurationBundles, GetConfigurationBundle],
  async collect(ctx) {
    const summaries = await ctx.list(
      ListConfigurationBundles,
      (nextToken) => ({ maxResults: 100, nextToken }),
      (r) => ({ items: r.bundles, next: r.nextToken }),
    );
    // The listing has no update time, so every bundle is read again on each scan.
    return ctx.each(summaries ?? [], async (s) => {
      const b = await ctx.get(GetConfigurationBundle, { bundleId: s.bundleId });
      if (!b) return undefined;
      return {
        arn: b.bundleArn!,
        kind: "agentcore-configuration-bundle",
        name: b.bundleName ?? s.bundleName!,
        account: ctx.account,
        region: ctx.region,
        created: iso(b.createdAt),
        keyArn: b.kmsKeyArn,
        roles: [],
        secrets: [],
        tags: {},
        updatedAt: iso(b.updatedAt),
      };
    });
  },
  key: { field: "GetConfigurationBundle → kmsKeyArn", remediation: "UpdateConfigurationBundle with kmsKeyArn." },
  roles: { none: "a configuration bundle has no role" },
  secrets: { none: "a configuration bundle reads no secret" },
  policy: { none: "Keyward holds no documented key policy for configuration bundles (AWS documents none beyond kmsKeyArn)" },
  correlation: { contextKeys: [], services: ["bedrock-agentcore.amazonaws.com"] },
  config: { none: "AWS Config records no resource type for AgentCore configuration bundles (not among the types it records): the API is read" },
  impact: "The bundle's components cannot be decrypted: whatever reads the configuration fails.",
  setup: {
    flow: "agentcore-configuration-bundle",
    create: {
      service: "bedrock-agentcore-control",
      operation: "CreateConfigurationBundle",
      help: "A new, empty AgentCore configuration bundle encrypted with a customer managed key (CreateConfigurationBundle kmsKeyArn).",
      name: { re: /^[a-zA-Z][a-zA-Z0-9_-]{0,47}$/, text: "a letter, then letters, digits, _ or -, up to 48" },
      params: (x) => ({ bundleName: x.name, ...(x.description ? { description: x.description } : {}), components: {}, kmsKeyArn: x.keyRef, clientToken: x.token }),
      outputs: { id: "bundleId", arn: "bundleArn" },
      rollback: { operation: "DeleteConfigurationBundle", params: { bundleId: "{{resource.id}}" } },
      plannedArn: (region, account, name) => `arn:aws:bedrock-agentcore:${region}:${account}:configuration-bundle/${name}-planned000`,
    },
  },
};
