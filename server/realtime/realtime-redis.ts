/**
 * What the web processes share through Redis (`realtime.redisUrl`): socket.io's Redis adapter, so an
 * emit to a room, or closing a session's sockets, reaches every process; and the alert changes of
 * each audience, numbered and kept there, so the numbers do not depend on a process.
 *
 * One Lua script appends a change: it takes the audience's next number (INCR), keeps the change in
 * the audience's capped list (the last `keep`) and publishes it on one channel — atomically, so
 * every process receives the changes of an audience in the order of their numbers, whichever
 * process made them. An audience's first number is the current time in ms (SET NX), so a Redis
 * that lost its data (it runs without persistence) numbers on above what browsers hold, and they
 * resync instead of taking new changes for old ones.
 *
 * Replies and subscribed messages come on two connections, in no order between them: a change
 * numbered before a read can still be on its way to this process after the read's reply. So the
 * read also publishes a barrier on this process's own channel (same subscription connection, so
 * it comes after every change published before it), and `recent` resolves once the barrier is
 * through: by then every change up to the number it read has been handed to `onEntry`.
 */
import { randomUUID } from 'node:crypto';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { z } from 'zod';
import type { Alert } from '../domain/alert';
import { ALERT_EVENT_KINDS, type AlertEventKind } from '../domain/events';
import type { Logger } from '../logger';

/** An alert change as Redis keeps and publishes it. */
export interface AlertEntry {
  audience: string;
  seq: number;
  kind: AlertEventKind;
  alert: Alert;
}

/** An audience's current number and the changes Redis still keeps (oldest first, contiguous, up to it). */
export interface RecentAlerts {
  seq: number;
  entries: AlertEntry[];
}

export interface RedisAlertLog {
  /** Numbers and publishes one change; resolves its number. */
  append(audience: string, kind: AlertEventKind, alert: Alert): Promise<number>;
  /** The audience's number and kept changes, once every change up to that number has reached `onEntry`. */
  recent(audience: string): Promise<RecentAlerts>;
  /** Every published change of every audience, in each audience's order (one listener). */
  onEntry(listener: (e: AlertEntry) => void): void;
}

export interface RealtimeRedis {
  /** socket.io's Redis adapter (`new Server(http, { adapter })`). */
  adapter: ReturnType<typeof createAdapter>;
  alerts: RedisAlertLog;
  close(): Promise<void>;
}

export interface RealtimeRedisOptions {
  log: Logger;
  /** Alert changes kept per audience for replay (default 1000). */
  keep?: number;
  /** Prefix of every key and channel (default `o3s:rt`). */
  prefix?: string;
  /** How long `recent` waits for its barrier before going on without it, ms (default 5000). */
  barrierMs?: number;
}

const APPEND = `
redis.call('SET', KEYS[1], ARGV[4], 'NX')
local seq = redis.call('INCR', KEYS[1])
local entry = '{"seq":' .. seq .. ',' .. string.sub(ARGV[1], 2)
redis.call('RPUSH', KEYS[2], entry)
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[2]), -1)
redis.call('PUBLISH', ARGV[3], entry)
return seq`;

const RECENT = `
redis.call('SET', KEYS[1], ARGV[1], 'NX')
local reply = { redis.call('GET', KEYS[1]), redis.call('LRANGE', KEYS[2], 0, -1) }
redis.call('PUBLISH', ARGV[2], ARGV[3])
return reply`;

// Redis is ours, but what comes back is still checked before a browser gets it.
const entrySchema = z.object({
  seq: z.number().int().positive(),
  audience: z.string().min(1),
  kind: z.enum(ALERT_EVENT_KINDS),
  alert: z.looseObject({ id: z.number().int(), enterpriseId: z.string() }),
});
const recentSchema = z.tuple([z.string().regex(/^\d+$/), z.array(z.string())]);

const parseEntry = (text: string): AlertEntry => {
  const e = entrySchema.parse(JSON.parse(text));
  return { ...e, alert: e.alert as unknown as Alert };
};

/** Connects (two connections: commands and subscriptions) and subscribes; rejects if Redis cannot be reached. */
export async function connectRealtimeRedis(url: string, opts: RealtimeRedisOptions): Promise<RealtimeRedis> {
  const { log } = opts;
  const keep = opts.keep ?? 1000;
  const prefix = opts.prefix ?? 'o3s:rt';
  const channel = `${prefix}:alerts`;
  const barrierChannel = `${prefix}:barrier:${randomUUID()}`;
  const barrierMs = opts.barrierMs ?? 5_000;
  // Hash tags keep an audience's keys in one slot (Redis Cluster runs a script on one slot only).
  const seqKey = (audience: string) => `${prefix}:{${audience}}:seq`;
  const logKey = (audience: string) => `${prefix}:{${audience}}:log`;

  let ready = false;
  let down = false;
  const pub = createClient({
    url,
    socket: {
      connectTimeout: 5_000,
      // Once up, retry for ever (backing off to 5 s); the first connection fails fast instead.
      reconnectStrategy: (retries) => (ready ? Math.min(200 * 2 ** retries, 5_000) : retries < 3 ? 200 : false),
    },
  });
  const sub = pub.duplicate();
  for (const [name, client] of [
    ['commands', pub],
    ['subscriptions', sub],
  ] as const) {
    client.on('error', (err: Error) => {
      if (down) return; // once per outage, not once per retry
      down = true;
      log.warn({ err, connection: name }, 'redis unreachable: realtime events cross no process until it is back');
    });
    client.on('ready', () => {
      if (down) log.info({ connection: name }, 'redis reachable again');
      down = false;
    });
  }
  await Promise.all([pub.connect(), sub.connect()]);
  ready = true;

  let listener: (e: AlertEntry) => void = () => undefined;
  await sub.subscribe(channel, (message) => {
    let entry: AlertEntry;
    try {
      entry = parseEntry(message);
    } catch (err) {
      log.error({ err, channel }, 'malformed alert change from redis: dropped');
      return;
    }
    listener(entry);
  });
  const barriers = new Map<string, () => void>();
  await sub.subscribe(barrierChannel, (token) => barriers.get(token)?.());

  /** Resolves when `token` comes through the subscription (or after `barrierMs`, with a warning). */
  const barrier = (token: string): { passed: Promise<void>; drop: () => void } => {
    let timer: NodeJS.Timeout | undefined;
    const passed = new Promise<void>((resolve) => {
      barriers.set(token, resolve);
      timer = setTimeout(() => {
        log.warn({ barrierMs }, 'redis subscription lagging: a socket is attached without waiting for it');
        resolve();
      }, barrierMs);
      timer.unref();
    });
    return { passed, drop: () => (clearTimeout(timer), barriers.delete(token)) };
  };

  const alerts: RedisAlertLog = {
    async append(audience, kind, alert) {
      const body = JSON.stringify({ audience, kind, alert });
      const seq = await pub.eval(APPEND, {
        keys: [seqKey(audience), logKey(audience)],
        arguments: [body, String(keep), channel, String(Date.now())],
      });
      return Number(seq);
    },
    async recent(audience) {
      const token = randomUUID();
      const { passed, drop } = barrier(token);
      try {
        const reply = await pub.eval(RECENT, {
          keys: [seqKey(audience), logKey(audience)],
          arguments: [String(Date.now()), barrierChannel, token],
        });
        const [seq, list] = recentSchema.parse(reply);
        await passed;
        return { seq: Number(seq), entries: list.map(parseEntry) };
      } finally {
        drop();
      }
    },
    onEntry(l) {
      listener = l;
    },
  };

  return {
    adapter: createAdapter(pub, sub, { key: `${prefix}:io` }),
    alerts,
    async close() {
      await Promise.allSettled([sub.close(), pub.close()]);
    },
  };
}
