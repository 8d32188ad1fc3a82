import { keyOrSkip, KEYED_KINDS, type Outcome, type RuleDefinition } from "../rule";

export const trailAndGrantRules: RuleDefinition[] = [
  {
    id: "KW-TRL-01",
    title: "No trail keeps KMS read events in the region",
    severity: "medium",
    appliesTo: "region",
    rationale:
      "Decrypt and GenerateDataKey are read-only management events: without a logging trail that records read events from kms.amazonaws.com, key use is kept only 90 days in event history and cannot be investigated later.",
    source: "AWS CloudTrail event selectors (ExcludeManagementEventSources, ReadWriteType)",
    remediation:
      'Create or fix a trail: aws cloudtrail put-event-selectors --trail-name TRAIL --event-selectors \'[{"ReadWriteType":"All","IncludeManagementEvents":true}]\', and aws cloudtrail start-logging.',
    references: ["AWS Config: cloudtrail-enabled / multi-region-cloudtrail-enabled", "Prowler: cloudtrail_multi_region_enabled"],
    checkRegion(ctx) {
      if (!ctx.trails || ctx.trails.readError) return [{ notAssessed: `DescribeTrails failed (${ctx.trails?.readError ?? "not read"})` }];
      const covering = ctx.trails.trails.filter(
        (t) => t.logging && t.includeManagementEvents && t.readWriteType !== "WriteOnly" && !t.excludesKms && (t.homeRegion === ctx.region || t.multiRegion),
      );
      if (covering.length) return [];
      const why = ctx.trails.trails.length
        ? ctx.trails.trails.map(
            (t) =>
              `${t.name}: ${!t.logging ? "logging stopped" : t.excludesKms ? "excludes kms.amazonaws.com" : t.readWriteType === "WriteOnly" ? "WriteOnly" : !t.includeManagementEvents ? "no management events" : "other region"}`,
          )
        : ["no trail"];
      return [{ fail: true, evidence: { region: ctx.region, trails: why } }];
    },
  },
  {
    id: "KW-GRT-01",
    title: "Grant to an outside principal, or not for an AWS service's own use",
    severity: "high",
    appliesTo: KEYED_KINDS,
    rationale:
      "Grants bypass the key policy. Services create grants for their own use (a service grantee); a grant to another account, or made by a person or tool, is a standing permission outside the policy review.",
    source: "seed 000 (grants only with kms:GrantIsForAWSResource)",
    remediation: "Review the grant; if unneeded: aws kms revoke-grant --key-id KEY --grant-id GRANT.",
    references: [],
    check(ctx) {
      const k = keyOrSkip(ctx);
      if (Array.isArray(k)) return k;
      if (k.type !== "customer") return [];
      if (k.readErrors.ListGrants) return [{ notAssessed: `ListGrants failed (${k.readErrors.ListGrants})` }];
      const out: Outcome[] = [];
      for (const g of k.grants) {
        const acct = g.grantee.split(":")[4];
        const outside = !!acct && !ctx.inside.has(acct);
        if (outside || !g.forAwsService)
          out.push({ fail: true, keyArn: k.arn, evidence: { grantId: g.grantId, grantee: g.grantee, operations: g.operations, outsideAccount: outside, name: g.name } });
      }
      return out;
    },
  },
];
