// IAM Access Analyzer's own answers for the key and secret policies a scan reads: ValidatePolicy
// (grammar, security warnings, suggestions — no charge) and, where the configuration turns it on,
// CheckNoPublicAccess (billed per call). Asked once per policy text: the answer depends on nothing
// else, so resources that share a key, and rescans of unchanged policies, cost no further calls.
import { createHash } from "node:crypto";

import { CheckNoPublicAccessCommand, ValidatePolicyCommand, type ValidatePolicyFinding } from "@aws-sdk/client-accessanalyzer";

import { read, type ScanContext } from "../inventory/context";
import type { AccessAnalyzerFacts } from "../inventory/types.shared";

const SERVICE = "IAM Access Analyzer";
const CACHE = new Map<string, Promise<AccessAnalyzerFacts[keyof AccessAnalyzerFacts]>>();

function statementOf(f: ValidatePolicyFinding): number | undefined {
  for (const loc of f.locations ?? []) {
    const path = loc.path ?? [];
    const i = path.findIndex((p) => "value" in p && p.value === "Statement");
    const next = path[i + 1];
    if (i >= 0 && next && "index" in next && typeof next.index === "number") return next.index;
  }
  return undefined;
}

function once<T extends AccessAnalyzerFacts[keyof AccessAnalyzerFacts]>(key: string, ask: () => Promise<T>): Promise<T> {
  let hit = CACHE.get(key) as Promise<T> | undefined;
  if (!hit) {
    hit = ask();
    if (CACHE.size > 20_000) CACHE.clear();
    CACHE.set(key, hit);
  }
  return hit;
}

/** The checks the options ask for, on one policy of a key ("key") or a secret ("secret"). */
export async function accessAnalyzerFacts(ctx: ScanContext, target: "key" | "secret", policy: string | undefined): Promise<AccessAnalyzerFacts | undefined> {
  const opts = ctx.accessAnalyzer;
  if (!policy || !opts || (!opts.validatePolicy && !opts.checkNoPublicAccess)) return undefined;
  const hash = createHash("sha256").update(policy).digest("hex");
  const scope = `${ctx.account}|${ctx.region}|${target}|${hash}`;
  const failedWith = (code: string) => ({ error: code });
  const out: AccessAnalyzerFacts = {};
  const [validate, pub] = await Promise.all([
    opts.validatePolicy
      ? once(`validate|${scope}`, async () => {
          let error: string | undefined;
          const findings: ValidatePolicyFinding[] = [];
          let nextToken: string | undefined;
          do {
            const r = await read(
              ctx,
              SERVICE,
              "ValidatePolicy",
              () => ctx.clients.accessAnalyzer.send(new ValidatePolicyCommand({ policyDocument: policy, policyType: "RESOURCE_POLICY", nextToken })),
              (code) => (error = code),
            );
            if (!r) break;
            findings.push(...(r.findings ?? []));
            nextToken = r.nextToken;
          } while (nextToken);
          if (error) return failedWith(error);
          return {
            findings: findings.map((f) => ({
              findingType: f.findingType ?? "",
              issueCode: f.issueCode ?? "",
              details: f.findingDetails ?? "",
              learnMoreLink: f.learnMoreLink,
              statement: statementOf(f),
            })),
          };
        })
      : undefined,
    opts.checkNoPublicAccess
      ? once(`public|${scope}`, async () => {
          let error: string | undefined;
          const r = await read(
            ctx,
            SERVICE,
            "CheckNoPublicAccess",
            () =>
              ctx.clients.accessAnalyzer.send(
                new CheckNoPublicAccessCommand({ policyDocument: policy, resourceType: target === "key" ? "AWS::KMS::Key" : "AWS::SecretsManager::Secret" }),
              ),
            (code) => (error = code),
          );
          if (!r || error) return failedWith(error ?? "NoAnswer");
          return {
            result: r.result === "FAIL" ? ("FAIL" as const) : ("PASS" as const),
            message: r.message,
            reasons: (r.reasons ?? []).map((x) => ({ description: x.description, statementIndex: x.statementIndex, statementId: x.statementId })),
          };
        })
      : undefined,
  ]);
  if (validate) out.validate = validate as AccessAnalyzerFacts["validate"];
  if (pub) out.noPublicAccess = pub as AccessAnalyzerFacts["noPublicAccess"];
  // A failed answer is not cached: the next scan asks again.
  for (const [k, v] of [
    [`validate|${scope}`, out.validate],
    [`public|${scope}`, out.noPublicAccess],
  ] as const)
    if (v && "error" in v) CACHE.delete(k);
  return out;
}
