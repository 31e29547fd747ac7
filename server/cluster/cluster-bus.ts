/**
 * The cluster bus (issue 15): the internal events that change what other processes keep in memory
 * cross processes through Redis (`realtime.redisUrl`, REDIS_URL — the Redis the web tier already
 * shares), so each process's copies stay right: the open alerts, the silences and maintenance
 * windows, the registry, the rule pack and overrides, the identities revoked.
 *
 * What travels is a hint, not the state: "alert 42 changed", "the registry is at version 7" — the
 * receiver reads the store (PostgreSQL, DATABASE_URL), which holds the truth. So a message that comes
 * late, twice or out of order can never put older state in memory (the store gives the newest; the
 * alert copy also keeps the higher version), and a missed one is repaired by reading again. The rule
 * pack and overrides too: "the rules changed", and the receiver re-reads them all from the rule store.
 *
 * Echo: each message names the process that sent it, which ignores its own. A receiver never emits
 * the event again on its own bus, where the realtime hub would publish it to browsers a second time
 * (the sender's hub did, through Redis) and the notifier or the grades would act twice; it calls
 * the receiving stage's port instead. The one re-emission is the registry's: `follow()` swaps in the
 * stored registry and emits `registry:changed` so this process's rules, subscriptions and logger
 * connections follow; its actor is FROM_STORE, and such a change is not sent on.
 *
 * Redis down, or a message missed: Redis pub/sub keeps nothing. While this process is cut off its
 * own messages wait in the client's queue and go out when it is back; what others sent meanwhile is
 * lost, so when the subscription is back (and once at start, after subscribing) the process reads
 * again what it keeps: every open alert and the suppressions (`reloadAll`) and the registry.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { z } from 'zod';
import type { Alert } from '../domain/alert';
import { ALERT_EVENT_KINDS, RULES_CHANGE_KINDS, type LatestValues } from '../domain/events';
import type { EventBus, InternalEvents } from '../domain/internal-events';
import { REVOCATION_REASONS, type IdentityRevoked } from '../domain/principal';
import { DATA_FLAGS, DATA_KINDS } from '../domain/reading';
import { FROM_STORE } from '../domain/registry-view';
import type { Logger } from '../logger';
import type { PartitionOwnership } from './ownership';

/** What travels for each crossing event (checked when it comes back from Redis). */
const WIRE = {
  'alert:changed': z.object({ id: z.number().int().positive(), kind: z.enum(ALERT_EVENT_KINDS) }),
  'suppression:changed': z.object({ silence: z.number().int().optional(), window: z.number().int().optional() }),
  'registry:changed': z.object({ version: z.number().int().positive() }),
  'rules:changed': z.object({ kind: z.enum(RULES_CHANGE_KINDS), mn: z.string().nullable() }),
  'user:revoked': z.object({
    userId: z.number().int(),
    reason: z.enum(REVOCATION_REASONS),
    sessionId: z.string().optional(),
    at: z.number(),
  }),
} satisfies { [K in keyof InternalEvents]?: z.ZodType };

/** The internal events that cross processes. */
export type CrossingEvent = keyof typeof WIRE;
export const CROSSING = Object.keys(WIRE) as CrossingEvent[];
type Wire = { [K in CrossingEvent]: z.infer<(typeof WIRE)[K]> };

/** The ports of this process that other processes' changes reach (absent: the role has no such stage). */
export interface ClusterMembers {
  alerts: {
    onRemoteChange(alert: Pick<Alert, 'id'>): Promise<Alert | undefined>;
    reloadAll(): Promise<void>;
    suppressions: { reload(): Promise<void> };
  };
  /** Other memories that follow alerts (the source views' "exceeding"), told the alert as stored. */
  alertSeen?: (alert: Alert) => void;
  /** Wakes the outbox delivery: the messages of a new or escalated alert were written by another process. */
  kick?: () => void;
  registry?: { version(): number; follow(): Promise<unknown> };
  /** The rule pack and overrides, re-read from the rule store. */
  rules?: { reloadConfig(): Promise<void> };
  /** Closes this process's handshakes and sockets of a revoked identity. */
  revokeHere?: (e: IdentityRevoked) => void;
  /** Another process's sources' latest values (its source views: latest values and status); moves forward only. */
  latest?: (lv: LatestValues) => void;
}

/** Each crossing event: what is sent for a change made here (null: nothing), and what a receiving process does. */
const CROSSINGS: {
  [K in CrossingEvent]: {
    send(e: InternalEvents[K], m: ClusterMembers): Wire[K] | null;
    receive(w: Wire[K], m: ClusterMembers): Promise<void> | void;
  };
} = {
  'alert:changed': {
    send: (e) => ({ id: e.alert.id, kind: e.kind }),
    async receive(w, m) {
      const alert = await m.alerts.onRemoteChange(w);
      if (alert) m.alertSeen?.(alert);
      if (w.kind === 'opened' || w.kind === 'escalated') m.kick?.();
    },
  },
  'suppression:changed': {
    send: (c) => ('silence' in c ? { silence: c.silence.id } : { window: c.window.id }),
    receive: (_w, m) => m.alerts.suppressions.reload(),
  },
  'registry:changed': {
    send: (c) => (c.actor === FROM_STORE ? null : { version: c.version }),
    async receive(w, m) {
      if (m.registry && w.version > m.registry.version()) await m.registry.follow();
    },
  },
  'rules:changed': {
    send: (e) => ({ kind: e.kind, mn: e.mn }),
    receive: (_w, m) => m.rules?.reloadConfig(),
  },
  'user:revoked': {
    send: (e) => e,
    receive: (w, m) => m.revokeHere?.(w),
  },
};

/** What is sent to the other processes for a change made here (null: nothing, e.g. a registry read from the store). */
export function wireOf<K extends CrossingEvent>(event: K, payload: InternalEvents[K], members: ClusterMembers): Wire[K] | null {
  return (CROSSINGS[event] as { send(e: InternalEvents[K], m: ClusterMembers): Wire[K] | null }).send(payload, members);
}

/** The latest values heard by a process since its last batch (not an internal event of its own: a batch of `reading:latest`). */
const LATEST = 'reading:latest-batch';
const factorValueSchema = z.object({ flag: z.enum(DATA_FLAGS) }).catchall(z.number());
const latestBatchSchema = z
  .array(
    z.object({
      mn: z.string().min(1).max(64),
      cn: z.enum(DATA_KINDS),
      ts: z.number(),
      factors: z.record(z.string(), factorValueSchema),
    }),
  )
  .max(1_000_000);

const envelopeSchema = z.object({
  origin: z.string().min(1),
  event: z.enum([LATEST, ...CROSSING]),
  payload: z.unknown(),
});

export interface ClusterBusStats {
  sent: number;
  received: number;
  /** Messages dropped as malformed, and receivers that failed (logged). */
  failed: number;
  /** Full reloads after the subscription came back (and the one at start). */
  resyncs: number;
}

export interface ClusterBus {
  readonly origin: string;
  readonly stats: ClusterBusStats;
  /** Reads again everything this process keeps (what a reconnect does); resolves when done. */
  resync(): Promise<void>;
  stop(): Promise<void>;
}

export interface ClusterBusOptions {
  /** Redis (REDIS_URL); the bus runs only with it and a shared database. */
  redisUrl: string;
  /** The shared database (DATABASE_URL): without it the memories have no common store to read. */
  databaseUrl: string;
  /** Channel name (default `o3s:bus`). */
  channel?: string;
  /** How often the latest values heard here go out, a source's newest only (default 1 s). */
  latestEveryMs?: number;
}

/** Runs `job` so that calls made while a run waits to start share it: a burst of calls costs at most two runs. */
export function coalesced(job: () => Promise<void>): () => Promise<void> {
  let tail: Promise<void> = Promise.resolve();
  let waiting: Promise<void> | null = null;
  return () => {
    if (waiting) return waiting;
    const run = tail.then(() => {
      waiting = null;
      return job();
    });
    waiting = run;
    tail = run.catch(() => undefined);
    return run;
  };
}

/**
 * Connects to Redis, sends the crossing events made here and receives the others'. Null (nothing
 * started) without a Redis URL or a shared database: the single process has nothing to share.
 * Rejects when Redis cannot be reached at start.
 */
export async function startClusterBus(
  opts: ClusterBusOptions,
  deps: { events: EventBus; members: ClusterMembers; log: Logger },
): Promise<ClusterBus | null> {
  if (!opts.redisUrl || !opts.databaseUrl) return null;
  const { events, members, log } = deps;
  const channel = opts.channel ?? 'o3s:bus';
  const origin = randomUUID();
  const stats: ClusterBusStats = { sent: 0, received: 0, failed: 0, resyncs: 0 };
  let started = false;
  let cutOff = false;
  const pub = createClient({
    url: opts.redisUrl,
    socket: {
      connectTimeout: 5_000,
      // Once up, retry for ever (backing off to 5 s); the first connection fails fast instead.
      reconnectStrategy: (retries) => (started ? Math.min(200 * 2 ** retries, 5_000) : retries < 3 ? 200 : false),
    },
  });
  const sub = pub.duplicate();
  pub.on('error', () => undefined); // the subscription's connection says it once (below)
  sub.on('error', (err: Error) => {
    if (cutOff || !started) return;
    cutOff = true;
    log.warn({ err }, 'redis unreachable: other processes’ changes do not reach this one until it is back');
  });

  const reload = coalesced(async () => {
    stats.resyncs++;
    const t0 = performance.now();
    await Promise.all([members.alerts.reloadAll(), members.registry?.follow(), members.rules?.reloadConfig()]);
    log.info({ ms: Math.round(performance.now() - t0) }, 'cluster bus: alerts, suppressions, registry and rules read again from the store');
  });
  const resync = () =>
    reload().catch((err: unknown) => {
      stats.failed++;
      log.error({ err }, 'cluster bus: reading the state again failed');
    });
  sub.on('ready', () => {
    if (!cutOff) return;
    cutOff = false;
    log.info('redis reachable again: reading again what other processes changed meanwhile');
    void resync();
  });

  const receive = (message: string): void => {
    const envelope = envelopeSchema.safeParse(safeJson(message));
    if (!envelope.success) return void (stats.failed++, log.error({ channel }, 'cluster bus: malformed message dropped'));
    const { event, payload } = envelope.data;
    if (envelope.data.origin === origin) return;
    if (event === LATEST) return receiveLatest(payload);
    const parsed = WIRE[event as CrossingEvent].safeParse(payload);
    if (!parsed.success) return void (stats.failed++, log.error({ event }, 'cluster bus: malformed payload dropped'));
    stats.received++;
    const crossing = CROSSINGS[event as CrossingEvent] as { receive(w: unknown, m: ClusterMembers): Promise<void> | void };
    Promise.resolve()
      .then(() => crossing.receive(parsed.data, members))
      .catch((err: unknown) => (stats.failed++, log.error({ err, event }, 'cluster bus: another process’s change not taken')));
  };

  const receiveLatest = (payload: unknown): void => {
    const parsed = latestBatchSchema.safeParse(payload);
    if (!parsed.success) return void (stats.failed++, log.error({ event: LATEST }, 'cluster bus: malformed payload dropped'));
    stats.received++;
    if (members.latest) for (const lv of parsed.data) members.latest(lv as LatestValues);
  };

  await Promise.all([pub.connect(), sub.connect()]).catch(async (err: unknown) => {
    await Promise.allSettled([pub.close(), sub.close()]);
    throw new Error(`the cluster bus could not reach redis at ${redactUrl(opts.redisUrl)}`, { cause: err });
  });
  await sub.subscribe(channel, receive);
  started = true;

  const send = (event: CrossingEvent | typeof LATEST, wire: unknown): void => {
    stats.sent++;
    pub.publish(channel, JSON.stringify({ origin, event, payload: wire })).catch((err: unknown) => {
      stats.failed++;
      log.error({ err, event }, 'cluster bus: a change not sent to the other processes');
    });
  };
  const unsubscribe = CROSSING.map((event) =>
    events.on(event, (payload: InternalEvents[typeof event]) => {
      const wire = wireOf(event, payload, members);
      if (wire !== null) send(event, wire);
    }),
  );
  // Latest values go by value (a read per reading would cost more than the reading), a source's
  // newest of each kind per period: the hot path only sets a map entry.
  const pendingLatest = new Map<string, LatestValues>();
  unsubscribe.push(events.on('reading:latest', (lv) => void pendingLatest.set(`${lv.mn}/${lv.cn}`, lv)));
  const latestTimer = setInterval(() => {
    if (pendingLatest.size === 0) return;
    const batch = [...pendingLatest.values()];
    pendingLatest.clear();
    send(LATEST, batch);
  }, opts.latestEveryMs ?? 1_000).unref();
  // What others changed between this process's first reads and the subscription.
  await resync();
  log.info({ channel, origin }, 'cluster bus: sharing alert, suppression, registry, rule and revocation changes through redis');

  return {
    origin,
    stats,
    resync,
    async stop() {
      clearInterval(latestTimer);
      for (const off of unsubscribe) off();
      await Promise.allSettled([sub.close(), pub.close()]);
    },
  };
}

/**
 * An ingest worker that takes partitions reads the open alerts and suppressions again first, so it
 * plans from the stored truth (what the previous owner wrote). The partitions of one check are taken
 * side by side: they share one reload. Awaited before the partitions' MQTT sessions open when
 * registered before them.
 */
export function reloadOnAcquire(ownership: Pick<PartitionOwnership, 'on'>, alerts: { reloadAll(): Promise<void> }): void {
  const reload = coalesced(() => alerts.reloadAll());
  ownership.on('acquired', () => reload());
}

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

const redactUrl = (url: string): string => url.replace(/\/\/([^@/]*)@/, '//***@');
