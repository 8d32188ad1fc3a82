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
  impact: "The bundle's components cannot be decrypted: whatever reads the configuration fails.",
  setup: { none: "the wizard does not create configuration bundles yet (CreateConfigurationBundle takes kmsKeyArn)" },
};
