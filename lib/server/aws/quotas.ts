// AWS's published per-account, per-region request quotas (requests per second) for the calls
// Keyward makes most. The scanner paces itself by them; the sandbox enforces them. Sources:
// KMS — "Request quotas" in the AWS KMS Developer Guide; Bedrock Agents — "Amazon Bedrock endpoints
// and quotas" in the AWS General Reference (GetAgent 15; ListAgents, GetKnowledgeBase,
// ListKnowledgeBases, GetDataSource, ListDataSources, GetFlow, ListFlows, GetPrompt and ListPrompts
// 10; none adjustable); AgentCore — the Service Quotas entry "Rate of GetGateway
// requests" (10); CloudTrail — LookupEvents 2; Secrets Manager — "Secrets Manager quotas".
// Operations without a published figure here (guardrails, AgentCore's policy engines, evaluators,
// datasets, configuration bundles and payment managers) are not paced.
export const RATE_QUOTAS: Record<string, number> = {
  "bedrock:ListAgents": 10,
  "bedrock:GetAgent": 15,
  "bedrock:ListKnowledgeBases": 10,
  "bedrock:GetKnowledgeBase": 10,
  "bedrock:ListDataSources": 10,
  "bedrock:GetDataSource": 10,
  "bedrock:ListFlows": 10,
  "bedrock:GetFlow": 10,
  "bedrock:ListPrompts": 10,
  "bedrock:GetPrompt": 10,
  "bedrock-agentcore:GetGateway": 10,
  "cloudtrail:LookupEvents": 2,
  "kms:Decrypt": 50_000,
  "kms:GenerateDataKey": 50_000,
  "kms:Encrypt": 50_000,
  "kms:DescribeKey": 2_000,
  "kms:GetKeyPolicy": 1_000,
  "kms:GetKeyRotationStatus": 1_000,
  "kms:ListGrants": 100,
  "kms:ListKeys": 500,
  "kms:ListAliases": 500,
  "kms:ListResourceTags": 100,
  "kms:PutKeyPolicy": 5,
  "kms:CreateKey": 50,
  "secretsmanager:DescribeSecret": 10_000,
  "secretsmanager:GetResourcePolicy": 10_000,
  "secretsmanager:ListSecrets": 100,
};

/**
 * A token bucket per key; `take` waits until a request may go out. It sends at the quota's rate but
 * bursts only half of it (the service's own bucket holds a second's worth): requests reach the
 * service with some jitter, and this margin keeps one that arrives early from being throttled.
 */
export class Pacer {
  private buckets = new Map<string, { tokens: number; last: number }>();
  async take(key: string, rate: number | undefined): Promise<void> {
    if (!rate) return;
    const burst = Math.max(1, rate / 2);
    for (;;) {
      const now = Date.now();
      const b = this.buckets.get(key) ?? { tokens: burst, last: now };
      b.tokens = Math.min(burst, b.tokens + ((now - b.last) / 1000) * rate);
      b.last = now;
      this.buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return;
      }
      await new Promise((r) => setTimeout(r, Math.ceil(((1 - b.tokens) / rate) * 1000)));
    }
  }
}
