import { describe, expect, it } from "vitest";

import { diffPolicy, type PolicyDiff, satisfied } from "./diff";
import { lintPolicy } from "./lint";
import { PolicyParseError } from "./normalize";
import { type PolicyTemplate, type ResolvedTemplate, resolveTemplate as resolveById, templateDocument, TEMPLATES, type Variables } from "./templates";

const ACCOUNT = "111122223333";
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const VARS: Record<string, Variables> = {
  "bedrock-agent-key": { region: "us-east-1", "account-id": ACCOUNT, "agent-id": "AGENT12345", "key-id": "1234abcd-12ab-34cd-56ef-1234567890ab", role: "BedrockAgentRole" },
  "bedrock-agent-caller": { region: "us-east-1", "account-id": ACCOUNT, "agent-id": "AGENT12345", "key-id": "1234abcd-12ab-34cd-56ef-1234567890ab", role: "SupportCaller" },
  "agentcore-recommendation-key": { region: "us-east-1", "account-id": ACCOUNT, role: "RecommendationRole" },
  "service-principal-example": { region: "us-east-1", "account-id": ACCOUNT },
  "agentcore-memory-key": { "account-id": ACCOUNT },
  "agentcore-memory-caller": { region: "us-east-1", "account-id": ACCOUNT },
  "bedrock-agent-key-2025": { region: "us-east-1", "account-id": ACCOUNT, "agent-id": "AGENT12345", "key-id": "1234abcd-12ab-34cd-56ef-1234567890ab" },
  "agentcore-token-vault-key": { "account-id": ACCOUNT },
  "agentcore-identity-secret": { region: "us-east-1", "account-id": ACCOUNT, role: "AgentCoreIdentityRole" },
  "agentcore-gateway-key": { region: "us-east-1", "account-id": ACCOUNT, role: "GatewayRole", "gateway-id": "gw-support-1a2b3c" },
  "agentcore-evaluator-key": { region: "us-east-1", "account-id": ACCOUNT, role: "EvaluationRole", "evaluator-id": "judge-abc1234567" },
  "bedrock-flow-key": { region: "us-east-1", "account-id": ACCOUNT, role: "FlowCallerRole", "flow-id": "FLOW123456" },
  "bedrock-prompt-key": { region: "us-east-1", "account-id": ACCOUNT, "prompt-id": "PROMPT1234" },
  "agentcore-policy-engine-key": { region: "us-east-1", "account-id": ACCOUNT, role: "PolicyAdminRole" },
  "agentcore-dataset-key": { region: "us-east-1", "account-id": ACCOUNT, role: "DatasetRole" },
  "agentcore-payment-manager-key": { region: "us-east-1", "account-id": ACCOUNT, role: "PaymentsRole", "caller-role": "PaymentsAdmin" },
};

// A service-principal statement scoped by source account and ARN (the shape AgentCore uses for
// recommendations): the cases below exercise the diff on it.
const SERVICE_PRINCIPAL_EXAMPLE: PolicyTemplate = {
  id: "service-principal-example",
  title: "Service principal example",
  kind: "key-policy",
  source: "test",
  variables: ["region", "account-id"],
  doc: { title: "test", url: "https://example.com/", read: "2026-12-02", text: "{}", fixes: [] },
  statements: [
    {
      purpose: "AgentCore creates grants, generates and re-encrypts data keys and decrypts, for this account's memories.",
      statement: {
        Sid: "AllowAgentCoreMemory",
        Effect: "Allow",
        Principal: { Service: "bedrock-agentcore.amazonaws.com" },
        Action: ["kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncrypt*"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": "${account-id}" }, ArnLike: { "aws:SourceArn": "arn:aws:bedrock-agentcore:${region}:${account-id}:memory/*" } },
      },
    },
  ],
};
function resolveTemplate(id: string, vars: Variables): ResolvedTemplate {
  if (id !== SERVICE_PRINCIPAL_EXAMPLE.id) return resolveById(id, vars);
  const fill = (v: unknown): unknown => JSON.parse(JSON.stringify(v).replaceAll("${region}", vars.region!).replaceAll("${account-id}", vars["account-id"]!));
  return {
    template: SERVICE_PRINCIPAL_EXAMPLE,
    variables: vars,
    statements: SERVICE_PRINCIPAL_EXAMPLE.statements.map((x) => ({ purpose: x.purpose, statement: fill(x.statement) as St })),
    keyStatements: [],
    open: [],
  };
}
const kindOf = (id: string) => [...TEMPLATES, SERVICE_PRINCIPAL_EXAMPLE].find((t) => t.id === id)!.kind;
const selfOf = (id: string) => (kindOf(id) === "secret-policy" ? `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:salesforce-AbCdEf` : KEY);

async function diff(id: string, policy: unknown): Promise<PolicyDiff> {
  const t = resolveTemplate(id, VARS[id]);
  return diffPolicy(policy, [t], { kind: kindOf(id), self: selfOf(id), account: ACCOUNT });
}
type St = Record<string, unknown>;
const conforming = (id: string) => templateDocument(resolveTemplate(id, VARS[id])) as { Version: string; Statement: St[] };
const statuses = (d: PolicyDiff) => d.results.map((r) => r.status);
const withStatements = (id: string, f: (sts: St[]) => St[]) => ({ Version: "2012-10-17", Statement: f(structuredClone(conforming(id).Statement)) });

// Rewrites of a conforming policy that must still conform: the diff compares meaning, not text.
const EQUIVALENT: [string, string, (sts: St[]) => St[]][] = [
  ["reordered statements", "bedrock-agent-key", (s) => [...s].reverse()],
  ["Sid changed", "bedrock-agent-key", (s) => s.map((x, i) => ({ ...x, Sid: `S${i}` }))],
  ["Sid removed", "agentcore-recommendation-key", (s) => s.map(({ Sid: _sid, ...x }) => x)],
  ["single Action written as an array", "agentcore-recommendation-key", (s) => s.map((x) => ({ ...x, Action: [x.Action].flat() }))],
  ["Action array of one written as a string", "agentcore-gateway-key", (s) => s.map((x) => (Array.isArray(x.Action) && x.Action.length === 1 ? { ...x, Action: x.Action[0] } : x))],
  ["action names lower-case", "service-principal-example", (s) => s.map((x) => ({ ...x, Action: [x.Action].flat().map((a) => String(a).toLowerCase()) }))],
  ["action names upper-case", "bedrock-agent-key", (s) => s.map((x) => ({ ...x, Action: [x.Action].flat().map((a) => String(a).toUpperCase()) }))],
  ["account id instead of the root ARN", "bedrock-agent-key", (s) => s.map((x) => (JSON.stringify(x.Principal).includes(":root") ? { ...x, Principal: { AWS: ACCOUNT } } : x))],
  [
    "AWS principal as an array",
    "agentcore-gateway-key",
    (s) => s.map((x) => ((x.Principal as { AWS?: string }).AWS ? { ...x, Principal: { AWS: [(x.Principal as { AWS: string }).AWS] } } : x)),
  ],
  ["Service principal as an array", "service-principal-example", (s) => s.map((x) => ({ ...x, Principal: { Service: ["bedrock-agentcore.amazonaws.com"] } }))],
  [
    "condition key case",
    "bedrock-agent-key",
    (s) =>
      s.map((x) =>
        x.Condition ? { ...x, Condition: JSON.parse(JSON.stringify(x.Condition).replace("kms:EncryptionContext:aws:bedrock:arn", "KMS:ENCRYPTIONCONTEXT:AWS:BEDROCK:ARN")) } : x,
      ),
  ],
  [
    "wildcard action written out (kms:GenerateDataKey* expanded)",
    "bedrock-agent-key",
    (s) =>
      s.map((x) =>
        JSON.stringify(x.Action).includes("GenerateDataKey*")
          ? { ...x, Action: ["kms:GenerateDataKey", "kms:GenerateDataKeyPair", "kms:GenerateDataKeyPairWithoutPlaintext", "kms:GenerateDataKeyWithoutPlaintext", "kms:Decrypt"] }
          : x,
      ),
  ],
  [
    "kms:ReEncrypt* written as ReEncryptFrom + ReEncryptTo",
    "service-principal-example",
    (s) => s.map((x) => ({ ...x, Action: [...(x.Action as string[]).filter((a) => a !== "kms:ReEncrypt*"), "kms:ReEncryptFrom", "kms:ReEncryptTo"] })),
  ],
  ["one statement split into one per action", "service-principal-example", (s) => s.flatMap((x) => (x.Action as string[]).map((a, i) => ({ ...x, Sid: `A${i}`, Action: a })))],
  ["Resource * for the key ARN", "bedrock-agent-key", (s) => s.map((x) => ({ ...x, Resource: "*" }))],
  ["key ARN for Resource *", "agentcore-gateway-key", (s) => s.map((x) => ({ ...x, Resource: KEY }))],
  ["Resource as an array", "agentcore-token-vault-key", (s) => s.map((x) => ({ ...x, Resource: [x.Resource] }))],
  [
    "condition value as an array of one",
    "agentcore-recommendation-key",
    (s) => s.map((x) => (x.Condition ? { ...x, Condition: JSON.parse(JSON.stringify(x.Condition).replace(/:"([^"]+)"/g, ':["$1"]')) } : x)),
  ],
  [
    "Bool value as a JSON boolean",
    "bedrock-agent-key",
    (s) => s.map((x) => (x.Condition && "Bool" in (x.Condition as object) ? { ...x, Condition: { Bool: { "kms:GrantIsForAWSResource": true } } } : x)),
  ],
  [
    "kms:* as NotAction of another service",
    "bedrock-agent-key",
    (s) => s.map((x) => (x.Action === "kms:*" ? { Sid: x.Sid, Effect: "Allow", Principal: x.Principal, NotAction: "iam:PassRole", Resource: x.Resource } : x)),
  ],
  [
    "ArnEquals for ArnLike (both take wildcards)",
    "agentcore-recommendation-key",
    (s) => s.map((x) => (x.Condition ? { ...x, Condition: JSON.parse(JSON.stringify(x.Condition).replace('"ArnLike"', '"ArnEquals"')) } : x)),
  ],
  [
    "${aws:PrincipalAccount} written as the account id",
    "agentcore-token-vault-key",
    (s) => s.map((x) => ({ ...x, Condition: JSON.parse(JSON.stringify(x.Condition).replace("${aws:PrincipalAccount}", ACCOUNT)) })),
  ],
  ["Statement given as an object", "service-principal-example", (s) => s],
  ["statements duplicated", "agentcore-recommendation-key", (s) => [...s, ...s]],
  ["identity policy statement reordered keys", "bedrock-agent-caller", (s) => s.map((x) => Object.fromEntries(Object.entries(x).reverse()))],
  [
    "secret resource policy with the secret's ARN as Resource",
    "agentcore-identity-secret",
    (s) => s.map((x) => ({ ...x, Resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:salesforce-AbCdEf` })),
  ],
];

describe("equivalent rewrites conform", () => {
  it("ArnLike and StringLike, ArnEquals and StringEquals on ARN-valued keys are the same where the values are", async () => {
    const recommendation = withStatements("agentcore-recommendation-key", (s) =>
      s.map((x) =>
        x.Condition && "ArnLike" in (x.Condition as object)
          ? { ...x, Condition: { ...(x.Condition as object), ArnLike: undefined, StringLike: (x.Condition as { ArnLike: unknown }).ArnLike } }
          : x,
      ),
    );
    const clean = JSON.parse(JSON.stringify(recommendation));
    expect(statuses(await diff("agentcore-recommendation-key", clean))).toEqual(["match", "match", "match"]);
    const agent = withStatements("bedrock-agent-key", (s) =>
      s.map((x) => (x.Condition && "StringEquals" in (x.Condition as object) ? { ...x, Condition: { ArnEquals: (x.Condition as { StringEquals: unknown }).StringEquals } } : x)),
    );
    expect((await diff("bedrock-agent-key", agent)).conforms).toBe(true);
  });

  it("a data-perimeter Deny that exempts AWS services does not block the service principal", async () => {
    const perimeter = {
      Sid: "DenyOutsideOrg",
      Effect: "Deny",
      Principal: "*",
      Action: "kms:*",
      Resource: "*",
      Condition: { StringNotEqualsIfExists: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" }, BoolIfExists: { "aws:PrincipalIsAWSService": "false" } },
    };
    const d = await diff(
      "service-principal-example",
      withStatements("service-principal-example", (s) => [...s, perimeter]),
    );
    expect(statuses(d)).toEqual(["match"]);
    expect(d.results[0].reasons.join()).not.toMatch(/denied|may block/);
  });

  it.each(EQUIVALENT)("%s (%s)", async (_what, id, f) => {
    let policy: unknown = withStatements(id, f);
    if (_what === "Statement given as an object") policy = { Version: "2012-10-17", Statement: conforming(id).Statement[0] };
    const d = await diff(id, policy);
    expect(statuses(d)).toEqual(d.results.map(() => "match"));
    expect(d.extras.filter((e) => e.flagged)).toEqual([]);
  });
});

// Changes that alter what the policy grants: each gives a definite status to one template statement.
const DIFFERENT: [string, string, (sts: St[]) => St[], number, string, RegExp?][] = [
  [
    "StringEquals is case-sensitive: another agent id case",
    "bedrock-agent-key",
    (s) =>
      s.map((x) =>
        x.Condition && "StringEquals" in (x.Condition as object)
          ? { ...x, Condition: { StringEquals: { "kms:EncryptionContext:aws:bedrock:arn": `arn:aws:bedrock:us-east-1:${ACCOUNT}:agent/agent12345` } } }
          : x,
      ),
    1,
    "missing",
  ],
  [
    "condition removed",
    "bedrock-agent-key",
    (s) => s.map((x, i) => (i === 1 ? { ...x, Condition: undefined } : x)),
    1,
    "broader",
    /no condition on kms:EncryptionContext:aws:bedrock:arn/,
  ],
  ["Principal * instead of the service", "service-principal-example", (s) => s.map((x) => ({ ...x, Principal: "*" })), 0, "broader", /principal \* is wider/],
  ["account root instead of the role", "agentcore-gateway-key", (s) => s.map((x) => ({ ...x, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } })), 0, "missing"],
  ["kms:* instead of the listed actions", "service-principal-example", (s) => s.map((x) => ({ ...x, Action: "kms:*" })), 0, "broader", /also grants .*kms:/],
  [
    "one action dropped",
    "service-principal-example",
    (s) => s.map((x) => ({ ...x, Action: (x.Action as string[]).filter((a) => a !== "kms:CreateGrant") })),
    0,
    "narrower",
    /does not grant kms:CreateGrant/,
  ],
  [
    "wildcard narrowed to one action",
    "bedrock-agent-key",
    (s) => s.map((x, i) => (i === 2 ? { ...x, Action: ["kms:GenerateDataKey", "kms:Decrypt"] } : x)),
    2,
    "narrower",
    /GenerateDataKeyWithoutPlaintext/,
  ],
  ["statement removed", "agentcore-recommendation-key", (s) => s.filter((x) => x.Sid !== "AllowServicePrincipalAccess"), 2, "missing"],
  [
    "a condition added",
    "agentcore-recommendation-key",
    (s) => s.map((x) => (x.Sid === "AllowCallerAccess" ? { ...x, Condition: { StringEquals: { "kms:ViaService": "bedrock-agentcore.us-east-1.amazonaws.com" } } } : x)),
    0,
    "narrower",
    /adds a condition/,
  ],
  [
    "a wider condition value (any region, any account)",
    "agentcore-recommendation-key",
    (s) =>
      s.map((x) =>
        x.Sid === "AllowServicePrincipalAccess"
          ? { ...x, Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT }, ArnLike: { "aws:SourceArn": "arn:aws:bedrock-agentcore:*:*:recommendation/*" } } }
          : x,
      ),
    2,
    "broader",
    /allows more values/,
  ],
  [
    "a narrower condition value (one recommendation)",
    "agentcore-recommendation-key",
    (s) =>
      s.map((x) =>
        x.Sid === "AllowServicePrincipalAccess"
          ? {
              ...x,
              Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT }, ArnLike: { "aws:SourceArn": `arn:aws:bedrock-agentcore:us-east-1:${ACCOUNT}:recommendation/r-1` } },
            }
          : x,
      ),
    2,
    "narrower",
    /allows fewer values/,
  ],
  [
    "StringEqualsIgnoreCase for StringEquals",
    "bedrock-agent-key",
    (s) => s.map((x, i) => (i === 1 ? { ...x, Condition: { StringEqualsIgnoreCase: (x.Condition as { StringEquals: unknown }).StringEquals } } : x)),
    1,
    "broader",
    /allows more values/,
  ],
  [
    "a Deny for everyone on Decrypt",
    "service-principal-example",
    (s) => [...s, { Sid: "NoDecrypt", Effect: "Deny", Principal: "*", Action: "kms:Decrypt", Resource: "*" }],
    0,
    "narrower",
    /denied by statement "NoDecrypt"/,
  ],
  [
    "NotPrincipal Allow",
    "agentcore-gateway-key",
    (s) => s.map((x) => ({ ...x, Principal: undefined, NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:role/Other` } })),
    0,
    "broader",
    /everyone except/,
  ],
  ["NotResource excluding the key", "agentcore-gateway-key", (s) => s.map((x, i) => (i === 0 ? { ...x, Resource: undefined, NotResource: KEY } : x)), 0, "missing"],
  [
    "IfExists on the scoping condition",
    "agentcore-gateway-key",
    (s) => s.map((x, i) => (i === 1 ? { ...x, Condition: { StringEqualsIfExists: { "kms:ViaService": "bedrock-agentcore.us-east-1.amazonaws.com" } } } : x)),
    1,
    "broader",
  ],
  [
    "a NotAction statement that grants everything but Decrypt",
    "service-principal-example",
    (s) => s.map((x) => ({ ...x, Action: undefined, NotAction: "kms:Decrypt" })),
    0,
    "mixed",
    /does not grant kms:Decrypt[\s\S]*also grants/,
  ],
  ["secret readable by the account root, not the role", "agentcore-identity-secret", (s) => s.map((x) => ({ ...x, Principal: { AWS: ACCOUNT } })), 0, "missing"],
  [
    "more actions but a tighter condition (mixed)",
    "agentcore-gateway-key",
    (s) =>
      s.map((x, i) =>
        i === 0 ? { ...x, Action: ["kms:DescribeKey", "kms:GetKeyPolicy"], Condition: { ...(x.Condition as object), Bool: { "aws:SecureTransport": "true" } } } : x,
      ),
    0,
    "mixed",
    /also grants kms:GetKeyPolicy[\s\S]*|adds a condition/,
  ],
  [
    "a Deny that blocks the AgentCore service principal",
    "service-principal-example",
    (s) => [...s, { Sid: "NoServices", Effect: "Deny", Principal: "*", Action: "kms:*", Resource: "*", Condition: { Bool: { "aws:PrincipalIsAWSService": "true" } } }],
    0,
    "narrower",
    /denied by statement "NoServices"/,
  ],
  [
    "an extra statement that opens the key to everyone",
    "agentcore-gateway-key",
    (s) => s.map((x, i) => (i === 1 ? { ...x, Principal: { AWS: [(x.Principal as { AWS: string }).AWS, "*"] } } : x)),
    1,
    "broader",
  ],
];

describe("changes that alter what is granted", () => {
  it.each(DIFFERENT)("%s (%s)", async (_what, id, f, index, status, reason) => {
    const d = await diff(id, withStatements(id, f));
    expect(d.results[index].status).toBe(status);
    if (reason) expect(d.results[index].reasons.join("\n")).toMatch(reason);
    expect(d.conforms).toBe(false);
    // The merged policy conforms to the template; Deny statements are kept for the reviewer to decide.
    const merged = await diff(id, d.merged);
    if (_what.startsWith("a Deny")) expect(merged.results[index].reasons.join()).toMatch(/denied by/);
    else expect(merged.results.filter((r) => !satisfied(r)).map((r) => r.status)).toEqual([]);
    await expectMergedClean(id, withStatements(id, f), d);
  });
});

/**
 * The merged policy lints clean against its own template: every template statement matches (Deny
 * statements are the reviewer's to remove), nobody outside the account gets in, no administration
 * beyond the principals the original already trusted, and every condition the template carries is
 * in it.
 */
async function expectMergedClean(id: string, original: unknown, d: PolicyDiff) {
  const kind = kindOf(id) as "key-policy" | "secret-policy";
  const t = resolveTemplate(id, VARS[id]);
  const admins = [
    ...new Set(
      (original as { Statement: St[] }).Statement.flatMap((x) => [((x.Principal as { AWS?: unknown })?.AWS ?? []) as string | string[]].flat()).filter((p) =>
        p.includes(`:${ACCOUNT}:`),
      ),
    ),
  ];
  const l = await lintPolicy(d.merged, [t], { kind, account: ACCOUNT, self: selfOf(id), admins });
  const hasDeny = d.merged.Statement.some((x) => x.Effect === "Deny");
  expect(l.outsideOpen, "merged policy opens nothing outside").toEqual([]);
  expect(l.adminGrants).toEqual([]);
  if (!hasDeny) expect(l.failures).toEqual([]);
  const text = JSON.stringify(d.merged);
  for (const st of t.statements) if (st.statement.Condition) expect(text).toContain(JSON.stringify(st.statement.Condition));
}

describe("each template", () => {
  it.each(TEMPLATES.map((t) => t.id))("%s: a conforming policy has no gaps, and each broken statement gets the right status", async (id) => {
    const ok = await diff(id, conforming(id));
    expect(ok.conforms).toBe(true);
    const n = conforming(id).Statement.length;
    for (let i = 0; i < n; i++) {
      // Dropping statement i: that statement is missing, the others match.
      const dropped = await diff(
        id,
        withStatements(id, (s) => s.filter((_, j) => j !== i)),
      );
      expect(statuses(dropped)[i]).toBe("missing");
      // Removing its conditions (or widening its principal when it has none): broader.
      const widened = await diff(
        id,
        withStatements(id, (s) =>
          s.map((x, j) => (j !== i ? x : x.Condition ? { ...x, Condition: undefined } : kindOf(id) === "identity-policy" ? { ...x, Resource: "*" } : { ...x, Principal: "*" })),
        ),
      );
      expect(widened.results[i].status).toBe(kindOf(id) === "identity-policy" && !conforming(id).Statement[i].Condition ? "match" : "broader");
      const merged = await diff(id, widened.merged);
      expect(merged.conforms).toBe(true);
    }
  });

  it("every template variable used in a template is declared, and every declared one is used", () => {
    for (const t of TEMPLATES) {
      const used = new Set([...JSON.stringify([t.statements, t.keyStatements ?? []]).matchAll(/\$\{([a-z][a-z-]*)\}/g)].map((m) => m[1]));
      // bedrock-agent-caller's `role` names the identity the policy is attached to; it appears in no statement.
      const declared = t.variables.filter((v) => !(t.id === "bedrock-agent-caller" && v === "role"));
      expect([...used].sort(), t.id).toEqual([...declared].sort());
    }
  });
});

describe("extras and the default statement", () => {
  it("the KMS default root statement is an extra that is not flagged; an extra grant to another role is flagged", async () => {
    const d = await diff(
      "service-principal-example",
      withStatements("service-principal-example", (s) => [
        { Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" },
        ...s,
        { Sid: "Contractor", Effect: "Allow", Principal: { AWS: "arn:aws:iam::444455556666:role/Contractor" }, Action: ["kms:Decrypt", "kms:DescribeKey"], Resource: "*" },
        { Sid: "ReadOnly", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/Auditor` }, Action: ["kms:DescribeKey", "kms:GetKeyPolicy"], Resource: "*" },
      ]),
    );
    expect(d.conforms).toBe(true);
    expect(d.extras.map((e) => [e.sid, e.flagged])).toEqual([
      ["Enable IAM User Permissions", false],
      ["Contractor", true],
      ["ReadOnly", false],
    ]);
    // The merged policy keeps what no template accounts for, except what opens the key to another account.
    expect(d.merged.Statement.map((s) => s.Sid)).toEqual(["Enable IAM User Permissions", "AllowAgentCoreMemory", "ReadOnly"]);
  });

  it("a key shared by two agents is compared with both templates: neither agent's statement is an extra", async () => {
    const a = resolveTemplate("bedrock-agent-key", VARS["bedrock-agent-key"]);
    const b = resolveTemplate("bedrock-agent-key", { ...VARS["bedrock-agent-key"], "agent-id": "AGENT67890" });
    const policy = { Statement: [...templateDocument(a).Statement, templateDocument(b).Statement[1]] };
    const both = await diffPolicy(policy, [a, b], { kind: "key-policy", self: KEY, account: ACCOUNT });
    expect(both.conforms).toBe(true);
    expect(both.extras.filter((e) => e.flagged)).toEqual([]);
    const one = await diffPolicy(policy, [a], { kind: "key-policy", self: KEY, account: ACCOUNT });
    expect(one.conforms).toBe(true);
    expect(one.extras.filter((e) => e.flagged).map((e) => e.actions)).toEqual([["kms:GenerateDataKey", "kms:Decrypt"]]);
  });

  it("an open placeholder matches whatever the policy names there, and stays open in the merged policy", async () => {
    const t = resolveTemplate("agentcore-recommendation-key", { region: "us-east-1", "account-id": ACCOUNT });
    expect(t.open).toEqual(["role"]);
    const d = await diffPolicy(conforming("agentcore-recommendation-key"), [t], { kind: "key-policy", self: KEY, account: ACCOUNT });
    expect(d.conforms).toBe(true);
    const missing = await diffPolicy({ Statement: [] as St[] }, [t], { kind: "key-policy", self: KEY, account: ACCOUNT });
    expect(JSON.stringify(missing.merged)).toContain("role/${role}");
    expect(missing.open).toEqual(["role"]);
  });

  it("rejects what is not a policy with a clear error", async () => {
    await expect(diff("service-principal-example", "{not json")).rejects.toThrow(PolicyParseError);
    await expect(diff("service-principal-example", { Statement: [{ Effect: "Maybe", Action: "kms:*" }] })).rejects.toThrow(/Effect must be "Allow" or "Deny"/);
    await expect(diff("service-principal-example", { Version: "2012-10-17" })).rejects.toThrow(/no Statement/);
    await expect(diff("service-principal-example", { Statement: [{ Effect: "Allow", Principal: "*", Action: "kms:*", Condition: { StringSortOf: { a: "b" } } }] })).rejects.toThrow(
      /unknown condition operator/,
    );
  });
});
