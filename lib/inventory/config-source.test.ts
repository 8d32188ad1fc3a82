// The AWS Config aggregator path against the API path, on the same organization (the sandbox's "org"
// scenario with guardrails and prompts in its accounts and an organization aggregator whose sources
// include a failed one, a recorder that excludes prompts and one that is stopped): the two paths give
// the same resources, keys and findings; the Config path makes fewer calls and says, per account,
// region and type, where it read the API instead and why.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { ConfigServiceClient, SelectAggregateResourceConfigCommand } from "@aws-sdk/client-config-service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { RunningSandbox } from "../../sandbox/index";
import { readScenarioFile } from "../../sandbox/scenario/load";
import type { ScenarioData } from "../../sandbox/scenario/schema";
import { clientConfig, testSandbox } from "../../sandbox/testing/index";
import { canonicalJson } from "../canonical-json.shared";
import { KeywardConfig } from "../config/schema";
import { resolveTargets } from "../org/discover";
import { runScan } from "../posture/scan";
import { pointSdkAtSandbox } from "../posture/testing";

import { inventoryQuery, notRecorded } from "./config-source";
import type { ScanResult } from "./types.shared";

const MGMT = "111122223333";
const PAYMENTS = "222233334444";
const SUPPORT = "333344445555";

function scenario(): ScenarioData {
  const s = readScenarioFile("sandbox/scenarios/org.json");
  s.resources = [
    { kind: "guardrail", ref: "g1", name: "mgmt-guardrail", region: "us-east-1", key: "mgmt-key", description: "" },
    { kind: "guardrail", ref: "g2", name: "open-guardrail", region: "us-east-1", description: "" },
    { kind: "prompt", ref: "p1", name: "mgmt-prompt", region: "us-east-1", key: "mgmt-key", description: "" },
    { kind: "guardrail", ref: "g3", name: "payments-guardrail", region: "us-east-1", account: PAYMENTS, key: "payments-key", description: "" },
    { kind: "prompt", ref: "p2", name: "payments-prompt", region: "eu-west-1", account: PAYMENTS, description: "" },
    { kind: "prompt", ref: "p3", name: "support-prompt", region: "eu-west-1", account: SUPPORT, key: "support-key", description: "" },
    { kind: "guardrail", ref: "g4", name: "support-guardrail", region: "eu-west-1", account: SUPPORT, key: "support-key", description: "" },
  ].map((r) => ({ createdDaysAgo: 30, ...r })) as ScenarioData["resources"];
  s.organization!.configAggregator = {
    name: "org-inventory",
    region: "us-east-1",
    exceptions: [
      { account: PAYMENTS, region: "eu-west-1", status: "FAILED" },
      { account: SUPPORT, region: "eu-west-1", excludedTypes: ["AWS::Bedrock::Prompt"] },
      { account: SUPPORT, region: "us-east-1", recording: false },
    ],
  };
  return s;
}

let sb: RunningSandbox;
let restore: () => void;
let api: ScanResult;
let viaConfig: ScanResult;

const organization = { role: "KeywardRead", regions: ["us-east-1", "eu-west-1"] };
async function scan(configAggregator?: { name: string; region: string }): Promise<ScanResult> {
  const cfg = KeywardConfig.parse({ mode: "sandbox", organization: { ...organization, configAggregator }, dataDir: mkdtempSync(join(tmpdir(), "kw-config-")) });
  const t = await resolveTargets(cfg, []);
  return runScan({ targets: t.targets, configAggregator: t.configAggregator });
}

/** A scan's answers without where they were read from. */
function answers(r: ScanResult) {
  const strip = <T extends { recorded?: unknown }>(x: T) => {
    const { recorded: _recorded, ...rest } = x;
    return rest;
  };
  // Config lists a type's items in its own order: the answers are compared whatever the order.
  const sorted = <T>(xs: T[]) => xs.map(canonicalJson).sort();
  return {
    resources: sorted(r.resources.map(strip)),
    keys: sorted(r.keys.map(strip)),
    findings: sorted(r.findings),
    notAssessed: sorted(r.notAssessed),
  };
}

beforeAll(async () => {
  sb = await testSandbox({ scenario: scenario(), noTraffic: true });
  restore = pointSdkAtSandbox(sb);
  api = await scan();
  viaConfig = await scan({ name: "org-inventory", region: "us-east-1" });
}, 60_000);
afterAll(async () => {
  restore();
  await sb.close();
});

describe("inventory from an AWS Config aggregator", () => {
  it("gives the same resources, keys, findings and not-assessed checks as the APIs, with fewer calls", () => {
    expect(api.resources.filter((r) => r.kind === "bedrock-guardrail" || r.kind === "bedrock-prompt")).toHaveLength(7);
    expect(answers(viaConfig)).toEqual(answers(api));
    // The disabled key and the guardrail without a customer managed key are found either way.
    expect(viaConfig.findings.some((f) => f.ruleId === "KW-KEY-01" && f.resourceArn.includes(`:${SUPPORT}:guardrail/`))).toBe(true);
    expect(viaConfig.findings.some((f) => f.ruleId === "KW-ENC-01" && f.resourceArn.includes(`:${MGMT}:guardrail/`))).toBe(true);
    expect(viaConfig.errors).toEqual(api.errors);
    expect(viaConfig.apiCalls).toBeLessThan(api.apiCalls);
    expect(api.inventory).toBeUndefined();
  });

  it("takes from Config only what an up-to-date, recording source holds, and says where it read the API and why", () => {
    const recorded = (name: string) => viaConfig.resources.find((r) => r.name === name)!.recorded;
    expect(recorded("mgmt-guardrail")).toEqual({ by: "config", at: expect.any(String) });
    expect(recorded("payments-guardrail")?.by).toBe("config");
    expect(recorded("support-guardrail")?.by).toBe("config");
    // The failed source, the excluded type and the stopped recorder: read through the API.
    expect(recorded("payments-prompt")).toBeUndefined();
    expect(recorded("support-prompt")).toBeUndefined();
    const why = (account: string, region: string, type: string) =>
      viaConfig.inventory!.fallbacks.find((f) => f.account === account && f.region === region && f.type === type)?.reason;
    expect(why(PAYMENTS, "eu-west-1", "AWS::Bedrock::Prompt")).toMatch(/last update .* is FAILED/);
    expect(why(SUPPORT, "eu-west-1", "AWS::Bedrock::Prompt")).toMatch(/excludes AWS::Bedrock::Prompt/);
    expect(why(SUPPORT, "eu-west-1", "AWS::Bedrock::Guardrail")).toBeUndefined();
    expect(why(SUPPORT, "us-east-1", "AWS::Bedrock::Guardrail")).toMatch(/recorder is stopped/);
    // Where Config holds none of a type, the API is listed to be sure (the type may not be recorded there).
    expect(why(MGMT, "eu-west-1", "AWS::Bedrock::Guardrail")).toMatch(/holds no AWS::Bedrock::Guardrail/);
    expect(viaConfig.inventory!.items["AWS::Bedrock::Guardrail"]).toBe(4);
    expect(viaConfig.inventory!.items["AWS::Bedrock::Prompt"]).toBe(1);
    // Keys: metadata, rotation and tags from Config; the policy still from KMS.
    const key = viaConfig.keys.find((k) => k.arn.includes(`:${PAYMENTS}:`))!;
    expect(key.recorded?.by).toBe("config");
    expect(key.policy).toContain("Statement");
    expect(key.rotation).toBe(true);
  });

  it("an aggregator that cannot be read: the error is shown and every API is read, with the same answers", async () => {
    const r = await scan({ name: "no-such-aggregator", region: "us-east-1" });
    expect(r.inventory?.error?.code).toBe("NoSuchConfigurationAggregatorException");
    expect(r.errors[0]).toMatchObject({ service: "AWS Config", operation: "DescribeConfigurationAggregatorSourcesStatus" });
    expect(answers(r)).toEqual(answers(api));
    expect(r.resources.every((x) => !x.recorded)).toBe(true);
  });
});

describe("the sandbox's Config advanced queries", () => {
  const send = (Expression: string, NextToken?: string) =>
    new ConfigServiceClient(clientConfig(sb)).send(new SelectAggregateResourceConfigCommand({ ConfigurationAggregatorName: "org-inventory", Expression, Limit: 2, NextToken }));

  it("answers SELECT, WHERE (IN, LIKE, AND, OR, NOT) and GROUP BY with COUNT(*), nested as Config returns them, page by page", async () => {
    const rows: unknown[] = [];
    let token: string | undefined;
    do {
      const r = await send(
        "SELECT resourceId, configuration.Name WHERE resourceType = 'AWS::Bedrock::Guardrail' AND (configuration.Name LIKE 'pay%' OR NOT accountId = '111122223333')",
        token,
      );
      expect(r.QueryInfo?.SelectFields?.map((f) => f.Name)).toEqual(["resourceId", "configuration.Name"]);
      rows.push(...(r.Results ?? []).map((x) => JSON.parse(x)));
      token = r.NextToken;
    } while (token);
    expect(rows.map((r) => (r as { configuration: { Name: string } }).configuration.Name).sort()).toEqual(["payments-guardrail", "support-guardrail"]);
    const counts = await send("SELECT resourceType, COUNT(*) WHERE resourceType IN ('AWS::Bedrock::Guardrail', 'AWS::Bedrock::Prompt') GROUP BY resourceType");
    // The excluded type has no items; the failed source's items are there (as stale as its last update), which the scan does not use.
    expect(new Set(counts.Results!.map((x) => x))).toEqual(
      new Set(['{"resourceType":"AWS::Bedrock::Guardrail","COUNT(*)":4}', '{"resourceType":"AWS::Bedrock::Prompt","COUNT(*)":2}']),
    );
  });

  it("refuses what it cannot parse, and a query longer than Config allows, with Config's error", async () => {
    await expect(send("SELECT resourceId WHERE resourceType ==")).rejects.toMatchObject({ name: "InvalidExpressionException" });
    await expect(send("SELECT configuration.Name, COUNT(*) GROUP BY resourceType")).rejects.toMatchObject({ name: "InvalidExpressionException" });
    expect(
      inventoryQuery(
        ["AWS::KMS::Key"],
        Array.from({ length: 400 }, (_, i) => String(100000000000 + i)),
        ["us-east-1"],
      ),
    ).not.toContain("accountId IN");
    expect(inventoryQuery(["AWS::KMS::Key"], [MGMT], ["us-east-1"])).toContain(`accountId IN ('${MGMT}')`);
  });
});

describe("a configuration recorder's coverage", () => {
  const recorder = (configuration: Record<string, unknown>) => ({
    accountId: MGMT,
    awsRegion: "us-east-1",
    resourceType: "AWS::Config::ConfigurationRecorder",
    resourceId: "default",
    configuration,
  });
  it("records a type only when recording, and all supported types, or the type listed, or not excluded", () => {
    const t = "AWS::Bedrock::Guardrail";
    expect(notRecorded(undefined, t)).toMatch(/no configuration recorder/);
    expect(notRecorded(recorder({ Recording: false, RecordingGroup: { AllSupported: true } }), t)).toMatch(/stopped/);
    expect(notRecorded(recorder({ Recording: true, RecordingGroup: { AllSupported: true } }), t)).toBeUndefined();
    expect(notRecorded(recorder({ Recording: true, RecordingGroup: { AllSupported: false, ResourceTypes: ["AWS::KMS::Key"] } }), t)).toMatch(/does not record/);
    expect(notRecorded(recorder({ Recording: true, RecordingGroup: { AllSupported: false, ResourceTypes: [t] } }), t)).toBeUndefined();
    const exclusion = { AllSupported: false, RecordingStrategy: { UseOnly: "EXCLUSION_BY_RESOURCE_TYPES" }, ExclusionByResourceTypes: { ResourceTypes: [t] } };
    expect(notRecorded(recorder({ Recording: true, RecordingGroup: exclusion }), t)).toMatch(/excludes/);
    expect(notRecorded(recorder({ Recording: true, RecordingGroup: exclusion }), "AWS::KMS::Key")).toBeUndefined();
  });
});
