/**
 * Retention on the embedded SQLite store (issue 20): the product prunes it itself, by the clock it is
 * given, in slices. Real-time data past its period goes, minute data past its own, hour and day
 * data stay; the rest is untouched.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DataKind, Reading } from '../../server/domain/reading';
import { DEFAULT_RETENTION, type RetentionConfig } from '../../server/domain/retention';
import { createLogger } from '../../server/logger';
import { startTelemetry, type TelemetryConfig } from '../../server/storage/telemetry-module';

const DAY = 86_400_000;
const T0 = Date.parse('2026-07-01T00:00:00+08:00');
const SOURCES = ['370300CEMS00000000000101', '370300CEMS00000000000102'];

const config = (dataDir: string, retention: RetentionConfig): TelemetryConfig => ({
  dataDir,
  influx: {
    url: '',
    db: 'o3',
    token: '',
    username: '',
    password: '',
    timeoutMs: 1_000,
    createDb: false,
    batchSize: 5_000,
    flushIntervalMs: 10,
    concurrency: 1,
  },
  spool: { segmentMb: 4, maxMb: 64, syncIntervalMs: 0, maxDepthWhileUp: 100_000, alarmDepth: 100_000 },
  ingest: { maxBufferedReadings: 100_000 },
  retention,
});

const reading = (mn: string, cn: DataKind, ts: number): Reading => ({
  mn,
  enterpriseId: 'qilu-power',
  kind: 'cems',
  cn,
  ts,
  factors: { a21002: { rtd: 30, avg: 30, flag: 'N' }, a19001: { rtd: 8, avg: 8, flag: 'N' } },
});

describe('SQLite pruning by the retention periods', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('deletes real-time data past 90 days and minute data past 3 years, keeps the rest and hour and day data, in slices', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'o3-retention-'));
    dirs.push(dir);
    let now = T0;
    const retention = { ...DEFAULT_RETENTION, realtimeDays: 90, minuteDays: 1_095, sliceRows: 40, pauseMs: 0 };
    const telemetry = await startTelemetry(config(dir, retention), createLogger('silent'), {
      deadLetters: { storeRefused: () => undefined },
      observeWrite: () => undefined,
      now: () => now,
    });
    // Per source: real-time every 10 min over 100 days before T0, minute data every 6 h over 4 years, hour and day data 5 years back.
    const readings: Reading[] = [];
    for (const mn of SOURCES) {
      for (let ts = T0 - 100 * DAY; ts < T0; ts += 600_000) readings.push(reading(mn, '2011', ts));
      for (let ts = T0 - 4 * 365 * DAY; ts < T0; ts += 6 * 3_600_000) readings.push(reading(mn, '2051', ts));
      readings.push(reading(mn, '2061', T0 - 5 * 365 * DAY), reading(mn, '2031', T0 - 5 * 365 * DAY));
    }
    for (const r of readings) await telemetry.writer.write(r);
    await telemetry.writer.flush();
    const count = async (mn: string, cn: DataKind, from: number, to = T0) => (await telemetry.store.records({ mn, cn, from, to })).length;
    const [mn] = SOURCES as [string];
    expect(await count(mn, '2011', 0)).toBe(14_400);

    // Before anything is old enough, a sweep deletes nothing.
    now = T0 - 400 * DAY;
    expect((await telemetry.pruner.sweep()).deleted).toBe(0);

    now = T0;
    const totals = await telemetry.pruner.sweep();
    for (const m of SOURCES) {
      expect(await count(m, '2011', 0, T0 - 90 * DAY)).toBe(0);
      expect(await count(m, '2011', T0 - 90 * DAY)).toBe(90 * 144); // the last 90 days, every one
      expect(await count(m, '2051', 0, T0 - 1_095 * DAY)).toBe(0);
      expect(await count(m, '2051', T0 - 1_095 * DAY)).toBe(1_095 * 4);
      expect(await count(m, '2061', 0)).toBe(1);
      expect(await count(m, '2031', 0)).toBe(1);
    }
    // Two factors a reading: 10 days of real-time and 365 days of minute data, per source.
    expect(totals.deleted).toBe(SOURCES.length * 2 * (10 * 144 + (4 * 365 - 1_095) * 4));
    expect(totals.slices).toBeGreaterThan(totals.deleted / 40 - 1); // never more than sliceRows at once
    // The latest values are not data past their period: the dashboard still has them.
    expect((await telemetry.store.latest('2011')).map((l) => l.mn).sort()).toEqual(SOURCES);
    await telemetry.stop();
  });
});
