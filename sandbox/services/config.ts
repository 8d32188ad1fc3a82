// AWS Config, the organization aggregator Keyward reads its inventory from: the aggregator itself,
// its sources' status, and advanced queries over the configuration items the sandbox's state gives
// (KMS keys, Bedrock guardrails and prompts, and each source's configuration recorder). Items are
// shaped as Config records them: KMS keys as DescribeKey's metadata in camelCase with the rotation
// status as supplementary configuration; the Bedrock types (recorded through the CloudFormation
// registry) as their CloudFormation properties and attributes. Only the management account holds the
// aggregator; other callers get NoSuchConfigurationAggregatorException, as from AWS.
//
// The query language is the subset of Config's SQL that Keyward and its tests use:
//   SELECT path | COUNT(*) [, ...]  [WHERE cond]  [GROUP BY path [, ...]]
//   cond: path = | != | <> | < | <= | > | >= literal, path IN (literal, ...), path LIKE 'x%',
//         cond AND cond, cond OR cond, NOT cond, (cond)
// A path into an array (tags.key) matches when any element matches, as Config's does.
import { AwsError, requireStr, str, type CallContext, type ServiceHandlers } from "../core";
import { authorize } from "../principals";
import type { ConfigAggregator, Organization, SandboxState } from "../state";

import { queryPage } from "./paging";

type Item = Record<string, unknown>;

/** The resource types the sandbox records (Config records these for Keyward's kinds). */
export const RECORDED_TYPES = ["AWS::KMS::Key", "AWS::Bedrock::Guardrail", "AWS::Bedrock::Prompt", "AWS::Config::ConfigurationRecorder"] as const;

function aggregatorOf(ctx: CallContext, name: string): { org: Organization; agg: ConfigAggregator } {
  const org = ctx.state.organization;
  const agg = org?.configAggregator;
  if (!org || !agg || agg.name !== name || ctx.account !== org.managementAccount || ctx.region !== agg.region)
    throw new AwsError("NoSuchConfigurationAggregatorException", `The configuration aggregator does not exist. Check the configuration aggregator name and try again.`);
  return { org, agg };
}

/** Each source (active account × scenario region) with what its exception says. */
function sources(state: SandboxState, org: Organization, agg: ConfigAggregator) {
  const out: { account: string; region: string; status: "SUCCEEDED" | "FAILED" | "OUTDATED"; recording: boolean; excluded: string[] }[] = [];
  for (const a of org.accounts.values()) {
    if (a.status !== "ACTIVE") continue;
    for (const region of state.regions) {
      const ex = agg.exceptions.filter((e) => e.account === a.id && (!e.region || e.region === region));
      out.push({
        account: a.id,
        region,
        status: ex.find((e) => e.status)?.status ?? "SUCCEEDED",
        recording: ex.find((e) => e.recording !== undefined)?.recording ?? true,
        excluded: ex.flatMap((e) => e.excludedTypes ?? []),
      });
    }
  }
  return out;
}

const iso = (d: Date | undefined) => d?.toISOString();
const tagsOf = (tags: { TagKey: string; TagValue: string }[]) => tags.map((t) => ({ key: t.TagKey, value: t.TagValue, tag: `${t.TagKey}=${t.TagValue}` }));

/** The configuration items of the aggregator's sources, as Config holds them now. */
export function configurationItems(state: SandboxState, org: Organization, agg: ConfigAggregator): Item[] {
  const items: Item[] = [];
  const srcs = sources(state, org, agg);
  const recorded = new Map(srcs.map((s) => [`${s.account}|${s.region}`, s]));
  const records = (account: string, region: string, type: string) => {
    const s = recorded.get(`${account}|${region}`);
    return !!s && s.recording && !s.excluded.includes(type);
  };
  const base = (account: string, region: string, type: string, id: string, name: string | undefined, arn: string, created: Date, captured: Date) => ({
    version: "1.3",
    accountId: account,
    awsRegion: region,
    availabilityZone: "Not Applicable",
    resourceType: type,
    resourceId: id,
    ...(name ? { resourceName: name } : {}),
    arn,
    resourceCreationTime: iso(created),
    configurationItemCaptureTime: iso(captured),
    configurationItemStatus: "OK",
    configurationStateId: String(captured.getTime()),
    relationships: [],
  });
  for (const s of srcs) {
    items.push({
      ...base(
        s.account,
        s.region,
        "AWS::Config::ConfigurationRecorder",
        "default",
        "default",
        `arn:aws:config:${s.region}:${s.account}:config-recorder/default`,
        agg.createdAt,
        agg.createdAt,
      ),
      configuration: {
        Name: "default",
        Recording: s.recording,
        RecordingGroup: s.excluded.length
          ? {
              AllSupported: false,
              IncludeGlobalResourceTypes: false,
              ExclusionByResourceTypes: { ResourceTypes: s.excluded },
              RecordingStrategy: { UseOnly: "EXCLUSION_BY_RESOURCE_TYPES" },
            }
          : { AllSupported: true, IncludeGlobalResourceTypes: true, RecordingStrategy: { UseOnly: "ALL_SUPPORTED_RESOURCE_TYPES" } },
        RecordingMode: { RecordingFrequency: "CONTINUOUS" },
      },
      supplementaryConfiguration: {},
      tags: [],
    });
  }
  for (const k of state.keys.values()) {
    if (!records(k.account, k.region, "AWS::KMS::Key")) continue;
    items.push({
      ...base(k.account, k.region, "AWS::KMS::Key", k.id, undefined, k.arn, k.createdAt, k.createdAt),
      configuration: {
        awsaccountId: k.account,
        keyId: k.id,
        arn: k.arn,
        creationDate: iso(k.createdAt),
        enabled: k.state === "Enabled",
        description: k.description,
        keyUsage: k.usage,
        keyState: k.state,
        ...(k.deletionDate ? { deletionDate: iso(k.deletionDate) } : {}),
        origin: k.origin,
        keyManager: k.manager,
        customerMasterKeySpec: k.spec,
        keySpec: k.spec,
        encryptionAlgorithms: k.spec === "SYMMETRIC_DEFAULT" ? ["SYMMETRIC_DEFAULT"] : ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"],
        multiRegion: k.multiRegion,
      },
      // Config records rotation for symmetric keys only (GetKeyRotationStatus answers for no other).
      supplementaryConfiguration: k.spec === "SYMMETRIC_DEFAULT" ? { KeyRotationStatus: k.rotation } : {},
      tags: tagsOf(k.tags),
    });
  }
  for (const r of state.keyedResources.values()) {
    if (r.kind === "guardrail" && records(r.account, r.region, "AWS::Bedrock::Guardrail")) {
      items.push({
        ...base(r.account, r.region, "AWS::Bedrock::Guardrail", r.id, r.name, r.arn, r.createdAt, r.updatedAt),
        configuration: {
          GuardrailArn: r.arn,
          GuardrailId: r.id,
          Name: r.name,
          Description: r.description,
          ...(r.keyArn ? { KmsKeyArn: r.keyArn } : {}),
          Status: r.status,
          Version: "DRAFT",
          CreatedAt: iso(r.createdAt),
          UpdatedAt: iso(r.updatedAt),
        },
        supplementaryConfiguration: {},
        tags: [],
      });
    } else if (r.kind === "prompt" && records(r.account, r.region, "AWS::Bedrock::Prompt")) {
      items.push({
        ...base(r.account, r.region, "AWS::Bedrock::Prompt", r.id, r.name, r.arn, r.createdAt, r.updatedAt),
        configuration: {
          Arn: r.arn,
          Id: r.id,
          Name: r.name,
          Description: r.description,
          ...(r.keyArn ? { CustomerEncryptionKeyArn: r.keyArn } : {}),
          Version: "DRAFT",
          CreatedAt: iso(r.createdAt),
          UpdatedAt: iso(r.updatedAt),
        },
        supplementaryConfiguration: {},
        tags: [],
      });
    }
  }
  return items;
}

// ---- the query language ----

type Literal = string | number | boolean;
type Cond =
  | { op: "and" | "or"; a: Cond; b: Cond }
  | { op: "not"; a: Cond }
  | { op: "cmp"; path: string; cmp: "=" | "!=" | "<" | "<=" | ">" | ">="; value: Literal }
  | { op: "in"; path: string; values: Literal[] }
  | { op: "like"; path: string; re: RegExp };
interface Query {
  select: { path?: string; count?: true; name: string }[];
  where?: Cond;
  groupBy: string[];
}

function invalid(message: string): AwsError {
  return new AwsError("InvalidExpressionException", message);
}

function tokenize(sql: string): string[] {
  const out: string[] = [];
  const re = /\s*('(?:[^']|'')*'|\d+(?:\.\d+)?|[A-Za-z_][\w.]*(?:\(\*\))?|<=|>=|!=|<>|[=<>(),*])/y;
  let i = 0;
  while (i < sql.length) {
    if (/^\s*$/.test(sql.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(sql);
    if (!m) throw invalid(`Invalid expression near '${sql.slice(i, i + 20).trim()}'.`);
    out.push(m[1]);
    i = re.lastIndex;
  }
  return out;
}

export function parseConfigQuery(sql: string): Query {
  const t = tokenize(sql);
  let i = 0;
  const peek = () => t[i]?.toUpperCase();
  const next = () => {
    if (i >= t.length) throw invalid("Unexpected end of expression.");
    return t[i++];
  };
  const expect = (w: string) => {
    if (peek() !== w) throw invalid(`Expected ${w} near '${t[i] ?? "end"}'.`);
    i++;
  };
  const path = () => {
    const p = next();
    if (!/^[A-Za-z_][\w.]*$/.test(p) || ["SELECT", "WHERE", "GROUP", "BY", "AND", "OR", "NOT", "IN", "LIKE"].includes(p.toUpperCase()))
      throw invalid(`Expected a property name near '${p}'.`);
    return p;
  };
  const literal = (): Literal => {
    const v = next();
    if (v.startsWith("'")) return v.slice(1, -1).replace(/''/g, "'");
    if (/^\d/.test(v)) return Number(v);
    if (/^(true|false)$/i.test(v)) return v.toLowerCase() === "true";
    throw invalid(`Expected a literal near '${v}'.`);
  };
  expect("SELECT");
  const select: Query["select"] = [];
  do {
    if (peek() === "COUNT(*)") {
      i++;
      select.push({ count: true, name: "COUNT(*)" });
    } else {
      const p = path();
      select.push({ path: p, name: p });
    }
  } while (peek() === "," && ++i);
  const primary = (): Cond => {
    if (peek() === "(") {
      i++;
      const c = or();
      expect(")");
      return c;
    }
    if (peek() === "NOT") {
      i++;
      return { op: "not", a: primary() };
    }
    const p = path();
    const o = next().toUpperCase();
    if (o === "IN") {
      expect("(");
      const values = [literal()];
      while (peek() === ",") {
        i++;
        values.push(literal());
      }
      expect(")");
      return { op: "in", path: p, values };
    }
    if (o === "LIKE") {
      const v = literal();
      if (typeof v !== "string") throw invalid("LIKE takes a string.");
      return {
        op: "like",
        path: p,
        re: new RegExp(
          `^${v
            .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
            .replace(/%/g, ".*")
            .replace(/_/g, ".")}$`,
          "s",
        ),
      };
    }
    if (!["=", "!=", "<>", "<", "<=", ">", ">="].includes(o)) throw invalid(`Unsupported operator '${o}'.`);
    return { op: "cmp", path: p, cmp: (o === "<>" ? "!=" : o) as "=", value: literal() };
  };
  const and = (): Cond => {
    let c = primary();
    while (peek() === "AND") {
      i++;
      c = { op: "and", a: c, b: primary() };
    }
    return c;
  };
  const or = (): Cond => {
    let c = and();
    while (peek() === "OR") {
      i++;
      c = { op: "or", a: c, b: and() };
    }
    return c;
  };
  let where: Cond | undefined;
  if (peek() === "WHERE") {
    i++;
    where = or();
  }
  const groupBy: string[] = [];
  if (peek() === "GROUP") {
    i++;
    expect("BY");
    do groupBy.push(path());
    while (peek() === "," && ++i);
  }
  if (i < t.length) throw invalid(`Unexpected '${t[i]}'.`);
  const counted = select.some((s) => s.count);
  if (counted || groupBy.length) {
    for (const s of select) if (s.path && !groupBy.includes(s.path)) throw invalid(`${s.path} must appear in the GROUP BY clause or be used in an aggregate function.`);
  }
  return { select, where, groupBy };
}

/** The values at a dotted path (an array on the way gives each element's). */
function valuesAt(item: unknown, path: string): unknown[] {
  let cur: unknown[] = [item];
  for (const part of path.split(".")) {
    cur = cur.flatMap((v) => (Array.isArray(v) ? v : [v])).flatMap((v) => (v && typeof v === "object" && part in v ? [(v as Item)[part]] : []));
  }
  return cur.flatMap((v) => (Array.isArray(v) ? v : [v]));
}

function compare(a: unknown, b: Literal): number {
  if (typeof b === "number") return Number(a) - b;
  const x = String(a);
  return x < String(b) ? -1 : x > String(b) ? 1 : 0;
}

function matches(c: Cond, item: Item): boolean {
  switch (c.op) {
    case "and":
      return matches(c.a, item) && matches(c.b, item);
    case "or":
      return matches(c.a, item) || matches(c.b, item);
    case "not":
      return !matches(c.a, item);
    case "in":
      return valuesAt(item, c.path).some((v) => c.values.some((x) => compare(v, x) === 0));
    case "like":
      return valuesAt(item, c.path).some((v) => typeof v === "string" && c.re.test(v));
    case "cmp": {
      const vs = valuesAt(item, c.path);
      if (c.cmp === "!=") return !vs.some((v) => compare(v, c.value) === 0);
      return vs.some((v) => {
        const d = compare(v, c.value);
        return c.cmp === "=" ? d === 0 : c.cmp === "<" ? d < 0 : c.cmp === "<=" ? d <= 0 : c.cmp === ">" ? d > 0 : d >= 0;
      });
    }
  }
}

/** The selected paths of an item, nested as Config returns them ({"configuration": {"keyState": ...}}). */
function project(item: Item, paths: string[]): Item {
  const out: Item = {};
  for (const p of paths) {
    const parts = p.split(".");
    let src: unknown = item;
    for (const part of parts) src = src && typeof src === "object" && !Array.isArray(src) ? (src as Item)[part] : undefined;
    if (src === undefined) continue;
    let dst = out;
    for (const part of parts.slice(0, -1)) dst = (dst[part] ??= {}) as Item;
    dst[parts[parts.length - 1]] = src;
  }
  return out;
}

export function runConfigQuery(q: Query, items: Item[]): Item[] {
  const rows = q.where ? items.filter((x) => matches(q.where!, x)) : items;
  if (!q.select.some((s) => s.count) && !q.groupBy.length)
    return rows.map((r) =>
      project(
        r,
        q.select.map((s) => s.path!),
      ),
    );
  const groups = new Map<string, { sample: Item; n: number }>();
  for (const r of rows) {
    const k = JSON.stringify(q.groupBy.map((g) => valuesAt(r, g)[0] ?? null));
    const g = groups.get(k) ?? { sample: r, n: 0 };
    g.n++;
    groups.set(k, g);
  }
  return [...groups.values()].map((g) => ({ ...project(g.sample, q.groupBy), ...(q.select.some((s) => s.count) ? { "COUNT(*)": g.n } : {}) }));
}

export const configHandlers: ServiceHandlers = {
  async DescribeConfigurationAggregators(ctx, input) {
    const names = (input.ConfigurationAggregatorNames as string[] | undefined) ?? [];
    const agg = ctx.state.organization?.configAggregator;
    if (!ctx.caller.admin) await authorize(ctx, { action: "config:DescribeConfigurationAggregators", resourceArn: "*" });
    const mine = agg && ctx.account === ctx.state.organization!.managementAccount && ctx.region === agg.region ? [agg] : [];
    for (const n of names)
      if (!mine.some((a) => a.name === n))
        throw new AwsError("NoSuchConfigurationAggregatorException", "The configuration aggregator does not exist. Check the configuration aggregator name and try again.");
    return {
      ConfigurationAggregators: mine
        .filter((a) => !names.length || names.includes(a.name))
        .map((a) => ({
          ConfigurationAggregatorName: a.name,
          ConfigurationAggregatorArn: a.arn,
          OrganizationAggregationSource: { RoleArn: `arn:aws:iam::${ctx.account}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`, AllAwsRegions: true },
          CreationTime: a.createdAt,
          LastUpdatedTime: a.createdAt,
          CreatedBy: "",
        })),
    };
  },
  async DescribeConfigurationAggregatorSourcesStatus(ctx, input) {
    const { org, agg } = aggregatorOf(ctx, requireStr(input, "ConfigurationAggregatorName", "InvalidParameterValueException"));
    if (!ctx.caller.admin) await authorize(ctx, { action: "config:DescribeConfigurationAggregatorSourcesStatus", resourceArn: agg.arn });
    const filter = (input.UpdateStatus as string[] | undefined) ?? [];
    const all = sources(ctx.state, org, agg)
      .filter((s) => !filter.length || filter.includes(s.status))
      .map((s) => ({
        SourceId: s.account,
        SourceType: "ACCOUNT",
        AwsRegion: s.region,
        LastUpdateStatus: s.status,
        LastUpdateTime: ctx.now,
        ...(s.status === "FAILED" ? { LastErrorCode: "AccessDeniedException", LastErrorMessage: "Config cannot read this source." } : {}),
      }));
    const limit = (input.Limit as number | undefined) || 5;
    if (!Number.isInteger(limit) || limit < 0 || limit > 100) throw new AwsError("InvalidLimitException", "The Limit must be between 0 and 100.");
    const p = queryPage(agg.name, all, str(input, "NextToken"), limit, new AwsError("InvalidNextTokenException", "The specified next token is not valid."));
    return { AggregatedSourceStatusList: p.items, NextToken: p.next };
  },
  async SelectAggregateResourceConfig(ctx, input) {
    const { org, agg } = aggregatorOf(ctx, requireStr(input, "ConfigurationAggregatorName", "InvalidParameterValueException"));
    if (!ctx.caller.admin) await authorize(ctx, { action: "config:SelectAggregateResourceConfig", resourceArn: agg.arn });
    const expression = requireStr(input, "Expression", "InvalidExpressionException");
    if (expression.length > 4096) throw invalid("The expression is longer than 4096 characters.");
    const q = parseConfigQuery(expression);
    const limit = (input.Limit as number | undefined) || (input.MaxResults as number | undefined) || 100;
    if (!Number.isInteger(limit) || limit < 0 || limit > 100) throw new AwsError("InvalidLimitException", "The Limit must be between 0 and 100.");
    const rows = runConfigQuery(q, configurationItems(ctx.state, org, agg));
    const p = queryPage(expression, rows, str(input, "NextToken"), limit, new AwsError("InvalidNextTokenException", "The specified next token is not valid."));
    return { Results: p.items.map((r) => JSON.stringify(r)), QueryInfo: { SelectFields: q.select.map((s) => ({ Name: s.name })) }, NextToken: p.next };
  },
};
