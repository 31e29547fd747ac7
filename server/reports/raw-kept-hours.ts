/**
 * Source-hours computed from the raw records for a read, kept RAW_KEPT_MS for the reads that follow
 * (their figures that old at most). The continuous rollup keeps two:
 * - open hours memory cannot answer (running when the server started, a reading out of order, the
 *   source's settings changed; in a reader process, every open hour). Without them, in the hour
 *   after a restart every daily report of the day read each source's current hour from raw again:
 *   at a province 20,000 queries per report. An hour's entries go once it has closed (the writer
 *   computes it from raw once more at its close, and keeps it in the store);
 * - closed hours late data waits on (not kept in the store until their recompute: a logger
 *   replaying a backlog keeps them waiting up to a minute). Without them, every report of that day
 *   read them from raw again meanwhile (a replay by 200 loggers: ~1 s a report). An entry goes as
 *   soon as more late data reaches its hour.
 */
import type { SourceHour } from '../storage/hourly-rollup';

/** How long an hour computed from raw answers the reads that follow. */
export const RAW_KEPT_MS = 30_000;

export class RawKeptHours {
  private readonly byHour = new Map<number, Map<string, { at: number; hour: SourceHour }>>();

  /** The hour as computed less than RAW_KEPT_MS ago, else undefined. */
  get(mn: string, hour: number, now: number): SourceHour | undefined {
    const kept = this.byHour.get(hour)?.get(mn);
    return kept && now - kept.at < RAW_KEPT_MS ? kept.hour : undefined;
  }

  set(h: SourceHour, now: number): void {
    let byMn = this.byHour.get(h.hour);
    if (!byMn) this.byHour.set(h.hour, (byMn = new Map()));
    byMn.set(h.mn, { at: now, hour: h });
  }

  /** Forgets one source-hour (new data reached it). */
  delete(mn: string, hour: number): void {
    const byMn = this.byHour.get(hour);
    if (byMn?.delete(mn) && byMn.size === 0) this.byHour.delete(hour);
  }

  /** Forgets every hour up to `through` (closed). */
  closedThrough(through: number): void {
    for (const hour of this.byHour.keys()) if (hour <= through) this.byHour.delete(hour);
  }

  /** Forgets what is older than RAW_KEPT_MS (it would answer no read). */
  expire(now: number): void {
    for (const [hour, byMn] of this.byHour) {
      for (const [mn, kept] of byMn) if (now - kept.at >= RAW_KEPT_MS) byMn.delete(mn);
      if (byMn.size === 0) this.byHour.delete(hour);
    }
  }
}
