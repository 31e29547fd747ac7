/**
 * The HJ 212 gateway's forwarding (issue 15 item 4), behind the unchanged processor: the gateway's
 * Hj212Processor is built with this forwarder as its raw archive and its reading sink.
 *
 * - `archive`: an accepted frame is published (QoS 1) in its gateway envelope on its source's topic,
 *   and its `append` resolves only on the broker's PUBACK. The processor sends the 9014 data reply
 *   only once the frame's archive write is durable, so a logger gets its 9014 only after the broker
 *   holds the frame. A refused frame is written to the archive the gateway is given (`refusals`: the
 *   cluster's shared table), never forwarded.
 * - `sink`: the reading the processor builds is not sent (the ingest builds it again from the
 *   frame); `accept` resolves at once, `ready` is the back-pressure of the frames awaiting a PUBACK.
 *
 * Bounded: at most `maxPending` frames await a PUBACK (the broker down: mqtt.js keeps them and sends
 * them on reconnect). Past it the TCP listener stops reading (ready), and a frame that comes anyway
 * is refused (no 9014: the logger resends), counted as `refusedFull` and logged. A frame whose
 * publish fails gets no 9014 either (`failed`).
 */
import { hj212GatewayTopic } from '../../domain/hj212/mqtt-topics';
import type { Logger } from '../../logger';
import type { RawArchive, RawFrameQuery, RawFrameRecord, StoredRawFrame } from '../../storage/raw-archive';
import type { ReadingSink } from '../reading-sink';
import { closedEnvelope, frameEnvelope } from '../hj212/gateway-envelope';

/** Publishes at QoS 1; resolves on the PUBACK, rejects when the publish fails. */
export type PublishQos1 = (topic: string, payload: string) => Promise<void>;

export interface ForwarderOptions {
  /** The gateway's name in its envelopes (its MQTT client id). */
  gateway: string;
  /** Frames awaiting a PUBACK at most. */
  maxPending: number;
}

export interface ForwarderStats {
  /** Frames the broker acknowledged. */
  forwarded: number;
  /** Frames awaiting their PUBACK now. */
  pending: number;
  /** Frames refused because `maxPending` frames awaited a PUBACK. */
  refusedFull: number;
  /** Publishes that failed (no 9014 went out for them). */
  failed: number;
}

const LOG_EVERY_MS = 10_000;

export class BufferFullError extends Error {
  constructor(pending: number) {
    super(`${pending} frames already await the broker's PUBACK: refused (the logger resends)`);
    this.name = 'BufferFullError';
  }
}

/** The IP of `ip:port` (`[v6]:port` or `v4:port`). */
function addressOf(peer: string): string {
  const at = peer.lastIndexOf(':');
  return (at < 0 ? peer : peer.slice(0, at)).replace(/^\[|\]$/g, '');
}

export class FrameForwarder {
  readonly stats: ForwarderStats = { forwarded: 0, pending: 0, refusedFull: 0, failed: 0 };
  private waiters: (() => void)[] = [];
  private lastLog = new Map<string, number>();

  constructor(
    private readonly opts: ForwarderOptions,
    private readonly publish: PublishQos1,
    /** Where refused frames are archived (the shared raw frame table of the cluster). */
    private readonly refusals: RawArchive,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** The processor's raw archive: accepted frames to the broker, refusals to the shared archive. */
  readonly archive: RawArchive = {
    append: (record) => (record.verdict === 'accepted' && record.mn !== null ? this.forward(record) : this.refusals.append(record)),
    query: (q: RawFrameQuery): Promise<StoredRawFrame[]> => this.refusals.query(q),
    prune: (before: number) => this.refusals.prune(before),
    flush: () => this.refusals.flush(),
    close: () => this.refusals.close(),
  };

  /** The processor's reading sink: nothing to store here; waits while the PUBACK window is full. */
  readonly sink: ReadingSink = {
    accept: () => Promise.resolve(),
    ready: () => (this.stats.pending < this.opts.maxPending ? null : new Promise<void>((resolve) => this.waiters.push(resolve))),
  };

  /** Tells the ingest that a logger's connection to this gateway closed (best effort, QoS 1). */
  connectionClosed(peer: string, mns: readonly string[]): void {
    const payload = closedEnvelope(this.opts.gateway, peer);
    for (const mn of mns) {
      this.publish(hj212GatewayTopic(mn), payload).catch((err: Error) => this.warn('closed', { mn, peer, err: err.message }));
    }
  }

  private async forward(record: RawFrameRecord): Promise<void> {
    const mn = record.mn as string;
    if (this.stats.pending >= this.opts.maxPending) {
      this.stats.refusedFull++;
      this.warn('full', { mn, pending: this.stats.pending }, 'gateway buffer full: frame refused, no 9014 (the logger resends)');
      throw new BufferFullError(this.stats.pending);
    }
    const envelope = frameEnvelope({
      gateway: this.opts.gateway,
      peer: record.peer,
      address: addressOf(record.peer),
      receivedAt: record.receivedAt,
      bytes: record.bytes,
    });
    this.stats.pending++;
    try {
      await this.publish(hj212GatewayTopic(mn), envelope);
      this.stats.forwarded++;
    } catch (err) {
      this.stats.failed++;
      this.warn('failed', { mn, err: (err as Error).message }, 'gateway publish failed: no 9014 (the logger resends)');
      throw err;
    } finally {
      this.stats.pending--;
      if (this.stats.pending < this.opts.maxPending) for (const resolve of this.waiters.splice(0)) resolve();
    }
  }

  /** One warning per kind every 10 s; the rest at debug. */
  private warn(kind: string, fields: Record<string, unknown>, msg = 'gateway: telling the ingest a connection closed failed'): void {
    const at = this.now();
    if (at - (this.lastLog.get(kind) ?? -Infinity) < LOG_EVERY_MS) return void this.log.debug(fields, msg);
    this.lastLog.set(kind, at);
    this.log.warn(fields, msg);
  }
}
