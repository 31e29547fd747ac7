/**
 * Which series a power-data import covered (issue 18 item 4): one row per import, logger and
 * signal with the span of its intervals, in the registry's database with its own migration history
 * (`power_imports_migrations`), on SQLite or PostgreSQL. The telemetry store keeps values, not
 * where they came from (an import's 15-min points are 2051 like a logger's minute data), so the
 * responses' verification asks here whether a line's power in an hour came from the grid company.
 */
import type { Kysely, Migration } from 'kysely';
import type { ImportedSeries } from '../../domain/power-import-series';
import { openSqlDatabase } from './database';
import { migrateToLatest, type MigrationList } from './migrate';

export interface PowerImportSeriesRow {
  import_id: string;
  mn: string;
  code: string;
  /** The first interval's start and the last interval's end, epoch ms [from, to). */
  from_ts: number;
  to_ts: number;
  at: number;
}

export interface PowerImportTables {
  power_import_series: PowerImportSeriesRow;
}

const init: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('power_import_series')
      .addColumn('import_id', 'text', (c) => c.notNull())
      .addColumn('mn', 'text', (c) => c.notNull())
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('from_ts', 'bigint', (c) => c.notNull())
      .addColumn('to_ts', 'bigint', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('power_import_series_pk', ['import_id', 'mn', 'code'])
      .execute();
    await db.schema.createIndex('power_import_series_mn').on('power_import_series').columns(['mn', 'code']).execute();
  },
};

export const POWER_IMPORT_MIGRATIONS: MigrationList = { store: 'power_imports', migrations: { '0001-series': init } };

export type { ImportedSeries };

export class PowerImportLog {
  constructor(private readonly db: Kysely<PowerImportTables>) {}

  migrate(): Promise<string[]> {
    return migrateToLatest(this.db as Kysely<unknown>, POWER_IMPORT_MIGRATIONS);
  }

  /** Records an import's series; recording the same import again keeps one row per series (the last span). */
  async record(series: readonly ImportedSeries[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const s of series) {
        await trx
          .deleteFrom('power_import_series')
          .where('import_id', '=', s.importId)
          .where('mn', '=', s.mn)
          .where('code', '=', s.code)
          .execute();
        await trx
          .insertInto('power_import_series')
          .values({ import_id: s.importId, mn: s.mn, code: s.code, from_ts: s.from, to_ts: s.to, at: s.at })
          .execute();
      }
    });
  }

  /** The imported series of these loggers overlapping [from, to), oldest import first. */
  async overlapping(mns: readonly string[], from: number, to: number): Promise<ImportedSeries[]> {
    if (mns.length === 0) return [];
    const rows = await this.db
      .selectFrom('power_import_series')
      .selectAll()
      .where('mn', 'in', [...mns])
      .where('from_ts', '<', to)
      .where('to_ts', '>', from)
      .orderBy('at')
      .orderBy('import_id')
      .orderBy('mn')
      .orderBy('code')
      .execute();
    return rows.map((r) => ({
      importId: r.import_id,
      mn: r.mn,
      code: r.code,
      from: Number(r.from_ts),
      to: Number(r.to_ts),
      at: Number(r.at),
    }));
  }
}

/** Opens the import log on the registry's database and brings its schema up to date. */
export async function openPowerImportLog(location: string): Promise<{ log: PowerImportLog; migrated: string[]; close(): Promise<void> }> {
  const { db, close } = openSqlDatabase<PowerImportTables>(location);
  const log = new PowerImportLog(db);
  try {
    return { log, migrated: await log.migrate(), close };
  } catch (err) {
    await close();
    throw err;
  }
}
