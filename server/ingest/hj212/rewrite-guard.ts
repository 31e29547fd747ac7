/**
 * Who delivered each instant first. A reading is stored by MN + CN + DataTime, so a second upload
 * of the same instant overwrites the first. Policy:
 *  - the same values again, from anyone, are a resend (a logger that got no 9014, reconnecting from
 *    a new mobile address): taken, nothing changes;
 *  - other values from the peer address that delivered the instant first are a logger correcting
 *    itself (or resending after a reconnect from the same address): taken;
 *  - other values from any other address are refused (`rewrite_refused`, logged, archived with the
 *    frame): a password that leaked still cannot rewrite what the real logger already sent.
 * Bounded: the instants first delivered within `windowMs`, at most `maxEntries` (oldest forgotten
 * first), since the server started. Older rewrites are still in the raw archive (every frame with
 * its peer and verdict) for an audit. Split uploads are judged part by part (`part`).
 */
import type { FactorValue, Reading } from '../../domain/reading';

export interface RewriteGuardOptions {
  windowMs: number;
  maxEntries: number;
}

export const REWRITE_GUARD_DEFAULTS: RewriteGuardOptions = { windowMs: 24 * 3_600_000, maxEntries: 100_000 };

interface FirstDelivery {
  owner: string;
  digest: number;
  at: number;
}

export type RewriteCheck = { ok: true; resend: boolean } | { ok: false; firstOwner: string; firstAt: number };

/** 53-bit hash (cyrb53) of the factors in a fixed order: equal values, equal digest. */
function digestOf(factors: Record<string, FactorValue>): number {
  const text = Object.keys(factors)
    .sort()
    .map((code) => {
      const v = factors[code] as FactorValue;
      return `${code}:${v.rtd},${v.avg},${v.min},${v.max},${v.zs},${v.cou},${v.flag}`;
    })
    .join(';');
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

export class RewriteGuard {
  private readonly first = new Map<string, FirstDelivery>();

  constructor(private readonly opts: RewriteGuardOptions = REWRITE_GUARD_DEFAULTS) {}

  get size(): number {
    return this.first.size;
  }

  /** Judges `reading` from `owner` (transport + peer address); an admitted new instant is remembered. */
  admit(reading: Reading, owner: string, now: number, part = ''): RewriteCheck {
    this.forget(now);
    const key = `${reading.mn}|${reading.cn}|${reading.ts}|${part}`;
    const digest = digestOf(reading.factors);
    const seen = this.first.get(key);
    if (!seen) {
      this.first.set(key, { owner, digest, at: now });
      return { ok: true, resend: false };
    }
    if (seen.digest === digest) return { ok: true, resend: true };
    if (seen.owner !== owner) return { ok: false, firstOwner: seen.owner, firstAt: seen.at };
    seen.digest = digest;
    return { ok: true, resend: false };
  }

  private forget(now: number): void {
    for (const [key, d] of this.first) {
      if (this.first.size < this.opts.maxEntries && now - d.at <= this.opts.windowMs) break;
      this.first.delete(key);
    }
  }
}
