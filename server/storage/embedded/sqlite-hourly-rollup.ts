/** The reports' hourly rollup in SQLite (embedded runs): one row per source and local hour. */
import type Database from 'better-sqlite3';
import { openSqlite } from './sqlite-open';
import { decodeSourceHour, encodeSourceHour, type HourlyRollupStore, type SourceHour, type SourceHourKey } from '../hourly-rollup';

interface Row {
  mn: string;
  hour: number;
  data: string;
}

export class SqliteHourlyRollup implements HourlyRollupStore {
  readonly name = 'sqlite';
  private readonly db: Database.Database;
  private selectAll!: Database.Statement;
  private selectSome!: Database.Statement;
  private upsert!: Database.Statement;
  private remove!: Database.Statement;

  constructor(file: string) {
    this.db = openSqlite(file, { synchronous: 'NORMAL' });
  }

  async init(): Promise<void> {
    this.db.exec(`CREATE TABLE IF NOT EXISTS report_hours (
      mn TEXT NOT NULL, hour INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (mn, hour)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS report_hours_by_hour ON report_hours (hour);`);
    this.selectAll = this.db.prepare('SELECT mn, hour, data FROM report_hours WHERE hour >= ? AND hour < ?');
    this.selectSome = this.db.prepare(
      'SELECT mn, hour, data FROM report_hours WHERE mn IN (SELECT value FROM json_each(?)) AND hour >= ? AND hour < ?',
    );
    this.upsert = this.db.prepare('INSERT OR REPLACE INTO report_hours (mn, hour, data) VALUES (?, ?, ?)');
    this.remove = this.db.prepare('DELETE FROM report_hours WHERE mn = ? AND hour = ?');
  }

  async get(mns: readonly string[] | null, from: number, to: number): Promise<SourceHour[]> {
    const rows = (mns === null ? this.selectAll.all(from, to) : this.selectSome.all(JSON.stringify(mns), from, to)) as Row[];
    return rows.flatMap((r) => decodeSourceHour(r.mn, r.hour, r.data) ?? []);
  }

  async put(hours: readonly SourceHour[]): Promise<void> {
    this.db.transaction(() => {
      for (const h of hours) this.upsert.run(h.mn, h.hour, encodeSourceHour(h));
    })();
  }

  async drop(keys: readonly SourceHourKey[]): Promise<void> {
    this.db.transaction(() => {
      for (const k of keys) this.remove.run(k.mn, k.hour);
    })();
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
