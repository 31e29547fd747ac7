/**
 * A `Publisher` (simulators/transport.ts) that speaks HJ 212 instead of JSON, so the existing
 * fleet, kind generators and scenarios drive HJ 212 loggers unchanged: each JSON message the
 * fleet publishes becomes an HJ 212 frame (with an injected fault now and then), written on the
 * logger's link (TCP connection or MQTT client); publish() resolves when the server's 9014 for it
 * arrived, so the fleet's `published` counts acknowledged uploads.
 */
import { mnFromTopic, type LoggerMessage } from '../../server/domain/mqtt-contract';
import type { Source } from '../../server/domain/registry';
import type { Rng } from '../random';
import type { Publisher } from '../transport';
import { HJ212_FAULTS, planUpload, type Hj212Fault } from './faults';
import type { ReplyCounters, ReplyTracker } from './reply-tracker';
import { ST_OF_KIND, uploadFrame } from './upload-frame';

/** Where a simulated logger's bytes go. */
export interface Hj212Link {
  /** Writes one run of bytes (one TCP write, one MQTT message) for logger `mn`. */
  write(mn: string, bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export interface Hj212SimCounters extends ReplyCounters {
  /** Uploads turned into frames. */
  uploads: number;
  /** Frames (or byte runs) written. */
  writes: number;
  /** Frames sent that the server must refuse (injected faults). */
  refusedSent: number;
  faults: Record<Hj212Fault, number>;
}

export const emptySimCounters = (): Hj212SimCounters => ({
  uploads: 0,
  writes: 0,
  refusedSent: 0,
  dataReplies: 0,
  refusals: 0,
  commands: 0,
  timeouts: 0,
  badReplies: 0,
  faults: Object.fromEntries(HJ212_FAULTS.map((f) => [f, 0])) as Record<Hj212Fault, number>,
});

export interface Hj212PublisherOptions {
  lookup: (mn: string) => Source | undefined;
  rng: Rng;
  /** Probability that an upload carries a fault. Default 0. */
  faultRate?: number;
  /** The faults to draw from. Default all. */
  faults?: readonly Hj212Fault[];
  /** The logger's password when its source has none. */
  defaultPw?: string;
  replyTimeoutMs?: number;
  clock?: () => number;
}

export class Hj212Publisher implements Publisher {
  private lastQnAt = 0;
  /** The writes of one upload never interleave with another's (a logger sends frame after frame). */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly link: Hj212Link,
    private readonly tracker: ReplyTracker,
    private readonly counters: Hj212SimCounters,
    private readonly opts: Hj212PublisherOptions,
  ) {}

  private nextQnAt = (): number => (this.lastQnAt = Math.max((this.opts.clock ?? Date.now)(), this.lastQnAt + 1));

  private pickFault(): Hj212Fault | null {
    const faults = this.opts.faults ?? HJ212_FAULTS;
    if (faults.length === 0 || this.opts.rng() >= (this.opts.faultRate ?? 0)) return null;
    return faults[Math.floor(this.opts.rng() * faults.length)] ?? null;
  }

  async publish(topic: string, payload: string): Promise<void> {
    const mn = mnFromTopic(topic) ?? 'unknown';
    let message: LoggerMessage;
    try {
      message = JSON.parse(payload) as LoggerMessage;
      if (typeof message !== 'object' || message === null || !message.factors) throw new TypeError('not a logger message');
    } catch {
      // The fleet's malformed scenario: the broken text goes out as bytes that are not a frame.
      this.counters.refusedSent++;
      await this.serially(() => this.write(mn, new TextEncoder().encode(payload)));
      return;
    }
    const source = this.opts.lookup(mn);
    const fault = this.pickFault();
    if (fault) this.counters.faults[fault]++;
    const frame = uploadFrame(message, {
      mn,
      pw: source?.pw ?? this.opts.defaultPw ?? '123456',
      st: source ? ST_OF_KIND[source.kind] : '31',
      qnAt: this.nextQnAt(),
      legacy: fault === 'legacy_codes',
    });
    const plan = planUpload(frame, fault, this.opts.rng, this.nextQnAt);
    this.counters.uploads++;
    this.counters.refusedSent += plan.refused;
    const replied = this.tracker.expect(source ? plan.expectReplies : [], this.opts.replyTimeoutMs ?? 10_000);
    await this.serially(async () => {
      for (const w of plan.writes) await this.write(w.mn, w.bytes);
    });
    await replied;
  }

  private serially(writes: () => Promise<void>): Promise<void> {
    const done = this.writing.then(writes);
    this.writing = done.catch(() => undefined); // a failed write fails its own publish only
    return done;
  }

  private async write(mn: string, bytes: Uint8Array): Promise<void> {
    this.counters.writes++;
    await this.link.write(mn, bytes);
  }

  close(): Promise<void> {
    return this.link.close();
  }
}
