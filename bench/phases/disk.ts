/**
 * Disk (issue 20): bytes per value as stored — InfluxDB's files for the server's database (TSM data
 * and WAL) after the ingest and the store top-up, divided by the values counted in it; the embedded
 * SQLite store's file for the same kind of readings — and the disk a province's year takes under
 * the retention periods (server/domain/retention.ts).
 *
 * The province: 20,000 outlets sending real-time data every 30 s and minute data every 10 min (≈ 700
 * messages/s, the province phase's load), hour and day data, 10 factors each; the reports' hourly
 * rollup beside them. An aggregate reading (avg, min, max, flag per factor) is counted as twice a
 * real-time one (rtd, flag); a rollup hour at the size of its JSON (an upper bound: InfluxDB and
 * SQLite pages compress or pack it).
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Reading } from '../../server/domain/reading';
import { DEFAULT_RETENTION } from '../../server/domain/retention';
import { SqliteTelemetryStore } from '../../server/storage/embedded/sqlite-telemetry-store';
import { encodeSourceHour } from '../../server/storage/hourly-rollup';

const DAY_S = 86_400;
const YEAR_DAYS = 365;

export interface DiskResult {
  influx: { dataBytes: number; walBytes: number; values: number; bytesPerValue: number };
  sqlite: { bytes: number; values: number; bytesPerValue: number };
  province: ProvinceProjection;
}

export interface ProvinceProjection {
  outlets: number;
  realtimeIntervalS: number;
  minuteIntervalS: number;
  /** Readings a year of the province sends (all kinds). */
  readingsPerYear: number;
  /** The readings' disk the first year (real-time data capped at its retention), bytes. */
  yearBytes: number;
  /** Once minute data reaches its period (3 years by default): the readings' disk then, bytes. */
  steadyBytes: number;
  steadyYears: number;
  /** The hourly rollup a year adds, at its JSON's size (an upper bound), bytes. */
  rollupBytesPerYear: number;
}

/** Every file's size under a directory (0 when it does not exist). */
export function dirBytes(dir: string): number {
  let total = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0; // not there: nothing stored
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    total += e.isDirectory() ? dirBytes(path) : statSync(path).size;
  }
  return total;
}

/** A rollup hour of 10 factors as stored (JSON). */
function rollupHourBytes(): number {
  const factors = Object.fromEntries(
    Array.from({ length: 10 }, (_, i) => [`a2100${i}`, { n: 60, nValid: 60, sum: 1234.567, nZs: 60, sumZs: 1456.789, flag: 'N' as const }]),
  );
  const hour = {
    mn: '',
    hour: 0,
    basis: '2051' as const,
    records: 120,
    validRecords: 120,
    intervalS: 30,
    intervals: 120,
    validIntervals: 120,
  };
  return encodeSourceHour({ ...hour, factors }).length + 40; // + the row's or point's key and time
}

/** The province's disk per year and at steady state, from the bytes of one real-time reading (10 values). */
export function provinceProjection(bytesPerReading: number, retention = DEFAULT_RETENTION, outlets = 20_000): ProvinceProjection {
  const realtimeIntervalS = 30;
  const minuteIntervalS = 600;
  const perDay = { realtime: DAY_S / realtimeIntervalS, minute: DAY_S / minuteIntervalS, hour: 24, day: 1 };
  const keep = (days: number, years: number) => (days === 0 ? years * YEAR_DAYS : Math.min(days, years * YEAR_DAYS));
  const aggregate = 2 * bytesPerReading;
  const rollup = rollupHourBytes();
  const bytesOver = (years: number) =>
    outlets *
    (perDay.realtime * keep(retention.realtimeDays, years) * bytesPerReading +
      perDay.minute * keep(retention.minuteDays, years) * aggregate +
      (perDay.hour + perDay.day) * years * YEAR_DAYS * aggregate);
  const steadyYears = Math.max(1, Math.ceil((retention.minuteDays || YEAR_DAYS) / YEAR_DAYS));
  const readingsPerYear = outlets * (perDay.realtime + perDay.minute + perDay.hour + perDay.day) * YEAR_DAYS;
  return {
    outlets,
    realtimeIntervalS,
    minuteIntervalS,
    readingsPerYear,
    yearBytes: bytesOver(1),
    steadyBytes: bytesOver(steadyYears),
    steadyYears,
    rollupBytesPerYear: outlets * 24 * YEAR_DAYS * rollup,
  };
}

/** The embedded store's file for `readings` real-time readings of 10 factors (rtd, flag), one every 30 s per source. */
async function sqliteFootprint(readings = 20_000, sources = 50): Promise<DiskResult['sqlite']> {
  const dir = mkdtempSync(join(tmpdir(), 'o3-bench-sqlite-'));
  const store = new SqliteTelemetryStore(join(dir, 'telemetry.db'));
  try {
    await store.init();
    const t0 = Date.UTC(2026, 6, 1);
    const batch: Reading[] = [];
    for (let k = 0; k < readings / sources; k++) {
      for (let s = 0; s < sources; s++) {
        const factors: Reading['factors'] = {};
        for (let f = 0; f < 10; f++) factors[`a2100${f}`] = { rtd: Math.round((20 + f + Math.sin(k + s) * 3) * 1000) / 1000, flag: 'N' };
        batch.push({
          mn: `3703000BENCH${String(s).padStart(12, '0')}`,
          enterpriseId: 'bench',
          kind: 'cems',
          cn: '2011',
          ts: t0 + k * 30_000,
          factors,
        });
      }
      if (batch.length >= 5_000) await store.write(batch.splice(0));
    }
    await store.write(batch);
    const values = store.rowCount();
    await store.close(); // checkpoints the WAL into the file
    const bytes = dirBytes(dir);
    return { bytes, values, bytesPerValue: bytes / values };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Measures InfluxDB's files of `db` (under the influxd's directory) against the values counted in it. */
export async function diskRun(influxDir: string, db: string, values: number, valuesPerReading: number): Promise<DiskResult> {
  const dataBytes = dirBytes(join(influxDir, 'data', db));
  const walBytes = dirBytes(join(influxDir, 'wal', db));
  const bytesPerValue = values > 0 ? (dataBytes + walBytes) / values : 0;
  return {
    influx: { dataBytes, walBytes, values, bytesPerValue },
    sqlite: await sqliteFootprint(),
    province: provinceProjection(bytesPerValue * valuesPerReading),
  };
}

const mb = (b: number): string => (b / 1_048_576).toFixed(b < 10 * 1_048_576 ? 1 : 0);
const gb = (b: number): string => (b / 1_073_741_824).toFixed(0);

/** The bench table's rows (info: the issue sets no figure; a province's year must fit one node's disk). */
export function diskRows(d: DiskResult): [string, string, string, string][] {
  const p = d.province;
  const r = DEFAULT_RETENTION;
  return [
    [
      'Disk: bytes per value stored, InfluxDB',
      `${d.influx.bytesPerValue.toFixed(1)} B/value · ${(d.influx.bytesPerValue * 10).toFixed(0)} B/reading of 10 ` +
        `(${mb(d.influx.dataBytes)} MB TSM + ${mb(d.influx.walBytes)} MB WAL for ${d.influx.values.toLocaleString('en')} values)`,
      '',
      '',
    ],
    [
      '  the same, embedded SQLite',
      `${d.sqlite.bytesPerValue.toFixed(1)} B/value (${mb(d.sqlite.bytes)} MB for ${d.sqlite.values.toLocaleString('en')} values)`,
      '',
      '',
    ],
    [
      'Projected disk, province-year (InfluxDB)',
      `${gb(p.yearBytes)} GB the first year, ${gb(p.steadyBytes)} GB in year ${p.steadyYears} (then + hour/day data), ` +
        `rollups ≤ ${gb(p.rollupBytesPerYear)} GB/y (uncompressed JSON): ${p.outlets.toLocaleString('en')} outlets, ` +
        `real-time every ${p.realtimeIntervalS} s kept ${r.realtimeDays} d, minute every ${p.minuteIntervalS / 60} min kept ${r.minuteDays} d`,
      '',
      '',
    ],
  ];
}
