/**
 * The broker's own count of messages it dropped (Mosquitto publishes it on
 * `$SYS/broker/publish/messages/dropped` every `sys_interval`, 10 s by default): a QoS 1 reading
 * the broker acknowledged to its logger and then dropped — a subscriber's queue past
 * `max_queued_messages` — never reaches ingest, and nothing else would tell. The first value seen
 * is the broker's total since it started (a warning if not 0); every rise after it is an error
 * log, at most one a minute with what accumulated, and is on `/healthz` and `/metrics`.
 *
 * A broker that does not publish the topic (EMQX, the embedded aedes) or whose ACL refuses it
 * simply never reports: `brokerTotal` stays null.
 */
import type { Logger } from '../logger';
import type { TopicHandler } from './mqtt-transport';

export const MOSQUITTO_DROPPED_TOPIC = '$SYS/broker/publish/messages/dropped';
const LOG_EVERY_MS = 60_000;

export interface BrokerDropStats {
  /** The broker's cumulative count as last published, null until it reports. */
  brokerTotal: number | null;
  /** What the broker dropped while this server watched it. */
  droppedSinceStart: number;
}

export class BrokerDropWatch implements TopicHandler {
  readonly stats: BrokerDropStats = { brokerTotal: null, droppedSinceStart: 0 };
  private unlogged = 0;
  private lastLogAt = -Infinity;

  constructor(
    readonly filter: string,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  matches(topic: string): boolean {
    return topic === this.filter;
  }

  handle(_topic: string, payload: Buffer): null {
    const text = payload.toString('utf8').trim();
    const total = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
    if (Number.isNaN(total)) return null;
    const previous = this.stats.brokerTotal;
    this.stats.brokerTotal = total;
    if (previous === null) {
      if (total > 0) {
        this.log.warn(
          { brokerDropped: total },
          'the broker has dropped messages since it started (a subscriber queue past max_queued_messages): QoS 1 readings may have been lost before ingest',
        );
      }
      return null;
    }
    // A smaller count: the broker restarted and counts from 0 again.
    const rise = total >= previous ? total - previous : total;
    if (rise === 0) return null;
    this.stats.droppedSinceStart += rise;
    this.unlogged += rise;
    const t = this.now();
    if (t - this.lastLogAt >= LOG_EVERY_MS) {
      this.log.error(
        { dropped: this.unlogged, droppedSinceStart: this.stats.droppedSinceStart, brokerDropped: total },
        'the broker dropped messages: readings acknowledged to loggers never reached ingest; raise the broker queue (max_queued_messages) or the ingest capacity',
      );
      this.unlogged = 0;
      this.lastLogAt = t;
    }
    return null;
  }
}
