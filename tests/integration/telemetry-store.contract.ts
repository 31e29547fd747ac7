/**
 * The TelemetryStore contract: every implementation (SQLite, InfluxDB) runs these same cases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reading } from '../../server/domain/reading';
import { LinesBuffer } from '../../server/storage/lines-buffer';
import { readingToLine } from '../../server/storage/influx/line-protocol';
import { encodeJson } from '../../server/storage/reading-codec';
import { PermanentWriteError, type TelemetryRecordReader, type TelemetryStore } from '../../server/storage/telemetry-store';

const T0 = Date.parse('2026-07-01T10:00:00+08:00');
const MN_A = '370300NH3000000000000201';
const MN_B = '370300CEMS00000000000101';

const reading = (mn: string, ts: number, factors: Reading['factors'], cn: Reading['cn'] = '2011'): Reading => ({
  mn,
  enterpriseId: 'zichuan-cement',
  kind: mn === MN_A ? 'ammonia' : 'cems',
  cn,
  ts,
  factors,
});

export function telemetryStoreContract(name: string, create: () => Promise<TelemetryStore & TelemetryRecordReader>): void {
  describe(`TelemetryStore contract: ${name}`, () => {
    let store: TelemetryStore & TelemetryRecordReader;
    beforeAll(async () => {
      store = await create();
      await store.init();
      await store.write([
        reading(MN_A, T0, { a21001: { rtd: 3.2, flag: 'N' } }),
        reading(MN_A, T0 + 30_000, { a21001: { rtd: 8.5, flag: 'N' } }),
        reading(MN_A, T0 + 60_000, { a21001: { rtd: 4.1, flag: 'D' } }),
        reading(MN_A, T0, { a21001: { avg: 5.3, min: 3.2, max: 8.5, flag: 'N' } }, '2051'),
        reading(MN_B, T0, {
          a21002: { rtd: 31.5, zs: 40.25, flag: 'N' },
          a19001: { rtd: 8.1, flag: 'N' },
          a00000: { rtd: 120.5, cou: 433800, flag: 'N' },
        }),
        reading(MN_B, T0 + 30_000, { a21002: { rtd: 33, flag: 'N' } }),
      ]);
    });
    afterAll(async () => store.close());

    it('returns one factor of one source over [from, to), oldest first, with every field and flag', async () => {
      const points = await store.series({ mn: MN_A, cn: '2011', factor: 'a21001', from: T0, to: T0 + 60_000 });
      expect(points).toEqual([
        { ts: T0, rtd: 3.2, flag: 'N' },
        { ts: T0 + 30_000, rtd: 8.5, flag: 'N' },
      ]);
      const all = await store.series({ mn: MN_A, cn: '2011', factor: 'a21001', from: T0, to: T0 + 60_001 });
      expect(all.at(-1)).toEqual({ ts: T0 + 60_000, rtd: 4.1, flag: 'D' });
    });

    it('keeps data kinds apart and round-trips aggregate fields', async () => {
      const minute = await store.series({ mn: MN_A, cn: '2051', factor: 'a21001', from: T0 - 1, to: T0 + 1 });
      expect(minute).toEqual([{ ts: T0, avg: 5.3, min: 3.2, max: 8.5, flag: 'N' }]);
      const flow = await store.series({ mn: MN_B, cn: '2011', factor: 'a00000', from: T0, to: T0 + 1 });
      expect(flow).toEqual([{ ts: T0, rtd: 120.5, cou: 433800, flag: 'N' }]);
    });

    it('is idempotent: the same source, kind, instant and factor written twice keeps one value', async () => {
      const again = reading(MN_A, T0 + 30_000, { a21001: { rtd: 8.5, flag: 'N' } });
      await store.write([again]);
      await store.write([again]);
      const points = await store.series({ mn: MN_A, cn: '2011', factor: 'a21001', from: T0 + 30_000, to: T0 + 30_001 });
      expect(points).toEqual([{ ts: T0 + 30_000, rtd: 8.5, flag: 'N' }]);
    });

    it('returns the newest reading of each source with only the factors of that instant', async () => {
      const latest = (await store.latest('2011')).sort((a, b) => a.mn.localeCompare(b.mn));
      expect(latest).toEqual([
        { mn: MN_B, cn: '2011', ts: T0 + 30_000, factors: { a21002: { rtd: 33, flag: 'N' } } },
        { mn: MN_A, cn: '2011', ts: T0 + 60_000, factors: { a21001: { rtd: 4.1, flag: 'D' } } },
      ]);
    });

    it('returns whole records of one source and data kind over [from, to), oldest first', async () => {
      const records = await store.records({ mn: MN_B, cn: '2011', from: T0, to: T0 + 60_000 });
      expect(records).toEqual([
        {
          ts: T0,
          factors: {
            a21002: { rtd: 31.5, zs: 40.25, flag: 'N' },
            a19001: { rtd: 8.1, flag: 'N' },
            a00000: { rtd: 120.5, cou: 433800, flag: 'N' },
          },
        },
        { ts: T0 + 30_000, factors: { a21002: { rtd: 33, flag: 'N' } } },
      ]);
      expect(await store.records({ mn: MN_A, cn: '2051', from: T0, to: T0 + 1 })).toEqual([
        { ts: T0, factors: { a21001: { avg: 5.3, min: 3.2, max: 8.5, flag: 'N' } } },
      ]);
      expect(await store.records({ mn: MN_A, cn: '2011', from: T0 + 1, to: T0 + 30_000 })).toEqual([]);
    });

    it('returns the records of many sources in one question, each as records() gives it; a source with none maps to []', async () => {
      const asked = [MN_A, MN_B, 'UNKNOWN0000000000'];
      for (const [cn, from, to] of [
        ['2011', T0, T0 + 60_000],
        ['2011', T0 + 1, T0 + 60_001],
        ['2051', T0, T0 + 60_000],
      ] as const) {
        const got = await store.recordsOfSources({ mns: asked, cn, from, to });
        expect([...got.keys()].sort()).toEqual([...asked].sort());
        for (const mn of asked) expect(got.get(mn)).toEqual(await store.records({ mn, cn, from, to }));
      }
      expect((await store.recordsOfSources({ mns: [MN_B], cn: '2011', from: T0, to: T0 + 60_000 })).get(MN_B)).toHaveLength(2);
      expect(await store.recordsOfSources({ mns: [], cn: '2011', from: T0, to: T0 + 60_000 })).toEqual(new Map());
    });

    it('names the sources with a record of a data kind over [from, to), in one question', async () => {
      const sorted = async (cn: Reading['cn'], from: number, to: number) => [...(await store.sourcesWithRecords(cn, from, to))].sort();
      expect(await sorted('2011', T0, T0 + 60_000)).toEqual([MN_B, MN_A].sort());
      expect(await sorted('2011', T0 + 30_001, T0 + 60_001)).toEqual([MN_A]); // only A's last record
      expect(await sorted('2011', T0 + 30_001, T0 + 60_000)).toEqual([]); // [from, to): the end is out
      expect(await sorted('2051', T0, T0 + 60_000)).toEqual([MN_A]);
      expect(await sorted('2031', T0, T0 + 60_000)).toEqual([]);
    });

    it('writes encoded readings as it writes readings, and takes a line of the other store’s encoding (an earlier spool)', async () => {
      const C = '370300VOCS00000000000301';
      const t = Date.parse('2026-07-01T15:00:00+08:00');
      const own = reading(C, t, { a24088: { rtd: 1.5, zs: 2.25, flag: 'N' }, a19001: { rtd: 9, flag: 'D' } });
      const json = reading(C, t + 30_000, { a24088: { rtd: 1.7, flag: 'N' } });
      const line = reading(C, t + 60_000, { a24088: { avg: 1.6, min: 1, max: 2, cou: 3, flag: 'N' } });
      await store.writeEncoded(LinesBuffer.of([store.encode(own), encodeJson(json), readingToLine(line)]));
      const records = await store.records({ mn: C, cn: '2011', from: t, to: t + 90_000 });
      expect(records).toEqual([own, json, line].map((r) => ({ ts: r.ts, factors: r.factors })));
      await expect(store.writeEncoded(LinesBuffer.of(['{"mn":"3703']))).rejects.toBeInstanceOf(PermanentWriteError);
    });

    it('answers empty for an unknown source or an empty range', async () => {
      expect(await store.series({ mn: 'UNKNOWN0000000000', cn: '2011', factor: 'a21001', from: T0, to: T0 + 60_000 })).toEqual([]);
      expect(await store.series({ mn: MN_A, cn: '2011', factor: 'a21001', from: T0 - 60_000, to: T0 })).toEqual([]);
    });
  });
}
