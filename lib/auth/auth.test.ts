import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { FailureLimiter } from "./rate-limit";
import { can } from "./roles.shared";
import { authSecret } from "./secret";
import { findUser, hashPassword, upsertUser, verifyPassword } from "./users";

describe("local users", () => {
  it("stores scrypt hashes, never the password, in a 0600 file", () => {
    const d = mkdtempSync(join(tmpdir(), "kw-users-"));
    upsertUser(d, "Alice@Example.com", "investigator", "correct horse battery");
    const u = findUser(d, "alice@example.com")!;
    expect(u.role).toBe("investigator");
    expect(u.hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(readFileSync(join(d, "users.json"), "utf8")).not.toContain("correct horse");
    expect(statSync(join(d, "users.json")).mode & 0o777).toBe(0o600);
    expect(verifyPassword("correct horse battery", u.hash)).toBe(true);
    expect(verifyPassword("wrong horse battery", u.hash)).toBe(false);
  });
  it("refuses short passwords", () => {
    expect(() => upsertUser(mkdtempSync(join(tmpdir(), "kw-users-")), "a@b.c", "viewer", "short")).toThrow(/12 characters/);
  });
  it("salts every hash", () => {
    expect(hashPassword("same password!")).not.toBe(hashPassword("same password!"));
  });
});

describe("roles", () => {
  it.each([
    ["viewer", "read", true],
    ["viewer", "export-events", false],
    ["viewer", "apply-changes", false],
    ["investigator", "export-events", true],
    ["investigator", "apply-changes", false],
    ["operator", "apply-changes", true],
    ["operator", "view-audit", true],
  ] as const)("%s may %s: %s", (role, perm, ok) => {
    expect(can(role, perm)).toBe(ok);
  });
});

describe("sign-in failure limits", () => {
  it("blocks after the limit within the window and forgets after it", () => {
    const l = new FailureLimiter(3, 1000);
    l.fail("ip", 0);
    l.fail("ip", 100);
    expect(l.blocked("ip", 200)).toBe(false);
    l.fail("ip", 300);
    expect(l.blocked("ip", 400)).toBe(true);
    expect(l.blocked("ip", 1500)).toBe(false);
  });
});

describe("auth secret", () => {
  it("comes from the environment when set", () => {
    expect(authSecret({ mode: "aws", dataDir: "/nonexistent" }, { NEXTAUTH_SECRET: "s3cret" })).toBe("s3cret");
  });
  it("is required outside sandbox mode", () => {
    expect(() => authSecret({ mode: "aws", dataDir: "/nonexistent" }, {})).toThrow(/NEXTAUTH_SECRET/);
  });
  it("is generated once in sandbox mode and kept with mode 0600", () => {
    const d = mkdtempSync(join(tmpdir(), "kw-secret-"));
    const a = authSecret({ mode: "sandbox", dataDir: d }, {});
    expect(authSecret({ mode: "sandbox", dataDir: d }, {})).toBe(a);
    expect(statSync(join(d, "auth-secret")).mode & 0o777).toBe(0o600);
  });
});
