// Deterministic randomness: every id, key material and generated event derives from the scenario
// seed, so the same scenario always yields the same account.
import { createHash, createHmac } from "node:crypto";

export function hashString(s: string): number {
  const h = createHash("sha256").update(s).digest();
  return h.readUInt32LE(0);
}

/** sfc32: small, fast, good enough for traffic generation. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: string | number) {
    const h = createHash("sha256").update(String(seed)).digest();
    this.a = h.readUInt32LE(0);
    this.b = h.readUInt32LE(4);
    this.c = h.readUInt32LE(8);
    this.d = h.readUInt32LE(12);
    for (let i = 0; i < 12; i++) this.next();
  }
  next(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }
  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }
  /** A UUID-shaped id from this generator's stream (fast; deterministic per seed). */
  uuid(): string {
    const h = (n: number) =>
      Math.floor(this.next() * 16 ** n)
        .toString(16)
        .padStart(n, "0");
    return `${h(8)}-${h(4)}-4${h(3)}-a${h(3)}-${h(6)}${h(6)}`;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  /** Poisson-distributed count with mean lambda (Knuth; lambda is small per bucket). */
  poisson(lambda: number): number {
    if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.gauss()));
    const l = Math.exp(-lambda);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= this.next();
    } while (p > l);
    return k - 1;
  }
  gauss(): number {
    const u = Math.max(this.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
}

/** A UUID-shaped id, stable for (seed, name). */
export function stableUuid(seed: string | number, name: string): string {
  const h = createHmac("sha256", String(seed)).update(name).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** An uppercase alphanumeric id of n characters (agent ids, grant tokens...), stable for (seed, name). */
export function stableId(seed: string | number, name: string, n = 10, alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"): string {
  const h = createHmac("sha256", String(seed)).update(name).digest();
  let out = "";
  for (let i = 0; i < n; i++) out += alphabet[h[i % h.length] % alphabet.length];
  return out;
}

export function keyMaterial(seed: string | number, keyArn: string): Buffer {
  return createHmac("sha256", `material:${seed}`).update(keyArn).digest();
}
