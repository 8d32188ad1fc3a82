// The StackSet template for the member accounts' read role: what the generator writes, with real
// CloudFormation types and properties (the AWS CDK's service specification, as for the setup
// exports), the read policy of docs/iam-policy.json, and a trust that lets in only Keyward's account
// (with the external id when one is set) — evaluated with the same IAM evaluator as everything else.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

import { describe, expect, it } from "vitest";
import { parse } from "yaml";

import { evaluate } from "../policy/evaluate";

import { STACKSET_FILE, stackSetTemplate } from "./stackset";

interface Template {
  Parameters: Record<string, { Default?: string }>;
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
}
const spec = JSON.parse(gunzipSync(readFileSync("node_modules/@aws-cdk/aws-service-spec/db.json.gz")).toString()) as {
  schema: { resource: { entities: Record<string, { cloudFormationType: string; properties: Record<string, { required?: boolean }> }> } };
};

/** Resolves the template's intrinsics for given parameters (only those the template uses). */
function resolve(v: unknown, params: Record<string, string>): unknown {
  if (Array.isArray(v)) return v.map((x) => resolve(x, params)).filter((x) => x !== NO_VALUE);
  if (!v || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  if ("Ref" in o) return o.Ref === "AWS::NoValue" ? NO_VALUE : params[o.Ref as string];
  if ("Fn::Sub" in o) return (o["Fn::Sub"] as string).replace(/\$\{([\w:]+)\}/g, (_m, k: string) => (k === "AWS::Partition" ? "aws" : params[k]));
  if ("Fn::If" in o) {
    const [, yes, no] = o["Fn::If"] as unknown[];
    return resolve(params.ExternalId ? yes : no, params);
  }
  return Object.fromEntries(
    Object.entries(o)
      .map(([k, x]) => [k, resolve(x, params)])
      .filter(([, x]) => x !== NO_VALUE),
  );
}
const NO_VALUE = Symbol("AWS::NoValue");

describe("docs/organization/keyward-read-role.stackset.yaml", () => {
  const text = readFileSync(STACKSET_FILE, "utf8");
  const doc = parse(text) as Template;

  it("is what the generator writes from docs/iam-policy.json (run npm run docs:stackset)", () => {
    expect(text).toBe(stackSetTemplate());
  });

  it("uses real CloudFormation types and properties, the required ones present", () => {
    const types = new Map(Object.values(spec.schema.resource.entities).map((r) => [r.cloudFormationType, r]));
    for (const [name, r] of Object.entries(doc.Resources)) {
      const t = types.get(r.Type);
      expect(t, `${name}: ${r.Type}`).toBeDefined();
      expect(Object.keys(r.Properties).filter((k) => !t!.properties[k])).toEqual([]);
      expect(Object.entries(t!.properties).filter(([k, p]) => p.required && !(k in r.Properties))).toEqual([]);
    }
  });

  it("holds the read policy, and lets in only Keyward's account, with the external id when one is set", async () => {
    const role = doc.Resources.KeywardReadRole.Properties;
    const policies = JSON.parse(readFileSync("docs/iam-policy.json", "utf8")) as { read: unknown; organization: unknown };
    expect((role.Policies as { PolicyDocument: unknown }[])[0].PolicyDocument).toEqual(policies.read);
    const assume = async (params: Record<string, string>, principal: string, externalId?: string) =>
      (
        await evaluate({
          principal,
          action: "sts:AssumeRole",
          resourceArn: "arn:aws:iam::222233334444:role/KeywardRead",
          resourceAccount: "222233334444",
          resourcePolicy: resolve(role.AssumeRolePolicyDocument, { RoleName: "KeywardRead", ...params }),
          // Keyward's side: the organization policy of docs/iam-policy.json (a cross-account AssumeRole needs both sides).
          identityPolicies: [{ name: "organization", policy: policies.organization }],
          context: externalId ? { "sts:ExternalId": externalId } : {},
        })
      ).decision;
    const keyward = "arn:aws:iam::111122223333:role/KeywardScanner";
    expect(await assume({ KeywardAccountId: "111122223333", ExternalId: "" }, keyward)).toBe("Allowed");
    expect(await assume({ KeywardAccountId: "111122223333", ExternalId: "" }, "arn:aws:iam::999988887777:role/Other")).not.toBe("Allowed");
    expect(await assume({ KeywardAccountId: "111122223333", ExternalId: "kw-123" }, keyward)).not.toBe("Allowed");
    expect(await assume({ KeywardAccountId: "111122223333", ExternalId: "kw-123" }, keyward, "kw-123")).toBe("Allowed");
  });
});
