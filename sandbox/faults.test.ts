import { BedrockAgentCoreControlClient, ListMemoriesCommand } from "@aws-sdk/client-bedrock-agentcore-control";
import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { KMSClient, ListKeysCommand } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { FaultEngine } from "./faults";
import { clientConfig, testSandbox } from "./testing/index";

import type { RunningSandbox } from "./index";

let sb: RunningSandbox;
beforeAll(async () => {
  sb = await testSandbox({ noTraffic: true, enforceDefaultLimits: true });
});
afterAll(async () => sb.close());

async function setFaults(faults: unknown, method = "PUT") {
  return fetch(`${sb.url}/_sandbox/faults`, { method, body: JSON.stringify(faults) });
}

describe("faults", () => {
  it("throttles LookupEvents at AWS's 2 requests per second by default", async () => {
    const ct = new CloudTrailClient(clientConfig(sb));
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => ct.send(new LookupEventsCommand({ MaxResults: 1 }))));
    const throttled = results.filter((r) => r.status === "rejected" && (r.reason as Error).name === "ThrottlingException");
    expect(throttled.length).toBeGreaterThanOrEqual(3);
  });

  it("injects AccessDenied, 5xx and latency at runtime through the admin route, and clears them", async () => {
    expect((await setFaults([{ service: "kms", operation: "ListKeys", accessDenied: true }])).status).toBe(200);
    const kms = new KMSClient(clientConfig(sb));
    await expect(kms.send(new ListKeysCommand({}))).rejects.toMatchObject({ name: "AccessDeniedException" });
    await setFaults([{ service: "kms", errorRate: 1 }]);
    await expect(kms.send(new ListKeysCommand({}))).rejects.toMatchObject({ name: "InternalFailure", $metadata: { httpStatusCode: 500 } });
    await setFaults([{ service: "kms", latencyMs: 150 }]);
    const t = Date.now();
    await kms.send(new ListKeysCommand({}));
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
    await setFaults([], "DELETE");
    await kms.send(new ListKeysCommand({}));
  });

  it("makes AgentCore unreachable in a region where it is unavailable", async () => {
    await setFaults([{ service: "bedrock-agentcore", region: "eu-west-1", unavailable: true }]);
    const ac = new BedrockAgentCoreControlClient(clientConfig(sb, "eu-west-1"));
    await expect(ac.send(new ListMemoriesCommand({}))).rejects.toThrow();
    const us = new BedrockAgentCoreControlClient(clientConfig(sb, "us-east-1"));
    expect((await us.send(new ListMemoriesCommand({}))).memories!.length).toBeGreaterThan(0);
    await setFaults([], "DELETE");
  });

  it("refuses invalid fault specs with the path of the problem and changes nothing", async () => {
    await setFaults([{ service: "kms", latencyMs: 1 }]);
    const r = await setFaults([{ service: "kms", errorRate: 7 }]);
    expect(r.status).toBe(422);
    const body = (await r.json()) as { issues: { path: string }[] };
    expect(body.issues[0].path).toBe("$[0].errorRate");
    const now = (await (await fetch(`${sb.url}/_sandbox/faults`)).json()) as { faults: unknown[] };
    expect(now.faults).toEqual([{ service: "kms", latencyMs: 1 }]);
    await setFaults([], "DELETE");
  });
});

describe("token buckets", () => {
  it("hold AWS's published quotas per account and region: GetAgent 15 per second (Bedrock), ListGrants 100 (KMS)", () => {
    const f = new FaultEngine([], () => 0, true);
    const passed = (service: string, op: string, region: string, n: number) =>
      Array.from({ length: n }, () => f.decide(service, op, "1", region)).filter((d) => !d.throttled).length;
    expect(passed("bedrock", "GetAgent", "us-east-1", 20)).toBe(15);
    expect(passed("bedrock", "GetAgent", "eu-west-1", 20)).toBe(15);
    expect(passed("kms", "ListGrants", "us-east-1", 120)).toBe(100);
    // operations without a published quota are not limited
    expect(passed("bedrock-agentcore", "GetMemory", "us-east-1", 500)).toBe(500);
  });

  it("allow the configured rate and refuse beyond it", () => {
    const f = new FaultEngine([{ service: "kms", operation: "Decrypt", rateLimit: 5 }], () => 0, false);
    const decisions = Array.from({ length: 8 }, () => f.decide("kms", "Decrypt", "1", "us-east-1").throttled);
    expect(decisions.filter((x) => !x)).toHaveLength(5);
  });
});
