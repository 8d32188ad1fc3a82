// Policy reviews of the demo scenario's keys, through the real SDK clients against the sandbox:
// the access checks agree with the KW-POL-01/03 and KW-IAM-02 findings, and applying the merged
// policy of a key the service could not use makes the service call that failed succeed.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { BedrockAgentCoreControlClient, CreateMemoryCommand } from "@aws-sdk/client-bedrock-agentcore-control";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { RunningSandbox } from "../../sandbox/index";
import { clientConfig, testSandbox } from "../../sandbox/testing/index";
import { listAudit } from "../auth/audit";
import { KeywardConfig } from "../config/schema";
import { resourceOf, type ScanResult } from "../inventory/types.shared";
import { runScan } from "../posture/scan";
import { pointSdkAtSandbox } from "../posture/testing";
import { HttpError } from "../server/with-auth";

import { applyPolicy } from "./apply";
import { keyPolicyReview, secretPolicyReview } from "./review";

const ACCOUNT = "111122223333";
const TARGETS = [
  { account: ACCOUNT, region: "us-east-1" },
  { account: ACCOUNT, region: "eu-west-1" },
];

let sb: RunningSandbox;
let restore: () => void;
let scan: ScanResult;

beforeAll(async () => {
  sb = await testSandbox({ noTraffic: true });
  restore = pointSdkAtSandbox(sb);
  scan = await runScan({ targets: TARGETS });
});
afterAll(async () => {
  restore();
  await sb.close();
});

describe("policy reviews of the demo keys", () => {
  it("the access checks and the findings never disagree", async () => {
    let compared = 0;
    for (const key of scan.keys.filter((k) => k.policy && k.type === "customer")) {
      const review = await keyPolicyReview(scan, key.arn, { inside: new Set([ACCOUNT]) });
      for (const r of review.resources) {
        const findings = new Set(scan.findings.filter((f) => f.resourceArn === r.arn && f.keyArn === key.arn).map((f) => f.ruleId));
        if (key.state !== "Enabled" || key.spec !== "SYMMETRIC_DEFAULT") continue;
        const failing = (rule: string) => r.access.some((c) => c.rule === rule && !c.ok);
        expect(failing("KW-POL-01"), `${r.name} KW-POL-01`).toBe(findings.has("KW-POL-01"));
        expect(failing("KW-POL-03"), `${r.name} KW-POL-03`).toBe(findings.has("KW-POL-03"));
        expect(failing("KW-POL-02"), `${r.name} KW-POL-02`).toBe(findings.has("KW-POL-02"));
        expect(failing("KW-IAM-02"), `${r.name} KW-IAM-02`).toBe(findings.has("KW-IAM-02"));
        compared++;
      }
    }
    // Every resource with its own enabled symmetric customer key was compared (credential providers
    // have no key of their own: their secret's key is reviewed through the secret).
    const usable = new Set(scan.keys.filter((k) => k.policy && k.type === "customer" && k.state === "Enabled" && k.spec === "SYMMETRIC_DEFAULT").map((k) => k.arn));
    expect(compared).toBe(scan.resources.map(resourceOf).filter((r) => r.keyArn && usable.has(r.keyArn)).length);
    expect(compared).toBeGreaterThanOrEqual(12);
  });

  it("answers the open key's questions: anyone may decrypt, the service may not act for another account", async () => {
    const key = scan.keys.find((k) => k.description?.includes("Finance"))!;
    const review = await keyPolicyReview(scan, key.arn, { inside: new Set([ACCOUNT]) });
    const checks = review.resources[0].access;
    const outside = checks.find((c) => c.id === "outside")!;
    expect(outside.ok).toBe(false);
    expect(outside.answers.find((a) => a.action === "kms:Decrypt")).toMatchObject({ decision: "Allowed", decidingStatements: ["LetAnyoneDecrypt"] });
    expect(outside.answers.some((a) => a.action === "kms:PutKeyPolicy")).toBe(false);
    expect(outside.outside!.map((g) => g.who)).toEqual(["everyone"]);
    // The review carries the same answer for the key as a whole.
    expect(review.outside.open.filter((g) => !g.confusedDeputy).map((g) => g.who)).toEqual(["everyone"]);
    const deputy = checks.find((c) => c.id.startsWith("cross-account-service"))!;
    expect(deputy.answers.find((a) => a.action === "kms:GenerateDataKey")!.decision).toBe("ImplicitlyDenied");
    const service = checks.find((c) => c.id === "required:0")!;
    expect(service).toMatchObject({ ok: true, expect: "allow" });
    // The template statement that LetAnyoneDecrypt widens is reported broader, with the reason.
    const diff = review.diff!;
    expect(diff.results.some((r) => r.status === "broader" && r.reasons.some((x) => x.includes("principal * is wider")))).toBe(true);
  });

  it("an unrelated role of the account cannot use a key without an IAM policy", async () => {
    const key = scan.keys.find((k) => k.aliases.includes("alias/agentcore/memory"))!;
    const review = await keyPolicyReview(scan, key.arn);
    const unrelated = review.resources[0].access.find((c) => c.id === "unrelated-role")!;
    expect(unrelated.ok).toBe(true);
    expect(unrelated.answers.every((a) => a.decision === "ImplicitlyDenied")).toBe(true);
  });

  it("resolves variables from the resource and leaves the unknown ones open; typed values close them", async () => {
    const rec = scan.resources.find((r) => r.kind === "agentcore-recommendation" && r.key.type === "customer" && r.key.state === "Enabled")!;
    const open = await keyPolicyReview(scan, rec.key.arn);
    const t = open.templates.find((x) => x.id === "agentcore-recommendation-key")!;
    expect(t.open).toEqual(["role"]);
    expect(t.variables).toMatchObject({ region: rec.region, "account-id": ACCOUNT });
    const closed = await keyPolicyReview(scan, rec.key.arn, { overrides: { role: "RecommendationRole" } });
    expect(closed.templates.find((x) => x.id === "agentcore-recommendation-key")!.open).toEqual([]);
    expect(JSON.stringify(closed.templatePolicy)).toContain(`arn:aws:iam::${ACCOUNT}:role/RecommendationRole`);
  });

  it("an AWS managed key's policy is reviewed but offered no fix", async () => {
    // The demo's resources use customer managed keys: present one of them as AWS managed.
    const key = scan.keys.find((k) => k.type === "customer" && k.policy)!;
    const asManaged = { ...scan, keys: scan.keys.map((k) => (k.arn === key.arn ? { ...k, type: "aws-managed" as const, manager: "AWS" } : k)) };
    const review = await keyPolicyReview(asManaged, key.arn);
    expect(review.immutable).toMatch(/AWS managed key/);
    const customer = await keyPolicyReview(scan, scan.keys.find((k) => k.type === "customer" && k.policy)!.arn);
    expect(customer.immutable).toBeUndefined();
  });

  it("reviews a credential provider's secret policy against the seed-004 template", async () => {
    const provider = scan.resources.find((r) => r.kind === "oauth2-credential-provider" && r.secrets.some((s) => s.source === "EXTERNAL"))!;
    const secret = provider.secrets.find((s) => s.source === "EXTERNAL")!;
    const review = await secretPolicyReview(scan, secret.arn, { role: "AgentCoreIdentityRole" });
    expect(review.templates.map((t) => t.id)).toEqual(["agentcore-identity-secret"]);
    expect(review.diff!.results).toHaveLength(1);
    expect(review.command).toMatch(/^aws secretsmanager put-resource-policy/);
  });
});

describe("applying the merged policy", () => {
  it("lets the service use the key afterwards; a stale review is refused; both are audited", async () => {
    const key = scan.keys.find((k) => k.aliases.includes("alias/agentcore/sessions"))!;
    const control = new BedrockAgentCoreControlClient({ ...clientConfig(sb), region: "us-east-1" });
    const create = () => control.send(new CreateMemoryCommand({ name: `after_fix_${Date.now()}`, eventExpiryDuration: 30, encryptionKeyArn: key.arn }));
    await expect(create()).rejects.toThrow(/does not let the caller use the key through AgentCore/);

    const review = await keyPolicyReview(scan, key.arn);
    const memory = review.diff!.results.find((r) => r.templateId === "agentcore-memory-key")!;
    expect(memory.status).toBe("narrower");
    expect(review.resources[0].access.find((c) => c.id === "required:0")!.ok).toBe(false);

    const cfg = KeywardConfig.parse({ mode: "sandbox", accounts: [{ id: ACCOUNT, regions: ["us-east-1", "eu-west-1"] }], dataDir: mkdtempSync(join(tmpdir(), "kw-apply-")) });
    const stale = applyPolicy(cfg, { target: "key", arn: key.arn, policy: JSON.stringify(review.diff!.merged), basedOn: "0".repeat(64) }, "op@example.com");
    await expect(stale).rejects.toMatchObject({ status: 409 });
    const bad = applyPolicy(cfg, { target: "key", arn: key.arn, policy: '{"Statement": [{"Effect": "Sometimes"}]}', basedOn: review.basedOn! }, "op@example.com");
    await expect(bad).rejects.toBeInstanceOf(HttpError);

    await applyPolicy(cfg, { target: "key", arn: key.arn, policy: JSON.stringify(review.diff!.merged), basedOn: review.basedOn! }, "op@example.com");
    const created = await create();
    expect(created.memory?.encryptionKeyArn).toBe(key.arn);

    const audit = listAudit(cfg.dataDir, { limit: 10 });
    expect(audit.filter((a) => a.action === "apply").map((a) => a.outcome)).toEqual(["success", "failure"]);

    // A rescan sees the new policy, and the review of it conforms for the memory template.
    const rescan = await runScan({ targets: TARGETS });
    const after = await keyPolicyReview(rescan, key.arn);
    expect(after.diff!.results.find((r) => r.templateId === "agentcore-memory-key")!.status).toBe("match");
    expect(rescan.findings.some((f) => f.keyArn === key.arn && f.ruleId === "KW-POL-01")).toBe(false);
  });
});
