/**
 * The product's own pruning (issue 20; periods in server/domain/retention.ts). On SQLite it deletes
 * real-time and minute rows past their period, one source and kind at a time along the primary key,
 * in slices: at most `sliceRows` rows a slice (halved while a slice takes longer than `sliceMs`,
 * doubled back while it is quick), `pauseMs` between slices so ingest and requests go first. On
 * InfluxDB the retention policies expire points themselves; the pruner only deletes the points an
 * upgrade left in the default policy (server/storage/influx/influx-retention.ts).
 */
import { performance } from 'node:perf_hooks';
import type { DataKind } from '../domain/reading';
import { cutoffOf, PRUNED_KINDS, type PrunedKind, type RetentionConfig } from '../domain/retention';
import type { Logger } from '../logger';

/** A store pruned by the product, slice by slice (SQLite). */
export interface SlicedPruning {
  /** Sources with data of the kind. */
  sourcesOf(cn: DataKind): string[];
  /** Deletes at most `limit` rows of one source and kind older than `before`; returns how many went. */
  pruneSlice(mn: string, cn: DataKind, before: number, limit: number): number;
}

/** A store whose policies expire data, with points from before them to delete (InfluxDB). */
export interface LegacyPruning {
  readonly legacyKinds: readonly PrunedKind[];
  pruneLegacy(cn: PrunedKind, before: number): Promise<void>;
}

export interface PruneTotals {
  deleted: number;
  slices: number;
  /** The longest slice, ms. */
  longestMs: number;
}

export interface RetentionPrunerDeps {
  target: { sliced: SlicedPruning } | { legacy: LegacyPruning };
  retention: RetentionConfig;
  now: () => number;
  log: Logger;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

export class RetentionPruner {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<PruneTotals> | null = null;
  private stopped = false;
  private limit: number;

  constructor(private readonly d: RetentionPrunerDeps) {
    this.limit = d.retention.sliceRows;
  }

  /** Sweeps every `pruneIntervalMin` (the first one after one interval). */
  start(): void {
    const every = this.d.retention.pruneIntervalMin * 60_000;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.sweep().catch((err: unknown) => this.d.log.error({ err }, 'retention pruning failed; trying again next interval'));
    }, every).unref();
  }

  /** One whole pass; resolves with what it deleted (a pass already under way is joined). */
  sweep(): Promise<PruneTotals> {
    this.running ??= this.pass().finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<PruneTotals> {
    const totals: PruneTotals = { deleted: 0, slices: 0, longestMs: 0 };
    const now = this.d.now();
    const t = this.d.target;
    for (const cn of PRUNED_KINDS) {
      const before = cutoffOf(cn, this.d.retention, now);
      if (before === null) continue;
      if ('legacy' in t) {
        if (t.legacy.legacyKinds.includes(cn)) await t.legacy.pruneLegacy(cn, before);
        continue;
      }
      for (const mn of t.sliced.sourcesOf(cn)) {
        if (this.stopped) return totals;
        await this.pruneSource(t.sliced, mn, cn, before, totals);
      }
    }
    if (totals.deleted > 0) this.d.log.info({ ...totals, at: now }, 'retention: old real-time and minute data pruned');
    return totals;
  }

  private async pruneSource(s: SlicedPruning, mn: string, cn: DataKind, before: number, totals: PruneTotals): Promise<void> {
    const { sliceMs, sliceRows, pauseMs } = this.d.retention;
    for (;;) {
      const limit = this.limit;
      const started = performance.now();
      const n = s.pruneSlice(mn, cn, before, limit);
      const took = performance.now() - started;
      totals.slices++;
      totals.deleted += n;
      totals.longestMs = Math.max(totals.longestMs, took);
      if (took > sliceMs) this.limit = Math.max(10, Math.floor(this.limit / 2));
      else if (took < sliceMs / 4) this.limit = Math.min(sliceRows, this.limit * 2);
      if (n < limit || this.stopped) return; // the source has nothing older left
      await sleep(pauseMs);
    }
  }

  /** Stops the timer and lets a sweep under way end after its current slice. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }
}
