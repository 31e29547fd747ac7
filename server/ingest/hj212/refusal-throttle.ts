/**
 * Keeps a flood of refusals from one peer from flooding the raw archive: per peer (the TCP
 * connection's IP address, or the MQTT topic) and interval, the first `perInterval` refusals are
 * archived verbatim; the rest are counted, per reason, into one aggregate row written when the
 * interval ends (`count` = how many, `detail` saying from when to when, `bytes` a sample of the
 * first). 1 MB of `##0000ZZZZ` is then a bounded number of rows, not 100,000. Accepted frames never
 * pass through here: they are always archived verbatim. Bounded in memory too: at most `maxPeers`
 * peers are tracked; beyond, the oldest is written out and forgotten. The windows are a
 * WindowedCounter per peer.
 */
import type { RawArchive, RawFrameRecord } from '../../storage/raw-archive';
import { WindowedCounter } from '../windowed-counter';

export interface RefusalThrottleOptions {
  /** Refusals archived verbatim per peer and interval; 0: every refusal is aggregated. */
  perInterval: number;
  intervalMs: number;
  /** Peers tracked at once. Default 10,000. */
  maxPeers?: number;
}

const SAMPLE_BYTES = 64;

interface Aggregate {
  first: RawFrameRecord;
  count: number;
  lastAt: number;
}

type Aggregates = Map<string, Aggregate>;

export class RefusalThrottle {
  private readonly peers: WindowedCounter<string, Aggregates>;
  private readonly timer: NodeJS.Timeout;
  /** Refusals counted into aggregate rows instead of kept verbatim. */
  aggregated = 0;

  constructor(
    private readonly opts: RefusalThrottleOptions,
    private readonly archive: RawArchive,
    private readonly now: () => number,
  ) {
    this.peers = new WindowedCounter<string, Aggregates>({
      firstN: opts.perInterval,
      intervalMs: opts.intervalMs,
      maxKeys: opts.maxPeers ?? 10_000,
      state: () => new Map(),
      onClose: (key, window) => this.writeOut(key, window.state),
    });
    this.timer = setInterval(() => this.peers.closeExpired(this.now()), opts.intervalMs);
    this.timer.unref();
  }

  /**
   * Archives a refusal from `peerKey` verbatim, or counts it into its aggregate row. Resolves when
   * the verbatim row is durable (at once for a counted one); `verbatim` says which it was.
   */
  append(peerKey: string, record: RawFrameRecord): { verbatim: boolean; durable: Promise<void> } {
    const { first, window } = this.peers.note(peerKey, this.now());
    if (first) return { verbatim: true, durable: this.archive.append(record) };
    this.aggregated++;
    const agg = window.state.get(record.verdict);
    if (agg) {
      agg.count++;
      agg.lastAt = record.receivedAt;
    } else {
      const sample = { ...record, bytes: record.bytes.slice(0, SAMPLE_BYTES) };
      window.state.set(record.verdict, { first: sample, count: 1, lastAt: record.receivedAt });
    }
    return { verbatim: false, durable: Promise.resolve() };
  }

  /** Writes every pending aggregate row (at shutdown). */
  flushAll(): void {
    this.peers.closeAll();
  }

  close(): void {
    clearInterval(this.timer);
    this.flushAll();
  }

  private writeOut(key: string, aggregates: Aggregates): void {
    for (const [reason, a] of aggregates) {
      const detail = (
        `${a.count} more ${reason} refusals from ${key} between ${new Date(a.first.receivedAt).toISOString()} and ` +
        `${new Date(a.lastAt).toISOString()}, over ${this.opts.perInterval} per ${this.opts.intervalMs / 1000} s: counted, ` +
        `not kept verbatim (bytes: the first ${SAMPLE_BYTES} of the first). First: ${a.first.detail ?? ''}`
      ).slice(0, 1000);
      // An archive failure is logged by the archive; the counters still hold the refusals.
      this.archive.append({ ...a.first, receivedAt: a.lastAt, detail, count: a.count }).catch(() => undefined);
    }
  }
}
