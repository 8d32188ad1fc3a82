// The scanner's pacer: it sends at the quota's rate but bursts only half of it, so that requests
// arriving early at the service (whose bucket holds a second's worth) are not throttled.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { Pacer, RATE_QUOTAS } from "./quotas";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("Pacer", () => {
  it("lets half the quota through at once, then one request per 1/rate seconds, per key", async () => {
    const pacer = new Pacer();
    const rate = RATE_QUOTAS["bedrock:GetAgent"];
    expect(rate).toBe(15);
    let sent = 0;
    const takes = Array.from({ length: 10 }, () => pacer.take("111122223333|us-east-1|bedrock:GetAgent", rate).then(() => (sent += 1)));
    let other = false;
    void pacer.take("111122223333|eu-west-1|bedrock:GetAgent", rate).then(() => (other = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toBe(7);
    expect(other).toBe(true);
    // 7.5 tokens at the start: the 8th request waits half a token (34 ms), each further one 1/15 s.
    await vi.advanceTimersByTimeAsync(30);
    expect(sent).toBe(7);
    await vi.advanceTimersByTimeAsync(10);
    expect(sent).toBe(8);
    await vi.advanceTimersByTimeAsync(67);
    expect(sent).toBe(9);
    await vi.advanceTimersByTimeAsync(67);
    expect(sent).toBe(10);
    await Promise.all(takes);
  });

  it("does not wait for an operation without a quota", async () => {
    const pacer = new Pacer();
    let sent = 0;
    await Promise.all(Array.from({ length: 1000 }, () => pacer.take("a|r|bedrock-agentcore:GetMemory", RATE_QUOTAS["bedrock-agentcore:GetMemory"]).then(() => (sent += 1))));
    expect(sent).toBe(1000);
  });
});
