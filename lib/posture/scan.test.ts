// Scans of the demo scenario through the real SDK clients against the sandbox: the expected
// findings per resource (a fixture that catches a missed or an extra finding), partial failure
// under injected faults, and the report formats.
import { readFileSync, writeFileSync } from "node:fs";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { RunningSandbox } from "../../sandbox/index";
import { testSandbox } from "../../sandbox/testing/index";
import type { ScanProgress, ScanResult } from "../inventory/types.shared";

import { toCsv, toJsonReport, toSarif } from "./report";
import { runScan } from "./scan";
import { pointSdkAtSandbox } from "./testing";

const FIXTURE = "lib/posture/__fixtures__/demo-findings.json";
const TARGETS = [
  { account: "111122223333", region: "us-east-1" },
  { account: "111122223333", region: "eu-west-1" },
];

let sb: RunningSandbox;
let restore: () => void;
let result: ScanResult;

function summarize(r: ScanResult): string[] {
  const names = new Map(r.resources.map((x) => [x.arn, `${x.kind}/${x.name}`]));
  return r.findings.map((f) => `${f.ruleId} ${names.get(f.resourceArn) ?? f.resourceArn.replace(/^arn:aws:cloudtrail:([^:]+):\d+:.*/, "region/$1")}`).sort();
}

beforeAll(async () => {
  sb = await testSandbox({ trafficEnd: new Date("2026-11-01T00:00:00Z") });
  restore = pointSdkAtSandbox(sb);
  result = await runScan({ targets: TARGETS });
});
afterAll(async () => {
  restore();
  await sb.close();
});

describe("scan of the demo scenario", () => {
  it("finds every agent resource of every kind in both regions", () => {
    const kinds = new Map<string, number>();
    for (const r of result.resources) kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
    expect(Object.fromEntries(kinds)).toEqual({
      "bedrock-agent": 12,
      "knowledge-base": 1,
      "knowledge-base-data-source": 2,
      "bedrock-flow": 2,
      "bedrock-prompt": 2,
      "bedrock-guardrail": 2,
      "agentcore-memory": 8,
      "agentcore-recommendation": 4,
      "agentcore-gateway": 2,
      "agentcore-policy-engine": 2,
      "agentcore-evaluator": 2,
      "agentcore-dataset": 2,
      "agentcore-configuration-bundle": 2,
      "agentcore-payment-manager": 2,
      "oauth2-credential-provider": 3,
      "apikey-credential-provider": 2,
      "token-vault": 2,
    });
  });

  it("produces exactly the expected findings per resource", () => {
    const got = summarize(result);
    if (process.env.UPDATE_FIXTURES) writeFileSync(FIXTURE, `${JSON.stringify(got, null, 2)}\n`);
    expect(got).toEqual(JSON.parse(readFileSync(FIXTURE, "utf8")));
  });

  it("resolves each key once however many resources use it", () => {
    const describes = result.apiCalls;
    const keys = new Set(result.resources.map((r) => r.key.arn).filter(Boolean));
    expect(result.keys.length).toBeGreaterThanOrEqual(keys.size);
    expect(new Set(result.keys.map((k) => k.arn)).size).toBe(result.keys.length);
    expect(describes).toBeLessThan(300);
  });

  it("tells key types apart: AWS owned, AWS managed, customer (credential providers by their secret's key)", () => {
    const hr = result.resources.find((r) => r.name === "hr-onboarding")!;
    expect(hr.key.type).toBe("aws-owned");
    const support = result.resources.find((r) => r.name === "support-bot")!;
    expect(support.key).toMatchObject({ type: "customer", state: "Enabled", spec: "SYMMETRIC_DEFAULT", rotation: true, region: "us-east-1" });
    expect(result.resources.find((r) => r.name === "salesforce-oauth")!.key.type).toBe("aws-managed");
    expect(result.resources.find((r) => r.name === "github-oauth")!.key).toMatchObject({ type: "customer", state: "Enabled" });
    const salesforce = result.findings.find((f) => f.ruleId === "KW-SEC-01")!;
    expect(salesforce.evidence).toMatchObject({ kmsKeyId: "aws/secretsmanager" });
  });

  it("tells grants for an AWS service apart from grants made by people or tools", () => {
    const k = result.keys.find((x) => x.aliases.includes("alias/agents/returns"))!;
    expect(k.grants.map((g) => [g.grantee, g.forAwsService]).sort()).toEqual([
      ["arn:aws:iam::444455556666:role/PartnerAnalytics", false],
      ["bedrock.amazonaws.com", true],
    ]);
  });

  it("reports GetRecommendation's refusal for a disabled key as a source error and not-assessed checks", () => {
    expect(result.errors).toEqual([
      expect.objectContaining({ service: "AgentCore", operation: "GetRecommendation", code: "ValidationException", region: "us-east-1" }),
      // ghost-agent names a key that no longer exists (KW-KEY-06)
      expect.objectContaining({ service: "KMS", operation: "DescribeKey", code: "NotFoundException" }),
    ]);
    expect(result.notAssessed.some((n) => n.ruleId === "KW-ENC-01")).toBe(true);
  });

  it("never reads a secret's value", () => {
    const reads = [...sb.state.events.values()].flat().filter((e) => e.eventName === "GetSecretValue" && e.time > Date.parse("2026-11-01T00:00:00Z"));
    expect(reads).toEqual([]);
  });
});

describe("reports", () => {
  it("JSON follows the documented contract", () => {
    const j = toJsonReport(result);
    expect(Object.keys(j)).toEqual(["scannedAt", "resources", "findings", "notAssessed", "errors"]);
    expect(Object.keys(j.resources[0]).sort()).toEqual(["account", "arn", "key", "kind", "name", "region"]);
    expect(Object.keys(j.resources[0].key).sort()).toEqual(["arn", "region", "rotation", "spec", "state", "type"]);
    expect(Object.keys(j.findings[0]).sort()).toEqual(["evidence", "keyArn", "resourceArn", "ruleId", "severity", "title"]);
  });
  it("CSV has one row per finding and quotes what needs quoting", () => {
    const lines = toCsv(result).split("\n");
    expect(lines[0]).toBe("ruleId,severity,title,resourceArn,kind,region,keyArn,evidence");
    expect(lines).toHaveLength(result.findings.length + 1);
  });
  it("SARIF 2.1.0 names every rule its results use", () => {
    const s = toSarif(result);
    expect(s.version).toBe("2.1.0");
    const ids = s.runs[0].tool.driver.rules.map((r) => r.id);
    for (const r of s.runs[0].results) {
      expect(ids[r.ruleIndex]).toBe(r.ruleId);
      expect(["error", "warning", "note"]).toContain(r.level);
    }
  });
});

describe("scan under faults", () => {
  it("reads keys while the listing goes on, and keeps the collectors' order", async () => {
    // Gateways list slowly: the agents' keys are read before the listing ends.
    await fetch(`${sb.url}/_sandbox/faults`, { method: "PUT", body: JSON.stringify([{ service: "bedrock-agentcore", operation: "ListGateways", latencyMs: 600 }]) });
    try {
      const seen: ScanProgress[] = [];
      const r = await runScan({ targets: TARGETS, onProgress: (p) => seen.push(p) });
      const listing = seen.filter((p) => p.phase === "listing");
      expect(Math.max(...listing.map((p) => p.keysResolved))).toBeGreaterThan(0);
      expect(listing.some((p) => p.resourcesByKind["agentcore-gateway"] === undefined && p.keysResolved > 0)).toBe(true);
      expect(seen.at(-1)).toMatchObject({ phase: "done", keysResolved: r.keys.length });
      expect(r.resources.map((x) => x.arn)).toEqual(result.resources.map((x) => x.arn));
      expect(summarize(r)).toEqual(summarize(result));
    } finally {
      await fetch(`${sb.url}/_sandbox/faults`, { method: "DELETE" });
    }
  });

  it("returns the rest when a service is denied, throttled or absent in a region", async () => {
    await fetch(`${sb.url}/_sandbox/faults`, {
      method: "PUT",
      body: JSON.stringify([
        { service: "secretsmanager", accessDenied: true },
        { service: "bedrock-agentcore", region: "eu-west-1", unavailable: true },
        { service: "kms", operation: "ListGrants", rateLimit: 0.001 },
      ]),
    });
    try {
      const r = await runScan({ targets: TARGETS });
      expect(r.resources.filter((x) => x.kind === "bedrock-agent")).toHaveLength(12);
      expect(r.resources.some((x) => x.region === "eu-west-1" && x.kind === "agentcore-memory")).toBe(false);
      expect(r.errors.some((e) => e.service === "Secrets Manager" && e.code === "AccessDeniedException")).toBe(true);
      expect(r.errors.some((e) => e.service === "AgentCore" && e.region === "eu-west-1" && e.code === "EndpointUnreachable")).toBe(true);
      expect(r.errors.some((e) => e.operation === "ListGrants" && e.code === "ThrottlingException")).toBe(true);
      // secret checks could not run: not assessed, never a pass
      expect(r.notAssessed.filter((n) => n.ruleId === "KW-SEC-02").length).toBeGreaterThan(0);
      expect(r.findings.some((f) => f.ruleId === "KW-SEC-02")).toBe(false);
      expect(r.notAssessed.some((n) => n.ruleId === "KW-GRT-01")).toBe(true);
    } finally {
      await fetch(`${sb.url}/_sandbox/faults`, { method: "DELETE" });
    }
  });
});

describe("SARIF schema", () => {
  it("the SARIF report validates against the official SARIF 2.1.0 schema", async () => {
    const { default: Ajv } = await import("ajv");
    const schema = JSON.parse(readFileSync("node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json", "utf8")) as Record<string, unknown>;
    // The published schema is draft-04 style (root "id"); Ajv wants "$id".
    delete schema.$schema;
    schema.$id = schema.id;
    delete schema.id;
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    const ok = validate(JSON.parse(JSON.stringify(toSarif(result))));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(validate({ version: "2.1.0", runs: [{ tool: { driver: {} }, results: [] }] })).toBe(false);
  });
});

describe("incremental rescans", () => {
  it("an unchanged rescan reads only the listings and CloudTrail, and finds the same", async () => {
    const again = await runScan({ targets: TARGETS, previous: result });
    expect(summarize(again)).toEqual(summarize(result));
    expect(again.apiCalls).toBeLessThan(result.apiCalls / 3);
  });

  it("picks up a disabled key, an updated agent and a new memory", async () => {
    const { KMSClient, DisableKeyCommand, EnableKeyCommand } = await import("@aws-sdk/client-kms");
    const { BedrockAgentClient, UpdateAgentCommand } = await import("@aws-sdk/client-bedrock-agent");
    const { BedrockAgentCoreControlClient, CreateMemoryCommand, DeleteMemoryCommand } = await import("@aws-sdk/client-bedrock-agentcore-control");
    const cfg = { region: "us-east-1", endpoint: sb.url, credentials: { accessKeyId: sb.accessKeyId, secretAccessKey: sb.secretAccessKey } };
    const base = await runScan({ targets: TARGETS });
    const support = base.resources.find((r) => r.name === "support-bot")!;
    const eu = base.resources.find((r) => r.name === "eu-sales")!;
    await new KMSClient(cfg).send(new DisableKeyCommand({ KeyId: support.key.arn }));
    const euBa = new BedrockAgentClient({ ...cfg, region: "eu-west-1" });
    await euBa.send(
      new UpdateAgentCommand({
        agentId: eu.arn.split("/").pop(),
        agentName: "eu-sales",
        foundationModel: "m",
        agentResourceRoleArn: eu.roles[0],
        customerEncryptionKeyArn: undefined,
      }),
    );
    const mem = await new BedrockAgentCoreControlClient(cfg).send(new CreateMemoryCommand({ name: "fresh_memory", eventExpiryDuration: 30 }));
    try {
      const again = await runScan({ targets: TARGETS, previous: base });
      expect(again.findings.some((f) => f.ruleId === "KW-KEY-01" && f.resourceArn === support.arn)).toBe(true);
      expect(again.resources.find((r) => r.arn === mem.memory!.arn)?.key.type).toBe("aws-owned");
      expect(again.resources.find((r) => r.arn === eu.arn)?.updatedAt).not.toBe(eu.updatedAt);
    } finally {
      await new KMSClient(cfg).send(new EnableKeyCommand({ KeyId: support.key.arn }));
      await new BedrockAgentCoreControlClient(cfg).send(new DeleteMemoryCommand({ memoryId: mem.memory!.id }));
    }
  });
});
