/**
 * A signal's hour of power from a power-data import (issue 18 item 4 with issue 16): the grid
 * company's file lands as 15-min points (2051 at the quarter hours, `avg` = the interval's mean kW;
 * power-plan.ts). Where the import log says an import covered the signal in the hour, the hour's
 * mean is the mean of its quarter-hour points, valid with at least `minCoverage` of the four (HJ 75's
 * 45 of 60 minutes → 3 of 4); the imports that covered it are named. Fewer: not read from the import.
 * Judging again as an import lands, its own readings stand over the store's points (the writer may
 * not have flushed them yet: they are durable in the spool when the import answers).
 */
import { HOUR_MS, MINUTE_MS } from '../domain/local-time';
import { isValidFlag } from '../domain/reading';
import type { ImportedSeries } from '../domain/power-import-series';
import type { Reading } from '../domain/reading';
import type { TelemetryStore } from '../storage/telemetry-store';

/** What reading an imported hour needs (measure-hour.ts's HourContext has it). */
export interface ImportedHourContext {
  store: TelemetryStore;
  minCoverage: number;
  imports: readonly ImportedSeries[];
  landed?: readonly Reading[];
}

const QUARTER_MS = 15 * MINUTE_MS;
const QUARTERS = HOUR_MS / QUARTER_MS;

/** The quarter-hour means of an imported hour → its mean, when enough quarters are there (pure). */
export function quarterMean(
  points: readonly { ts: number; avg?: number; flag: string }[],
  hour: number,
  minCoverage: number,
): number | undefined {
  const byQuarter = new Map<number, number>();
  for (const p of points) {
    const offset = p.ts - hour;
    if (offset < 0 || offset >= HOUR_MS || offset % QUARTER_MS !== 0) continue;
    if (p.avg === undefined || !Number.isFinite(p.avg) || !isValidFlag(p.flag as 'N')) continue;
    byQuarter.set(offset, p.avg);
  }
  const needed = Math.max(1, Math.ceil(QUARTERS * minCoverage - 1e-9));
  if (byQuarter.size < needed) return undefined;
  return [...byQuarter.values()].reduce((a, b) => a + b, 0) / byQuarter.size;
}

export async function importedHourMean(
  ctx: ImportedHourContext,
  signal: { mn: string; code: string },
  hour: number,
): Promise<{ kw: number; importIds: string[] } | undefined> {
  const covering = ctx.imports.filter((s) => s.mn === signal.mn && s.code === signal.code && s.from < hour + HOUR_MS && s.to > hour);
  if (covering.length === 0) return undefined;
  const stored = await ctx.store.series({ mn: signal.mn, cn: '2051', factor: signal.code, from: hour, to: hour + HOUR_MS });
  const landed = (ctx.landed ?? []).flatMap((r) => {
    const v = r.mn === signal.mn && r.ts >= hour && r.ts < hour + HOUR_MS ? r.factors[signal.code] : undefined;
    return v ? [{ ...v, ts: r.ts }] : [];
  });
  const kw = quarterMean([...stored, ...landed], hour, ctx.minCoverage);
  if (kw === undefined) return undefined;
  return { kw, importIds: [...new Set(covering.map((s) => s.importId))] };
}
