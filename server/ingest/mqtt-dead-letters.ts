/**
 * The dead-letter port over MQTT: a refused message or reading is counted (IngestStats), logged
 * (the first few per reason and interval, then one summary line: rejection-log.ts) and republished,
 * bounded (dead-letter.ts), to the dead-letter topic at QoS 1.
 */
import type { DeadLetters } from '../domain/dead-letters';
import { DEADLETTER_TOPIC } from '../domain/mqtt-contract';
import type { Reading } from '../domain/reading';
import type { Logger } from '../logger';
import { deadLetterJson } from './dead-letter';
import type { IngestStats } from './ingest-stats';
import type { RejectionReason } from './json-payload';
import { RejectionLog } from './rejection-log';

/** Rejections logged in full per reason and interval; the rest are summed up in one line. */
const REJECTION_LOG_FIRST_LINES = 5;
const REJECTION_LOG_INTERVAL_MS = 10_000;
/** A dead letter's body may exceed the payload limit by this much (the brokers cap packets near it). */
const DEAD_LETTER_OVERHEAD_BYTES = 2048;

/** Publishes at QoS 1; `onError` hears a failed publish. */
export type Publish = (topic: string, payload: string | Buffer, onError?: (err: Error) => void) => void;

export interface MqttDeadLettersDeps {
  publish: Publish;
  stats: IngestStats;
  log: Logger;
  /** ingest.maxPayloadBytes: the payload kept in a letter. */
  maxPayloadBytes: number;
  now?: () => number;
}

export class MqttDeadLetters implements DeadLetters<RejectionReason> {
  private readonly rejections: RejectionLog<RejectionReason>;
  private readonly now: () => number;

  constructor(private readonly deps: MqttDeadLettersDeps) {
    this.now = deps.now ?? Date.now;
    this.rejections = new RejectionLog(deps.log, {
      firstLines: REJECTION_LOG_FIRST_LINES,
      intervalMs: REJECTION_LOG_INTERVAL_MS,
      message: 'message rejected',
      now: this.now,
    });
  }

  message(topic: string, payload: Uint8Array, reason: RejectionReason, detail: string): void {
    this.deps.stats.reject(reason);
    this.rejections.note(reason, { topic, detail });
    const bytes = Buffer.from(payload.buffer, payload.byteOffset, payload.length);
    const letter = deadLetterJson(
      { reason, detail, topic, receivedAt: new Date(this.now()).toISOString(), payload: bytes },
      this.deps.maxPayloadBytes,
      this.deps.maxPayloadBytes + DEAD_LETTER_OVERHEAD_BYTES,
    );
    this.deps.publish(DEADLETTER_TOPIC, letter, (err) => this.deps.log.error({ err: err.message, reason }, 'dead-letter publish failed'));
  }

  storeRefused(reading: Reading, detail: string): void {
    this.message(`sentinel/v1/${reading.mn}/data`, Buffer.from(JSON.stringify(reading)), 'store_refused', detail);
  }

  stop(): void {
    this.rejections.stop();
  }
}
