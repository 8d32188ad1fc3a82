// The organization discovery against moto server (an independent AWS emulator): an organization
// built through moto's Organizations API is discovered with the same tree and account states.
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  CreateOrganizationalUnitCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { describe, expect, it } from "vitest";

import { motoAvailable } from "../../sandbox/testing/index";
import { withMoto } from "../../sandbox/testing/vitest";

import { discoverOrganization } from "./discover";

const HAVE_MOTO = motoAvailable();
if (!HAVE_MOTO) console.warn("moto_server is not installed: the organization discovery against moto is skipped.");
const ACCOUNT = "123456789012";

describe.runIf(HAVE_MOTO)("organization discovery against moto server", () => {
  withMoto();

  it("finds the accounts moto holds, in the units they were moved to", async () => {
    const c = new OrganizationsClient({ region: "us-east-1" });
    const org = (await c.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }))).Organization!;
    const root = (await c.send(new ListRootsCommand({}))).Roots![0];
    const prod = (await c.send(new CreateOrganizationalUnitCommand({ ParentId: root.Id!, Name: "Production" }))).OrganizationalUnit!;
    const eu = (await c.send(new CreateOrganizationalUnitCommand({ ParentId: prod.Id!, Name: "Production EU" }))).OrganizationalUnit!;
    const created = (await c.send(new CreateAccountCommand({ AccountName: "support-eu", Email: "support-eu@example.com" }))).CreateAccountStatus!;
    await c.send(new MoveAccountCommand({ AccountId: created.AccountId!, SourceParentId: root.Id!, DestinationParentId: eu.Id! }));

    const d = await discoverOrganization(
      { role: "KeywardRead", include: [prod.Id!], exclude: [], regions: ["us-east-1"] },
      { base: { account: ACCOUNT, region: "us-east-1" }, checkRoles: false },
    );
    expect(d.organizationId).toBe(org.Id);
    expect(d.errors).toEqual([]);
    const member = d.accounts.find((a) => a.id === created.AccountId)!;
    expect(member.path.map((p) => p.name)).toEqual(["Root", "Production", "Production EU"]);
    expect([member.skipped, member.roleArn]).toEqual([undefined, `arn:aws:iam::${created.AccountId}:role/KeywardRead`]);
    // The management account sits in the root, outside the included unit.
    expect(d.accounts.find((a) => a.id === d.managementAccount)?.skipped).toBe("not selected (include / exclude)");
  });
});
