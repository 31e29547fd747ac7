/**
 * MQTT ingest: subscribes to every logger's data topic (QoS 1, fixed client id, clean=false so
 * the broker keeps the session while the server is away), decodes each message and hands the
 * reading to the pipeline. A bad message is rejected with its reason: counted, logged (the first few
 * per reason and interval, then one summary line: rejection-log.ts) and republished to the
 * dead-letter topic; the stream never stops for it.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { HJ212_TOPIC_FILTER, mnFromHj212Topic } from '../domain/hj212/mqtt-topics';
import { DATA_TOPIC_FILTER, DEADLETTER_TOPIC } from '../domain/mqtt-contract';
import type { Reading } from '../domain/reading';
import type { Logger } from '../logger';
import type { IngestStats } from './ingest-stats';
import type { Hj212Ingest } from './hj212/hj212-ingest';
import type { Hj212MqttHandler } from './hj212/mqtt-hj212';
import { decodeJsonMessage, type DecodeContext, type RejectionReason } from './json-payload';
import { deadLetterJson } from './dead-letter';
import { RejectionLog } from './rejection-log';

export interface ReadingSink {
  /** Resolves once the reading is durable (in the spool or the store). */
  accept(reading: Reading): Promise<void>;
  /** null when the sink can take more; else resolves when it can (back-pressure). */
  ready(): Promise<void> | null;
}

const RECONNECT_MIN_MS = 1_000;
/** Rejections logged in full per reason and interval; the rest are summed up in one line. */
const REJECTION_LOG_FIRST_LINES = 5;
const REJECTION_LOG_INTERVAL_MS = 10_000;
const RECONNECT_MAX_MS = 30_000;
/** A dead letter's body may exceed the payload limit by this much (the brokers cap packets near it). */
const DEAD_LETTER_OVERHEAD_BYTES = 2048;

export interface MqttIngestOptions {
  url: string;
  clientId: string;
  username?: string;
  password?: string;
  maxPayloadBytes: number;
  maxFutureSkewMs: number;
  /** ts further in the past is refused (stale_timestamp); 0 or absent: no limit. */
  maxPastAgeMs?: number;
}

export interface MqttIngestDeps {
  lookup: DecodeContext['lookup'];
  sink: ReadingSink;
  stats: IngestStats;
  log: Logger;
  /** Raw HJ 212 frames on sentinel/v1/{mn}/hj212 go here (same rules, replies on …/hj212/reply). */
  hj212?: Hj212Ingest;
  now?: () => number;
}

export class MqttIngest {
  private client: MqttClient | null = null;
  private hj212Handler: Hj212MqttHandler | null = null;
  private readonly lookup: DecodeContext['lookup'];
  private readonly sink: ReadingSink;
  private readonly stats: IngestStats;
  private readonly log: Logger;
  private readonly now: () => number;
  /** Durability of the message being handled: its PUBACK waits for it. */
  private pending: Promise<unknown> | null = null;
  /** Durability of the messages whose PUBACK is held, by message id. */
  private readonly durability = new Map<number, Promise<unknown>>();
  /** PUBACKs go out in the order the messages came (MQTT 3.1.1 §4.6), each once its message is durable. */
  private acks: Promise<void> = Promise.resolve();
  /** Bumped on every disconnect: PUBACKs held for an older connection are never sent. */
  private connection = 0;
  private readonly rejections: RejectionLog<RejectionReason>;

  constructor(
    private readonly opts: MqttIngestOptions,
    private readonly deps: MqttIngestDeps,
  ) {
    ({ lookup: this.lookup, sink: this.sink, stats: this.stats, log: this.log } = deps);
    this.now = deps.now ?? Date.now;
    this.rejections = new RejectionLog(this.log, {
      firstLines: REJECTION_LOG_FIRST_LINES,
      intervalMs: REJECTION_LOG_INTERVAL_MS,
      message: 'message rejected',
      now: this.now,
    });
  }

  async start(): Promise<void> {
    const client = mqtt.connect(this.opts.url, {
      clientId: this.opts.clientId,
      clean: false,
      reconnectPeriod: RECONNECT_MIN_MS,
      // mqtt.js counts only its own pings' answers, not incoming publishes: a PINGRESP queued behind
      // a backlog must arrive within half a keepalive. Two minutes leaves room under back-pressure.
      keepalive: 120,
      connectTimeout: 10_000,
      ...(this.opts.username ? { username: this.opts.username, password: this.opts.password } : {}),
    });
    this.client = client;
    this.hj212Handler = this.deps.hj212?.mqttHandler((t, b) => client.publish(t, Buffer.from(b), { qos: 1 })) ?? null;
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    // mqtt.js handles one packet after another: holding this callback while the spool or the store
    // has no room stops reading from the broker, which keeps any backlog in the broker's queue.
    client.handleMessage = (packet, callback) => {
      const durable = this.pending;
      this.pending = null;
      if (durable && packet.messageId !== undefined) this.durability.set(packet.messageId, durable);
      const room = this.sink.ready();
      if (!room) return callback();
      this.stats.backpressureWaits++;
      room.then(() => callback(), callback);
    };
    this.holdAcks(client);
    // Reconnect with backoff: 1 s, doubling to 30 s while the broker stays away; the session
    // (clean=false) resumes with everything the broker queued meanwhile.
    client.on('close', () => {
      this.connection++;
      this.durability.clear();
      client.options.reconnectPeriod = Math.min(RECONNECT_MAX_MS, (client.options.reconnectPeriod ?? RECONNECT_MIN_MS) * 2);
    });
    client.on('connect', (connack) => {
      if (client.options.reconnectPeriod !== RECONNECT_MIN_MS) this.log.info({ sessionPresent: connack.sessionPresent }, 'reconnected to broker');
      client.options.reconnectPeriod = RECONNECT_MIN_MS;
    });
    client.on('reconnect', () => this.log.warn({ afterMs: client.options.reconnectPeriod }, 'broker connection lost; reconnecting'));
    client.on('error', (err) => this.log.error({ err: err.message }, 'mqtt error'));
    await new Promise<void>((resolve, reject) => {
      client.once('connect', (connack) => {
        this.log.info({ url: this.opts.url, sessionPresent: connack.sessionPresent }, 'connected to broker');
        resolve();
      });
      client.once('error', reject);
    });
    // A resumed session keeps its subscription; subscribing again is harmless and covers a new one.
    const topics = this.hj212Handler ? [DATA_TOPIC_FILTER, HJ212_TOPIC_FILTER] : [DATA_TOPIC_FILTER];
    await client.subscribeAsync(topics, { qos: 1 });
    this.log.info({ topics }, 'subscribed');
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  private onMessage(topic: string, payload: Buffer): void {
    if (this.hj212Handler && mnFromHj212Topic(topic) !== undefined) {
      // Refusals are counted by the HJ 212 stats and kept, with their verdict, in the raw archive.
      this.pending = this.hj212Handler.handle(topic, payload);
      return;
    }
    const decoded = decodeJsonMessage(topic, payload, {
      lookup: this.lookup,
      now: this.now(),
      maxPayloadBytes: this.opts.maxPayloadBytes,
      maxFutureSkewMs: this.opts.maxFutureSkewMs,
      maxPastAgeMs: this.opts.maxPastAgeMs ?? 0,
    });
    if (!decoded.ok) {
      this.reject(topic, payload, decoded.reason, decoded.detail);
      return;
    }
    this.stats.accepted++;
    this.pending = this.sink.accept(decoded.reading);
  }

  /**
   * The PUBACK of a QoS 1 message goes out only once the message is durable (spooled or stored).
   * mqtt.js sends it as soon as the message callback returns; here it is held instead and mqtt.js
   * goes on with the next message at once, so many messages share one spool write (group commit)
   * while the broker's in-flight window (Mosquitto max_inflight_messages) bounds what is unacked.
   * A message that never becomes durable gets no PUBACK: the broker sends it again on reconnect.
   */
  private holdAcks(client: MqttClient): void {
    const internals = client as unknown as { _sendPacket: (packet: { cmd: string; messageId?: number }, cb?: () => void, ...rest: unknown[]) => void };
    const send = internals._sendPacket.bind(client);
    internals._sendPacket = (packet, cb, ...rest) => {
      if (packet.cmd !== 'puback' || packet.messageId === undefined) return send(packet, cb, ...rest);
      const durable = this.durability.get(packet.messageId);
      this.durability.delete(packet.messageId);
      durable?.catch(() => undefined); // its failure is handled in order, below
      cb?.();
      if (!durable) {
        this.acks = this.acks.then(() => send(packet));
        return;
      }
      const connection = this.connection;
      this.acks = this.acks.then(() => durable).then(
        () => {
          if (connection === this.connection) send(packet);
        },
        (err: Error) => {
          this.log.warn({ err: err.message }, 'message not durable: no PUBACK, the broker will send it again');
          // Unacknowledged messages come again only on a new connection.
          if (connection === this.connection) client.stream.destroy();
        },
      );
    };
  }

  /** A reading the store refused for good (poison): dead-lettered so the stream goes on. */
  deadLetterReading(reading: Reading, detail: string): void {
    const topic = `sentinel/v1/${reading.mn}/data`;
    this.reject(topic, Buffer.from(JSON.stringify(reading)), 'store_refused', detail);
  }

  private reject(topic: string, payload: Buffer, reason: RejectionReason, detail: string): void {
    this.stats.reject(reason);
    this.rejections.note(reason, { topic, detail });
    const letter = deadLetterJson(
      { reason, detail, topic, receivedAt: new Date(this.now()).toISOString(), payload },
      this.opts.maxPayloadBytes,
      this.opts.maxPayloadBytes + DEAD_LETTER_OVERHEAD_BYTES,
    );
    this.client?.publish(DEADLETTER_TOPIC, letter, { qos: 1 }, (err) => {
      if (err) this.log.error({ err: err.message, reason }, 'dead-letter publish failed');
    });
  }

  async stop(): Promise<void> {
    await this.client?.endAsync();
    this.client = null;
    this.rejections.stop();
  }
}
