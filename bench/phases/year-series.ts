/**
 * A year's series of one source (issue 20, target 5): the source page's 1-year range asks real-time
 * data over 365 days, which the series reader answers with hourly means of the reports' rollup
 * (server/reports/series-downsample.ts), never the raw store. A year of kept hours (8,760) is put in
 * a fresh rollup store (SQLite `reports.db`, as the server keeps it), then a freshly opened store and
 * reader answer the year cold, and again. A raw read fails the phase.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceHour } from '../../server/storage/hourly-rollup';
import { SeriesReader } from '../../server/reports/series-downsample';
import { SqlHourlyRollup } from '../../server/storage/sql/rollup-store';
import { distribution, type Distribution } from '../stats';

const H = 3_600_000;
const DAY = 24 * H;
const MN = '370300CEMS00000000000101';
/** The end of the year: a local midnight (UTC+8); the reader's clock is a day later, every hour kept. */
const END = Date.parse('2026-12-01T00:00:00+08:00');
const FROM = END - 365 * DAY;

export interface YearSeriesResult {
  hours: number;
  points: number;
  resolution: string;
  coldMs: number;
  warm: Distribution;
}

/** Hour h of the year: NOx over 50 valid minutes of 60, a mean that follows the hour of the day. */
function hourOf(h: number): SourceHour {
  const mean = 20 + (h % 24);
  return {
    mn: MN,
    hour: FROM + h * H,
    basis: '2051',
    records: 0,
    validRecords: 0,
    intervalS: 30,
    intervals: 120,
    validIntervals: 120,
    factors: { a21002: { n: 60, nValid: 50, sum: mean * 50, nZs: 50, sumZs: 1.2 * mean * 50, flag: 'N' } },
  };
}

export async function runYearSeries(work: string, log: (s: string) => void): Promise<YearSeriesResult> {
  const file = join(work, 'year-series.db');
  rmSync(file, { force: true });
  const filling = new SqlHourlyRollup(file);
  await filling.init();
  const hours = 365 * 24;
  await filling.put(Array.from({ length: hours }, (_, h) => hourOf(h)));
  await filling.close();
  const store = new SqlHourlyRollup(file);
  await store.init();
  try {
    const reader = new SeriesReader({
      telemetry: { series: () => Promise.reject(new Error('a year’s series read the raw store')) },
      rollups: store,
      recentHours: async () => new Map(),
      utcOffsetMinutes: 480,
      now: () => END + DAY,
    });
    const ask = async () => {
      const t0 = performance.now();
      const answer = await reader.read({ mn: MN, cn: '2011', factor: 'a21002', from: FROM, to: END });
      return { ms: performance.now() - t0, answer };
    };
    const cold = await ask();
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) warm.push((await ask()).ms);
    log(`  a year of one source: ${cold.answer.items.length} ${cold.answer.resolution} points in ${cold.ms.toFixed(0)} ms cold`);
    return { hours, points: cold.answer.items.length, resolution: cold.answer.resolution, coldMs: cold.ms, warm: distribution(warm) };
  } finally {
    await store.close();
    rmSync(file, { force: true });
  }
}
