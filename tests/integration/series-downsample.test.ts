/**
 * Long-range series (issue 20): over more than 7 days of real-time or minute data the series route
 * answers hourly means of the reports' rollup, over more than a year daily means, and says which.
 * A year of kept hours for one source is read from the embedded store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeriesPoint } from '../../server/domain/reading';
import type { SourceHour } from '../../server/storage/hourly-rollup';
import { SqlHourlyRollup } from '../../server/storage/sql/rollup-store';
import { startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';

const MN = '370300CEMS00000000000101';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The end of the kept year: a local midnight (UTC+8), so days and hours line up. The app's clock is a day later (every hour closed). */
const NOW = Date.parse('2026-12-01T00:00:00+08:00');
const YEAR_FROM = NOW - 365 * DAY;

/** Hour h of the year: NOx averages 20 + (h mod 24) over 50 valid minutes; every 100th hour is all maintenance (M). */
function hourOf(h: number): SourceHour {
  const maintenance = h % 100 === 0;
  const nValid = maintenance ? 0 : 50;
  const mean = 20 + (h % 24);
  return {
    mn: MN,
    hour: YEAR_FROM + h * HOUR,
    basis: '2051',
    records: 0,
    validRecords: 0,
    intervalS: 30,
    intervals: 120,
    validIntervals: maintenance ? 0 : 120,
    factors: { a21002: { n: 60, nValid, sum: mean * nValid, nZs: nValid, sumZs: 2 * mean * nValid, flag: maintenance ? 'M' : 'N' } },
  };
}

describe('GET /api/sources/:mn/series over long ranges', () => {
  let t: TestApp;
  let officer: ApiSession;
  const dir = mkdtempSync(join(tmpdir(), 'o3-series-'));

  beforeAll(async () => {
    const rollup = new SqlHourlyRollup(join(dir, 'reports.db'));
    await rollup.init();
    await rollup.put(Array.from({ length: 365 * 24 }, (_, h) => hourOf(h)));
    await rollup.close();
    t = await startTestApp({}, { dataDir: dir, now: () => NOW + DAY });
    officer = await t.signIn('officer');
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const series = async (q: string) =>
    officer.call<{ resolution: string; items: SeriesPoint[] }>('GET', `/api/sources/${MN}/series?factor=a21002&${q}`);

  it('answers a year of real-time data with the 8,760 hourly means of the rollup', async () => {
    const started = performance.now();
    const res = await series(`cn=2011&from=${YEAR_FROM}&to=${NOW}`);
    const ms = performance.now() - started;
    expect(res.status).toBe(200);
    expect(res.body.resolution).toBe('hour');
    expect(res.body.items).toHaveLength(365 * 24);
    expect(res.body.items[1]).toEqual({ ts: YEAR_FROM + HOUR, avg: 21, zs: 42, flag: 'N' });
    expect(res.body.items[100]).toEqual({ ts: YEAR_FROM + 100 * HOUR, flag: 'M' }); // inputs, none valid: no value
    const again = performance.now();
    await series(`cn=2011&from=${YEAR_FROM}&to=${NOW}`);
    console.info(
      `series: a year of hourly means for one source in ${ms.toFixed(0)} ms (first call), ${(performance.now() - again).toFixed(0)} ms (next)`,
    );
  });

  it('answers more than a year with daily means, and up to 7 days with the stored points', async () => {
    const days = await series(`cn=2051&from=${NOW - 400 * DAY}&to=${NOW}`);
    expect(days.body.resolution).toBe('day');
    expect(days.body.items).toHaveLength(365);
    // Day 0: hour 0 is maintenance, the other 23 hours average 20 + h; the day's mean weighs each hour's valid minutes.
    const mean = (Array.from({ length: 23 }, (_, i) => 21 + i).reduce((a, b) => a + b, 0) * 50) / (23 * 50);
    expect(days.body.items[0]).toEqual({ ts: YEAR_FROM, avg: mean, zs: 2 * mean, flag: 'N' });

    const week = await series(`cn=2011&from=${NOW - 7 * DAY}&to=${NOW}`);
    expect(week.body).toEqual({ resolution: 'raw', items: [] });
    const month = await series(`cn=2011&from=${NOW - 30 * DAY}&to=${NOW}`);
    expect(month.body.resolution).toBe('hour');
    expect(month.body.items).toHaveLength(30 * 24); // an hour without a valid input is a flagged point without a value
  });

  it('takes an explicit resolution, raw points at most 31 days', async () => {
    expect((await series(`cn=2011&from=${NOW - 2 * DAY}&to=${NOW}&resolution=hour`)).body.resolution).toBe('hour');
    expect((await series(`cn=2011&from=${NOW - 40 * DAY}&to=${NOW}&resolution=raw`)).status).toBe(400);
    expect((await series(`cn=2061&from=${NOW - 800 * DAY}&to=${NOW}`)).body.resolution).toBe('raw');
  });
});
