/**
 * Retention on a real InfluxDB 1.x (issue 20). Its policies expire points by its own clock, which a
 * test cannot move: these check that the policies exist with the configured durations, that each data
 * kind is written to and read from its own, and what an upgraded deployment's older points become.
 */
import { describe, expect, inject, it } from 'vitest';
import type { DataKind, Reading } from '../../server/domain/reading';
import { DEFAULT_RETENTION } from '../../server/domain/retention';
import { createLogger } from '../../server/logger';
import { InfluxTelemetryStore } from '../../server/storage/influx/influx-telemetry-store';
import { RETENTION_POLICIES } from '../../server/storage/influx/influx-retention';
import { readingsToBody } from '../../server/storage/influx/line-protocol';
import { RetentionPruner } from '../../server/storage/retention-pruner';

const MN = '370300CEMS00000000000101';
const DAY = 86_400_000;
const NOW = Date.now();

const reading = (cn: DataKind, ts: number, value: number): Reading => ({
  mn: MN,
  enterpriseId: 'qilu-power',
  kind: 'cems',
  cn,
  ts,
  factors: { a21002: cn === '2011' ? { rtd: value, flag: 'N' } : { avg: value, flag: 'N' } },
});

const storeOf = (db: string, periods = { realtimeDays: 90, minuteDays: 1_095 }) =>
  new InfluxTelemetryStore({ url: inject('influxUrl'), db, timeoutMs: 10_000, createDb: true, retention: { policies: true, ...periods } });

/** Points of a kind in one policy (null: the default one). */
async function countIn(store: InfluxTelemetryStore, rp: string | null, cn: DataKind): Promise<number> {
  const from = rp === null ? 'telemetry' : `"${rp}".telemetry`;
  const [series = []] = await store.http.query(`SELECT count(a21002_rtd), count(a21002_avg) FROM ${from} WHERE cn = '${cn}'`);
  const row = series[0]?.values[0] ?? [];
  return Number(row[1] ?? 0) + Number(row[2] ?? 0);
}

describe('InfluxDB retention policies', () => {
  it('creates the policies with the configured durations, idempotently, and alters them when the periods change', async () => {
    const db = `retention_rp_${Date.now()}`;
    const store = storeOf(db);
    await store.init();
    await store.init(); // a second start changes nothing
    const byName = new Map((await store.retention.policies()).map((p) => [p.name, p]));
    expect(byName.get(RETENTION_POLICIES['2011'])?.durationMs).toBe(90 * DAY);
    expect(byName.get(RETENTION_POLICIES['2051'])?.durationMs).toBe(1_095 * DAY);
    // The default policy is left as it is: infinite, holding hour and day data and the rollup.
    expect(byName.get('autogen')).toMatchObject({ durationMs: 0, isDefault: true });
    expect(store.initWarnings).toEqual([]);

    const changed = storeOf(db, { realtimeDays: 30, minuteDays: 0 });
    await changed.init();
    const after = new Map((await changed.retention.policies()).map((p) => [p.name, p.durationMs]));
    expect(after.get(RETENTION_POLICIES['2011'])).toBe(30 * DAY);
    expect(after.get(RETENTION_POLICIES['2051'])).toBe(0); // 0 days: kept for good (INF)
  });

  it('writes each data kind into its policy and reads it back from there', async () => {
    const store = storeOf(`retention_kinds_${Date.now()}`);
    await store.init();
    const t = NOW - 3 * 3_600_000;
    await store.write([reading('2011', t, 1), reading('2051', t, 2), reading('2061', t, 3), reading('2031', t - DAY, 4)]);
    expect(await countIn(store, RETENTION_POLICIES['2011'], '2011')).toBe(1);
    expect(await countIn(store, RETENTION_POLICIES['2051'], '2051')).toBe(1);
    expect(await countIn(store, null, '2011')).toBe(0);
    expect(await countIn(store, null, '2051')).toBe(0);
    expect(await countIn(store, null, '2061')).toBe(1);
    expect(await countIn(store, null, '2031')).toBe(1);
    for (const [cn, value] of [
      ['2011', 1],
      ['2051', 2],
      ['2061', 3],
    ] as const) {
      const points = await store.series({ mn: MN, cn, factor: 'a21002', from: t - 1, to: t + 1 });
      expect(points.map((p) => p.rtd ?? p.avg)).toEqual([value]);
      expect((await store.records({ mn: MN, cn, from: t - 1, to: t + 1 })).length).toBe(1);
      expect((await store.latest(cn)).map((l) => l.ts)).toEqual([t]);
    }
  });

  it('a deployment from before the policies: its older points are read beside the new ones and pruned by the same periods', async () => {
    const db = `retention_legacy_${Date.now()}`;
    const plain = new InfluxTelemetryStore({ url: inject('influxUrl'), db, timeoutMs: 10_000, createDb: true });
    await plain.init();
    // Written by the version before: everything in the default policy.
    const old = NOW - 120 * DAY;
    const recent = NOW - 2 * DAY;
    await plain.http.write(readingsToBody([reading('2011', old, 1), reading('2011', recent, 2), reading('2061', old, 9)]));

    const store = storeOf(db);
    await store.init();
    expect(store.retention.legacyKinds).toEqual(['2011']);
    expect(store.initWarnings.join(' ')).toMatch(/from before the retention policies/);
    await store.write([reading('2011', NOW - DAY, 3)]);
    const all = await store.series({ mn: MN, cn: '2011', factor: 'a21002', from: old - 1, to: NOW });
    expect(all.map((p) => p.rtd)).toEqual([1, 2, 3]);

    const pruner = new RetentionPruner({
      target: { legacy: store.retention },
      retention: { ...DEFAULT_RETENTION, realtimeDays: 90 },
      now: () => NOW,
      log: createLogger('silent'),
    });
    await pruner.sweep();
    const left = await store.series({ mn: MN, cn: '2011', factor: 'a21002', from: old - 1, to: NOW });
    expect(left.map((p) => p.rtd)).toEqual([2, 3]); // the 120-day-old point went, the rest is read as before
    expect(store.retention.legacyKinds).toEqual(['2011']); // the 2-day-old one is still in the default policy
    expect(await store.series({ mn: MN, cn: '2061', factor: 'a21002', from: old - 1, to: NOW })).toHaveLength(1); // hour data kept

    // Once the default policy holds none of a kind, reads go to its own policy only.
    await pruner.stop();
    await store.retention.pruneLegacy('2011', NOW - 1.5 * DAY); // as the sweep would once 90 days have passed
    expect(store.retention.legacyKinds).toEqual([]);
    expect((await store.series({ mn: MN, cn: '2011', factor: 'a21002', from: old - 1, to: NOW })).map((p) => p.rtd)).toEqual([3]);
  });
});
