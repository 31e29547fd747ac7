/**
 * The hourly report as bureaus lay it out (时段 × 因子): one row per hour of the day (all 24, empty
 * ones too), per factor a measured column, a converted column where its limit judges converted
 * values, and a validity mark. Pure; used by the dashboard's table and by the CSV / XLSX export.
 */
import { catalog, factorDecimals } from './catalog';
import type { LimitView } from './limit-pack';
import type { HourlyReport, HourlyRow } from './report';

const HOUR_MS = 3_600_000;
const HOURS_PER_DAY = 24;

export interface GridFactor {
  factor: string;
  unit: string;
  /** Decimals its values are shown with (catalog precision). */
  decimals: number;
  /** The limit judges converted values: the grid has a converted column for it. */
  converted: boolean;
  limit: LimitView | null;
}

export interface GridRow {
  /** Epoch ms of the hour's start. */
  hour: number;
  /** One cell per factor (same order as `factors`); null where the hour received nothing. */
  cells: (HourlyRow | null)[];
}

export interface HourlyGrid {
  factors: GridFactor[];
  rows: GridRow[];
}

/** What a cell's mark says: nothing received, valid, not valid (too few valid minutes), or valid and over the limit. */
export type CellMark = 'none' | 'valid' | 'invalid' | 'exceeds';

export const cellMark = (c: HourlyRow | null): CellMark => (!c ? 'none' : !c.valid ? 'invalid' : c.exceeds ? 'exceeds' : 'valid');

export function hourlyGrid(report: Pick<HourlyReport, 'dayStart' | 'items'>): HourlyGrid {
  const order: string[] = [];
  const byKey = new Map<string, HourlyRow>();
  const first = new Map<string, HourlyRow>();
  for (const r of report.items) {
    if (!first.has(r.factor)) {
      first.set(r.factor, r);
      order.push(r.factor);
    }
    byKey.set(`${r.hour}|${r.factor}`, r);
  }
  const factors = order.map((factor): GridFactor => {
    const r = first.get(factor) as HourlyRow;
    const unit = r.unit || (catalog.get(factor)?.unit ?? '');
    return { factor, unit, decimals: factorDecimals(factor), converted: r.limit?.o2Converted ?? false, limit: r.limit };
  });
  const rows = Array.from({ length: HOURS_PER_DAY }, (_, i): GridRow => {
    const hour = report.dayStart + i * HOUR_MS;
    return { hour, cells: order.map((f) => byKey.get(`${hour}|${f}`) ?? null) };
  });
  return { factors, rows };
}
