// Discovering an AWS Organization against the sandbox's "org" scenario (its management account,
// units two deep, a member without the read role and a suspended one), and scanning what it finds.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { RunningSandbox } from "../../sandbox/index";
import { testSandbox } from "../../sandbox/testing/index";
import { insideAccounts, KeywardConfig, type OrganizationConfigData } from "../config/schema";
import { runScan } from "../posture/scan";
import { pointSdkAtSandbox } from "../posture/testing";

import { discoverOrganization, discoveredTargets, resolveTargets, selected } from "./discover";

const MGMT = "111122223333";
let sb: RunningSandbox;
let restore: () => void;

beforeAll(async () => {
  sb = await testSandbox({ scenario: "sandbox/scenarios/org.json", noTraffic: true });
  restore = pointSdkAtSandbox(sb);
});
afterAll(async () => {
  restore();
  await sb.close();
});

const org = (o: Partial<OrganizationConfigData> = {}): OrganizationConfigData => ({ role: "KeywardRead", include: [], exclude: [], regions: ["us-east-1", "eu-west-1"], ...o });
const base = { account: MGMT, region: "us-east-1" };
const unitId = (name: string) => [...sb.state.organization!.units.values()].find((u) => u.name === name)!.id;

describe("organization discovery", () => {
  it("lists every account with its unit path; suspended accounts and accounts without the role are reported, not read", async () => {
    const d = await discoverOrganization(org(), { base });
    expect(d.organizationId).toBe("o-a1b2c3d4e5");
    expect(d.managementAccount).toBe(MGMT);
    const byId = new Map(d.accounts.map((a) => [a.id, a]));
    expect([...byId.keys()].sort()).toEqual([MGMT, "222233334444", "333344445555", "444455556666", "555566667777"]);
    expect(byId.get("333344445555")!.path.map((p) => p.name)).toEqual(["Root", "Production", "Production EU"]);
    // The management account is read with the credentials as they are; members through the role.
    expect(byId.get(MGMT)).toMatchObject({ management: true, roleArn: undefined });
    const payments = byId.get("222233334444")!;
    expect([payments.roleArn, payments.error, payments.skipped]).toEqual(["arn:aws:iam::222233334444:role/KeywardRead", undefined, undefined]);
    expect(byId.get("555566667777")!.skipped).toMatch(/^suspended/);
    expect(byId.get("444455556666")!.error?.code).toBe("AccessDenied");
    expect(d.errors).toEqual([expect.objectContaining({ account: "444455556666", operation: "AssumeRole KeywardRead", code: "AccessDenied" })]);
    expect(
      discoveredTargets(org(), d)
        .map((t) => `${t.account}/${t.region}`)
        .sort(),
    ).toEqual([`${MGMT}/eu-west-1`, `${MGMT}/us-east-1`, "222233334444/eu-west-1", "222233334444/us-east-1", "333344445555/eu-west-1", "333344445555/us-east-1"]);
  });

  it("include takes a unit and everything under it; exclude wins", async () => {
    const prod = unitId("Production");
    const eu = unitId("Production EU");
    const inProd = await discoverOrganization(org({ include: [prod] }), { base });
    expect(inProd.accounts.filter((a) => !a.skipped).map((a) => a.id)).toEqual(["222233334444", "333344445555"]);
    const notEu = await discoverOrganization(org({ include: [prod], exclude: [eu] }), { base });
    expect(notEu.accounts.filter((a) => !a.skipped).map((a) => a.id)).toEqual(["222233334444"]);
    expect(selected({ include: [], exclude: ["222233334444"] }, "222233334444", ["r-x"])).toBe(false);
    expect(selected({ include: ["222233334444"], exclude: [] }, "333344445555", ["r-x"])).toBe(false);
  });

  it("a member account cannot list the organization: one clear error, nothing guessed", async () => {
    const d = await discoverOrganization(org(), {
      base: { account: "222233334444", region: "us-east-1", roleArn: "arn:aws:iam::222233334444:role/KeywardRead" },
      checkRoles: false,
    });
    expect(d.organizationId).toBe("o-a1b2c3d4e5");
    expect(d.accounts).toEqual([]);
    expect(d.errors).toEqual([expect.objectContaining({ operation: "ListRoots", code: "AccessDeniedException" })]);
  });

  it("a scan of the discovered organization reads each member through its role, with the failed account beside the results", async () => {
    const cfg = KeywardConfig.parse({ mode: "sandbox", organization: org(), dataDir: mkdtempSync(join(tmpdir(), "kw-org-")) });
    const { targets, organization } = await resolveTargets(cfg, []);
    const result = await runScan({ targets });
    const names = result.resources
      .filter((r) => r.kind !== "token-vault")
      .map((r) => `${r.account}:${r.name}`)
      .sort();
    expect(names).toEqual([
      `${MGMT}:org-guardrail`,
      `${MGMT}:org-helper`,
      "222233334444:payments-assistant",
      "222233334444:payments-guardrail",
      "333344445555:support-prompt",
      "333344445555:support_sessions",
    ]);
    // Each account's token vault, in each region, read through that account's role.
    expect(new Set(result.resources.filter((r) => r.kind === "token-vault").map((r) => r.account))).toEqual(new Set([MGMT, "222233334444", "333344445555"]));
    // The member's disabled key is found through its own role, in its own region.
    expect(result.findings.some((f) => f.ruleId === "KW-KEY-01" && f.resourceArn.includes(":333344445555:"))).toBe(true);
    expect(organization!.errors.map((e) => e.account)).toEqual(["444455556666"]);
    // The policy review, the wizard and the detections treat the organization's accounts as inside, as the scan does.
    expect([...insideAccounts(cfg, { organization })].sort()).toEqual([MGMT, "222233334444", "333344445555", "444455556666", "555566667777"]);
    expect([...insideAccounts(cfg)]).toEqual([]);
    expect(result.errors.filter((e) => e.account === "444455556666")).toEqual([]);
  });
});
