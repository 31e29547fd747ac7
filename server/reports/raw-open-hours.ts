/**
 * Open hours that memory cannot answer (running when the server started, a reading out of order,
 * the source's settings changed; in a reader process, every open hour), as last computed from the
 * raw records, kept RAW_OPEN_KEPT_MS for the reads that follow. Without it, in the hour after a
 * restart every daily report of the day read each source's current hour from raw again: at a
 * province 20,000 queries per report. An hour's entries go once it has closed (the writer computes
 * it from raw once more at its close, and keeps it in the store).
 */
import type { SourceHour } from '../storage/hourly-rollup';

/** How long an open hour computed from raw answers the reads that follow (its figures that old at most). */
export const RAW_OPEN_KEPT_MS = 30_000;

export class RawOpenHours {
  private readonly byHour = new Map<number, Map<string, { at: number; hour: SourceHour }>>();

  /** The hour as computed less than RAW_OPEN_KEPT_MS ago, else undefined. */
  get(mn: string, hour: number, now: number): SourceHour | undefined {
    const kept = this.byHour.get(hour)?.get(mn);
    return kept && now - kept.at < RAW_OPEN_KEPT_MS ? kept.hour : undefined;
  }

  set(h: SourceHour, now: number): void {
    let byMn = this.byHour.get(h.hour);
    if (!byMn) this.byHour.set(h.hour, (byMn = new Map()));
    byMn.set(h.mn, { at: now, hour: h });
  }

  /** Forgets every hour up to `through` (closed). */
  closedThrough(through: number): void {
    for (const hour of this.byHour.keys()) if (hour <= through) this.byHour.delete(hour);
  }
}
