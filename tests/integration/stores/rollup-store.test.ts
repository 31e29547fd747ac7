/** The hourly rollup store's contract on both engines: keep, read back by range and source, replace, drop, the latest hour. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceHour } from '../../../server/storage/hourly-rollup';
import { unpackDay } from '../../../server/storage/rollup-day';
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
    expect(store.migrated).toEqual(['0001-rollup-hours', '0002-rollup-days', '0003-rollup-day-figures']);
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

  it('packs a closed day into one row per source; later puts and drops of its hours go to the row', async () => {
    const day = Date.parse('2026-07-01T00:00:00+08:00');
    await store.put([hourOf(A, day), hourOf(A, day + 5 * H), hourOf(B, day + 23 * H), hourOf(A, day + 24 * H)]);
    expect(await store.oldestUnpacked(day + 24 * H)).toBe(day);
    expect(await store.compact(day)).toBe(2);
    expect(await store.oldestUnpacked(day + 24 * H)).toBeNull();
    const days = await store.getDays(null, day, day + 1);
    expect(days.map((d) => d.mn).sort()).toEqual([A, B]);
    const a = days.find((d) => d.mn === A);
    expect(unpackDay(A, day, a?.data ?? new Uint8Array())).toEqual([hourOf(A, day), hourOf(A, day + 5 * H)]);
    expect(await store.getDays([B], day, day + 1)).toHaveLength(1);
    // The generic read sees packed and loose hours alike.
    expect(sort(await store.get([A], day, day + 25 * H))).toEqual([hourOf(A, day), hourOf(A, day + 5 * H), hourOf(A, day + 24 * H)]);
    expect(await store.get([A], day + H, day + 5 * H)).toEqual([]);
    // Late data: replaced and added hours land in the packed row, a dropped one leaves it.
    await store.put([hourOf(A, day + 5 * H, 77), hourOf(A, day + 6 * H)]);
    await store.drop([{ mn: A, hour: day }]);
    expect(await store.oldestUnpacked(day + 24 * H)).toBeNull();
    expect(sort(await store.get([A], day, day + 24 * H))).toEqual([hourOf(A, day + 5 * H, 77), hourOf(A, day + 6 * H)]);
    // Dropping a row's last hour removes the row.
    await store.drop([{ mn: B, hour: day + 23 * H }]);
    expect(await store.getDays(null, day, day + 1)).toHaveLength(1);
    expect(await store.lastHour()).toBe(day + 24 * H);
    await store.drop([{ mn: A, hour: day + 24 * H }]);
    expect(await store.lastHour()).toBe(day + 6 * H);
  });

  it('packs a day of many sources a part at a time, every source and hour of it', async () => {
    const day = Date.parse('2026-07-01T00:00:00+08:00');
    const mns = Array.from({ length: 250 }, (_, i) => `370300CEMS${String(i).padStart(14, '0')}`);
    const hours = mns.flatMap((mn) => [hourOf(mn, day + H, 1), hourOf(mn, day + 7 * H, 2)]);
    await store.put(hours);
    expect(await store.compact(day)).toBe(250);
    expect(await store.oldestUnpacked(day + 24 * H)).toBeNull();
    expect((await store.getDays(null, day, day + 1)).map((d) => d.mn).sort()).toEqual([...mns].sort());
    expect(sort(await store.get(null, day, day + 24 * H))).toEqual(sort([...hours]));
  });

  it('keeps a packed day’s report figures until that source-day is written again', async () => {
    const day = Date.parse('2026-07-01T00:00:00+08:00');
    await store.put([hourOf(A, day), hourOf(B, day)]);
    await store.compact(day);
    expect(await store.getDayFigures(day)).toEqual([]);
    await store.putDayFigures(day, [
      { mn: A, basis: 'b1', data: '[1]' },
      { mn: B, basis: 'b1', data: '[2]' },
    ]);
    await store.putDayFigures(day, [{ mn: A, basis: 'b2', data: '[3]' }]);
    const byMn = async () => (await store.getDayFigures(day)).sort((x, y) => x.mn.localeCompare(y.mn));
    expect(await byMn()).toEqual([
      { mn: A, basis: 'b2', data: '[3]' },
      { mn: B, basis: 'b1', data: '[2]' },
    ]);
    expect(await store.getDayFigures(day + 24 * H)).toEqual([]);
    // Late data into A's row, B's last hour dropped: neither keeps its figures.
    await store.put([hourOf(A, day + H)]);
    expect(await byMn()).toEqual([{ mn: B, basis: 'b1', data: '[2]' }]);
    await store.drop([{ mn: B, hour: day }]);
    expect(await byMn()).toEqual([]);
  });

  it('compacts a day again: hours put loose meanwhile merge into the row', async () => {
    const day = Date.parse('2026-07-01T00:00:00+08:00');
    await store.put([hourOf(A, day)]);
    await store.compact(day);
    await store.drop([{ mn: A, hour: day }]);
    await store.put([hourOf(A, day + H)]);
    // The row was removed with its last hour: the new hour is loose until the day is packed again.
    expect(await store.oldestUnpacked(day + 24 * H)).toBe(day + H);
    await store.compact(day);
    expect(await store.get(null, day, day + 24 * H)).toEqual([hourOf(A, day + H)]);
  });
});
