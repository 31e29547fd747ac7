/**
 * Brute-force defence for one sign-in door (one instance for web sign-in, another for MQTT
 * CONNECTs, so failures at one never slow the other). It never locks an account: what someone
 * else does cannot keep a user with the right password out.
 * - per client (username + address): after `freeFailures` failures, each further attempt from that
 *   client must wait a growing delay (`baseDelayMs`, doubling per failure, capped at `maxDelayMs`);
 *   a success there clears it. Only the guesser at that address waits.
 * - per address, any username (spraying): `maxFailuresPerIp` failures within `windowMs` throttle the
 *   address for `lockMs` (doubling per repeat, capped at `maxLockMs`) — except for clients known
 *   good for the username they try (that username signed in from that address before).
 * - per username, any address (distributed guessing): `maxFailuresPerUsername` failures within
 *   `windowMs` throttle that username the same way, again except for its known-good clients.
 * IPv6 addresses count per /64 for the per-address ceiling. Unknown usernames are counted like
 * known ones, so the answers do not reveal which accounts exist. Counters live in memory (bounded
 * by `maxEntries`; a restart forgets them); known-good clients in a `KnownClients` store.
 */
import { MemoryKnownClients, type KnownClients } from './known-clients';

export interface LoginGuardOptions {
  /** Failures of one username from one address before delays start. */
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxFailuresPerIp: number;
  maxFailuresPerUsername: number;
  windowMs: number;
  lockMs: number;
  maxLockMs: number;
  /** A counter idle this long (and not throttling) is forgotten, with its lock level. */
  forgetAfterMs: number;
  /** Bound on tracked keys; beyond it, idle entries are pruned. */
  maxEntries: number;
}

export const DEFAULT_LOGIN_GUARD: LoginGuardOptions = {
  freeFailures: 5,
  baseDelayMs: 2_000,
  maxDelayMs: 15 * 60_000,
  maxFailuresPerIp: 20,
  maxFailuresPerUsername: 100,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  maxLockMs: 24 * 3_600_000,
  forgetAfterMs: 24 * 3_600_000,
  maxEntries: 100_000,
};

/** `client`: this username from this address; `ip`: this address for any username; `username`: this username from anywhere. */
export type GuardScope = 'client' | 'ip' | 'username';

export type GuardVerdict =
  | { allowed: true }
  | {
      allowed: false;
      scope: GuardScope;
      lockedUntil: number;
      /** whole seconds, ≥ 1, for Retry-After */
      retryAfterS: number;
      /** The first refusal of this throttle: audit and log it; later ones are only counted (a flood writes nothing). */
      first: boolean;
    };

interface Entry {
  failures: number;
  windowStart: number;
  lastFailureAt: number;
  lockedUntil: number;
  /** How many throttles so far: the next one lasts lockMs · 2^level (ip and username entries). */
  level: number;
  /** The throttle end already reported by a refusal (so only its first refusal says `first`). */
  reportedUntil?: number;
}

/** An address as one client: IPv4-mapped IPv6 unwrapped, IPv6 zone dropped. */
export const plainAddress = (ip: string): string => ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '').replace(/%.*$/, '');

/** The per-address key: an IPv4 address, or the /64 of an IPv6 one. */
export function addressKey(ip: string): string {
  const plain = plainAddress(ip);
  if (!plain.includes(':')) return plain;
  const [head = '', tail] = plain.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

const normUser = (username: string): string => username.trim().toLowerCase();
const clientKey = (username: string, ip: string) => `c:${normUser(username)}|${plainAddress(ip)}`;
const userKey = (username: string) => `u:${normUser(username)}`;
const ipKey = (ip: string) => `ip:${addressKey(ip)}`;

export class LoginGuard {
  private readonly entries = new Map<string, Entry>();
  readonly options: LoginGuardOptions;
  /** Attempts refused, per scope (for /healthz). */
  readonly refused: Record<GuardScope, number> = { client: 0, ip: 0, username: 0 };

  constructor(
    options: Partial<LoginGuardOptions> = {},
    private readonly now: () => number = Date.now,
    readonly known: KnownClients = new MemoryKnownClients({}, now),
  ) {
    this.options = { ...DEFAULT_LOGIN_GUARD, ...options };
  }

  /** May this username try from this address now? (Asks the known-good clients only when an address or username throttle applies.) */
  async check(username: string, ip: string): Promise<GuardVerdict> {
    const own = clientKey(username, ip);
    const [byIp, byUser] = [ipKey(ip), userKey(username)];
    const throttled = (at: number) => this.lockOf(byIp, at) > at || this.lockOf(byUser, at) > at;
    let at = this.now();
    if (this.lockOf(own, at) > at) return this.refusal('client', own, at);
    if (!throttled(at)) return { allowed: true };
    if (await this.known.isKnown(username, plainAddress(ip))) return { allowed: true };
    at = this.now(); // the counters may have moved while the store answered
    if (this.lockOf(own, at) > at) return this.refusal('client', own, at);
    const [ipUntil, userUntil] = [this.lockOf(byIp, at), this.lockOf(byUser, at)];
    if (ipUntil <= at && userUntil <= at) return { allowed: true };
    return ipUntil >= userUntil ? this.refusal('ip', byIp, at) : this.refusal('username', byUser, at);
  }

  /** Counts a failure. */
  fail(username: string, ip: string): void {
    const at = this.now();
    if (this.entries.size >= this.options.maxEntries) this.pruneEntries();
    this.countClient(clientKey(username, ip), at);
    this.countThrottle(ipKey(ip), this.options.maxFailuresPerIp, at);
    this.countThrottle(userKey(username), this.options.maxFailuresPerUsername, at);
  }

  /**
   * A successful sign-in: clears this client's delays and remembers it as known good. Without an
   * address (a caller that does not pass it) nothing is cleared or remembered.
   */
  async succeed(username: string, ip?: string): Promise<void> {
    if (ip === undefined) return;
    this.entries.delete(clientKey(username, ip));
    await this.known.remember(username, plainAddress(ip));
  }

  /** A password reset: the username's delays and known-good clients are forgotten. */
  async reset(username: string): Promise<void> {
    const prefix = `c:${normUser(username)}|`;
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
    this.entries.delete(userKey(username));
    await this.known.forget(username);
  }

  /** Forgets idle entries (and stale known-good clients); returns how many entries. */
  async prune(): Promise<number> {
    const n = this.pruneEntries();
    await this.known.prune();
    return n;
  }

  private pruneEntries(): number {
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

  private refusal(scope: GuardScope, key: string, at: number): GuardVerdict {
    const e = this.entries.get(key) as Entry; // lockOf found it throttling
    const until = e.lockedUntil;
    const first = e.reportedUntil !== until;
    e.reportedUntil = until;
    this.refused[scope]++;
    return { allowed: false, scope, lockedUntil: until, retryAfterS: Math.max(1, Math.ceil((until - at) / 1000)), first };
  }

  private lockOf(key: string, at: number): number {
    const e = this.entries.get(key);
    return e && e.lockedUntil > at ? e.lockedUntil : 0;
  }

  /** The entry of `key`, fresh when it was idle past forgetAfterMs. */
  private entry(key: string, at: number): Entry {
    const e = this.entries.get(key);
    if (e && !(at - e.lastFailureAt >= this.options.forgetAfterMs && e.lockedUntil <= at)) return e;
    return { failures: 0, windowStart: at, lastFailureAt: at, lockedUntil: 0, level: 0 };
  }

  /** Per client: every failure past the free ones delays the next attempt, doubling. */
  private countClient(key: string, at: number): void {
    const e = this.entry(key, at);
    e.failures++;
    e.lastFailureAt = at;
    const over = e.failures - this.options.freeFailures;
    if (over > 0) {
      const delay = Math.min(this.options.baseDelayMs * 2 ** Math.min(over - 1, 40), this.options.maxDelayMs);
      e.lockedUntil = Math.max(e.lockedUntil, at + delay);
    }
    this.entries.set(key, e);
  }

  /** Per address or username: `max` failures within the window throttle it, longer each time. */
  private countThrottle(key: string, max: number, at: number): void {
    const e = this.entry(key, at);
    e.lastFailureAt = at;
    if (e.lockedUntil > at) {
      // Failures while throttled (from known-good clients, or callers that skipped check()) do not extend it.
      this.entries.set(key, e);
      return;
    }
    if (at - e.windowStart >= this.options.windowMs) {
      e.failures = 0;
      e.windowStart = at;
    }
    e.failures++;
    if (e.failures >= max) {
      e.lockedUntil = at + Math.min(this.options.lockMs * 2 ** Math.min(e.level, 40), this.options.maxLockMs);
      e.level++;
      e.failures = 0;
      e.windowStart = at;
    }
    this.entries.set(key, e);
  }
}
