/**
 * Brute-force defence for sign-in (HTTP and MQTT user accounts): failures are counted per username
 * and per client IP. `maxFailures` failures within `windowMs` lock that key for `lockMs`; each
 * further lock of the same key doubles (capped at `maxLockMs`) until a success, or until
 * `forgetAfterMs` pass without a failure. The per-IP threshold is higher because an office shares
 * one address. Both keys are counted for unknown usernames too, so a lock does not reveal whether
 * an account exists. In memory: a restart forgets the counters (user-store keeps `lockedUntil`).
 */

export interface LoginGuardOptions {
  maxFailuresPerUsername: number;
  maxFailuresPerIp: number;
  windowMs: number;
  lockMs: number;
  maxLockMs: number;
  forgetAfterMs: number;
  /** Bound on tracked keys; beyond it, idle entries are pruned. */
  maxEntries: number;
}

export const DEFAULT_LOGIN_GUARD: LoginGuardOptions = {
  maxFailuresPerUsername: 5,
  maxFailuresPerIp: 20,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  maxLockMs: 24 * 3_600_000,
  forgetAfterMs: 24 * 3_600_000,
  maxEntries: 100_000,
};

export type GuardVerdict =
  | { allowed: true }
  | { allowed: false; scope: 'username' | 'ip'; lockedUntil: number; /** whole seconds, ≥ 1, for Retry-After */ retryAfterS: number };

interface Entry {
  failures: number;
  windowStart: number;
  lastFailureAt: number;
  lockedUntil: number;
  /** How many locks so far: the next one lasts lockMs · 2^level. */
  level: number;
}

export class LoginGuard {
  private readonly entries = new Map<string, Entry>();
  readonly options: LoginGuardOptions;

  constructor(
    options: Partial<LoginGuardOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.options = { ...DEFAULT_LOGIN_GUARD, ...options };
  }

  /** May this username try from this IP now? */
  check(username: string, ip: string): GuardVerdict {
    const at = this.now();
    const byUser = this.lockOf(userKey(username), at);
    const byIp = this.lockOf(ipKey(ip), at);
    const lock = byUser >= byIp ? { scope: 'username' as const, until: byUser } : { scope: 'ip' as const, until: byIp };
    if (lock.until <= at) return { allowed: true };
    return { allowed: false, scope: lock.scope, lockedUntil: lock.until, retryAfterS: Math.max(1, Math.ceil((lock.until - at) / 1000)) };
  }

  /** Counts a failure; returns the username's lock end if this failure locked it, else null. */
  fail(username: string, ip: string): { usernameLockedUntil: number | null } {
    const at = this.now();
    if (this.entries.size >= this.options.maxEntries) this.prune();
    const u = this.count(userKey(username), this.options.maxFailuresPerUsername, at);
    this.count(ipKey(ip), this.options.maxFailuresPerIp, at);
    return { usernameLockedUntil: u.lockedUntil > at ? u.lockedUntil : null };
  }

  /** A successful sign-in clears the username's record (not the IP's: one valid account must not reset it). */
  succeed(username: string): void {
    this.entries.delete(userKey(username));
  }

  /** Forgets idle entries; returns how many. */
  prune(): number {
    const at = this.now();
    let n = 0;
    for (const [key, e] of this.entries) {
      if (e.lockedUntil <= at && at - e.lastFailureAt >= Math.max(this.options.windowMs, this.options.forgetAfterMs)) {
        this.entries.delete(key);
        n++;
      }
    }
    return n;
  }

  get size(): number {
    return this.entries.size;
  }

  private lockOf(key: string, at: number): number {
    const e = this.entries.get(key);
    return e && e.lockedUntil > at ? e.lockedUntil : 0;
  }

  private count(key: string, max: number, at: number): Entry {
    let e = this.entries.get(key);
    if (e && at - e.lastFailureAt >= this.options.forgetAfterMs && e.lockedUntil <= at) e = undefined;
    e ??= { failures: 0, windowStart: at, lastFailureAt: at, lockedUntil: 0, level: 0 };
    if (e.lockedUntil > at) {
      // Attempts while locked (only possible when the caller skipped check()) do not extend the lock.
      e.lastFailureAt = at;
      this.entries.set(key, e);
      return e;
    }
    if (at - e.windowStart >= this.options.windowMs) (e.failures = 0), (e.windowStart = at);
    e.failures++;
    e.lastFailureAt = at;
    if (e.failures >= max) {
      e.lockedUntil = at + Math.min(this.options.lockMs * 2 ** e.level, this.options.maxLockMs);
      e.level++;
      e.failures = 0;
      e.windowStart = at;
    }
    this.entries.set(key, e);
    return e;
  }
}

const userKey = (username: string) => `u:${username.trim().toLowerCase()}`;
const ipKey = (ip: string) => `ip:${ip}`;
