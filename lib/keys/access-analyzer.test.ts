// IAM Access Analyzer beside Keyward's own answer: the sandbox speaks ValidatePolicy and
// CheckNoPublicAccess (checked against the SDK's schemas), a scan asks once per policy text, and
// KW-POL-05 / KW-POL-06 report disagreement and AWS's errors and security warnings.
import { AccessAnalyzerClient, CheckNoPublicAccessCommand, ValidatePolicyCommand } from "@aws-sdk/client-accessanalyzer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { RunningSandbox } from "../../sandbox/index";
import { clientConfig, testSandbox } from "../../sandbox/testing/index";
import type { ScanResult } from "../inventory/types.shared";
import { runScan } from "../posture/scan";
import { pointSdkAtSandbox } from "../posture/testing";

const ACCOUNT = "111122223333";
const TARGETS = [
  { account: ACCOUNT, region: "us-east-1" },
  { account: ACCOUNT, region: "eu-west-1" },
];
let sb: RunningSandbox;
let restore: () => void;
let scan: ScanResult;
let calls: number;

beforeAll(async () => {
  sb = await testSandbox({ noTraffic: true });
  restore = pointSdkAtSandbox(sb);
  scan = await runScan({ targets: TARGETS, accessAnalyzer: { validatePolicy: true, checkNoPublicAccess: true } });
  calls = scan.apiCalls;
});
afterAll(async () => {
  restore();
  expect(sb.server.violations).toEqual([]);
  await sb.close();
});

const root = { Sid: "Root", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" };

describe("the sandbox's IAM Access Analyzer", () => {
  it("ValidatePolicy names the statement and AWS's issue code", async () => {
    const aa = new AccessAnalyzerClient(clientConfig(sb));
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [root, { Sid: "Everyone", Effect: "Allow", NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:role/X` }, Action: ["kms:Decrypt", "kms:Decyrpt"], Resource: "*" }],
    });
    const r = await aa.send(new ValidatePolicyCommand({ policyDocument: policy, policyType: "RESOURCE_POLICY" }));
    const codes = (r.findings ?? []).map((f) => [f.findingType, f.issueCode, f.locations?.[0]?.path?.[1]]);
    expect(codes).toEqual(
      expect.arrayContaining([
        ["SECURITY_WARNING", "ALLOW_WITH_NOT_PRINCIPAL", { index: 1 }],
        ["ERROR", "INVALID_ACTION", { index: 1 }],
      ]),
    );
    const bad = await aa.send(new ValidatePolicyCommand({ policyDocument: "{ nope", policyType: "RESOURCE_POLICY" }));
    expect(bad.findings?.[0]).toMatchObject({ findingType: "ERROR", issueCode: "JSON_SYNTAX_ERROR" });
  });

  it("CheckNoPublicAccess fails a key anyone can use under a condition a caller meets from anywhere, and passes one bound to the account", async () => {
    const aa = new AccessAnalyzerClient(clientConfig(sb));
    const open = JSON.stringify({
      Version: "2012-10-17",
      Statement: [root, { Sid: "Tls", Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "true" } } }],
    });
    const r = await aa.send(new CheckNoPublicAccessCommand({ policyDocument: open, resourceType: "AWS::KMS::Key" }));
    expect(r.result).toBe("FAIL");
    expect(r.reasons?.[0]).toMatchObject({ statementId: "Tls", statementIndex: 1 });
    const closed = JSON.stringify({
      Version: "2012-10-17",
      Statement: [root, { Sid: "Own", Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*", Condition: { StringEquals: { "kms:CallerAccount": ACCOUNT } } }],
    });
    expect((await aa.send(new CheckNoPublicAccessCommand({ policyDocument: closed, resourceType: "AWS::KMS::Key" }))).result).toBe("PASS");
  });
});

describe("a scan with IAM Access Analyzer", () => {
  it("records AWS's answers on every customer key and asks once per policy text", async () => {
    const customer = scan.keys.filter((k) => k.type === "customer" && k.policy);
    expect(customer.length).toBeGreaterThan(10);
    for (const k of customer) {
      expect(k.accessAnalyzer?.validate, k.arn).toBeDefined();
      expect(k.accessAnalyzer?.noPublicAccess, k.arn).toBeDefined();
    }
    const open = scan.keys.find((k) => k.aliases.includes("alias/agentcore/partner-notes"))!;
    expect(open.accessAnalyzer!.noPublicAccess).toMatchObject({ result: "FAIL" });
    const closed = scan.keys.find((k) => k.aliases.includes("alias/agents/triage"))!;
    expect(closed.accessAnalyzer!.noPublicAccess).toMatchObject({ result: "PASS" });
    // A rescan of unchanged policies asks Access Analyzer nothing again.
    const again = await runScan({ targets: TARGETS, previous: scan, accessAnalyzer: { validatePolicy: true, checkNoPublicAccess: true } });
    expect(again.apiCalls).toBeLessThan(calls);
    expect(again.keys.find((k) => k.arn === open.arn)!.accessAnalyzer?.noPublicAccess).toMatchObject({ result: "FAIL" });
  });

  it("Keyward and Access Analyzer agree on every demo key's public access; KW-POL-05 fires on a disagreement", async () => {
    expect(scan.findings.filter((f) => f.ruleId === "KW-POL-05")).toEqual([]);
    // any-organization access: the sandbox's Access Analyzer, like Keyward, calls it public.
    const anyOrg = scan.keys.find((k) => k.aliases.includes("alias/agentcore/research"))!;
    expect(anyOrg.accessAnalyzer!.noPublicAccess).toMatchObject({ result: "FAIL" });
  });
});
