// Injected faults (latency, throttling, AccessDenied, unavailable regions, 5xx) and AWS's default
// request-rate quotas, applied per service, operation, account and region.
import { RATE_QUOTAS } from "../lib/server/aws/quotas";

import type { Fault } from "./scenario/schema";

/** Published per-account, per-region request quotas (requests per second). */
export const DEFAULT_RATE_LIMITS: Record<string, number> = RATE_QUOTAS;

class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    private rate: number,
    private burst: number,
  ) {
    this.tokens = burst;
    this.last = Date.now();
  }
  take(now = Date.now()): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }
}

export interface FaultDecision {
  delayMs: number;
  throttled: boolean;
  accessDenied: boolean;
  unavailable: boolean;
  serverError: boolean;
}

export class FaultEngine {
  private buckets = new Map<string, TokenBucket>();
  constructor(
    public faults: Fault[],
    private random: () => number = Math.random,
    public enforceDefaultLimits = true,
  ) {}

  private matching(service: string, operation: string, region: string): Fault[] {
    return this.faults.filter((f) => (f.service === service || f.service === "*") && (!f.operation || f.operation === operation) && (!f.region || f.region === region));
  }

  decide(service: string, operation: string, account: string, region: string): FaultDecision {
    const d: FaultDecision = { delayMs: 0, throttled: false, accessDenied: false, unavailable: false, serverError: false };
    let rate: number | undefined = this.enforceDefaultLimits ? DEFAULT_RATE_LIMITS[`${service}:${operation}`] : undefined;
    for (const f of this.matching(service, operation, region)) {
      if (f.latencyMs !== undefined) d.delayMs = Math.max(d.delayMs, f.latencyMs + (f.jitterMs ? this.random() * f.jitterMs : 0));
      if (f.rateLimit !== undefined) rate = rate === undefined ? f.rateLimit : Math.min(rate, f.rateLimit);
      if (f.accessDenied) d.accessDenied = true;
      if (f.unavailable) d.unavailable = true;
      if (f.errorRate && this.random() < f.errorRate) d.serverError = true;
    }
    if (rate !== undefined) {
      const k = `${service}:${operation}:${account}:${region}`;
      let b = this.buckets.get(k);
      if (!b) {
        b = new TokenBucket(rate, Math.max(1, rate));
        this.buckets.set(k, b);
      }
      d.throttled = !b.take();
    }
    return d;
  }

  set(faults: Fault[]): void {
    this.faults = faults;
    this.buckets.clear();
  }
}
