/**
 * The hourly rollup contract, on both stores: keep, read back, drop; and the rollup cache over a
 * real telemetry store: closed hours are kept, a late reading drops its hour and the next read
 * includes it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Reading } from '../../server/domain/reading';
import { createLogger } from '../../server/logger';
import { HourlyRollupCache } from '../../server/reports/hourly-rollup-cache';
import { SqliteHourlyRollup } from '../../server/storage/embedded/sqlite-hourly-rollup';
import { SqliteTelemetryStore } from '../../server/storage/embedded/sqlite-telemetry-store';
import type { HourlyRollupStore, SourceHour } from '../../server/storage/hourly-rollup';
import { InfluxHourlyRollup } from '../../server/storage/influx/influx-hourly-rollup';
import { InfluxTelemetryStore } from '../../server/storage/influx/influx-telemetry-store';
import type { TelemetryRecordReader, TelemetryStore } from '../../server/storage/telemetry-store';

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
    a21002: { n: 60, nValid: 58, sum, nZs: 58, sumZs: sum * 1.5, flag: 'N' },
    'a"x\\': { n: 1, nValid: 0, sum: 0, nZs: 0, sumZs: 0, flag: 'D' },
  },
});

type Backend = { telemetry: TelemetryStore & TelemetryRecordReader; rollup: HourlyRollupStore };

function rollupContract(name: string, create: () => Promise<Backend>): void {
  describe(`hourly rollup: ${name}`, () => {
    let b: Backend;
    beforeAll(async () => {
      b = await create();
      await b.telemetry.init();
      await b.rollup.init();
    });
    afterAll(async () => {
      await b.rollup.close();
      await b.telemetry.close();
    });

    it('keeps hours, reads them back by range and source, replaces and drops them', async () => {
      await b.rollup.put([hourOf(A, T0), hourOf(A, T0 + H), hourOf(B, T0)]);
      const sort = (hs: SourceHour[]) => hs.sort((x, y) => x.mn.localeCompare(y.mn) || x.hour - y.hour);
      expect(sort(await b.rollup.get(null, T0, T0 + 2 * H))).toEqual([hourOf(A, T0), hourOf(A, T0 + H), hourOf(B, T0)]);
      expect(await b.rollup.get([B], T0, T0 + 2 * H)).toEqual([hourOf(B, T0)]);
      expect(sort(await b.rollup.get([A], T0 + H, T0 + 2 * H))).toEqual([hourOf(A, T0 + H)]);
      await b.rollup.put([hourOf(A, T0, 99)]);
      await b.rollup.drop([{ mn: A, hour: T0 + H }]);
      expect(sort(await b.rollup.get([A, B], T0, T0 + 2 * H))).toEqual([hourOf(A, T0, 99), hourOf(B, T0)]);
    });

    it('computes closed hours from raw records once, and recomputes an hour a late reading touched', async () => {
      const day = Date.parse('2026-07-02T00:00:00+08:00');
      let now = day + 2 * H + 301_000; // hours 0 and 1 closed (grace 300 s)
      const minute = (i: number, nox: number): Reading => ({
        mn: A,
        enterpriseId: 'qilu-power',
        kind: 'cems',
        cn: '2051',
        ts: day + i * 60_000,
        factors: { a21002: { avg: nox, flag: 'N' } },
      });
      await b.telemetry.write(Array.from({ length: 120 }, (_, i) => minute(i, 10)));
      const cache = () =>
        new HourlyRollupCache({
          records: b.telemetry,
          store: b.rollup,
          conversion: () => ({ o2Ref: undefined, o2Cap: 19, intervalS: 30 }),
          utcOffsetMinutes: 480,
          graceMs: () => 300_000,
          settleMs: 5_000,
          memoryEntries: 100,
          concurrency: 2,
          now: () => now,
          log: createLogger('silent'),
        });
      const c = cache();
      const first = await c.hours([A], day, day + 2 * H);
      expect(first.get(A)?.get(day)?.factors.a21002).toMatchObject({ n: 60, nValid: 60, sum: 600 });
      expect((await b.rollup.get([A], day, day + 2 * H)).length).toBe(2); // kept

      // A late minute for hour 0 replaces minute 0's value: dropped at once, recomputed on the next read.
      const late = minute(0, 70);
      await b.telemetry.write([late]);
      c.onReading(late);
      await c.flush();
      expect((await b.rollup.get([A], day, day + H)).length).toBe(0);
      expect((await c.hours([A], day, day + H)).get(A)?.get(day)?.factors.a21002?.sum).toBe(660);
      expect((await b.rollup.get([A], day, day + H)).length).toBe(0); // not kept while unsettled
      now += 6_000;
      expect((await cache().hours([A], day, day + H)).get(A)?.get(day)?.factors.a21002?.sum).toBe(660);
      expect((await b.rollup.get([A], day, day + H))[0]?.factors.a21002?.sum).toBe(660); // kept again
    });

    it('recomputes a kept hour counted at another interval (the registry’s intervalS changed)', async () => {
      const day = Date.parse('2026-07-03T00:00:00+08:00');
      const now = day + 2 * H;
      const minute = (i: number): Reading => ({
        mn: A,
        enterpriseId: 'qilu-power',
        kind: 'cems',
        cn: '2051',
        ts: day + i * 60_000,
        factors: { a21002: { avg: 1, flag: 'N' } },
      });
      await b.telemetry.write(Array.from({ length: 60 }, (_, i) => minute(i)));
      const cache = (intervalS: number) =>
        new HourlyRollupCache({
          records: b.telemetry,
          store: b.rollup,
          conversion: () => ({ o2Ref: undefined, o2Cap: 19, intervalS }),
          utcOffsetMinutes: 480,
          graceMs: () => 0,
          settleMs: 5_000,
          memoryEntries: 100,
          concurrency: 2,
          now: () => now,
          log: createLogger('silent'),
        });
      expect((await cache(30).hours([A], day, day + H)).get(A)?.get(day)).toMatchObject({ intervalS: 30, intervals: 120 });
      expect((await b.rollup.get([A], day, day + H))[0]).toMatchObject({ intervalS: 30 }); // kept
      expect((await cache(60).hours([A], day, day + H)).get(A)?.get(day)).toMatchObject({ intervalS: 60, intervals: 60 });
      expect((await b.rollup.get([A], day, day + H))[0]).toMatchObject({ intervalS: 60, intervals: 60 }); // replaced
    });
  });
}

rollupContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'o3-rollup-'));
  return { telemetry: new SqliteTelemetryStore(join(dir, 'telemetry.db')), rollup: new SqliteHourlyRollup(join(dir, 'reports.db')) };
});

rollupContract('InfluxDB (real influxd)', async () => {
  const telemetry = new InfluxTelemetryStore({
    url: inject('influxUrl'),
    db: `rollup_${process.pid}_${Date.now()}`,
    timeoutMs: 10_000,
    createDb: true,
  });
  return { telemetry, rollup: new InfluxHourlyRollup(telemetry.http) };
});
