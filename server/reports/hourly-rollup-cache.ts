/**
 * The hourly rollup as the reports read it: closed source-hours from memory, else from the rollup
 * store, else computed from the raw records (two queries per source and range: minute and
 * real-time data) and kept — in the store and in memory — once the hour is closed (its end plus
 * the rule pack's grace has passed). A late reading for a closed hour drops the kept entry at once,
 * and for `settleMs` afterwards (while the reading may still be on its way to the store) that hour
 * is recomputed on every read and not kept, so the next kept entry includes it.
 */
import type { Reading } from '../domain/reading';
import type { Logger } from '../logger';
import type { HourlyRollupStore, SourceHour, SourceHourKey } from '../storage/hourly-rollup';
import type { StoredRecord, TelemetryRecordReader } from '../storage/telemetry-store';
import { aggregateHour, type ConversionSettings } from './hour-aggregate';
import { HOUR_MS, hoursIn, hourStartOf } from '../domain/local-time';

export interface HourlyRollupCacheOptions {
  records: TelemetryRecordReader;
  store: HourlyRollupStore;
  conversion: (mn: string) => ConversionSettings;
  utcOffsetMinutes: number;
  /** An hour is closed (kept) once its end plus this has passed. */
  graceMs: () => number;
  settleMs: number;
  /** Source-hours kept in memory (oldest forgotten first). */
  memoryEntries: number;
  /** Raw queries in flight at once when computing. */
  concurrency: number;
  now: () => number;
  log: Logger;
}

const keyOf = (mn: string, hour: number): string => `${mn}@${hour}`;

function groupByHour(records: readonly StoredRecord[], utcOffsetMinutes: number): Map<number, StoredRecord[]> {
  const out = new Map<number, StoredRecord[]>();
  for (const r of records) {
    const h = hourStartOf(r.ts, utcOffsetMinutes);
    let list = out.get(h);
    if (!list) out.set(h, (list = []));
    list.push(r);
  }
  return out;
}

async function pool<T>(items: readonly T[], concurrency: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

export class HourlyRollupCache {
  private readonly memory = new Map<string, SourceHour>();
  /** Hours a late reading touched, and until when they are not kept. */
  private readonly unsettled = new Map<string, number>();
  private pendingDrops: SourceHourKey[] = [];
  private dropTimer: NodeJS.Timeout | null = null;
  private dropping: Promise<void> = Promise.resolve();

  constructor(private readonly o: HourlyRollupCacheOptions) {}

  private isClosed(hour: number, now: number): boolean {
    return hour + HOUR_MS + this.o.graceMs() <= now;
  }

  private isUnsettled(key: string, now: number): boolean {
    const until = this.unsettled.get(key);
    return until !== undefined && until > now;
  }

  /** Called by the pipeline for every accepted reading: a late one drops its hour. */
  onReading(r: Reading): void {
    if (r.cn !== '2011' && r.cn !== '2051') return;
    const now = this.o.now();
    const hour = hourStartOf(r.ts, this.o.utcOffsetMinutes);
    if (!this.isClosed(hour, now)) return; // an open hour is never kept
    const key = keyOf(r.mn, hour);
    const wasUnsettled = this.isUnsettled(key, now);
    this.unsettled.set(key, now + this.o.settleMs);
    if (wasUnsettled) return; // already dropped, and not kept since
    this.memory.delete(key);
    this.pendingDrops.push({ mn: r.mn, hour });
    this.dropTimer ??= setTimeout(() => this.flushDrops(), 100).unref();
  }

  private flushDrops(): void {
    this.dropTimer = null;
    const keys = this.pendingDrops;
    this.pendingDrops = [];
    const now = this.o.now();
    for (const [k, until] of this.unsettled) if (until <= now) this.unsettled.delete(k);
    this.dropping = this.dropping
      .then(() => this.o.store.drop(keys))
      .catch((err: Error) =>
        this.o.log.error({ err, hours: keys.length }, 'could not drop late hours from the rollup; they stay unsettled in memory'),
      );
  }

  /** Drops still queued reach the store. */
  async flush(): Promise<void> {
    if (this.dropTimer) {
      clearTimeout(this.dropTimer);
      this.flushDrops();
    }
    await this.dropping;
  }

  private remember(h: SourceHour): void {
    const key = keyOf(h.mn, h.hour);
    this.memory.delete(key);
    this.memory.set(key, h);
    if (this.memory.size > this.o.memoryEntries) {
      const oldest = this.memory.keys().next().value;
      if (oldest !== undefined) this.memory.delete(oldest);
    }
  }

  /** Every hour in [from, to) (hour-aligned) of each source: mn → hour start → SourceHour. */
  async hours(mns: readonly string[], from: number, to: number, allSources = false): Promise<Map<string, Map<number, SourceHour>>> {
    const now = this.o.now();
    const hours = hoursIn(from, to);
    const out = new Map<string, Map<number, SourceHour>>(mns.map((mn) => [mn, new Map()]));
    const missing = new Map<string, number[]>();
    const usable = (key: string, hour: number) => this.isClosed(hour, now) && !this.isUnsettled(key, now);
    // An entry counted at another interval (the registry's intervalS changed since) is recomputed.
    const current = (h: SourceHour | undefined) => (h && h.intervalS === this.o.conversion(h.mn).intervalS ? h : undefined);
    for (const mn of mns) {
      for (const hour of hours) {
        const key = keyOf(mn, hour);
        const h = usable(key, hour) ? current(this.memory.get(key)) : undefined;
        if (h) out.get(mn)?.set(hour, h);
        else (missing.get(mn) ?? missing.set(mn, []).get(mn))?.push(hour);
      }
    }
    if (missing.size === 0) return out;

    const kept = await this.o.store.get(allSources ? null : [...missing.keys()], from, to);
    for (const h of kept) {
      const key = keyOf(h.mn, h.hour);
      if (!missing.has(h.mn) || !usable(key, h.hour) || !current(h)) continue;
      this.remember(h);
      out.get(h.mn)?.set(h.hour, h);
    }
    const toCompute = [...missing]
      .map(([mn, hs]) => [mn, hs.filter((hour) => !out.get(mn)?.has(hour))] as const)
      .filter(([, hs]) => hs.length > 0);
    const computed: SourceHour[] = [];
    await pool(toCompute, this.o.concurrency, async ([mn, hs]) => {
      for (const h of await this.compute(mn, hs)) {
        out.get(mn)?.set(h.hour, h);
        if (usable(keyOf(mn, h.hour), h.hour)) computed.push(h);
      }
    });
    if (computed.length > 0) {
      await this.o.store.put(computed);
      for (const h of computed) this.remember(h);
      this.o.log.debug({ hours: computed.length }, 'rollup hours computed from raw records and kept');
    }
    return out;
  }

  /** The given hours of one source from its raw records (one query per data kind over their span). */
  private async compute(mn: string, hours: readonly number[]): Promise<SourceHour[]> {
    const from = Math.min(...hours);
    const to = Math.max(...hours) + HOUR_MS;
    const [minutes, realtime] = await Promise.all([
      this.o.records.records({ mn, cn: '2051', from, to }),
      this.o.records.records({ mn, cn: '2011', from, to }),
    ]);
    const m = groupByHour(minutes, this.o.utcOffsetMinutes);
    const r = groupByHour(realtime, this.o.utcOffsetMinutes);
    const c = this.o.conversion(mn);
    return hours.map((hour) => aggregateHour(mn, hour, m.get(hour) ?? [], r.get(hour) ?? [], c));
  }
}
