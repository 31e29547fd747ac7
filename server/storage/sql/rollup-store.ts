/**
 * The reports' hourly rollup store on SQLite or PostgreSQL (Kysely): `reports.db` in the data
 * directory, or the database of DATABASE_URL. A report reads a day of every source in one query.
 */
import type { Kysely } from 'kysely';
import { decodeSourceHour, encodeSourceHour, type HourlyRollupStore, type SourceHour, type SourceHourKey } from '../hourly-rollup';
import { openSqlDatabase, type SqlDatabase } from './database';
import { migrateToLatest } from './migrate';
import { ROLLUP_MIGRATIONS, type RollupTables } from './rollup-tables';

/** Rows per statement (well under SQLite's and PostgreSQL's bound-parameter limits). */
const CHUNK = 500;
/** Above this many sources a read takes every source's hours and filters here (no giant IN list). */
const MAX_MN_FILTER = 500;

const chunks = <T>(xs: readonly T[]): T[][] =>
  Array.from({ length: Math.ceil(xs.length / CHUNK) }, (_, i) => xs.slice(i * CHUNK, (i + 1) * CHUNK));

export class SqlHourlyRollup implements HourlyRollupStore {
  readonly name: string;
  private readonly sql: SqlDatabase<RollupTables>;
  private readonly db: Kysely<RollupTables>;
  /** Migrations the last init() ran. */
  migrated: string[] = [];

  constructor(location: string) {
    this.sql = openSqlDatabase<RollupTables>(location);
    this.db = this.sql.db;
    this.name = this.sql.dialect;
  }

  async init(): Promise<void> {
    this.migrated = await migrateToLatest(this.db as Kysely<unknown>, ROLLUP_MIGRATIONS);
  }

  async get(mns: readonly string[] | null, from: number, to: number): Promise<SourceHour[]> {
    if (mns?.length === 0) return [];
    const wanted = mns && mns.length > MAX_MN_FILTER ? new Set(mns) : null;
    let q = this.db.selectFrom('rollup_hours').select(['mn', 'hour', 'data']).where('hour', '>=', from).where('hour', '<', to);
    if (mns && !wanted) q = q.where('mn', 'in', [...mns]);
    const rows = await q.execute();
    const out: SourceHour[] = [];
    for (const r of rows) {
      if (wanted && !wanted.has(r.mn)) continue;
      const h = decodeSourceHour(r.mn, Number(r.hour), r.data);
      if (h) out.push(h);
    }
    return out;
  }

  async put(hours: readonly SourceHour[]): Promise<void> {
    if (hours.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (const part of chunks(hours)) {
        await trx
          .insertInto('rollup_hours')
          .values(part.map((h) => ({ mn: h.mn, hour: h.hour, data: encodeSourceHour(h) })))
          .onConflict((oc) => oc.columns(['mn', 'hour']).doUpdateSet((eb) => ({ data: eb.ref('excluded.data') })))
          .execute();
      }
    });
  }

  async drop(keys: readonly SourceHourKey[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (const part of chunks(keys)) {
        await trx
          .deleteFrom('rollup_hours')
          .where((eb) => eb.or(part.map((k) => eb.and([eb('mn', '=', k.mn), eb('hour', '=', k.hour)]))))
          .execute();
      }
    });
  }

  async lastHour(): Promise<number | null> {
    const row = await this.db
      .selectFrom('rollup_hours')
      .select((eb) => eb.fn.max('hour').as('last'))
      .executeTakeFirst();
    return row?.last === null || row?.last === undefined ? null : Number(row.last);
  }

  async close(): Promise<void> {
    await this.sql.close();
  }
}
