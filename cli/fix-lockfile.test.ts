import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

// @ts-expect-error -- a plain ESM script without type declarations
import { danglingOptionalEdges } from "./fix-lockfile.mjs";

describe("package-lock.json", () => {
  it("has no optional-dependency edge to a package it does not lock (npm ci would refuse it; run npm run lock:fix)", () => {
    expect(danglingOptionalEdges(JSON.parse(readFileSync("package-lock.json", "utf8")))).toEqual([]);
  });
  it("the check finds a dangling edge", () => {
    expect(danglingOptionalEdges({ packages: { "": {}, "node_modules/a": { optionalDependencies: { b: "1", c: "1" } }, "node_modules/c": {} } })).toEqual([
      ["node_modules/a", "b"],
    ]);
  });
});
