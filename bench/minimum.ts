// What a scan must at least do, from a scenario's ground truth: the calls the data needs per account,
// region and operation (AWS's quotas, and the sandbox's buckets, are per account and region), and
// the lower bound on wall time those quotas and the latency allow. Shared by bench:scan and bench:org.
import { RATE_QUOTAS } from "../lib/server/aws/quotas";
import type { SandboxState } from "../sandbox/state";

export interface Minimum {
  minimum: number;
  /** `${account}|${region}|${op}` → calls. */
  perAccountRegionOp: Map<string, number>;
}

/** The calls the data in these accounts and regions needs. */
export function minimumCalls(s: SandboxState, accounts: string[], regions: string[]): Minimum {
  const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));
  const perAccountRegionOp = new Map<string, number>();
  let minimum = 0;
  const need = (account: string, region: string, op: string, n: number) => {
    minimum += n;
    const k = `${account}|${region}|${op}`;
    perAccountRegionOp.set(k, (perAccountRegionOp.get(k) ?? 0) + n);
  };
  for (const account of accounts)
    for (const region of regions) {
      const here = <T extends { region: string; account: string }>(m: Map<string, T>) => [...m.values()].filter((x) => x.region === region && x.account === account);
      const count = <T extends { region: string; account: string }>(m: Map<string, T>) => here(m).length;
      const providers = here(s.credentialProviders);
      const oauth = providers.filter((p) => p.type === "oauth2").length;
      const apikey = providers.filter((p) => p.type === "apikey").length;
      need(account, region, "bedrock:ListAgents", pages(count(s.agents), 100));
      need(account, region, "bedrock:GetAgent", count(s.agents));
      need(account, region, "bedrock:ListKnowledgeBases", pages(count(s.knowledgeBases), 100));
      need(account, region, "bedrock:GetKnowledgeBase", count(s.knowledgeBases));
      need(account, region, "bedrock-agentcore:ListMemories", pages(count(s.memories), 100));
      need(account, region, "bedrock-agentcore:GetMemory", count(s.memories));
      need(account, region, "bedrock-agentcore:ListRecommendations", pages(count(s.recommendations), 100));
      need(account, region, "bedrock-agentcore:GetRecommendation", count(s.recommendations));
      need(account, region, "bedrock-agentcore:ListGateways", pages(count(s.gateways), 100));
      need(account, region, "bedrock-agentcore:GetGateway", count(s.gateways));
      need(account, region, "bedrock-agentcore:ListOauth2CredentialProviders", pages(oauth, 20));
      need(account, region, "bedrock-agentcore:GetOauth2CredentialProvider", oauth);
      need(account, region, "bedrock-agentcore:ListApiKeyCredentialProviders", pages(apikey, 20));
      need(account, region, "bedrock-agentcore:GetApiKeyCredentialProvider", apikey);
      need(account, region, "bedrock-agentcore:GetTokenVault", 1);
      // The further kinds: a listing each, and a read per resource where the listing lacks the key.
      const further = (kind: string) => here(s.keyedResources).filter((r) => r.kind === kind);
      for (const [kind, list, get] of [
        ["guardrail", "bedrock:ListGuardrails", "bedrock:GetGuardrail"],
        ["flow", "bedrock:ListFlows", "bedrock:GetFlow"],
        ["prompt", "bedrock:ListPrompts", "bedrock:GetPrompt"],
        ["policy-engine", "bedrock-agentcore:ListPolicyEngines", undefined],
        ["evaluator", "bedrock-agentcore:ListEvaluators", undefined],
        ["dataset", "bedrock-agentcore:ListDatasets", "bedrock-agentcore:GetDataset"],
        ["configuration-bundle", "bedrock-agentcore:ListConfigurationBundles", "bedrock-agentcore:GetConfigurationBundle"],
        ["payment-manager", "bedrock-agentcore:ListPaymentManagers", undefined],
      ] as const) {
        need(account, region, list, pages(further(kind).length, 100));
        if (get) need(account, region, get, further(kind).length);
      }
      for (const kb of here(s.knowledgeBases)) {
        const sources = further("data-source").filter((d) => d.parentId === kb.knowledgeBaseId);
        need(account, region, "bedrock:ListDataSources", pages(sources.length, 100));
        need(account, region, "bedrock:GetDataSource", sources.length);
      }
      const trails = [...s.trails.values()].filter((t) => t.account === account && (t.homeRegion === region || t.multiRegion)).length;
      need(account, region, "cloudtrail:DescribeTrails", 1);
      need(account, region, "cloudtrail:GetTrailStatus", trails);
      need(account, region, "cloudtrail:GetEventSelectors", trails);
    }
  const inScope = (arn: string) => accounts.includes(arn.split(":")[4]) && regions.includes(arn.split(":")[3]);
  const usedKeys = new Set(
    [
      ...[...s.agents.values()].map((a) => a.customerEncryptionKeyArn),
      ...[...s.memories.values()].map((m) => m.encryptionKeyArn),
      ...[...s.gateways.values()].map((g) => g.kmsKeyArn),
      ...[...s.recommendations.values()].map((r) => r.kmsKeyArn),
      ...[...s.knowledgeBases.values()].map((k) => k.kmsKeyArn),
      ...[...s.keyedResources.values()].map((r) => r.keyArn),
    ].filter((k): k is string => !!k && inScope(k)),
  );
  const at = (arn: string) => ({ account: arn.split(":")[4], region: arn.split(":")[3] });
  for (const ar of new Set([...usedKeys].map((k) => `${at(k).account}|${at(k).region}`))) {
    const [account, region] = ar.split("|");
    need(account, region, "kms:ListAliases", pages([...s.aliases.values()].filter((a) => a.region === region && a.arn.split(":")[4] === account).length, 100));
  }
  // IAM Access Analyzer's ValidatePolicy (on by default): once per distinct customer key policy text, per account and region.
  const validated = new Set<string>();
  for (const arn of usedKeys) {
    const k = s.keys.get(arn);
    if (!k || k.manager !== "CUSTOMER") continue;
    const id = `${at(arn).account}|${at(arn).region}|${k.policy}`;
    if (validated.has(id)) continue;
    validated.add(id);
    need(at(arn).account, at(arn).region, "access-analyzer:ValidatePolicy", 1);
  }
  for (const arn of usedKeys) {
    const k = s.keys.get(arn)!;
    const { account, region } = at(arn);
    need(account, region, "kms:DescribeKey", 1);
    need(account, region, "kms:GetKeyPolicy", 1);
    if (k.spec === "SYMMETRIC_DEFAULT") need(account, region, "kms:GetKeyRotationStatus", 1);
    if (k.manager === "CUSTOMER") for (const op of ["kms:ListGrants", "kms:ListResourceTags", "kms:GetKeyLastUsage"]) need(account, region, op, 1);
  }
  const roles = new Set(
    [
      ...[...s.agents.values()].map((a) => a.agentResourceRoleArn),
      ...[...s.gateways.values()].map((g) => g.roleArn),
      ...[...s.knowledgeBases.values()].map((k) => k.roleArn),
      ...[...s.keyedResources.values()].filter((r) => accounts.includes(r.account) && regions.includes(r.region)).map((r) => r.roleArn),
    ].filter((r): r is string => !!r && accounts.includes(r.split(":")[4])),
  );
  for (const arn of roles) {
    const r = s.roles.get(arn);
    const account = arn.split(":")[4];
    need(account, "global", "iam:GetRole", 1);
    need(account, "global", "iam:ListRolePolicies", 1);
    need(account, "global", "iam:GetRolePolicy", r ? r.inlinePolicies.size : 0);
    need(account, "global", "iam:ListAttachedRolePolicies", r ? r.attachedPolicies.length : 0);
    need(account, "global", "iam:GetPolicyVersion", r ? r.attachedPolicies.length : 0);
  }
  return { minimum, perAccountRegionOp };
}

/**
 * The lower bound on a scan's wall time: the busiest rate-limited operation in one account and
 * region (a bucket holds a second's worth of requests, then refills at the quota) plus its last
 * answer, or the shortest chain of dependent calls, whichever is longer.
 */
export function lowerBound(m: Minimum, latencyMs: number): { ms: number; setBy: string } {
  let rateBound = 0;
  let busiest = "";
  for (const [k, n] of m.perAccountRegionOp) {
    const [account, region, op] = k.split("|");
    const rate = RATE_QUOTAS[op];
    if (!rate) continue;
    const ms = (Math.max(0, n - rate) / rate) * 1000 + latencyMs;
    if (ms > rateBound) [rateBound, busiest] = [ms, `${n} ${op} in ${account} ${region} at ${rate}/s`];
  }
  const chainBound = latencyMs * 6; // list → get → describe key → policy → grants → trails, at best
  return rateBound >= chainBound ? { ms: rateBound, setBy: busiest } : { ms: chainBound, setBy: "the chain of dependent calls" };
}
