import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { CreateKeyCommand, DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { describe, expect, it } from "vitest";

import { parseScenario } from "./scenario/schema";
import { clientConfig, testSandbox } from "./testing/index";

describe("state dir", () => {
  it("keeps keys created and events recorded across restarts, and --reset starts over", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kw-state-"));
    let sb = await testSandbox({ stateDir: dir, noTraffic: true });
    const created = await new KMSClient(clientConfig(sb)).send(new CreateKeyCommand({ Description: "persisted" }));
    await sb.close();
    sb = await testSandbox({ stateDir: dir, noTraffic: true });
    const kms = new KMSClient(clientConfig(sb));
    expect((await kms.send(new DescribeKeyCommand({ KeyId: created.KeyMetadata!.KeyId }))).KeyMetadata!.Description).toBe("persisted");
    const ev = await new CloudTrailClient(clientConfig(sb)).send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: created.KeyMetadata!.Arn! }] }),
    );
    expect(ev.Events!.map((e) => e.EventName)).toContain("CreateKey");
    await sb.close();
    sb = await testSandbox({ stateDir: dir, noTraffic: true, reset: true });
    await expect(new KMSClient(clientConfig(sb)).send(new DescribeKeyCommand({ KeyId: created.KeyMetadata!.KeyId }))).rejects.toMatchObject({ name: "NotFoundException" });
    await sb.close();
  });

  it("a state saved from another version of the scenario is set aside, not mixed into the new one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kw-state-"));
    const scenario = (extra: string) => ({ version: 1 as const, name: "versions", account: "111122223333", regions: ["us-east-1"], keys: [{ ref: extra, region: "us-east-1" }] });
    let sb = await testSandbox({ stateDir: dir, noTraffic: true, scenario: parseScenario(scenario("first")) });
    const created = await new KMSClient(clientConfig(sb)).send(new CreateKeyCommand({ Description: "made in the sandbox" }));
    await sb.close();
    // The same scenario: the key made in the sandbox is still there.
    sb = await testSandbox({ stateDir: dir, noTraffic: true, scenario: parseScenario(scenario("first")) });
    await expect(new KMSClient(clientConfig(sb)).send(new DescribeKeyCommand({ KeyId: created.KeyMetadata!.KeyId }))).resolves.toBeDefined();
    await sb.close();
    // A changed scenario: its own keys are all there, the old state is gone.
    sb = await testSandbox({ stateDir: dir, noTraffic: true, scenario: parseScenario(scenario("second")) });
    await expect(new KMSClient(clientConfig(sb)).send(new DescribeKeyCommand({ KeyId: created.KeyMetadata!.KeyId }))).rejects.toMatchObject({ name: "NotFoundException" });
    expect(sb.state.keys.size).toBe(1);
    await sb.close();
  });

  it("generates the same history from the same seed", async () => {
    const end = new Date("2026-10-01T00:00:00Z");
    const a = await testSandbox({ trafficEnd: end });
    const b = await testSandbox({ trafficEnd: end });
    const ids = (s: typeof a) =>
      [...s.state.events.values()]
        .flat()
        .filter((e) => e.time <= end.getTime())
        .map((e) => e.eventId);
    expect(ids(a)).toEqual(ids(b));
    expect(ids(a).length).toBeGreaterThan(20_000);
    await a.close();
    await b.close();
  });
});
