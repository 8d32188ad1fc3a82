// AWS's published per-account, per-region request quotas (requests per second) for the calls
// Keyward makes most. The scanner paces itself by them; the sandbox enforces them.
export const RATE_QUOTAS: Record<string, number> = {
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

/** A token bucket per key; `take` waits until a request may go out. */
export class Pacer {
  private buckets = new Map<string, { tokens: number; last: number }>();
  async take(key: string, rate: number | undefined): Promise<void> {
    if (!rate) return;
    for (;;) {
      const now = Date.now();
      const b = this.buckets.get(key) ?? { tokens: rate, last: now };
      b.tokens = Math.min(rate, b.tokens + ((now - b.last) / 1000) * rate);
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
