// Access answers are cached by what the decision depends on: keys whose policies name no resource
// share answers, but a policy that names one key's ARN never answers for another key.
import { describe, expect, it } from "vitest";

import type { RoleFacts } from "../inventory/types.shared";

import { answer } from "./access";
import type { AccessRequirement } from "./requirements";

const ACCOUNT = "111122223333";
const KEY_A = `arn:aws:kms:us-east-1:${ACCOUNT}:key/aaaaaaaa-1111-2222-3333-444444444444`;
const KEY_B = `arn:aws:kms:us-east-1:${ACCOUNT}:key/bbbbbbbb-1111-2222-3333-444444444444`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/AgentRole`;
const rootOnly = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Sid: "root", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }],
});
const roleUses = (resource: string): Map<string, RoleFacts> =>
  new Map([
    [
      ROLE,
      {
        arn: ROLE,
        name: "AgentRole",
        policies: [{ name: "kms", document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:Decrypt", Resource: resource }] } }],
      },
    ],
  ]);
const req: AccessRequirement = { principal: ROLE, principalKind: "role", actions: ["kms:Decrypt"], context: {}, withIdentity: true, source: "test" };
const key = (arn: string, policy = rootOnly) => ({ arn, account: ACCOUNT, policy });

describe("access answers", () => {
  it("a role policy that names key A allows A and not B, even with the same key policy and asked in that order", async () => {
    const roles = roleUses(KEY_A);
    expect((await answer(req, key(KEY_A), roles))[0].decision).toBe("Allowed");
    expect((await answer(req, key(KEY_B), roles))[0].decision).toBe("ImplicitlyDenied");
  });

  it("a key policy that names its key's ARN is not answered for another key", async () => {
    const own = (arn: string) =>
      JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "role", Effect: "Allow", Principal: { AWS: ROLE }, Action: "kms:Decrypt", Resource: arn }] });
    const noIdentity = { ...req, withIdentity: false };
    expect((await answer(noIdentity, key(KEY_A, own(KEY_A)), new Map()))[0].decision).toBe("Allowed");
    expect((await answer(noIdentity, key(KEY_B, own(KEY_A)), new Map()))[0].decision).toBe("ImplicitlyDenied");
  });

  it("keys whose policies name no resource get the same answers", async () => {
    const roles = roleUses("*");
    const [a, b] = await Promise.all([answer(req, key(KEY_A), roles), answer(req, key(KEY_B), roles)]);
    expect(a).toEqual(b);
    expect(a[0]).toMatchObject({ decision: "Allowed", decidingStatements: ["root", "identity policy: 1"] });
  });
});

describe("access answers and the request context", () => {
  const svc = (condition?: object) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Sid: "svc", Effect: "Allow", Principal: { Service: "bedrock.amazonaws.com" }, Action: "kms:Decrypt", Resource: "*", ...(condition ? { Condition: condition } : {}) },
      ],
    });
  const forAgent = (agent: string): AccessRequirement => ({
    principal: "bedrock.amazonaws.com",
    principalKind: "service",
    actions: ["kms:Decrypt"],
    context: { "aws:SourceAccount": ACCOUNT, "aws:SourceArn": agent, "kms:EncryptionContext:aws:bedrock:arn": agent },
    withIdentity: false,
    source: "test",
  });
  const AGENT_1 = `arn:aws:bedrock:us-east-1:${ACCOUNT}:agent/AGENT11111`;
  const AGENT_2 = `arn:aws:bedrock:us-east-1:${ACCOUNT}:agent/AGENT22222`;

  it("a condition on the source ARN or the encryption context tells resources apart", async () => {
    for (const condition of [{ ArnEquals: { "aws:SourceArn": AGENT_1 } }, { StringEquals: { "kms:EncryptionContext:aws:bedrock:arn": AGENT_1 } }]) {
      const k = key(KEY_A, svc(condition));
      expect((await answer(forAgent(AGENT_1), k, new Map()))[0].decision).toBe("Allowed");
      expect((await answer(forAgent(AGENT_2), k, new Map()))[0].decision).toBe("ImplicitlyDenied");
    }
  });

  it("without such a condition every resource gets the key policy's answer", async () => {
    const k = key(KEY_B, svc());
    expect((await answer(forAgent(AGENT_1), k, new Map()))[0].decision).toBe("Allowed");
    expect((await answer(forAgent(AGENT_2), k, new Map()))[0].decision).toBe("Allowed");
  });
});
