// Each template keeps the JSON of the page it follows, as published, with the fixes it applies and
// why. This test shows the template grants exactly what that JSON grants (after those fixes, with
// the page's example values), so a change to either side is visible.
import { describe, expect, it } from "vitest";

import { diffPolicy } from "../diff";

import { resolveTemplate, TEMPLATES, type Variables } from "./index";

function docPolicy(text: string, fixes: { from: string; to: string }[]): unknown {
  let t = text;
  for (const f of fixes) t = t.replaceAll(f.from, f.to);
  const doc = JSON.parse(t) as Record<string, unknown>;
  // A page that prints one statement (prompts): it is that statement's policy.
  return "Statement" in doc ? doc : { Version: "2012-10-17", Statement: [doc] };
}

describe("templates against their pages", () => {
  it.each(TEMPLATES.map((t) => [t.id, t] as const))("%s grants exactly what the page's JSON grants", async (_id, t) => {
    const vars = Object.fromEntries(Object.entries(t.doc.vars ?? {}).filter(([k]) => (t.variables as string[]).includes(k))) as Variables;
    const resolved = resolveTemplate(t.id, vars);
    const account = vars["account-id"];
    // Every fix applies to the page's text (or its key policy snippet): none is stale.
    for (const f of t.doc.fixes) expect(`${t.doc.text}\n${t.doc.keyText ?? ""}`, `the fix "${f.from}"`).toContain(f.from);
    const page = docPolicy(t.doc.text, t.doc.fixes);
    const d = await diffPolicy(page, [resolved], { kind: t.kind, account });
    // Every template statement, optional ones included, is in the page's policy as written…
    expect(d.results.map((r) => [r.sid, r.status])).toEqual(d.results.map((r) => [r.sid, "match"]));
    // …and the page's policy grants nothing the template does not.
    expect(d.extras.filter((e) => e.effect === "Allow")).toEqual([]);
    if (t.doc.keyText && t.keyStatements?.length) {
      const keyPage = docPolicy(t.doc.keyText, t.doc.fixes);
      const k = await diffPolicy(keyPage, [resolved], { kind: "key-policy", account }, "keyStatements");
      expect(k.results.map((r) => r.status)).toEqual(k.results.map(() => "match"));
      expect(k.extras).toEqual([]);
    }
  });

  it("each template names its page, the day it was read, and why it differs from the page where it does", () => {
    for (const t of TEMPLATES) {
      expect(t.doc.url, t.id).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
      expect(t.doc.read, t.id).toMatch(/^20\d\d-\d\d-\d\d$/);
      for (const f of t.doc.fixes) expect(f.why.length, `${t.id}: ${f.from}`).toBeGreaterThan(20);
    }
    // The token vault page's statements have no Principal: the template adds the account root, and says so.
    const tv = TEMPLATES.find((t) => t.id === "agentcore-token-vault-key")!;
    expect(tv.doc.text).not.toContain('"Principal"');
    expect(tv.doc.fixes[0].why).toMatch(/no Principal/);
  });

  it("Bedrock agents are held to the policy AWS documents for their creation date; an unknown date to both", async () => {
    const { templatesFor } = await import("./index");
    const ids = (created?: string) => templatesFor({ kind: "bedrock-agent", created }).map((t) => t.id);
    expect(ids("2024-11-30T10:00:00Z")).toEqual(["bedrock-agent-key"]);
    expect(ids("2025-01-22T00:00:00Z")).toEqual(["bedrock-agent-key-2025"]);
    expect(ids("2026-06-01T00:00:00Z")).toEqual(["bedrock-agent-key-2025"]);
    expect(ids(undefined)).toEqual(["bedrock-agent-key", "bedrock-agent-key-2025"]);
    expect(ids("not a date")).toEqual(["bedrock-agent-key", "bedrock-agent-key-2025"]);
  });
});
