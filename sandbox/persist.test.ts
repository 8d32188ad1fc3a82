import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { CreateKeyCommand, DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { describe, expect, it } from "vitest";

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
