/**
 * The server's MQTT client, a pure transport: subscribes (QoS 1, fixed client id, clean=false so
 * the broker keeps the session while the server is away) to the topic filters of the handlers it is
 * given and hands each message to the first handler that takes its topic (JSON: json-handler.ts,
 * HJ 212: hj212/mqtt-hj212.ts). A handler returns the message's durability: its PUBACK waits for it
 * (mqtt-puback-hold.ts). Decoding, refusals and dead letters are the handlers' business. The broker's
 * PUBLISH packets are read off the connection before mqtt.js (mqtt-publish-intake.ts); mqtt.js keeps
 * the session: connecting, subscribing, keepalive, publishing, and any packet the intake leaves it.
 * `drain()` hands a session over in order (a partition given up by a live worker): no message is
 * taken any more, and those taken get their PUBACK once durable, before the transport stops.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from '../logger';
import { PubackHold } from './mqtt-puback-hold';
import { PublishIntake } from './mqtt-publish-intake';

const RECONNECT_MIN_MS = 1_000;
const NO_TRACE = (): void => undefined;
const RECONNECT_MAX_MS = 30_000;
/** MQTT 5 session expiry unless told: a week of readings queued for an owner. */
const SESSION_EXPIRY_S = 7 * 24 * 3600;
/** Filters per SUBSCRIBE / UNSUBSCRIBE packet (a partition's session has hundreds). */
export const SUBSCRIBE_BATCH = 100;

export interface TopicHandler {
  /** The topic filter subscribed for it. */
  readonly filter: string;
  /** Whether it takes a message on `topic` (handlers are asked in the order given). */
  matches(topic: string): boolean;
  /** Handles one message; the returned promise is its durability (null: nothing to wait for). */
  handle(topic: string, payload: Buffer): Promise<unknown> | null;
}

/** Where and as whom the transport connects. */
export interface MqttConnection {
  url: string;
  username?: string;
  password?: string;
}

/** The connection may be given at start instead (the embedded broker's port is known only then). */
export interface MqttTransportOptions extends Partial<MqttConnection> {
  clientId: string;
  /** MQTT 3.1.1 (4, the default) or 5. */
  protocolVersion?: 4 | 5;
  /** MQTT 5: how long the broker keeps the session (and queues for it) after a disconnect (default 7 days). */
  sessionExpirySeconds?: number;
  /**
   * Asked before every reconnection (a partition's session: does this worker still own it?). When
   * given, the transport reconnects itself only if it answers true; otherwise `onFenced` is told and
   * the transport stays closed, leaving the broker session to its new owner.
   */
  reconnectGuard?: () => Promise<boolean>;
  onFenced?: () => void;
}

export interface MqttRoutes {
  /** Asked in order; the first whose `matches` takes the topic handles the message. */
  handlers: TopicHandler[];
  /** null when the sink can take more; else resolves when it can (the next message waits). */
  ready(): Promise<void> | null;
  /** A message waited for the sink (back-pressure). */
  onWait?(): void;
  /** The topics to subscribe (a partition's sources); absent: each handler's filter. */
  filters?: readonly string[];
  /**
   * Watched at QoS 0 besides the data (the broker's own counters): their handlers return null, and
   * a broker that refuses one only says so in the log.
   */
  watches?: TopicHandler[];
}

/** How a drain ended (MqttTransport.drain). */
export type DrainOutcome = 'drained' | 'overdue' | 'disconnected';

export class MqttTransport {
  private client: MqttClient | null = null;
  /** Durability of the message being handled: its PUBACK waits for it. */
  private pending: Promise<unknown> | null = null;
  private stopping = false;
  /** A guarded transport's next reconnection delay (reset on connect). */
  private guardedDelayMs = RECONNECT_MIN_MS;
  /** Set by drain(): messages are refused without a PUBACK (the broker session keeps them). */
  private draining = false;
  /** The taken message whose PUBACK waits for the sink's room (back-pressure); settled once it is let through. */
  private inHand: Promise<void> = Promise.resolve();
  private pubacks: PubackHold | null = null;
  /** Connections closed since start: a drain during which one closed cannot vouch for its PUBACKs. */
  private closes = 0;

  constructor(
    private readonly opts: MqttTransportOptions,
    private readonly log: Logger,
  ) {}

  async start(routes: MqttRoutes, connection: Partial<MqttConnection> = {}): Promise<void> {
    const at = { ...this.opts, ...connection };
    if (!at.url) throw new Error('MqttTransport.start: no broker url');
    const guarded = this.opts.reconnectGuard !== undefined;
    const client = mqtt.connect(at.url, {
      clientId: this.opts.clientId,
      clean: false,
      ...(this.opts.protocolVersion === 5
        ? { protocolVersion: 5, properties: { sessionExpiryInterval: this.opts.sessionExpirySeconds ?? SESSION_EXPIRY_S } }
        : {}),
      // A guarded transport reconnects itself, once the guard agrees (reconnectGuarded).
      reconnectPeriod: guarded ? 0 : RECONNECT_MIN_MS,
      // mqtt.js counts only its own pings' answers, not incoming publishes: a PINGRESP queued behind
      // a backlog must arrive within half a keepalive. Two minutes leaves room under back-pressure.
      keepalive: 120,
      connectTimeout: 10_000,
      ...(at.username ? { username: at.username, password: at.password } : {}),
      // mqtt.js traces every packet through `debug`, whose call still gathers its arguments into an
      // array when disabled: 2% of all the server allocated under a saturated ingest. Its trace
      // stays available with DEBUG set.
      ...(process.env.DEBUG ? {} : { log: NO_TRACE }),
      // Connected below, once its streams are read by the intake.
      manualConnect: true,
    });
    this.client = client;
    const pubacks = new PubackHold(client, this.log);
    this.pubacks = pubacks;
    // Watches first: the last data handler takes every other topic.
    const handlers = [...(routes.watches ?? []), ...routes.handlers];
    const handlerOf = (topic: string): TopicHandler | undefined => {
      for (const h of handlers) if (h.matches(topic)) return h;
      return undefined;
    };
    // The broker's PUBLISH packets, read before mqtt.js: handled, their PUBACK held until durable, and
    // nothing more read while the sink has no room. Draining: left without a PUBACK, as below.
    const intake = new PublishIntake((topic, payload, qos, messageId) => {
      if (this.draining) return null;
      const handler = handlerOf(topic);
      const durable = handler ? handler.handle(topic, payload) : null;
      if (qos === 1) pubacks.acknowledge(messageId, durable);
      const room = routes.ready();
      if (!room) return null;
      routes.onWait?.();
      this.inHand = room;
      return room;
    }, this.opts.protocolVersion ?? 4);
    intake.install(client);
    // What the intake leaves to mqtt.js (a QoS 2 PUBLISH, one it cannot frame) comes this way.
    client.on('message', (topic, payload) => {
      if (this.draining) return; // refused below, untouched
      const handler = handlerOf(topic);
      this.pending = handler ? handler.handle(topic, payload) : null;
    });
    // mqtt.js handles one packet after another: holding this callback while the spool or the store
    // has no room stops reading from the broker, which keeps any backlog in the broker's queue.
    client.handleMessage = (packet, callback) => {
      // Draining: an error skips the PUBACK and mqtt.js goes on (its own PUBACKs and PINGRESPs still come).
      if (this.draining) return callback(new Error('draining: the message is left to the next session'));
      const durable = this.pending;
      this.pending = null;
      if (durable && packet.messageId !== undefined) pubacks.track(packet.messageId, durable);
      const room = routes.ready();
      if (!room) return callback();
      routes.onWait?.();
      this.inHand = room.then(() => callback(), callback);
    };
    // Reconnect with backoff: 1 s, doubling to 30 s while the broker stays away; the session
    // (clean=false) resumes with everything the broker queued meanwhile.
    client.on('close', () => {
      this.closes++;
      pubacks.disconnected();
      if (guarded) return this.reconnectGuarded(client);
      client.options.reconnectPeriod = Math.min(RECONNECT_MAX_MS, (client.options.reconnectPeriod ?? RECONNECT_MIN_MS) * 2);
    });
    let connects = 0;
    client.on('connect', (connack) => {
      if (guarded ? connects++ > 0 : client.options.reconnectPeriod !== RECONNECT_MIN_MS) {
        this.log.info({ sessionPresent: connack.sessionPresent }, 'reconnected to broker');
      }
      client.options.reconnectPeriod = guarded ? 0 : RECONNECT_MIN_MS;
      this.guardedDelayMs = RECONNECT_MIN_MS;
    });
    client.on('reconnect', () => this.log.warn({ afterMs: client.options.reconnectPeriod }, 'broker connection lost; reconnecting'));
    client.on('error', (err) => this.log.error({ err: err.message }, 'mqtt error'));
    await new Promise<void>((resolve, reject) => {
      client.once('connect', (connack) => {
        this.log.info({ url: at.url, sessionPresent: connack.sessionPresent }, 'connected to broker');
        resolve();
      });
      client.once('error', reject);
      client.connect();
    });
    // A resumed session keeps its subscription; subscribing again is harmless and covers a new one.
    const topics = routes.filters ?? routes.handlers.map((h) => h.filter);
    await this.subscribe(topics);
    this.log.info({ topics: topics.length > 10 ? topics.length : topics }, 'subscribed');
    for (const w of routes.watches ?? []) {
      await client.subscribeAsync(w.filter, { qos: 0 }).then(
        () => this.log.info({ topic: w.filter }, 'watching'),
        (err: Error) => this.log.info({ topic: w.filter, err: err.message }, 'the broker refused a watch: its figure stays unknown'),
      );
    }
  }

  /** Subscribes at QoS 1 to more topics, SUBSCRIBE_BATCH filters per packet. */
  async subscribe(filters: readonly string[]): Promise<void> {
    for (let i = 0; i < filters.length; i += SUBSCRIBE_BATCH) {
      await this.client?.subscribeAsync(filters.slice(i, i + SUBSCRIBE_BATCH), { qos: 1 });
    }
  }

  async unsubscribe(filters: readonly string[]): Promise<void> {
    for (let i = 0; i < filters.length; i += SUBSCRIBE_BATCH) {
      await this.client?.unsubscribeAsync(filters.slice(i, i + SUBSCRIBE_BATCH));
    }
  }

  /** After a guarded transport's connection closed: wait the backoff, ask the guard, then reconnect or give up. */
  private reconnectGuarded(client: MqttClient): void {
    if (this.stopping || this.draining || this.client !== client) return;
    const delayMs = this.guardedDelayMs;
    this.guardedDelayMs = Math.min(RECONNECT_MAX_MS, delayMs * 2);
    setTimeout(() => {
      if (this.stopping || this.client !== client || client.connected) return;
      void this.opts.reconnectGuard!().then(
        (ok) => {
          if (this.stopping || this.client !== client) return;
          if (!ok) {
            this.log.warn('not reconnecting: the session belongs to another owner now');
            this.opts.onFenced?.();
            return;
          }
          client.reconnect();
        },
        (err: unknown) => this.log.error({ err }, 'reconnect guard failed'),
      );
    }, delayMs);
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** Publishes at QoS 1 (dropped before start); `onError` hears a failed publish. */
  publish(topic: string, payload: string | Buffer, onError?: (err: Error) => void): void {
    this.client?.publish(topic, payload, { qos: 1 }, (err) => {
      if (err) onError?.(err);
    });
  }

  /**
   * Stops taking messages and waits, at most `ms`, until every message already taken has its PUBACK
   * out (durable, then acknowledged). What comes after is refused without a PUBACK: the broker keeps
   * it in the session for whoever connects with this client id next. `drained`: every PUBACK went out
   * on the connection its message came on; `overdue`: `ms` passed first; `disconnected`: the
   * connection was down or closed meanwhile (what was held is redelivered). Then `stop()`.
   */
  async drain(ms: number): Promise<DrainOutcome> {
    this.draining = true;
    const { client, pubacks } = this;
    if (!client || !pubacks || !client.connected) return 'disconnected';
    const closes = this.closes;
    let timer: NodeJS.Timeout | undefined;
    const overdue = new Promise<'overdue'>((resolve) => (timer = setTimeout(() => resolve('overdue'), ms)));
    const settled = this.inHand.then(() => pubacks.idle()).then(() => 'settled' as const);
    try {
      const outcome = await Promise.race([settled, overdue]);
      if (outcome === 'overdue') return outcome;
      return this.closes === closes && client.connected ? 'drained' : 'disconnected';
    } finally {
      clearTimeout(timer);
    }
  }

  /** Disconnects (DISCONNECT after what is written); `force`: closes the socket at once, waiting for nothing. */
  async stop(force = false): Promise<void> {
    this.stopping = true;
    await this.client?.endAsync(force);
    this.client = null;
  }
}
