/** The hourly rollup store's contract on both engines: keep, read back by range and source, replace, drop, the latest hour. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceHour } from '../../../server/storage/hourly-rollup';
import { SqlHourlyRollup } from '../../../server/storage/sql/rollup-store';
import { sqlEngines, type FreshDatabase } from '../../helpers/sql-engines';

const H = 3_600_000;
const T0 = Date.parse('2026-07-01T10:00:00+08:00');
const A = '370300CEMS00000000000101';
const B = '370300CEMS00000000000201';
const hourOf = (mn: string, hour: number, sum = 10): SourceHour => ({
  mn,
  hour,
  basis: '2051',
  records: 120,
  validRecords: 118,
  intervalS: 30,
  intervals: 120,
  validIntervals: 118,
  factors: {
    a21002: { n: 60, nValid: 58, sum, nZs: 58, sumZs: sum * 1.5 + 0.1, flag: 'N' },
    'a"x\\': { n: 1, nValid: 0, sum: 0, nZs: 0, sumZs: 0, flag: 'D' },
  },
});
const sort = (hs: SourceHour[]) => hs.sort((x, y) => x.mn.localeCompare(y.mn) || x.hour - y.hour);

describe.each(sqlEngines())('hourly rollup store on $name', (engine) => {
  let fresh: FreshDatabase;
  let store: SqlHourlyRollup;
  beforeEach(async () => {
    fresh = await engine.create();
    store = new SqlHourlyRollup(fresh.location);
    await store.init();
  });
  afterEach(async () => {
    await store.close();
    await fresh.remove();
  });

  it('migrates once', async () => {
    expect(store.migrated).toEqual(['0001-rollup-hours']);
    await store.close();
    store = new SqlHourlyRollup(fresh.location);
    await store.init();
    expect(store.migrated).toEqual([]);
  });

  it('keeps hours, reads them back by range and source, replaces and drops them', async () => {
    expect(await store.lastHour()).toBeNull();
    await store.put([hourOf(A, T0), hourOf(A, T0 + H), hourOf(B, T0)]);
    expect(sort(await store.get(null, T0, T0 + 2 * H))).toEqual([hourOf(A, T0), hourOf(A, T0 + H), hourOf(B, T0)]);
    expect(await store.get([B], T0, T0 + 2 * H)).toEqual([hourOf(B, T0)]);
    expect(await store.get([A], T0 + H, T0 + 2 * H)).toEqual([hourOf(A, T0 + H)]);
    expect(await store.get([], T0, T0 + 2 * H)).toEqual([]);
    expect(await store.lastHour()).toBe(T0 + H);
    await store.put([hourOf(A, T0, 99)]);
    await store.drop([{ mn: A, hour: T0 + H }]);
    expect(sort(await store.get([A, B], T0, T0 + 2 * H))).toEqual([hourOf(A, T0, 99), hourOf(B, T0)]);
    expect(await store.lastHour()).toBe(T0);
  });

  it('writes and reads a day of many sources in batches (a long source list is filtered after the read)', async () => {
    const mns = Array.from({ length: 1_200 }, (_, i) => `370300CEMS${String(i).padStart(14, '0')}`);
    const hours = mns.flatMap((mn) => [hourOf(mn, T0, 1), hourOf(mn, T0 + H, 2)]);
    await store.put(hours);
    expect(await store.get(null, T0, T0 + 2 * H)).toHaveLength(2_400);
    expect(sort(await store.get(mns.slice(0, 700), T0, T0 + H))).toEqual(sort(mns.slice(0, 700).map((mn) => hourOf(mn, T0, 1))));
    await store.drop(hours.slice(0, 1_100));
    expect(await store.get(null, T0, T0 + 2 * H)).toHaveLength(1_300);
  });
});
