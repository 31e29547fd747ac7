/**
 * Keeps a flood of refusals from one peer from flooding the raw archive: per peer (the TCP
 * connection's IP address, or the MQTT topic) and interval, the first `perInterval` refusals are
 * archived verbatim; the rest are counted, per reason, into one aggregate row written when the
 * interval ends (`count` = how many, `detail` saying from when to when, `bytes` a sample of the
 * first). 1 MB of `##0000ZZZZ` is then a bounded number of rows, not 100,000. Accepted frames never
 * pass through here: they are always archived verbatim. Bounded in memory too: at most `maxPeers`
 * peers are tracked; beyond, the oldest is written out and forgotten.
 */
import type { RawArchive, RawFrameRecord } from '../../storage/raw-archive';

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

interface PeerWindow {
  start: number;
  verbatim: number;
  aggregates: Map<string, Aggregate>;
}

export class RefusalThrottle {
  private readonly peers = new Map<string, PeerWindow>();
  private readonly timer: NodeJS.Timeout;
  /** Refusals counted into aggregate rows instead of kept verbatim. */
  aggregated = 0;

  constructor(
    private readonly opts: RefusalThrottleOptions,
    private readonly archive: RawArchive,
    private readonly now: () => number,
  ) {
    this.timer = setInterval(() => this.flushExpired(), opts.intervalMs);
    this.timer.unref();
  }

  /**
   * Archives a refusal from `peerKey` verbatim, or counts it into its aggregate row. Resolves when
   * the verbatim row is durable (at once for a counted one); `verbatim` says which it was.
   */
  append(peerKey: string, record: RawFrameRecord): { verbatim: boolean; durable: Promise<void> } {
    const at = this.now();
    let w = this.peers.get(peerKey);
    if (w && at - w.start >= this.opts.intervalMs) {
      this.writeOut(peerKey, w);
      w = undefined;
    }
    if (!w) {
      if (this.peers.size >= (this.opts.maxPeers ?? 10_000)) this.evictOldest();
      w = { start: at, verbatim: 0, aggregates: new Map() };
      this.peers.set(peerKey, w);
    }
    if (w.verbatim < this.opts.perInterval) {
      w.verbatim++;
      return { verbatim: true, durable: this.archive.append(record) };
    }
    this.aggregated++;
    const agg = w.aggregates.get(record.verdict);
    if (agg) {
      agg.count++;
      agg.lastAt = record.receivedAt;
    } else {
      const first = { ...record, bytes: record.bytes.slice(0, SAMPLE_BYTES) };
      w.aggregates.set(record.verdict, { first, count: 1, lastAt: record.receivedAt });
    }
    return { verbatim: false, durable: Promise.resolve() };
  }

  /** Writes every pending aggregate row (at shutdown). */
  flushAll(): void {
    for (const [key, w] of this.peers) this.writeOut(key, w);
    this.peers.clear();
  }

  close(): void {
    clearInterval(this.timer);
    this.flushAll();
  }

  private flushExpired(): void {
    const at = this.now();
    for (const [key, w] of this.peers) if (at - w.start >= this.opts.intervalMs) this.writeOut(key, w);
  }

  private evictOldest(): void {
    const oldest = this.peers.keys().next();
    if (oldest.done) return;
    this.writeOut(oldest.value, this.peers.get(oldest.value) as PeerWindow);
  }

  private writeOut(key: string, w: PeerWindow): void {
    this.peers.delete(key);
    for (const [reason, a] of w.aggregates) {
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
