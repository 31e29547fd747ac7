/**
 * Token buckets, one per key (an API token's id): each holds up to `burst` requests and refills at
 * `perMinute`; a request takes one or is refused with how long until one is back (Retry-After).
 * `first` marks the first refusal of a run of refusals, so a flood is audited once, not per request.
 * Time comes from the injected clock.
 */
interface Bucket {
  tokens: number;
  at: number;
  refusing: boolean;
}

export type Take = { ok: true } | { ok: false; retryAfterS: number; first: boolean };

/** Above this many buckets, full ones (idle keys) are dropped. */
const SWEEP_ABOVE = 1_000;

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    private readonly burst: number,
    perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(burst >= 1) || !(perMinute > 0)) throw new RangeError('a bucket needs burst ≥ 1 and perMinute > 0');
    this.perMs = perMinute / 60_000;
  }

  take(key: string): Take {
    const at = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.burst, at, refusing: false };
    b.tokens = Math.min(this.burst, b.tokens + Math.max(0, at - b.at) * this.perMs);
    b.at = at;
    if (this.buckets.size >= SWEEP_ABOVE) this.sweep(at);
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      b.refusing = false;
      return { ok: true };
    }
    const first = !b.refusing;
    b.refusing = true;
    return { ok: false, retryAfterS: Math.max(1, Math.ceil((1 - b.tokens) / this.perMs / 1000)), first };
  }

  /** Forgets a key (a revoked token). */
  forget(key: string): void {
    this.buckets.delete(key);
  }

  get size(): number {
    return this.buckets.size;
  }

  private sweep(at: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + (at - b.at) * this.perMs >= this.burst) this.buckets.delete(key);
    }
  }
}
