import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { PolicyParseError } from "./normalize";
import { actionGroup, analyzeOutsideAccess, type OutsideAnalysis } from "./outside";
import { resolveTemplate, TEMPLATES, type Variables } from "./templates";

const OWN = "111122223333";
const OTHER = "444455556666";
const KEY = `arn:aws:kms:us-east-1:${OWN}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const SECRET = `arn:aws:secretsmanager:us-east-1:${OWN}:secret:agent-secret-AbCdEf`;

const ROOT = { Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OWN}:root` }, Action: "kms:*", Resource: "*" };
const policy = (...statements: Record<string, unknown>[]) => ({ Version: "2012-10-17", Statement: [ROOT, ...statements] });
const key = (p: unknown, trusted: string[] = []) => analyzeOutsideAccess(p, { kind: "key-policy", account: OWN, self: KEY, trusted });
const whoActions = (a: OutsideAnalysis) => Object.fromEntries(a.outside.map((g) => [g.who, g.actions]));
const whos = (a: OutsideAnalysis) => a.outside.map((g) => g.who).sort();
const anyone = (action: string | string[], Condition?: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  Effect: "Allow",
  Principal: "*",
  Action: action,
  Resource: "*",
  ...(Condition ? { Condition } : {}),
  ...extra,
});

// Each case: a key policy (the root statement plus the given ones), who outside may act, and for
// some the actions expected. Sources: P = Prowler's tests/providers/aws/services/iam/lib/policy_test.py
// (is_policy_public), S = Steampipe's aws plugin docs/public_access.md, K = AWS KMS developer guide
// (key policy examples and condition keys), I = the IAM user guide (condition operators, policy
// variables, data perimeters).
const cases: { name: string; source: string; statements: Record<string, unknown>[]; trusted?: string[]; expect: string[]; actions?: Record<string, string[]> }[] = [
  { name: "only the default root statement", source: "K default key policy", statements: [], expect: [] },
  { name: 'Principal "*" with no condition', source: "P wildcard principal", statements: [anyone("kms:Decrypt")], expect: ["everyone"], actions: { everyone: ["kms:Decrypt"] } },
  {
    name: 'Principal {"AWS":"*"}',
    source: "P aws wildcard principal",
    statements: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:*", Resource: "*" }],
    expect: ["everyone"],
  },
  {
    name: "root ARN and * in one Principal",
    source: "P root and wildcard principal",
    statements: [{ Effect: "Allow", Principal: { AWS: [`arn:aws:iam::${OWN}:root`, "*"] }, Action: "kms:Decrypt", Resource: "*" }],
    expect: ["everyone"],
  },
  {
    name: "another account by bare id",
    source: "K allowing users in other accounts",
    statements: [{ Effect: "Allow", Principal: { AWS: OTHER }, Action: ["kms:Decrypt"], Resource: "*" }],
    expect: [`account:${OTHER}`],
  },
  {
    name: "a role of another account",
    source: "K allowing users in other accounts",
    statements: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OTHER}:role/ExampleRole` }, Action: ["kms:Encrypt", "kms:Decrypt"], Resource: "*" }],
    expect: [`account:${OTHER}`],
  },
  {
    name: "another account that is trusted",
    source: "configuration trustedAccounts",
    statements: [{ Effect: "Allow", Principal: { AWS: OTHER }, Action: "kms:Decrypt", Resource: "*" }],
    trusted: [OTHER],
    expect: [],
  },
  // Conditions that do not bind the caller's identity never make a statement private.
  {
    name: "* under aws:SecureTransport",
    source: "I global condition keys",
    statements: [anyone("kms:Decrypt", { Bool: { "aws:SecureTransport": "true" } })],
    expect: ["everyone"],
  },
  {
    name: "* under an encryption-context condition",
    source: "K kms:EncryptionContext",
    statements: [anyone("kms:Decrypt", { StringEquals: { "kms:EncryptionContext:Department": "IT" } })],
    expect: ["everyone"],
  },
  { name: "* under a user-agent condition", source: "I aws:UserAgent", statements: [anyone("kms:Decrypt", { StringLike: { "aws:UserAgent": "*boto3*" } })], expect: ["everyone"] },
  {
    name: "* under a time window",
    source: "I date operators",
    statements: [anyone("kms:Decrypt", { DateGreaterThan: { "aws:CurrentTime": "2020-01-01T00:00:00Z" } })],
    expect: ["everyone"],
  },
  {
    name: "* under a principal tag",
    source: "I aws:PrincipalTag",
    statements: [anyone("kms:Decrypt", { StringEquals: { "aws:PrincipalTag/team": "agents" } })],
    expect: ["everyone"],
  },
  { name: "* under MFA", source: "I aws:MultiFactorAuthPresent", statements: [anyone("kms:Decrypt", { Bool: { "aws:MultiFactorAuthPresent": "true" } })], expect: ["everyone"] },
  {
    name: "* under kms:GrantIsForAWSResource",
    source: "K grant condition keys",
    statements: [anyone("kms:CreateGrant", { Bool: { "kms:GrantIsForAWSResource": "true" } })],
    expect: ["everyone"],
    actions: { everyone: ["kms:CreateGrant"] },
  },
  // Identity-binding conditions.
  {
    name: "* limited by kms:CallerAccount to the owner",
    source: "K kms:CallerAccount",
    statements: [anyone("kms:Decrypt", { StringEquals: { "kms:CallerAccount": OWN } })],
    expect: [],
  },
  {
    name: "* limited by aws:PrincipalAccount to the owner",
    source: "S principalaccount",
    statements: [anyone("kms:Decrypt", { StringEquals: { "aws:PrincipalAccount": OWN } })],
    expect: [],
  },
  {
    name: "* naming another account through kms:CallerAccount",
    source: "K kms:CallerAccount",
    statements: [anyone("kms:Decrypt", { StringEquals: { "kms:CallerAccount": OTHER } })],
    expect: [`account:${OTHER}`],
  },
  {
    name: "* naming the owner and another account",
    source: "P SourceAccount list not valid",
    statements: [anyone("kms:Decrypt", { StringEquals: { "aws:PrincipalAccount": [OWN, OTHER] } })],
    expect: [`account:${OTHER}`],
  },
  {
    name: "* with StringLike on an account prefix",
    source: "I StringLike",
    statements: [anyone("kms:Decrypt", { StringLike: { "kms:CallerAccount": "1111*" } })],
    expect: ["everyone"],
  },
  {
    name: "* with StringNotEquals kms:CallerAccount (everyone but one)",
    source: "I negated operators",
    statements: [anyone("kms:Decrypt", { StringNotEquals: { "kms:CallerAccount": OTHER } })],
    expect: ["everyone"],
  },
  {
    name: "* with aws:PrincipalOrgID of an untrusted organization",
    source: "S organizations access",
    statements: [anyone("kms:Decrypt", { StringEquals: { "aws:PrincipalOrgID": "o-12341234" } })],
    expect: ["org:o-12341234"],
  },
  {
    name: "* with aws:PrincipalOrgID of a trusted organization",
    source: "S trusted_organizations",
    statements: [anyone("kms:Decrypt", { StringEquals: { "aws:PrincipalOrgID": "o-12341234" } })],
    trusted: ["o-12341234"],
    expect: [],
  },
  {
    name: "* requiring only that some organization exists",
    source: "I Null operator",
    statements: [anyone("kms:Decrypt", { Null: { "aws:PrincipalOrgID": "false" } })],
    expect: ["any-org"],
  },
  { name: "* with StringLike aws:PrincipalOrgID *", source: "P ALL_ORGS", statements: [anyone("kms:Decrypt", { StringLike: { "aws:PrincipalOrgID": "*" } })], expect: ["any-org"] },
  {
    name: "* with ForAnyValue:StringLike aws:PrincipalOrgPaths of a trusted organization",
    source: "S PrincipalOrgPaths",
    statements: [anyone("kms:Decrypt", { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": ["o-a1b2c3d4e5/r-ab12/ou-ab12-33333333/*"] } })],
    trusted: ["o-a1b2c3d4e5"],
    expect: [],
  },
  {
    name: "* with aws:PrincipalArn of the owner's role",
    source: "I aws:PrincipalArn",
    statements: [anyone("kms:Decrypt", { ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${OWN}:role/App` } })],
    expect: [],
  },
  {
    name: "* with aws:PrincipalArn in any account",
    source: "S PrincipalArn wildcard account",
    statements: [anyone("kms:Decrypt", { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/App" } })],
    expect: ["everyone"],
  },
  {
    name: "* with principal account and a public SourceArn",
    source: "S multiple condition keys",
    statements: [anyone("kms:Decrypt", { StringEquals: { "aws:PrincipalAccount": OTHER }, ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:us-east-1:*:alarm:*" } })],
    expect: [],
  },
  {
    name: "contradictory principal and account condition",
    source: "S principalaccount vs principalarn",
    statements: [{ Effect: "Allow", Principal: { AWS: OTHER }, Action: "kms:Decrypt", Resource: "*", Condition: { StringEquals: { "kms:CallerAccount": OWN } } }],
    expect: [],
  },
  { name: "* with aws:userid", source: "I aws:userid", statements: [anyone("kms:Decrypt", { StringLike: { "aws:userid": "AROAEXAMPLEID:*" } })], expect: ["everyone"] },
  {
    name: "* with ${aws:PrincipalAccount} = aws:ResourceAccount",
    source: "I policy variables",
    statements: [anyone("kms:Decrypt", { StringEquals: { "aws:ResourceAccount": "${aws:PrincipalAccount}" } })],
    expect: [],
  },
  // The calling service.
  {
    name: "* through Secrets Manager, any account",
    source: "K kms:ViaService",
    statements: [anyone("kms:Decrypt", { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } })],
    expect: ["service:secretsmanager.us-east-1.amazonaws.com"],
  },
  {
    name: "* through Secrets Manager for the owner only (the AWS managed key policy)",
    source: "K aws/secretsmanager key policy",
    statements: [
      anyone(["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:CreateGrant", "kms:DescribeKey"], {
        StringEquals: { "kms:CallerAccount": OWN, "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" },
      }),
    ],
    expect: [],
  },
  {
    name: "a service principal with no source condition",
    source: "P cross-service confused deputy",
    statements: [{ Effect: "Allow", Principal: { Service: "bedrock.amazonaws.com" }, Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: "*" }],
    expect: ["service:bedrock.amazonaws.com"],
  },
  {
    name: "a service principal bound by aws:SourceAccount",
    source: "P SourceAccount",
    statements: [
      {
        Effect: "Allow",
        Principal: { Service: "bedrock-agentcore.amazonaws.com" },
        Action: "kms:Decrypt",
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": OWN } },
      },
    ],
    expect: [],
  },
  {
    name: "a service principal bound by StringEqualsIfExists aws:SourceAccount",
    source: "I IfExists",
    statements: [
      {
        Effect: "Allow",
        Principal: { Service: "bedrock-agentcore.amazonaws.com" },
        Action: "kms:Decrypt",
        Resource: "*",
        Condition: { StringEqualsIfExists: { "aws:SourceAccount": OWN } },
      },
    ],
    expect: ["service:bedrock-agentcore.amazonaws.com"],
  },
  {
    name: "a service principal bound by aws:SourceOrgID of an untrusted organization",
    source: "P SourceOrgID",
    statements: [
      { Effect: "Allow", Principal: { Service: "personalize.amazonaws.com" }, Action: "kms:Decrypt", Resource: "*", Condition: { StringLike: { "aws:SourceOrgID": "o-123456" } } },
    ],
    expect: ["service:personalize.amazonaws.com"],
  },
  {
    name: "a service principal bound by an encryption-context ARN of the owner",
    source: "K/Bedrock agent key policy",
    statements: [
      {
        Effect: "Allow",
        Principal: { Service: "bedrock.amazonaws.com" },
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: "*",
        Condition: { StringLike: { "kms:EncryptionContext:aws:bedrock:arn": `arn:aws:bedrock:us-east-1:${OWN}:agent/*` } },
      },
    ],
    expect: [],
  },
  {
    name: "* for AWS services only",
    source: "I aws:PrincipalIsAWSService",
    statements: [anyone("kms:Decrypt", { Bool: { "aws:PrincipalIsAWSService": "true" } })],
    expect: ["service:*"],
  },
  // Network limits are reported as such.
  {
    name: "* from a source IP range",
    source: "P SourceIp condition (Prowler calls it private)",
    statements: [anyone("kms:Decrypt", { IpAddress: { "aws:SourceIp": "192.0.2.0/24" } })],
    expect: ["network:aws:SourceIp=192.0.2.0/24"],
  },
  {
    name: "* from a VPC endpoint",
    source: "P SourceVpce",
    statements: [anyone("kms:Decrypt", { StringEquals: { "aws:SourceVpce": "vpce-1234567890abcdef0" } })],
    expect: ["network:aws:SourceVpce=vpce-1234567890abcdef0"],
  },
  {
    name: "* with StringEqualsIfExists aws:SourceVpce",
    source: "P SourceVpce IfExists",
    statements: [anyone("kms:Decrypt", { StringEqualsIfExists: { "aws:SourceVpce": "vpce-1234567890abcdef0" } })],
    expect: ["everyone"],
  },
  // Deny statements subtract.
  {
    name: "Deny the same actions to everyone",
    source: "P deny",
    statements: [anyone("kms:Decrypt"), { Effect: "Deny", Principal: "*", Action: "kms:Decrypt", Resource: "*" }],
    expect: [],
  },
  {
    name: "Deny outside the organization leaves the organization",
    source: "I data perimeter",
    statements: [
      anyone("kms:Decrypt"),
      { Effect: "Deny", Principal: "*", Action: "kms:*", Resource: "*", Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-mine11111" } } },
    ],
    expect: ["org:o-mine11111"],
  },
  {
    name: "Deny outside the trusted organization, exempting AWS services",
    source: "I data perimeter (aws:PrincipalIsAWSService)",
    statements: [
      anyone("kms:Decrypt", { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } }),
      {
        Effect: "Deny",
        Principal: "*",
        Action: "kms:*",
        Resource: "*",
        Condition: { StringNotEqualsIfExists: { "aws:PrincipalOrgID": "o-mine11111" }, BoolIfExists: { "aws:PrincipalIsAWSService": "false" } },
      },
    ],
    trusted: ["o-mine11111"],
    expect: [],
  },
  {
    name: "Deny only over plain HTTP does not subtract",
    source: "I aws:SecureTransport",
    statements: [anyone("kms:Decrypt"), { Effect: "Deny", Principal: "*", Action: "kms:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }],
    expect: ["everyone"],
  },
  {
    name: "Deny unless from a network leaves that network",
    source: "I NotIpAddress",
    statements: [anyone("kms:Decrypt"), { Effect: "Deny", Principal: "*", Action: "kms:*", Resource: "*", Condition: { NotIpAddress: { "aws:SourceIp": "203.0.113.0/24" } } }],
    expect: ["network:aws:SourceIp=203.0.113.0/24"],
  },
  {
    name: "Deny of a specific other account's root",
    source: "P deny specific root principal",
    statements: [
      { Effect: "Allow", Principal: { AWS: OTHER }, Action: "kms:Decrypt", Resource: "*" },
      { Effect: "Deny", Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: "kms:*", Resource: "*" },
    ],
    expect: [],
  },
  {
    name: "Deny of one role in the other account leaves the rest of it",
    source: "I resource policy principals",
    statements: [
      { Effect: "Allow", Principal: { AWS: OTHER }, Action: "kms:Decrypt", Resource: "*" },
      { Effect: "Deny", Principal: { AWS: `arn:aws:iam::${OTHER}:role/Bad` }, Action: "kms:*", Resource: "*" },
    ],
    expect: [`account:${OTHER}`],
  },
  {
    name: "NotPrincipal with Allow",
    source: "S NotPrincipal with Allow",
    statements: [{ Effect: "Allow", NotPrincipal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: "kms:Decrypt", Resource: "*" }],
    expect: ["everyone"],
  },
  // Actions a probe never asked.
  {
    name: "actions beyond Decrypt/Encrypt",
    source: "issue: GenerateDataKeyWithoutPlaintext, ReEncryptTo, DescribeKey, DisableKey",
    statements: [anyone(["kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptTo", "kms:DisableKey"])],
    expect: ["everyone"],
    actions: { everyone: ["kms:DisableKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptTo"] },
  },
  { name: "NotAction grants the rest of KMS", source: "I NotAction", statements: [anyone([], undefined, { Action: undefined, NotAction: "kms:Decrypt" })], expect: ["everyone"] },
];

describe("outside-access analysis", () => {
  it.each(cases)("$name ($source)", async (c) => {
    const a = await key(policy(...c.statements), c.trusted);
    expect(whos(a)).toEqual([...c.expect].sort());
    for (const [who, actions] of Object.entries(c.actions ?? {})) expect(whoActions(a)[who]).toEqual(actions);
  });

  it("lists every KMS action NotAction leaves, grouped for the reader", async () => {
    const a = await key(policy(anyone([], undefined, { Action: undefined, NotAction: "kms:Decrypt" })));
    const g = a.outside[0];
    expect(g.actions).not.toContain("kms:Decrypt");
    expect(g.actions).toEqual(expect.arrayContaining(["kms:Encrypt", "kms:ScheduleKeyDeletion", "kms:DescribeKey", "kms:CreateGrant", "kms:PutKeyPolicy"]));
    expect(g.groups).toEqual(["use", "grants", "administration", "metadata"]);
    expect(g.severity).toBe("critical");
  });

  it("rates metadata-only access low, network-limited and service-wide access high", async () => {
    expect((await key(policy(anyone("kms:DescribeKey")))).outside[0].severity).toBe("low");
    expect((await key(policy(anyone("kms:Decrypt", { IpAddress: { "aws:SourceIp": "192.0.2.0/24" } })))).outside[0].severity).toBe("high");
    expect((await key(policy(anyone("kms:Decrypt", { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } })))).outside[0].severity).toBe("high");
    expect((await key(policy({ Effect: "Allow", Principal: { AWS: OTHER }, Action: "kms:Decrypt", Resource: "*" }))).outside[0].severity).toBe("critical");
  });

  it("names the statement and says why", async () => {
    const a = await key(policy({ Sid: "Open", ...anyone("kms:Decrypt", { Bool: { "aws:SecureTransport": "true" } }) }));
    expect(a.outside[0].statements).toEqual(["Open"]);
    expect(a.outside[0].why).toMatch(/aws:SecureTransport can be met by a caller from any account/);
    const b = await key({ Statement: [ROOT, anyone("kms:Decrypt")] });
    expect(b.outside[0].statements).toEqual(["2"]);
  });

  it("ignores statements that name another resource, but Deny only subtracts where it surely applies", async () => {
    const other = "arn:aws:kms:us-east-1:111122223333:key/other";
    expect(whos(await key(policy(anyone("kms:Decrypt", undefined, { Resource: other }))))).toEqual([]);
    expect(whos(await key(policy(anyone("kms:Decrypt"), { Effect: "Deny", Principal: "*", Action: "kms:*", Resource: other })))).toEqual(["everyone"]);
  });

  it("reads secret resource policies with Secrets Manager's actions", async () => {
    const a = await analyzeOutsideAccess(
      { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OTHER}:role/Reader` }, Action: "secretsmanager:*", Resource: "*" }] },
      { kind: "secret-policy", account: OWN, self: SECRET },
    );
    expect(whos(a)).toEqual([`account:${OTHER}`]);
    expect(a.outside[0].groups).toEqual(["read", "write", "policy", "administration", "metadata"]);
    expect(a.outside[0].actions).toContain("secretsmanager:GetSecretValue");
  });

  it("rejects statements without a Principal and malformed policies", async () => {
    await expect(key({ Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }] })).rejects.toThrow(PolicyParseError);
    await expect(key({ Statement: [{ Effect: "Allow", Principal: "*", Action: "kms:*", Condition: { NoSuchOperator: { a: "b" } } }] })).rejects.toThrow(
      /unknown condition operator/,
    );
    await expect(key("{ not json")).rejects.toThrow(/not valid JSON/);
  });

  it("groups actions as the reader expects", () => {
    expect(["kms:Decrypt", "kms:ReEncryptTo", "kms:CreateGrant", "kms:ScheduleKeyDeletion", "kms:DescribeKey"].map(actionGroup)).toEqual([
      "use",
      "use",
      "grants",
      "administration",
      "metadata",
    ]);
    expect(["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:PutResourcePolicy", "secretsmanager:DescribeSecret"].map(actionGroup)).toEqual([
      "read",
      "write",
      "policy",
      "metadata",
    ]);
  });

  it("finds nobody outside in any documented template but the pre-2025 Bedrock agent grant statement, the prompt statement and the dataset read statement, as AWS publishes them", async () => {
    const vars: Variables = { region: "us-east-1", "account-id": OWN, "agent-id": "AGENT12345", "key-id": "1234abcd-12ab-34cd-56ef-1234567890ab", role: "AgentRole" };
    for (const t of TEMPLATES.filter((x) => x.kind !== "identity-policy")) {
      const r = resolveTemplate(t.id, Object.fromEntries(Object.entries(vars).filter(([k]) => (t.variables as string[]).includes(k))));
      const statements = [ROOT, ...r.statements.map((s) => s.statement)];
      const a = await analyzeOutsideAccess({ Version: "2012-10-17", Statement: statements }, { kind: t.kind as "key-policy" | "secret-policy", account: OWN });
      // AWS's "Allow the attachment of persistent resources" statement binds bedrock.amazonaws.com by
      // kms:GrantIsForAWSResource only: the service may create grants for any account's agents.
      // The prompt page's statement binds bedrock.amazonaws.com only by the encryption context, which the
      // calling service supplies: Keyward does not count it as binding the source, and the posture shows
      // the statement as AWS's documented one rather than as a finding.
      const expected =
        t.id === "bedrock-agent-key"
          ? [{ who: "service:bedrock.amazonaws.com", actions: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"] }]
          : t.id === "bedrock-prompt-key"
            ? [{ who: "service:bedrock.amazonaws.com", actions: ["kms:Decrypt", "kms:GenerateDataKey"] }]
            : // The dataset page's read statement is unconditioned on purpose (presigned downloads send no source context).
              t.id === "agentcore-dataset-key"
              ? [{ who: "service:bedrock-agentcore.amazonaws.com", actions: ["kms:Decrypt", "kms:DescribeKey"] }]
              : [];
      expect({ id: t.id, outside: a.outside.map((g) => ({ who: g.who, actions: g.actions })) }).toEqual({ id: t.id, outside: expected });
    }
  });
});

// Rewriting a policy without changing its meaning never changes the analysis.
const accountArb = fc.constantFrom(OWN, OTHER, "777788889999");
const statementArb = fc.record({
  Effect: fc.constantFrom("Allow", "Allow", "Deny"),
  Principal: fc.oneof(
    fc.constant("*" as unknown),
    accountArb.map((a) => ({ AWS: a }) as unknown),
    accountArb.map((a) => ({ AWS: `arn:aws:iam::${a}:role/R` }) as unknown),
    fc.constant({ Service: "bedrock.amazonaws.com" } as unknown),
  ),
  Action: fc.subarray(["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:PutKeyPolicy", "kms:CreateGrant"], { minLength: 1 }),
  Resource: fc.constant("*"),
  Condition: fc.option(
    fc.oneof(
      accountArb.map((a) => ({ StringEquals: { "kms:CallerAccount": a } }) as unknown),
      accountArb.map((a) => ({ StringEquals: { "aws:SourceAccount": a } }) as unknown),
      fc.constant({ StringEquals: { "aws:PrincipalOrgID": "o-abcdef1234" } } as unknown),
      fc.constant({ Bool: { "aws:SecureTransport": "true" } } as unknown),
      fc.constant({ IpAddress: { "aws:SourceIp": "192.0.2.0/24" } } as unknown),
      fc.constant({ StringNotEquals: { "aws:PrincipalOrgID": "o-abcdef1234" } } as unknown),
    ),
    { nil: undefined },
  ),
});

type St = { Effect: string; Principal: unknown; Action: string[]; Resource: string; Condition?: unknown; Sid?: string };
const clean = (s: St): Record<string, unknown> => Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined));
const canon = (a: OutsideAnalysis) => a.outside.map((g) => ({ who: g.who, actions: g.actions, groups: g.groups, severity: g.severity })).sort((x, y) => x.who.localeCompare(y.who));

function rewrite(statements: St[], seed: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const [i, s] of statements.entries()) {
    const r = (seed >> (i % 16)) & 7;
    const st: St = { ...s, Action: [...s.Action].reverse() };
    // string ↔ array, bare account ↔ root ARN, Sid changes, action case
    if (r & 1 && st.Action.length === 1) (st as unknown as Record<string, unknown>).Action = st.Action[0];
    if (r & 2 && st.Principal && typeof st.Principal === "object" && "AWS" in (st.Principal as object)) {
      const v = (st.Principal as { AWS: string }).AWS;
      st.Principal = { AWS: /^\d{12}$/.test(v) ? `arn:aws:iam::${v}:root` : [v] };
    }
    if (r & 4) st.Sid = `S${seed % 97}x${i}`;
    // splitting a statement per action grants the same
    if (r & 4 && st.Action.length > 1 && Array.isArray(st.Action))
      for (const a of st.Action) out.push(clean({ ...st, Action: [a.toUpperCase().replace("KMS:", "kms:")], Sid: undefined }));
    else out.push(clean(st));
  }
  // reorder
  return seed & 1 ? out.reverse() : out;
}

describe("outside-access analysis is a property of the policy's meaning", () => {
  it("does not change under splitting, reordering, string ↔ array, bare account ↔ root ARN and Sid changes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(statementArb, { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 1 << 20 }), async (sts, seed) => {
        const base = sts.map((s) => clean(s as St));
        const a = await key({ Version: "2012-10-17", Statement: [ROOT, ...base] });
        const b = await key({ Version: "2012-10-17", Statement: [ROOT, ...rewrite(sts as St[], seed)] });
        expect(canon(b)).toEqual(canon(a));
      }),
      { numRuns: 150 },
    );
  });

  it("never calls a policy closed when adding an Allow statement to it opened it", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(statementArb, { minLength: 1, maxLength: 3 }), statementArb, async (sts, extra) => {
        const before = await key({ Statement: [ROOT, ...sts.map((s) => clean(s as St))] });
        const after = await key({ Statement: [ROOT, ...sts.map((s) => clean(s as St)), clean({ ...(extra as St), Effect: "Allow" })] });
        const count = (x: OutsideAnalysis) => x.outside.reduce((n, g) => n + g.actions.length, 0);
        if (before.outside.length) expect(after.outside.length).toBeGreaterThan(0);
        expect(count(after) >= count(before) || after.outside.some((g) => g.who === "everyone")).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
