// Counts in running text (scan progress, Overview): singular and plural names keep their casing.
import { describe, expect, it } from "vitest";

import { countOfKind, describeProgress, plural, RESOURCE_KINDS } from "./types.shared";

describe("counts in running text", () => {
  it("names one and many of each kind", () => {
    expect(countOfKind("agentcore-memory", 1)).toBe("1 AgentCore memory");
    expect(countOfKind("agentcore-memory", 5)).toBe("5 AgentCore memories");
    expect(countOfKind("oauth2-credential-provider", 3)).toBe("3 OAuth2 credential providers");
    expect(countOfKind("bedrock-agent", 1200)).toBe("1,200 Bedrock agents");
    for (const k of RESOURCE_KINDS) expect(countOfKind(k, 2)).toMatch(/^2 [A-Za-z0-9 ]+s$/);
    expect(countOfKind("agentcore-memory", 2)).not.toContain("memorys");
  });

  it("counts other things", () => {
    expect(plural(1, "check")).toBe("1 check");
    expect(plural(0, "check")).toBe("0 checks");
    expect(plural(2, "source error")).toBe("2 source errors");
  });
});

describe("a running scan in one line", () => {
  it("names the phase, the kinds in catalogue order, the keys and the errors", () => {
    expect(describeProgress({ phase: "listing", resourcesByKind: { "token-vault": 2, "bedrock-agent": 11 }, keysResolved: 3, keysTotal: 9, errors: 1 })).toBe(
      "Listing (keys are read meanwhile): 11 Bedrock agents, 2 token vaults · keys 3/9 · 1 source error",
    );
    expect(describeProgress({ phase: "listing", resourcesByKind: {}, keysResolved: 0, keysTotal: 0, errors: 0 })).toBe("Listing (keys are read meanwhile): nothing found yet");
  });
});
