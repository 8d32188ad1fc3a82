// Each rule's positive and negative cases on hand-made records (table-driven), including the
// false positives other scanners are known for: the default account-root statement, and statements
// limited to the account or organization by conditions.
import { describe, expect, it } from "vitest";

import type { AgentResource, KeyFacts, SecretFacts } from "../inventory/types.shared";

import { answer } from "./access";
import { outsideVerdict } from "./outside";
import type { AccessAnswer, Outcome, RuleContext } from "./rule";
import { ruleById } from "./rules";

const ACCOUNT = "111122223333";
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const AGENT = `arn:aws:bedrock:us-east-1:${ACCOUNT}:agent/AGENT12345`;
const root = { Sid: "root", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" };
const doc = (...st: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: [root, ...st] });

function key(policy: string, extra: Partial<KeyFacts> = {}): KeyFacts {
  return {
    arn: KEY,
    type: "customer",
    state: "Enabled",
    spec: "SYMMETRIC_DEFAULT",
    usage: "ENCRYPT_DECRYPT",
    region: "us-east-1",
    account: ACCOUNT,
    rotation: true,
    aliases: [],
    grants: [],
    tags: {},
    readErrors: {},
    found: true,
    policy,
    ...extra,
  };
}

function ctx(k: KeyFacts | undefined, resource: Partial<AgentResource> = {}, secrets: SecretFacts[] = [], trusted: string[] = []): RuleContext {
  // An agent created in 2024: held to the policy AWS documents for agents created before January 22, 2025.
  const r: AgentResource = {
    arn: AGENT,
    kind: "bedrock-agent",
    name: "a",
    account: ACCOUNT,
    region: "us-east-1",
    created: "2024-06-01T00:00:00Z",
    keyArn: k?.arn,
    roles: [],
    secrets: [],
    tags: {},
    ...resource,
  };
  return {
    resource: r,
    key: k,
    keys: new Map(k ? [[k.arn, k]] : []),
    secrets: new Map(secrets.map((s) => [s.arn, s])),
    roles: new Map(),
    inside: new Set([ACCOUNT, ...trusted]),
    access: async (req, kf) => (await answer(req, kf, new Map())).map((a): AccessAnswer => ({ ...a, requirement: req })),
    outside: (policy, o) => outsideVerdict(policy, { ...o, inside: new Set([ACCOUNT, ...trusted]) }),
  };
}

async function run(ruleId: string, c: RuleContext): Promise<Outcome[]> {
  return ruleById(ruleId)!.check!(c);
}

const fails = (o: Outcome[]) => o.filter((x) => "fail" in x).length;
const bedrockScoped = {
  Sid: "bedrock",
  Effect: "Allow",
  Principal: { Service: "bedrock.amazonaws.com" },
  Action: ["kms:GenerateDataKey", "kms:Decrypt"],
  Resource: "*",
  Condition: { StringEquals: { "kms:EncryptionContext:aws:bedrock:arn": AGENT } },
};

describe.each([
  ["KW-POL-03", "the default account-root statement", doc(), 0],
  ["KW-POL-03", "Principal * with no condition", doc({ Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" }), 1],
  [
    "KW-POL-03",
    "Principal * limited by kms:CallerAccount to the account",
    doc({ Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*", Condition: { StringEquals: { "kms:CallerAccount": ACCOUNT } } }),
    0,
  ],
  [
    "KW-POL-03",
    "Principal * limited by aws:PrincipalOrgID of an organization nobody said to trust",
    doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123def4" } } }),
    1,
  ],
  ["KW-POL-03", "another account's root with no condition", doc({ Effect: "Allow", Principal: { AWS: "444455556666" }, Action: ["kms:Decrypt"], Resource: "*" }), 1],
  ["KW-POL-03", "a Deny for everyone is not access", doc({ Effect: "Deny", Principal: "*", Action: "kms:*", Resource: "*" }), 0],
  ["KW-POL-04", "the default account-root kms:*", doc(), 0],
  ["KW-POL-04", "kms:* to a role", doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/Admin` }, Action: "kms:*", Resource: "*" }), 1],
  ["KW-POL-04", "PutKeyPolicy to a role", doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/Admin` }, Action: ["kms:PutKeyPolicy"], Resource: "*" }), 1],
  [
    "KW-POL-04",
    "the documented Bedrock grant statement (CreateGrant/ListGrants/RevokeGrant)",
    doc({
      Effect: "Allow",
      Principal: { Service: "bedrock.amazonaws.com" },
      Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
      Resource: "*",
      Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
    }),
    0,
  ],
  ["KW-POL-02", "a scoped service statement", doc(bedrockScoped), 0],
  ["KW-POL-02", "an unscoped service statement", doc({ ...bedrockScoped, Condition: undefined }), 1],
  ["KW-POL-02", "a service statement scoped by aws:SourceAccount", doc({ ...bedrockScoped, Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } } }), 0],
  ["KW-POL-01", "the documented agent statement", doc(bedrockScoped), 0],
  ["KW-POL-01", "no service statement", doc(), 1],
  ["KW-POL-01", "a statement scoped to another agent", doc({ ...bedrockScoped, Condition: { StringEquals: { "kms:EncryptionContext:aws:bedrock:arn": `${AGENT}X` } } }), 1],
  ["KW-POL-01", "only Decrypt granted", doc({ ...bedrockScoped, Action: "kms:Decrypt" }), 1],
  [
    "KW-POL-01",
    "an explicit deny of the service",
    doc(bedrockScoped, { Effect: "Deny", Principal: { Service: "bedrock.amazonaws.com" }, Action: "kms:Decrypt", Resource: "*" }),
    1,
  ],
  [
    "KW-POL-01",
    "a data-perimeter Deny that exempts AWS services",
    doc(bedrockScoped, {
      Effect: "Deny",
      Principal: "*",
      Action: "kms:*",
      Resource: "*",
      Condition: { StringNotEqualsIfExists: { "aws:PrincipalOrgID": "o-abc123def4" }, BoolIfExists: { "aws:PrincipalIsAWSService": "false" } },
    }),
    0,
  ],
  [
    "KW-POL-01",
    "a Deny of every AWS service principal",
    doc(bedrockScoped, { Effect: "Deny", Principal: "*", Action: "kms:*", Resource: "*", Condition: { Bool: { "aws:PrincipalIsAWSService": "true" } } }),
    1,
  ],
])("%s: %s", (ruleId, _what, policy, expected) => {
  it(`${expected ? "fails" : "passes"}`, async () => {
    expect(fails(await run(ruleId, ctx(key(policy))))).toBe(expected);
  });
});

describe("KW-POL-01 by what AWS documents for the resource", () => {
  const adminOnly = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "admins", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: ["kms:Describe*", "kms:Put*", "kms:Get*"], Resource: "*" }],
  });
  it("an agent created since January 22, 2025 needs its callers to be able to use the key through IAM, not the service statement", async () => {
    const recent = { created: "2025-06-01T00:00:00Z" };
    expect(fails(await run("KW-POL-01", ctx(key(doc()), recent)))).toBe(0);
    expect(fails(await run("KW-POL-01", ctx(key(adminOnly), recent)))).toBe(1);
    // The pre-2025 policy's service statement is what an older agent needs.
    expect(fails(await run("KW-POL-01", ctx(key(doc()))))).toBe(1);
  });
  it("AgentCore Memory follows AWS's page: the callers through AgentCore with IAM, which an administrators-only policy does not allow", async () => {
    const memory = { kind: "agentcore-memory" as const, arn: `arn:aws:bedrock-agentcore:us-east-1:${ACCOUNT}:memory/m-1` };
    expect(fails(await run("KW-POL-01", ctx(key(doc()), memory)))).toBe(0);
    const [o] = await run("KW-POL-01", ctx(key(adminOnly), memory));
    expect(o).toMatchObject({ fail: true, evidence: { deniedActions: expect.arrayContaining(["kms:CreateGrant", "kms:Decrypt"]) } });
  });
  it("an evaluator needs AgentCore's service principal to decrypt for it, scoped to it (AWS's evaluations page)", async () => {
    const ev = { kind: "agentcore-evaluator" as const, arn: `arn:aws:bedrock-agentcore:us-east-1:${ACCOUNT}:evaluator/judge-abc1234567` };
    const service = (arn: string) => ({
      Effect: "Allow",
      Principal: { Service: "bedrock-agentcore.amazonaws.com" },
      Action: "kms:Decrypt",
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT, "aws:SourceArn": arn } },
    });
    expect(fails(await run("KW-POL-01", ctx(key(doc(service(ev.arn))), ev)))).toBe(0);
    // The account root alone does not let a service principal in; nor a statement for another evaluator.
    expect(fails(await run("KW-POL-01", ctx(key(doc()), ev)))).toBe(1);
    expect(fails(await run("KW-POL-01", ctx(key(doc(service(`${ev.arn}-other`))), ev)))).toBe(1);
  });
  it("a flow's execution role must be able to use the key through Bedrock for the flow, by its IAM policy", async () => {
    const flowArn = `arn:aws:bedrock:us-east-1:${ACCOUNT}:flow/FLOW123456`;
    const flow = { kind: "bedrock-flow" as const, arn: flowArn, roles: [`arn:aws:iam::${ACCOUNT}:role/FlowRole`] };
    const [o] = await run("KW-POL-01", ctx(key(doc()), flow));
    expect(o).toMatchObject({ fail: true, evidence: { principal: `arn:aws:iam::${ACCOUNT}:role/FlowRole`, deniedActions: ["kms:GenerateDataKey", "kms:Decrypt"] } });
  });
  it("a kind with no documented key policy is not assessed, never passed", async () => {
    const kb = { kind: "knowledge-base" as const, arn: `arn:aws:bedrock:us-east-1:${ACCOUNT}:knowledge-base/KB1` };
    expect(await run("KW-POL-01", ctx(key(doc()), kb))).toEqual([{ notAssessed: expect.stringContaining("no documented key policy for knowledge bases") }]);
  });
});

describe("IAM Access Analyzer beside Keyward (KW-POL-05, KW-POL-06)", () => {
  const open = doc({ Sid: "Open", Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" });
  const fail = { result: "FAIL" as const, reasons: [{ description: "public", statementIndex: 1, statementId: "Open" }] };
  const pass = { result: "PASS" as const, reasons: [] };
  it("fires when AWS and Keyward disagree, either way, and says which", async () => {
    expect(await run("KW-POL-05", ctx(key(doc(), { accessAnalyzer: { noPublicAccess: fail } })))).toMatchObject([
      { fail: true, evidence: { accessAnalyzer: "FAIL", keyward: "not public", which: "IAM Access Analyzer reports public access Keyward does not" } },
    ]);
    expect(await run("KW-POL-05", ctx(key(open, { accessAnalyzer: { noPublicAccess: pass } })))).toMatchObject([
      { fail: true, evidence: { keyward: ["everyone"], which: "Keyward reports public access IAM Access Analyzer does not" } },
    ]);
    expect(fails(await run("KW-POL-05", ctx(key(open, { accessAnalyzer: { noPublicAccess: fail } }))))).toBe(0);
    expect(fails(await run("KW-POL-05", ctx(key(doc(), { accessAnalyzer: { noPublicAccess: pass } }))))).toBe(0);
    // Not asked (the check is billed and off by default): nothing to compare.
    expect(await run("KW-POL-05", ctx(key(open)))).toEqual([]);
    expect(await run("KW-POL-05", ctx(key(open, { accessAnalyzer: { noPublicAccess: { error: "AccessDeniedException" } } })))).toEqual([
      { notAssessed: expect.stringContaining("AccessDeniedException") },
    ]);
  });
  it("reports AWS's errors and security warnings, not its suggestions", async () => {
    const findings = [
      { findingType: "SECURITY_WARNING", issueCode: "ALLOW_WITH_NOT_PRINCIPAL", details: "Allow with NotPrincipal", statement: 1 },
      { findingType: "SUGGESTION", issueCode: "REDUNDANT_ACTION", details: "redundant", statement: 1 },
    ];
    const [o] = await run("KW-POL-06", ctx(key(doc(), { accessAnalyzer: { validate: { findings } } })));
    expect(o).toMatchObject({ fail: true, evidence: { findings: ["SECURITY_WARNING ALLOW_WITH_NOT_PRINCIPAL (statement 2): Allow with NotPrincipal"] } });
    expect(fails(await run("KW-POL-06", ctx(key(doc(), { accessAnalyzer: { validate: { findings: [findings[1]] } } }))))).toBe(0);
  });
});

describe("KW-POL-03 with trusted organizations", () => {
  const orgOnly = doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123def4" } } });
  it("passes when the organization is trusted, and says who and why when it is not", async () => {
    expect(fails(await run("KW-POL-03", ctx(key(orgOnly), {}, [], ["o-abc123def4"])))).toBe(0);
    const [o] = await run("KW-POL-03", ctx(key(orgOnly)));
    expect(o).toMatchObject({ fail: true, severity: "critical", evidence: { principals: ["org:o-abc123def4"], actions: ["kms:Decrypt"] } });
  });
  it("rates network-limited access high and metadata-only access low", async () => {
    const net = doc({ Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*", Condition: { IpAddress: { "aws:SourceIp": "198.51.100.0/24" } } });
    expect(await run("KW-POL-03", ctx(key(net)))).toMatchObject([{ severity: "high", evidence: { principals: ["network:aws:SourceIp=198.51.100.0/24"] } }]);
    const meta = doc({ Effect: "Allow", Principal: "*", Action: "kms:DescribeKey", Resource: "*" });
    expect(await run("KW-POL-03", ctx(key(meta)))).toMatchObject([{ severity: "low" }]);
  });
  it("is not assessed, never clean, when the policy cannot be analysed", async () => {
    const bad = JSON.stringify({ Statement: [root, { Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*", Condition: { NoSuchOperator: { x: "y" } } }] });
    expect(await run("KW-POL-03", ctx(key(bad)))).toEqual([{ notAssessed: expect.stringContaining("unknown condition operator") }]);
  });
});

describe("key state and shape rules", () => {
  it.each([
    ["KW-KEY-01", { state: "Disabled" }, 1],
    ["KW-KEY-01", { state: "Enabled" }, 0],
    ["KW-KEY-02", { state: "PendingDeletion" }, 1],
    ["KW-KEY-03", { spec: "RSA_2048" }, 1],
    ["KW-KEY-03", {}, 0],
    ["KW-KEY-05", { rotation: false }, 1],
    ["KW-KEY-05", { rotation: true }, 0],
    ["KW-KEY-05", { rotation: false, type: "aws-managed" as const }, 0],
  ])("%s with %j → %i", async (ruleId, extra, expected) => {
    expect(fails(await run(ruleId, ctx(key(doc(), extra))))).toBe(expected);
  });
  it("KW-KEY-04 compares the key's region with the resource's", async () => {
    expect(fails(await run("KW-KEY-04", ctx(key(doc()), { keyArn: KEY.replace("us-east-1", "eu-west-1") })))).toBe(1);
    expect(fails(await run("KW-KEY-04", ctx(key(doc()))))).toBe(0);
  });
  it("KW-KEY-06 when the key cannot be described; a read failure of the resource is not assessed", async () => {
    expect(fails(await run("KW-KEY-06", ctx({ ...key(doc()), found: false, readErrors: { DescribeKey: "NotFoundException" } })))).toBe(1);
    const na = await run("KW-KEY-01", ctx(key(doc()), { keyReadError: { code: "ValidationException", message: "disabled" } }));
    expect(na).toEqual([{ notAssessed: expect.stringContaining("ValidationException") }]);
  });
  it("KW-ENC-01: AWS owned (no key) fails, a customer key passes", async () => {
    expect(fails(await run("KW-ENC-01", ctx(undefined)))).toBe(1);
    expect(fails(await run("KW-ENC-01", ctx(key(doc()))))).toBe(0);
  });
  it("KW-GRT-01: a grant to another account or a person fails, a service grant passes", async () => {
    const g = (grantee: string, forAwsService: boolean) => ({ grantId: grantee, grantee, operations: ["Decrypt"], forAwsService });
    expect(fails(await run("KW-GRT-01", ctx(key(doc(), { grants: [g("bedrock.amazonaws.com", true)] }))))).toBe(0);
    expect(fails(await run("KW-GRT-01", ctx(key(doc(), { grants: [g("arn:aws:iam::444455556666:root", false)] }))))).toBe(1);
    expect(fails(await run("KW-GRT-01", ctx(key(doc(), { grants: [g(`arn:aws:iam::${ACCOUNT}:role/Tool`, false)] }))))).toBe(1);
  });
});

describe("secret rules", () => {
  const SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:agents/x-AbCdEf`;
  const IDENTITY = `arn:aws:iam::${ACCOUNT}:role/AgentCoreIdentityRole`;
  const provider = {
    kind: "oauth2-credential-provider" as const,
    arn: `arn:aws:bedrock-agentcore:us-east-1:${ACCOUNT}:token-vault/default/oauth2credentialprovider/p`,
    keyArn: undefined,
    secrets: [{ arn: SECRET, jsonKey: "k", source: "EXTERNAL" as const }],
  };
  const secret = (extra: Partial<SecretFacts>): SecretFacts => ({
    arn: SECRET,
    account: ACCOUNT,
    region: "us-east-1",
    readErrors: {},
    kmsKeyId: KEY,
    rotationEnabled: true,
    policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: IDENTITY }, Action: "secretsmanager:GetSecretValue", Resource: "*" }] }),
    ...extra,
  });
  it("KW-SEC-02: only the identity role passes; the account root or none fails", async () => {
    expect(fails(await run("KW-SEC-02", ctx(key(doc()), provider, [secret({})])))).toBe(0);
    expect(
      fails(
        await run(
          "KW-SEC-02",
          ctx(key(doc()), provider, [
            secret({ policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: ACCOUNT }, Action: "secretsmanager:GetSecretValue", Resource: "*" }] }) }),
          ]),
        ),
      ),
    ).toBe(1);
    expect(fails(await run("KW-SEC-02", ctx(key(doc()), provider, [secret({ policy: undefined })])))).toBe(1);
  });
  it("KW-SEC-03: the secret's key must allow Decrypt to the reader via Secrets Manager", async () => {
    const allow = {
      Effect: "Allow",
      Principal: { AWS: IDENTITY },
      Action: "kms:Decrypt",
      Resource: "*",
      Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } },
    };
    expect(fails(await run("KW-SEC-03", ctx(key(doc(allow)), provider, [secret({})])))).toBe(0);
    expect(fails(await run("KW-SEC-03", ctx(key(doc()), provider, [secret({})])))).toBe(1);
  });
  it("KW-SEC-01, 04, 05", async () => {
    expect(fails(await run("KW-SEC-01", ctx(key(doc()), provider, [secret({ kmsKeyId: undefined })])))).toBe(1);
    expect(fails(await run("KW-SEC-01", ctx(key(doc()), provider, [secret({})])))).toBe(0);
    expect(fails(await run("KW-SEC-04", ctx(undefined, { ...provider, secrets: [{ arn: SECRET.replace("us-east-1", "eu-west-1"), source: "EXTERNAL" }] })))).toBe(1);
    expect(fails(await run("KW-SEC-04", ctx(undefined, provider)))).toBe(0);
    expect(fails(await run("KW-SEC-05", ctx(undefined, provider, [secret({ rotationEnabled: false })])))).toBe(1);
    expect(fails(await run("KW-SEC-05", ctx(undefined, provider, [secret({})])))).toBe(0);
  });
});

describe("KW-TRL-01", () => {
  const trail = (over: object) => ({
    name: "t",
    arn: "arn",
    homeRegion: "us-east-1",
    multiRegion: false,
    logging: true,
    readWriteType: "All",
    includeManagementEvents: true,
    excludesKms: false,
    ...over,
  });
  it.each([
    [[trail({})], 0],
    [[], 1],
    [[trail({ logging: false })], 1],
    [[trail({ readWriteType: "WriteOnly" })], 1],
    [[trail({ excludesKms: true })], 1],
    [[trail({ homeRegion: "eu-west-1", multiRegion: true })], 0],
  ])("trails %j → %i", (trails, expected) => {
    const o = ruleById("KW-TRL-01")!.checkRegion!({ account: ACCOUNT, region: "us-east-1", trails: { account: ACCOUNT, region: "us-east-1", trails } });
    expect(fails(o)).toBe(expected);
  });
});
