// AWS CloudTrail: event history (LookupEvents, newest first, 90 days, one lookup attribute per call,
// NextToken tied to the parameters) and trail configuration.
import { createHash } from "node:crypto";

import { AwsError, requireStr, type CallContext, type ServiceHandlers } from "../core";
import { authorize } from "../principals";
import { eventsFor, type StoredEvent, type Trail } from "../state";

const ATTRIBUTE_KEYS = ["EventId", "EventName", "ReadOnly", "Username", "ResourceType", "ResourceName", "EventSource", "AccessKeyId"] as const;
type AttributeKey = (typeof ATTRIBUTE_KEYS)[number];
const WINDOW_MS = 90 * 86_400_000;

function matches(e: StoredEvent, key: AttributeKey, value: string): boolean {
  switch (key) {
    case "EventId":
      return e.eventId === value;
    case "EventName":
      return e.eventName === value;
    case "ReadOnly":
      return String(e.readOnly) === value;
    case "Username":
      return e.username === value;
    case "ResourceType":
      return e.resources.some((r) => r.type === value);
    case "ResourceName":
      return e.resources.some((r) => r.name === value);
    case "EventSource":
      return e.eventSource === value;
    case "AccessKeyId":
      return e.accessKeyId === value;
  }
}

function trailsVisibleIn(ctx: CallContext): Trail[] {
  return [...ctx.state.trails.values()].filter((t) => t.account === ctx.account && (t.homeRegion === ctx.region || t.multiRegion));
}

function findTrail(ctx: CallContext, name: string): Trail {
  const t = trailsVisibleIn(ctx).find((x) => x.name === name || x.arn === name);
  if (!t) throw new AwsError("TrailNotFoundException", `Unknown trail: ${name} for the user: ${ctx.account}`);
  return t;
}

export const cloudTrailHandlers: ServiceHandlers = {
  async LookupEvents(ctx, input) {
    if (!ctx.caller.admin) await authorize(ctx, { action: "cloudtrail:LookupEvents", resourceArn: "*" });
    const attrs = (input.LookupAttributes as { AttributeKey: string; AttributeValue: string }[] | undefined) ?? [];
    if (attrs.length > 1) throw new AwsError("InvalidLookupAttributesException", "You cannot specify more than one lookup attribute.");
    const attr = attrs[0];
    if (attr && !ATTRIBUTE_KEYS.includes(attr.AttributeKey as AttributeKey)) {
      throw new AwsError("InvalidLookupAttributesException", `Invalid attribute key: ${attr.AttributeKey}`);
    }
    if (attr && (attr.AttributeValue.length < 1 || attr.AttributeValue.length > 2000)) {
      throw new AwsError("InvalidLookupAttributesException", "AttributeValue must be 1-2000 characters.");
    }
    const max = (input.MaxResults as number | undefined) ?? 50;
    if (!Number.isInteger(max) || max < 1 || max > 50) throw new AwsError("InvalidMaxResultsException", "MaxResults must be between 1 and 50.");
    const category = input.EventCategory as string | undefined;
    if (category && category !== "insight") throw new AwsError("InvalidEventCategoryException", `Invalid EventCategory: ${category}`);
    const now = ctx.now.getTime();
    const start = (input.StartTime as Date | undefined)?.getTime() ?? now - WINDOW_MS;
    const end = (input.EndTime as Date | undefined)?.getTime() ?? now;
    if (start > end) throw new AwsError("InvalidTimeRangeException", "Start time must be earlier than end time.");
    const from = Math.max(start, now - WINDOW_MS);
    const paramHash = createHash("sha256")
      .update(JSON.stringify([attr ?? null, input.StartTime ?? null, input.EndTime ?? null, category ?? null]))
      .digest("hex")
      .slice(0, 16);

    const list = eventsFor(ctx.state, ctx.account, ctx.region);
    // Index of the newest event not after `end` (list is ascending).
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].time <= end) lo = mid + 1;
      else hi = mid;
    }
    let i = lo - 1;
    const token = input.NextToken as string | undefined;
    if (token) {
      let t: { h: string; t: number; id: string };
      try {
        t = JSON.parse(Buffer.from(token, "base64url").toString()) as { h: string; t: number; id: string };
      } catch {
        throw new AwsError("InvalidNextTokenException", "Invalid NextToken.");
      }
      if (t.h !== paramHash) throw new AwsError("InvalidNextTokenException", "The NextToken is not valid for these parameters.");
      // Resume just after the last event returned (older than it, in the list order).
      let a = 0;
      let b = list.length;
      while (a < b) {
        const mid = (a + b) >> 1;
        if (list[mid].time <= t.t) a = mid + 1;
        else b = mid;
      }
      let j = a - 1;
      while (j >= 0 && list[j].time === t.t && list[j].eventId !== t.id) j--;
      i = list[j]?.eventId === t.id ? j - 1 : Math.min(i, j);
    }
    const out: StoredEvent[] = [];
    let more = false;
    for (; i >= 0; i--) {
      const e = list[i];
      if (e.time < from) break;
      if (attr && !matches(e, attr.AttributeKey as AttributeKey, attr.AttributeValue)) continue;
      if (out.length === max) {
        more = true;
        break;
      }
      out.push(e);
    }
    const last = out[out.length - 1];
    return {
      Events: out.map((e) => ({
        EventId: e.eventId,
        EventName: e.eventName,
        ReadOnly: String(e.readOnly),
        AccessKeyId: e.accessKeyId,
        EventTime: new Date(e.time),
        EventSource: e.eventSource,
        Username: e.username,
        Resources: e.resources.map((r) => ({ ResourceType: r.type, ResourceName: r.name })),
        CloudTrailEvent: e.json,
      })),
      NextToken: more && last ? Buffer.from(JSON.stringify({ h: paramHash, t: last.time, id: last.eventId })).toString("base64url") : undefined,
    };
  },

  async DescribeTrails(ctx, input) {
    if (!ctx.caller.admin) await authorize(ctx, { action: "cloudtrail:DescribeTrails", resourceArn: "*" });
    const names = input.trailNameList as string[] | undefined;
    const includeShadow = input.includeShadowTrails !== false;
    let trails = trailsVisibleIn(ctx).filter((t) => includeShadow || t.homeRegion === ctx.region);
    if (names?.length) trails = trails.filter((t) => names.includes(t.name) || names.includes(t.arn));
    return {
      trailList: trails.map((t) => ({
        Name: t.name,
        S3BucketName: t.bucket,
        IncludeGlobalServiceEvents: true,
        IsMultiRegionTrail: t.multiRegion,
        HomeRegion: t.homeRegion,
        TrailARN: t.arn,
        LogFileValidationEnabled: true,
        HasCustomEventSelectors: t.advanced || t.readWriteType !== "All" || t.excludeManagementEventSources.length > 0 || !t.includeManagementEvents,
        HasInsightSelectors: false,
        IsOrganizationTrail: false,
      })),
    };
  },

  async GetTrailStatus(ctx, input) {
    const t = findTrail(ctx, requireStr(input, "Name"));
    if (!ctx.caller.admin) await authorize(ctx, { action: "cloudtrail:GetTrailStatus", resourceArn: t.arn });
    return {
      IsLogging: t.logging,
      StartLoggingTime: t.startedAt,
      StopLoggingTime: t.logging ? undefined : t.stoppedAt,
      LatestDeliveryTime: t.logging ? new Date(ctx.now.getTime() - 5 * 60_000) : t.stoppedAt,
      LatestDeliveryAttemptTime: t.logging ? new Date(ctx.now.getTime() - 5 * 60_000).toISOString() : "",
      LatestDeliveryAttemptSucceeded: t.logging ? new Date(ctx.now.getTime() - 5 * 60_000).toISOString() : "",
      TimeLoggingStarted: t.startedAt?.toISOString(),
      TimeLoggingStopped: t.logging ? "" : t.stoppedAt?.toISOString(),
    };
  },

  async GetEventSelectors(ctx, input) {
    const t = findTrail(ctx, requireStr(input, "TrailName"));
    if (!ctx.caller.admin) await authorize(ctx, { action: "cloudtrail:GetEventSelectors", resourceArn: t.arn });
    if (t.advanced) {
      const fields: { Field: string; Equals?: string[]; NotEquals?: string[] }[] = [{ Field: "eventCategory", Equals: ["Management"] }];
      if (t.readWriteType !== "All") fields.push({ Field: "readOnly", Equals: [t.readWriteType === "ReadOnly" ? "true" : "false"] });
      if (t.excludeManagementEventSources.length) fields.push({ Field: "eventSource", NotEquals: t.excludeManagementEventSources });
      return { TrailARN: t.arn, AdvancedEventSelectors: t.includeManagementEvents ? [{ Name: "Management events selector", FieldSelectors: fields }] : [] };
    }
    return {
      TrailARN: t.arn,
      EventSelectors: [
        { ReadWriteType: t.readWriteType, IncludeManagementEvents: t.includeManagementEvents, DataResources: [], ExcludeManagementEventSources: t.excludeManagementEventSources },
      ],
    };
  },
};
