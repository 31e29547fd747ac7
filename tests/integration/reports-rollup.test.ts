/**
 * The continuous hourly rollup over a real telemetry store (SQLite and InfluxDB) and a real rollup
 * store: hours written as they close equal the hours computed from the raw records; late data
 * recomputes only its hour; a restart computes the hours it found running from raw, once; a closed
 * day is packed into one row per source, read as it is, and late data reaches the row. A reader (a
 * process without the intake) writes no hour.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DataFlag, Reading } from '../../server/domain/reading';
import { createLogger } from '../../server/logger';
import { ContinuousRollup, type ContinuousRollupOptions } from '../../server/reports/continuous-rollup';
import { ASK_WHICH_HAVE_RAW, hoursFromRaw, planRawReads } from '../../server/reports/raw-hours';
import { RAW_KEPT_MS } from '../../server/reports/raw-kept-hours';
import { SqliteTelemetryStore } from '../../server/storage/embedded/sqlite-telemetry-store';
import type { SourceHour } from '../../server/storage/hourly-rollup';
import { InfluxTelemetryStore } from '../../server/storage/influx/influx-telemetry-store';
import { EMPTY_DAY, unpackDay } from '../../server/storage/rollup-day';
import { SqlHourlyRollup } from '../../server/storage/sql/rollup-store';
import type { TelemetryRecordReader, TelemetryStore } from '../../server/storage/telemetry-store';

const H = 3_600_000;
const A = '370300CEMS00000000000101';
const B = '370300CEMS00000000000201';
const GRACE = 300_000;
const SETTLE = 5_000;
const conversion = () => ({ o2Ref: 6, o2Cap: 19, intervalS: 30 });
const sortHours = (hs: SourceHour[]) => [...hs].sort((x, y) => x.mn.localeCompare(y.mn) || x.hour - y.hour);

type Telemetry = TelemetryStore & TelemetryRecordReader;

/** Real-time NOx and O2 every 30 s with minute data on some minutes; flags and values vary with i. */
function readingsOf(mn: string, from: number, count: number, shift = 0): Reading[] {
  const flags: DataFlag[] = ['N', 'N', 'N', 'N', 'N', 'D', 'N', 'M', 'N', 'N', 'N', 'C'];
  const out: Reading[] = [];
  for (let i = 0; i < count; i++) {
    const ts = from + i * 30_000;
    const nox = 20 + ((i * 7 + shift) % 13) / 3;
    const o2 = { rtd: 9 + (i % 5) / 2, flag: flags[(i + 3) % flags.length] as DataFlag };
    out.push({
      mn,
      enterpriseId: 'e',
      kind: 'cems',
      cn: '2011',
      ts,
      factors: { a21002: { rtd: nox, flag: flags[i % 12] as DataFlag }, a19001: o2 },
    });
    if (i % 10 === 0)
      out.push({ mn, enterpriseId: 'e', kind: 'cems', cn: '2051', ts, factors: { a21002: { avg: nox, zs: nox * 1.2, flag: 'N' } } });
  }
  return out;
}

function suite(name: string, open: () => Telemetry): void {
  describe(`continuous rollup on ${name}`, () => {
    let telemetry: Telemetry;
    let store: SqlHourlyRollup;
    const day = Date.parse('2026-07-02T00:00:00+08:00');
    let now = day - 10 * 60_000; // the server starts before the day's first hour
    const make = (records: TelemetryRecordReader = telemetry, more: Partial<ContinuousRollupOptions> = {}) =>
      new ContinuousRollup({
        records,
        store,
        conversion,
        sources: () => [A, B],
        utcOffsetMinutes: 480,
        graceMs: () => GRACE,
        settleMs: SETTLE,
        maxLateWaitMs: 60_000,
        catchUpMs: 2 * H,
        concurrency: 2,
        now: () => now,
        log: createLogger('silent'),
        ...more,
      });
    const feed = async (rollup: ContinuousRollup, readings: Reading[]) => {
      await telemetry.write(readings);
      for (const r of readings) rollup.onReading(r);
    };
    const raw = async (mn: string, hours: number[]) =>
      (await Promise.all(planRawReads([[mn, hours]]).map((r) => hoursFromRaw(telemetry, r, conversion, 480)))).flat();
    /** The raw store, noting each source whose records are read, and each question of many sources. */
    const counted = () => {
      const read: string[] = [];
      const questions: string[][] = [];
      const records: TelemetryRecordReader = {
        records: (q) => (read.push(q.mn), telemetry.records(q)),
        recordsOfSources: (q) => (read.push(...q.mns), questions.push([...q.mns]), telemetry.recordsOfSources(q)),
        sourcesWithRecords: (cn, from, to) => telemetry.sourcesWithRecords(cn, from, to),
      };
      return { read, questions, records };
    };
    let rollup: ContinuousRollup;

    beforeAll(async () => {
      telemetry = open();
      await telemetry.init();
      store = new SqlHourlyRollup(join(mkdtempSync(join(tmpdir(), 'o3-rollup-')), 'reports.db'));
      await store.init();
      rollup = make();
      await rollup.start(3_600_000); // ticks are driven by the test
    });
    afterAll(async () => {
      await rollup.stop();
      await store.close();
      await telemetry.close();
    });

    it('writes each hour as it closes, from memory, equal to the hour computed from the raw records', async () => {
      await rollup.tick(); // closes the hours before the start (catch-up), empty
      now = day + 30 * 60_000;
      await feed(rollup, readingsOf(A, day, 120));
      expect(rollup.stats().memoryEntries).toBe(1);
      // The open hour is read from memory.
      expect((await rollup.hours([A], day, day + H)).get(A)?.get(day)).toEqual((await raw(A, [day]))[0]);
      now = day + H + GRACE - 1;
      await rollup.tick();
      expect(await store.get(null, day, day + H)).toEqual([]); // not yet closed
      now = day + H + GRACE;
      const before = rollup.stats();
      await rollup.tick();
      expect(sortHours(await store.get(null, day, day + H))).toEqual(sortHours([...(await raw(A, [day])), ...(await raw(B, [day]))]));
      expect(rollup.stats()).toMatchObject({ hoursWritten: before.hoursWritten + 2, hoursFromRaw: before.hoursFromRaw, memoryEntries: 0 });
    });

    it('a reading out of order takes its hour from the raw records at close', async () => {
      const hour = day + H;
      const rs = readingsOf(A, hour, 100, 3);
      await feed(rollup, rs.slice(0, 60));
      await feed(rollup, [{ ...(rs[70] as Reading) }]);
      await feed(rollup, rs.slice(60, 70)); // earlier than the one before: out of order
      now = hour + H + GRACE;
      const before = rollup.stats();
      await rollup.tick();
      expect((await store.get([A], hour, hour + H))[0]).toEqual((await raw(A, [hour]))[0]);
      expect(rollup.stats().hoursFromRaw).toBe(before.hoursFromRaw + 1);
    });

    it('late data recomputes only its hour, and no read sees the stale hour meanwhile', async () => {
      const kept = await store.get([A], day, day + 2 * H);
      const late: Reading = {
        mn: A,
        enterpriseId: 'e',
        kind: 'cems',
        cn: '2051',
        ts: day + 5 * 60_000,
        factors: { a21002: { avg: 90, flag: 'N' } },
      };
      await feed(rollup, [late]);
      const fresh = (await raw(A, [day]))[0];
      expect(fresh).not.toEqual(kept.find((h) => h.hour === day));
      expect((await rollup.hours([A], day, day + H)).get(A)?.get(day)).toEqual(fresh); // recomputed for the read
      await rollup.tick();
      expect(await store.get([A], day, day + H)).toEqual([]); // dropped at once
      now += SETTLE;
      const before = rollup.stats();
      await rollup.tick();
      expect(await store.get([A], day, day + H)).toEqual([fresh]);
      expect(await store.get([A], day + H, day + 2 * H)).toEqual(kept.filter((h) => h.hour === day + H)); // untouched
      expect(rollup.stats().lateRecomputes).toBe(before.lateRecomputes + 1);
    });

    it('after a restart, the hour running at start is computed from the raw records once, at close', async () => {
      const hour = day + 2 * H;
      now = hour + 20 * 60_000;
      const rs = readingsOf(B, hour, 110, 5);
      await feed(rollup, rs.slice(0, 40));
      await rollup.stop();
      const { questions, records } = counted();
      rollup = make(records); // the restart: memory lost what came before
      await rollup.start(3_600_000);
      await feed(rollup, rs.slice(40));
      expect((await rollup.hours([B], hour, hour + H)).get(B)?.get(hour)).toEqual((await raw(B, [hour]))[0]);
      expect(questions).toEqual([[B], [B]]); // the open hour, for the read: minute and real-time records
      now = hour + H + GRACE;
      await rollup.tick();
      expect(sortHours(await store.get(null, hour, hour + H))).toEqual(sortHours([...(await raw(A, [hour])), ...(await raw(B, [hour]))]));
      expect(rollup.stats()).toMatchObject({ hoursFromRaw: 2, hoursWritten: 2 });
      // Both sources' hour at close: one question per data kind for the two, not one per source.
      expect(questions.slice(2).map((q) => [...q].sort())).toEqual([
        [A, B],
        [A, B],
      ]);
    });

    it('packs a closed day into one row per source, reads it as it is, and late data recomputes its hour in the row', async () => {
      const allHours = Array.from({ length: 24 }, (_, i) => day + i * H);
      now = day + 24 * H + GRACE;
      for (let i = 0; i < 5; i++) await rollup.tick(); // a few hours per round
      expect(await store.oldestUnpacked(day + 24 * H)).toBeNull();
      expect((await store.getDays(null, day, day + 1)).map((d) => d.mn).sort()).toEqual([A, B]);
      const days = await rollup.days([A, B], day);
      for (const mn of [A, B]) expect(unpackDay(mn, day, days.get(mn) as Uint8Array)).toEqual(await raw(mn, allHours));
      const stamp = rollup.dayStamp(day);
      expect(stamp).not.toBeNull();

      const late: Reading = {
        mn: B,
        enterpriseId: 'e',
        kind: 'cems',
        cn: '2051',
        ts: day + 3 * H + 60_000,
        factors: { a21002: { avg: 70, flag: 'N' } },
      };
      await feed(rollup, [late]);
      expect(rollup.dayStamp(day)).toBeNull(); // a report of the day is not kept while late data waits
      const fresh = await raw(B, allHours);
      expect(unpackDay(B, day, (await rollup.days([B], day)).get(B) as Uint8Array)).toEqual(fresh); // not the stale row
      await rollup.tick();
      now += SETTLE;
      await rollup.tick();
      const [row] = await store.getDays([B], day, day + 1);
      expect(unpackDay(B, day, row?.data as Uint8Array)).toEqual(fresh);
      expect(rollup.dayStamp(day)).not.toBe(stamp);
      expect(rollup.dayStamp(day)).not.toBeNull();
    });

    it('a reader (a web process) writes no hour: it reads open and missing hours from raw, and drops an hour late data reaches', async () => {
      const reader = make();
      await reader.start(3_600_000, { writes: false });
      try {
        const hour = day + 25 * H;
        now = hour + 30 * 60_000;
        await feed(reader, readingsOf(A, hour, 60, 7)); // heard by the reader too: it keeps nothing of an open hour
        expect(reader.stats().memoryEntries).toBe(0);
        expect((await reader.hours([A], hour, hour + H)).get(A)?.get(hour)).toEqual((await raw(A, [hour]))[0]);
        now = hour + H + GRACE;
        await reader.tick();
        expect((await reader.hours([A], hour, hour + H)).get(A)?.get(hour)).toEqual((await raw(A, [hour]))[0]);
        expect(await store.get([A], hour, hour + H)).toEqual([]); // closed by the clock, written by no one here
        expect(reader.stats()).toMatchObject({ hoursWritten: 0, hoursFromRaw: 0 });

        const stored = day + 6 * H;
        expect(await store.get([A], stored, stored + H)).toHaveLength(1);
        const late: Reading = {
          mn: A,
          enterpriseId: 'e',
          kind: 'cems',
          cn: '2051',
          ts: stored + 60_000,
          factors: { a21002: { avg: 80, flag: 'N' } },
        };
        await feed(reader, [late]);
        await reader.tick();
        expect(await store.get([A], stored, stored + H)).toEqual([]); // dropped: every process reads it afresh
        expect((await reader.hours([A], stored, stored + H)).get(A)?.get(stored)).toEqual((await raw(A, [stored]))[0]);
        now += SETTLE;
        await reader.tick();
        expect(await store.get([A], stored, stored + H)).toEqual([]); // not recomputed here
      } finally {
        await reader.stop();
      }
    });

    it('every source’s day asked again while it is being built is built once: both get the same answer', async () => {
      const reader = make();
      await reader.start(3_600_000, { writes: false });
      try {
        const past = day - 24 * H;
        const [first, second] = await Promise.all([reader.days([A, B], past, true), reader.days([A, B], past, true)]);
        expect(second).toBe(first);
        expect([...first.keys()].sort()).toEqual([A, B].sort());
        expect(await reader.days([A, B], past, true)).not.toBe(first); // asked after: built afresh
      } finally {
        await reader.stop();
      }
    });

    it('hours many sources lack are read from raw only for those with a record in the span; the rest are empty hours', async () => {
      const { read, records } = counted();
      const reader = make(records);
      await reader.start(3_600_000, { writes: false });
      try {
        const hour = day - 3 * H; // before the server started: nothing kept, A's records only in raw
        await telemetry.write(readingsOf(A, hour + 60_000, 20));
        const silent = Array.from({ length: ASK_WHICH_HAVE_RAW }, (_, i) => `370300CEMS9${String(i).padStart(13, '0')}`);
        const hours = await reader.hours([A, ...silent], hour - H, hour + H);
        expect(new Set(read)).toEqual(new Set([A]));
        expect(hours.get(A)?.get(hour)).toEqual((await raw(A, [hour]))[0]);
        for (const mn of silent) for (const h of [hour - H, hour]) expect(hours.get(mn)?.get(h)).toEqual((await raw(mn, [h]))[0]);
      } finally {
        await reader.stop();
      }
    });

    it('a day packs only the hours with something in them: a silent source’s day is the empty day, read the same as its empty hours', async () => {
      const reader = make();
      await reader.start(3_600_000, { writes: false });
      try {
        const past = day - 24 * H; // before the server started: nothing kept
        await telemetry.write(readingsOf(A, past + 5 * H + 60_000, 20));
        const silent = Array.from({ length: ASK_WHICH_HAVE_RAW }, (_, i) => `370300CEMS8${String(i).padStart(13, '0')}`);
        const days = await reader.days([A, ...silent], past);
        for (const mn of silent) {
          expect(days.get(mn)).toBe(EMPTY_DAY);
          // What was left out carried nothing: its 24 hours, built, are empty.
          const hours = [...(await reader.hours([mn], past, past + 24 * H)).get(mn)!.values()];
          expect(hours).toHaveLength(24);
          for (const h of hours) expect(h).toMatchObject({ records: 0, intervals: 0, validIntervals: 0, factors: {} });
        }
        // A, with a raw record, is read from raw: its day as its hours read from raw say.
        const allHours = Array.from({ length: 24 }, (_, i) => past + i * H);
        expect(unpackDay(A, past, days.get(A)!)).toEqual(await raw(A, allHours));
      } finally {
        await reader.stop();
      }
    });

    it('an open hour memory cannot answer is read from raw once, and again only RAW_KEPT_MS later', async () => {
      const { read, records } = counted();
      const reader = make(records); // a reader: every open hour from raw
      const hour = day + 30 * H;
      now = hour + 20 * 60_000;
      await reader.start(3_600_000, { writes: false });
      try {
        await telemetry.write(readingsOf(A, hour, 20));
        const first = (await reader.hours([A], hour, hour + H)).get(A)?.get(hour);
        expect(first).toEqual((await raw(A, [hour]))[0]);
        expect(read.filter((mn) => mn === A)).toHaveLength(2); // minute and real-time records
        now += RAW_KEPT_MS - 1;
        expect((await reader.hours([A], hour, hour + H)).get(A)?.get(hour)).toBe(first);
        expect(read.filter((mn) => mn === A)).toHaveLength(2);
        now += 1;
        await telemetry.write(readingsOf(A, hour + 10 * 60_000, 20, 7));
        const again = (await reader.hours([A], hour, hour + H)).get(A)?.get(hour);
        expect(again).toEqual((await raw(A, [hour]))[0]);
        expect(again).not.toEqual(first);
      } finally {
        await reader.stop();
      }
    });

    it('the late recompute pauses after a raw read only while live readings came during it', async () => {
      const hours = [day + 50 * H, day + 52 * H, day + 54 * H];
      let live = false;
      let questions = 0; // two per raw read: minute and real-time records
      const pauses: number[] = [];
      const liveReading: Reading = { mn: B, enterpriseId: 'e', kind: 'cems', cn: '2011', ts: day + 60 * H, factors: {} };
      const records: TelemetryRecordReader = {
        records: (q) => telemetry.records(q),
        recordsOfSources: (q) => {
          questions++;
          if (live) writer.onReading(liveReading);
          return telemetry.recordsOfSources(q);
        },
        sourcesWithRecords: (cn, from, to) => telemetry.sourcesWithRecords(cn, from, to),
      };
      const writer = make(records, { latePace: 1, pause: async (ms) => void pauses.push(ms) });
      now = day + 56 * H + GRACE;
      await writer.start(3_600_000);
      try {
        await writer.tick(); // the hours close
        for (const withLive of [false, true]) {
          live = withLive;
          pauses.length = 0;
          questions = 0;
          for (const hour of hours) for (const r of readingsOf(A, hour + (withLive ? 30 : 0) * 60_000, 10)) writer.onReading(r);
          now += SETTLE;
          const before = writer.stats().lateRecomputes;
          await writer.tick();
          expect(writer.stats().lateRecomputes).toBe(before + hours.length);
          expect(questions).toBeGreaterThan(0);
          expect(pauses.length, withLive ? 'live readings came' : 'none came').toBe(withLive ? questions / 2 : 0);
        }
      } finally {
        live = false;
        await writer.stop();
      }
    });

    it('a closed hour late data waits on is read from raw once, again when more late data reaches it or RAW_KEPT_MS later', async () => {
      const { read, records } = counted();
      const writer = make(records);
      const hour = day + 40 * H;
      now = hour + H + GRACE;
      await writer.start(3_600_000);
      try {
        await writer.tick(); // the hour closes (nothing in it yet)
        const reads = () => read.filter((mn) => mn === A).length;
        const late = readingsOf(A, hour, 20);
        await telemetry.write(late);
        for (const r of late) writer.onReading(r);
        const before = reads();
        const first = (await writer.hours([A], hour, hour + H)).get(A)?.get(hour);
        expect(first).toEqual((await raw(A, [hour]))[0]);
        expect(reads()).toBe(before + 2); // minute and real-time records
        now += RAW_KEPT_MS - 1;
        expect((await writer.hours([A], hour, hour + H)).get(A)?.get(hour)).toBe(first);
        expect(reads()).toBe(before + 2);
        const more = readingsOf(A, hour + 20 * 60_000, 20, 7);
        await telemetry.write(more);
        for (const r of more) writer.onReading(r);
        const again = (await writer.hours([A], hour, hour + H)).get(A)?.get(hour);
        expect(again).toEqual((await raw(A, [hour]))[0]);
        expect(again).not.toEqual(first);
        expect(reads()).toBe(before + 4);
        now += RAW_KEPT_MS;
        expect((await writer.hours([A], hour, hour + H)).get(A)?.get(hour)).toEqual(again);
        expect(reads()).toBe(before + 6);
      } finally {
        await writer.stop();
      }
    });
  });
}

suite('SQLite', () => new SqliteTelemetryStore(join(mkdtempSync(join(tmpdir(), 'o3-rollup-')), 'telemetry.db')));
suite(
  'InfluxDB (real influxd)',
  () =>
    new InfluxTelemetryStore({ url: inject('influxUrl'), db: `rollup_${process.pid}_${Date.now()}`, timeoutMs: 10_000, createDb: true }),
);

describe('continuous rollup on an ingest worker (heardSince: the partitions it owns, since it took them)', () => {
  it('closes only its own sources, and an hour it took in the middle from the raw records', async () => {
    const telemetry = new SqliteTelemetryStore(join(mkdtempSync(join(tmpdir(), 'o3-rollup-')), 'telemetry.db'));
    await telemetry.init();
    const store = new SqlHourlyRollup(join(mkdtempSync(join(tmpdir(), 'o3-rollup-')), 'reports.db'));
    await store.init();
    const day = Date.parse('2026-07-03T00:00:00+08:00');
    const takenAt = day + 20 * 60_000; // A's partition taken 20 minutes into the first hour; B is another worker's
    let now = day - 10 * 60_000;
    const rollup = new ContinuousRollup({
      records: telemetry,
      store,
      conversion,
      sources: () => [A, B],
      heardSince: (mn) => (mn === A ? takenAt : null),
      utcOffsetMinutes: 480,
      graceMs: () => GRACE,
      settleMs: SETTLE,
      maxLateWaitMs: 60_000,
      catchUpMs: 2 * H,
      concurrency: 2,
      now: () => now,
      log: createLogger('silent'),
    });
    await rollup.start(3_600_000);
    await rollup.tick();
    // The whole of both hours is stored (the previous owner wrote the first 20 minutes); this worker heard A from takenAt only.
    const first = readingsOf(A, day, 120);
    const second = readingsOf(A, day + H, 120, 5);
    await telemetry.write([...first, ...second, ...readingsOf(B, day, 240)]);
    for (const r of [...first, ...second]) if (r.ts >= takenAt) rollup.onReading(r);
    now = day + 2 * H + GRACE;
    await rollup.tick();
    await rollup.tick();
    const raw = await hoursFromRaw(telemetry, { from: day, to: day + 2 * H, sources: [[A, [day, day + H]]] }, conversion, 480);
    expect(sortHours(await store.get(null, day, day + 2 * H))).toEqual(sortHours(raw));
    expect(raw.every((h) => h.mn === A)).toBe(true);
    await rollup.stop();
    await store.close();
    await telemetry.close();
  });
});
