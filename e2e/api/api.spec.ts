import { expect, request as pwRequest, test } from "@playwright/test";

import { storageState } from "../support";

test("an API call without a session gets 401 JSON", async ({ baseURL }) => {
  const anon = await pwRequest.newContext({ baseURL });
  const r = await anon.get("/api/settings/connection");
  expect(r.status()).toBe(401);
  expect(await r.json()).toEqual({ error: "Sign in first." });
  await anon.dispose();
});

test("responses carry the security headers", async ({ baseURL }) => {
  const anon = await pwRequest.newContext({ baseURL });
  const r = await anon.get("/signin");
  const h = r.headers();
  expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(h["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(h["content-security-policy"]).not.toContain("unsafe-eval");
  expect(h["x-frame-options"]).toBe("DENY");
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  // API answers are never cached, the refusal of an anonymous caller included.
  const refused = await anon.get("/api/scans/latest");
  expect(refused.status()).toBe(401);
  expect(refused.headers()["cache-control"]).toBe("no-store");
  await anon.dispose();
});

test.describe("as a viewer", () => {
  test.use({ storageState: storageState("viewer") });
  test("the audit log is refused with 403 and the caller is told who they are", async ({ request }) => {
    const me = await request.get("/api/me");
    expect(me.headers()["cache-control"]).toContain("no-store");
    expect(await me.json()).toMatchObject({ email: "viewer@keyward.local", role: "viewer", permissions: { applyChanges: false, viewAudit: false } });
    const audit = await request.get("/api/audit");
    expect(audit.status()).toBe(403);
  });
});

test.describe("as an operator", () => {
  test.use({ storageState: storageState("operator") });
  test("reads the audit log, which records refused access", async ({ request }) => {
    const r = await request.get("/api/audit?limit=200");
    expect(r.status()).toBe(200);
    const body = (await r.json()) as { entries: { action: string; outcome: string; detail: string | null }[] };
    expect(body.entries.some((e) => e.action === "access-refused" && e.detail?.includes("/api/audit"))).toBe(true);
  });
  test("bad query parameters get 422 with the issues", async ({ request }) => {
    const r = await request.get("/api/audit?limit=5000");
    expect(r.status()).toBe(422);
    expect((await r.json()) as { issues: { path: string }[] }).toMatchObject({ issues: [{ path: "limit" }] });
  });
  test("the connection report names the sandbox caller", async ({ request }) => {
    const r = await request.get("/api/settings/connection");
    const body = (await r.json()) as { checks: { region: string; identity: { arn: string } }[] };
    expect(body.checks.map((c) => c.region).sort()).toEqual(["eu-west-1", "us-east-1"]);
    expect(body.checks[0].identity.arn).toBe("arn:aws:iam::111122223333:root");
  });
});

test.describe("CSRF", () => {
  test.use({ storageState: storageState("viewer") });
  test("a mutating request from another origin is refused and changes nothing", async ({ request }) => {
    const before = (await (await request.get("/api/scans/latest")).json()) as { running: unknown };
    const r = await request.post("/api/scans", { headers: { origin: "https://evil.example" } });
    expect(r.status()).toBe(403);
    expect(await r.json()).toEqual({ error: "Cross-origin requests are refused." });
    const after = (await (await request.get("/api/scans/latest")).json()) as { running: unknown };
    expect(after.running).toEqual(before.running);
  });
});
