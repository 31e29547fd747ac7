/** Embedded telemetry store: one SQLite row per (source, data kind, instant, factor). */
import type Database from 'better-sqlite3';
import { openSqlite } from './sqlite-open';
import type { LinesBuffer } from '../lines-buffer';
import { encodeJson, storedReading } from '../reading-codec';
import type { LatestValues } from '../../domain/events';
import { FACTOR_FIELDS, type DataFlag, type DataKind, type FactorValue, type Reading, type SeriesPoint } from '../../domain/reading';
import type { SlicedPruning } from '../retention-pruner';
import type {
  RecordsQuery,
  SeriesQuery,
  SourcesRecordsQuery,
  StoredRecord,
  TelemetryRecordReader,
  TelemetryStore,
} from '../telemetry-store';

interface Row {
  mn: string;
  cn: DataKind;
  ts: number;
  factor: string;
  rtd: number | null;
  avg: number | null;
  min: number | null;
  max: number | null;
  zs: number | null;
  cou: number | null;
  flag: DataFlag;
}

function toFactorValue(row: Row): FactorValue {
  const v: FactorValue = { flag: row.flag };
  for (const f of FACTOR_FIELDS) if (row[f] !== null) v[f] = row[f];
  return v;
}

export class SqliteTelemetryStore implements TelemetryStore, TelemetryRecordReader, SlicedPruning {
  readonly name = 'sqlite';
  private readonly db: Database.Database;
  private insert!: Database.Statement;
  private upsertLatest!: Database.Statement;
  private selectLatest!: Database.Statement;
  private selectSeries!: Database.Statement;
  private selectRecords!: Database.Statement;
  private selectSources!: Database.Statement;
  private selectAnyRecord!: Database.Statement;
  private deleteOlder!: Database.Statement;

  constructor(file: string) {
    this.db = openSqlite(file, { synchronous: 'NORMAL' });
  }

  async init(): Promise<void> {
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS telemetry (
        mn TEXT NOT NULL, cn TEXT NOT NULL, ts INTEGER NOT NULL, factor TEXT NOT NULL,
        rtd REAL, avg REAL, min REAL, max REAL, zs REAL, cou REAL, flag TEXT NOT NULL,
        PRIMARY KEY (mn, cn, ts, factor)
      ) WITHOUT ROWID;
      -- The newest value per (source, data kind, factor), so the dashboard's "latest" is O(sources).
      CREATE TABLE IF NOT EXISTS telemetry_latest (
        mn TEXT NOT NULL, cn TEXT NOT NULL, factor TEXT NOT NULL, ts INTEGER NOT NULL,
        rtd REAL, avg REAL, min REAL, max REAL, zs REAL, cou REAL, flag TEXT NOT NULL,
        PRIMARY KEY (mn, cn, factor)
      ) WITHOUT ROWID;`);
    const cols = '(mn, cn, ts, factor, rtd, avg, min, max, zs, cou, flag) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
    this.insert = this.db.prepare(`INSERT OR REPLACE INTO telemetry ${cols}`);
    this.upsertLatest = this.db.prepare(
      `INSERT INTO telemetry_latest ${cols}
       ON CONFLICT (mn, cn, factor) DO UPDATE SET ts = excluded.ts, rtd = excluded.rtd, avg = excluded.avg,
         min = excluded.min, max = excluded.max, zs = excluded.zs, cou = excluded.cou, flag = excluded.flag
       WHERE excluded.ts >= telemetry_latest.ts`,
    );
    this.selectLatest = this.db.prepare(`SELECT * FROM telemetry_latest WHERE cn = ? ORDER BY mn, ts DESC`);
    this.selectSeries = this.db.prepare(
      `SELECT * FROM telemetry WHERE mn = ? AND cn = ? AND ts >= ? AND ts < ? AND factor = ? ORDER BY ts`,
    );
    this.selectRecords = this.db.prepare(`SELECT * FROM telemetry WHERE mn = ? AND cn = ? AND ts >= ? AND ts < ? ORDER BY ts`);
    // Pruning (server/storage/retention-pruner.ts): every source that ever sent the kind is in
    // telemetry_latest; its old rows are a range of the primary key (mn, cn, ts, …).
    this.selectSources = this.db.prepare(`SELECT DISTINCT mn FROM telemetry_latest WHERE cn = ?`).pluck();
    this.deleteOlder = this.db.prepare(`DELETE FROM telemetry WHERE mn = ? AND cn = ? AND ts < ? LIMIT ?`);
    this.selectAnyRecord = this.db.prepare(`SELECT 1 FROM telemetry WHERE mn = ? AND cn = ? AND ts >= ? AND ts < ? LIMIT 1`).pluck();
  }

  async write(readings: readonly Reading[]): Promise<void> {
    this.db.transaction(() => {
      for (const r of readings) {
        for (const [factor, v] of Object.entries(r.factors)) {
          const row = [
            r.mn,
            r.cn,
            r.ts,
            factor,
            v.rtd ?? null,
            v.avg ?? null,
            v.min ?? null,
            v.max ?? null,
            v.zs ?? null,
            v.cou ?? null,
            v.flag,
          ];
          this.insert.run(row);
          this.upsertLatest.run(row);
        }
      }
    })();
  }

  encode(reading: Reading): string {
    return encodeJson(reading);
  }

  async writeEncoded(lines: LinesBuffer): Promise<void> {
    await this.write(lines.lines().map(storedReading));
  }

  async latest(cn: DataKind): Promise<LatestValues[]> {
    const rows = this.selectLatest.all(cn) as Row[];
    const byMn = new Map<string, LatestValues>();
    for (const row of rows) {
      let lv = byMn.get(row.mn);
      if (!lv) byMn.set(row.mn, (lv = { mn: row.mn, cn: row.cn, ts: row.ts, factors: {} }));
      // Only the factors of the newest instant: a factor last seen earlier is not "latest".
      if (row.ts === lv.ts) lv.factors[row.factor] = toFactorValue(row);
    }
    return [...byMn.values()];
  }

  async series(q: SeriesQuery): Promise<SeriesPoint[]> {
    const rows = this.selectSeries.all(q.mn, q.cn, q.from, q.to, q.factor) as Row[];
    return rows.map((row) => ({ ts: row.ts, ...toFactorValue(row) }));
  }

  async records(q: RecordsQuery): Promise<StoredRecord[]> {
    const out: StoredRecord[] = [];
    for (const row of this.selectRecords.iterate(q.mn, q.cn, q.from, q.to) as Iterable<Row>) {
      let last = out.at(-1);
      if (!last || last.ts !== row.ts) out.push((last = { ts: row.ts, factors: {} }));
      last.factors[row.factor] = toFactorValue(row);
    }
    return out;
  }

  /** Source by source: in process, each is a range of the primary key (no round trip to save). */
  async recordsOfSources(q: SourcesRecordsQuery): Promise<Map<string, StoredRecord[]>> {
    const out = new Map<string, StoredRecord[]>();
    for (const mn of q.mns) out.set(mn, await this.records({ mn, cn: q.cn, from: q.from, to: q.to }));
    return out;
  }

  /** Each source that ever sent the kind, asked for one row in the range (a lookup in the primary key, not a scan). */
  async sourcesWithRecords(cn: DataKind, from: number, to: number): Promise<Set<string>> {
    return new Set(this.sourcesOf(cn).filter((mn) => this.selectAnyRecord.get(mn, cn, from, to) !== undefined));
  }

  sourcesOf(cn: DataKind): string[] {
    return this.selectSources.all(cn) as string[];
  }

  pruneSlice(mn: string, cn: DataKind, before: number, limit: number): number {
    return this.deleteOlder.run(mn, cn, before, limit).changes;
  }

  /** Rows stored (all sources and kinds): for the bench's bytes per value. */
  rowCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM telemetry').get() as { n: number }).n;
  }

  async ping(): Promise<boolean> {
    return this.db.open;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
