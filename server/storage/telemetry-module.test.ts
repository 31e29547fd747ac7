import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Reading } from '../domain/reading';
import { DEFAULT_RETENTION } from '../domain/retention';
import { createLogger } from '../logger';
import { encodeJson } from './reading-codec';
import { ReadingSpool } from './spool/reading-spool';
import { startTelemetry, type TelemetryConfig } from './telemetry-module';
import { until } from '../../tests/helpers/wait';

const config = (dataDir: string): TelemetryConfig => ({
  dataDir,
  influx: {
    url: '',
    db: 'o3',
    token: '',
    username: '',
    password: '',
    timeoutMs: 1_000,
    createDb: false,
    batchSize: 100,
    flushIntervalMs: 10,
    concurrency: 1,
  },
  spool: { segmentMb: 1, maxMb: 8, syncIntervalMs: 0, maxDepthWhileUp: 10_000, alarmDepth: 10_000 },
  ingest: { maxBufferedReadings: 1_000 },
  retention: DEFAULT_RETENTION,
});

const reading: Reading = {
  mn: '370300NH3000000000000201',
  enterpriseId: 'zichuan-cement',
  kind: 'ammonia',
  cn: '2011',
  ts: Date.UTC(2026, 6, 1),
  factors: { a21001: { rtd: 3.2, flag: 'N' } },
};

describe('startTelemetry: the ports it is handed', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('reports each store write to the observer it was built with (no listener registered afterwards)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'o3-telemetry-'));
    dirs.push(dir);
    const timings: number[] = [];
    const refused: string[] = [];
    const telemetry = await startTelemetry(config(dir), createLogger('silent'), {
      deadLetters: { storeRefused: (r) => void refused.push(r.mn) },
      observeWrite: (seconds) => void timings.push(seconds),
    });
    await telemetry.writer.write(reading);
    await telemetry.writer.flush();
    expect(timings).toHaveLength(1);
    expect(timings[0]).toBeGreaterThanOrEqual(0);
    expect(refused).toEqual([]);
    expect(await telemetry.store.latest('2011')).toMatchObject([{ mn: reading.mn }]);
    await telemetry.stop();
  });

  const ports = { deadLetters: { storeRefused: () => undefined }, observeWrite: () => undefined };
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'o3-telemetry-'));
    dirs.push(dir);
    return dir;
  };

  it('durable in the store (an ingest worker): a write resolves once the store has it, and no spool is made', async () => {
    const dir = tempDir();
    const telemetry = await startTelemetry(config(dir), createLogger('silent'), ports, 'store');
    await telemetry.writer.write(reading);
    expect(await telemetry.store.latest('2011')).toMatchObject([{ mn: reading.mn, ts: reading.ts }]);
    expect(telemetry.spool).toEqual({ depth: 0, bytes: 0, full: false });
    expect(existsSync(join(dir, 'spool'))).toBe(false);
    await telemetry.stop();
  });

  it('durable in the store: what a spool of an earlier version left in the data dir is written, and the spool emptied', async () => {
    const dir = tempDir();
    const opts = { dir: join(dir, 'spool'), segmentBytes: 1 << 20, maxBytes: 8 << 20, syncIntervalMs: 0 };
    const old = ReadingSpool.open(opts, createLogger('silent'));
    for (let i = 0; i < 3; i++) old.append(encodeJson({ ...reading, ts: reading.ts + i * 1000 })); // JSON, as it spooled
    await old.durable();
    old.close();
    const telemetry = await startTelemetry(config(dir), createLogger('silent'), ports, 'store');
    const stored = () => telemetry.store.records({ mn: reading.mn, cn: '2011', from: reading.ts, to: reading.ts + 10_000 });
    await until(async () => (await stored()).length === 3, 'the old spool written');
    await telemetry.stop();
    const reopened = ReadingSpool.open(opts, createLogger('silent'));
    expect(reopened.depth).toBe(0);
    reopened.close();
  });
});
