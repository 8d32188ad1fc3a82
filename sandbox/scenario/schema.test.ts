import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { demo } from "../scenarios/make-demo";

import { readScenarioFile } from "./load";
import { parseScenario, ScenarioError } from "./schema";

function issues(raw: unknown): { path: string; message: string }[] {
  try {
    parseScenario(raw, "test.json");
  } catch (e) {
    if (e instanceof ScenarioError) return e.issues;
    throw e;
  }
  throw new Error("expected the scenario to be refused");
}

const base = { version: 1, name: "t", account: "111122223333", regions: ["us-east-1"] };

describe("scenario validation", () => {
  it.each([
    [{ ...base, account: "123" }, "$.account", /12 digits/],
    [{ ...base, regions: ["mars-1"] }, "$.regions[0]", /region/],
    [{ ...base, keys: [{ ref: "k", region: "us-east-1", spec: "AES_999" }] }, "$.keys[0].spec", /./],
    [{ ...base, keys: [{ ref: "k", region: "eu-west-1" }] }, "$.keys[0].region", /not in \$\.regions/],
    [{ ...base, agents: [{ ref: "a", name: "a", region: "us-east-1", role: "R", key: "missing" }] }, "$.agents[0].key", /unknown key ref/],
    [
      {
        ...base,
        keys: [
          { ref: "k", region: "us-east-1" },
          { ref: "k", region: "us-east-1" },
        ],
      },
      "$.keys[1].ref",
      /duplicate/,
    ],
    [{ ...base, credentialProviders: [{ ref: "c", name: "c", region: "us-east-1", type: "oauth2", secret: "nope" }] }, "$.credentialProviders[0].secret", /unknown secret/],
    [
      { ...base, traffic: { generators: [{ name: "g", principal: "role/X", events: ["Decrypt"], target: "k", perDay: 1, days: [1, 5] }] } },
      "$.traffic.generators[0].days",
      /from >= to/,
    ],
    [{ ...base, version: 2 }, "$.version", /./],
  ])("refuses a bad scenario with the JSON path of the problem (%#)", (raw, path, message) => {
    const found = issues(raw);
    expect(found.map((i) => i.path)).toContain(path);
    expect(found.find((i) => i.path === path)!.message).toMatch(message);
  });

  it("reports unreadable files and bad JSON as scenario errors", () => {
    expect(() => readScenarioFile("/nonexistent/scenario.json")).toThrow(ScenarioError);
  });

  it("the committed demo.json is what make-demo.ts produces, and it is valid", () => {
    const file = JSON.parse(readFileSync("sandbox/scenarios/demo.json", "utf8"));
    expect(file).toEqual(JSON.parse(JSON.stringify(demo)));
    const s = parseScenario(file);
    expect(s.agents.length).toBeGreaterThanOrEqual(8);
    expect(s.memories.length).toBeGreaterThanOrEqual(5);
    expect(s.recommendations.length).toBeGreaterThanOrEqual(4);
    expect(s.credentialProviders.length).toBeGreaterThanOrEqual(5);
    expect(s.credentialProviders.filter((c) => c.secret).length).toBeGreaterThanOrEqual(3);
    expect(s.gateways.length).toBeGreaterThanOrEqual(2);
    expect(s.keys.length).toBeGreaterThanOrEqual(12);
  });
});
