/** The stores' migrations, on both engines (a SQLite file and a PostgreSQL database). */
import { sql, type Kysely, type Migration } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlDatabase } from '../../../server/storage/sql/database';
import { migrateToLatest, MigrationError } from '../../../server/storage/sql/migrate';
import { sqlEngines, type FreshDatabase } from '../../helpers/sql-engines';

const table = (name: string): Migration => ({
  up: (db: Kysely<unknown>) =>
    db.schema
      .createTable(name)
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .execute(),
});

const tables = async (db: Kysely<unknown>): Promise<string[]> =>
  (await db.introspection.getTables({ withInternalKyselyTables: true })).map((t) => t.name).sort();

describe.each(sqlEngines())('migrateToLatest on $name', (engine) => {
  let fresh: FreshDatabase;
  beforeEach(async () => void (fresh = await engine.create()));
  afterEach(() => fresh.remove());

  it('runs every migration on a fresh file, none on a second start, and the new one after an upgrade', async () => {
    const file = fresh.location;
    const v1 = { store: 'alpha', migrations: { '0001-a': table('a') } };
    let opened = openSqlDatabase(file);
    expect(await migrateToLatest(opened.db, v1)).toEqual(['0001-a']);
    await opened.close();
    opened = openSqlDatabase(file);
    expect(await migrateToLatest(opened.db, v1)).toEqual([]);
    expect(await migrateToLatest(opened.db, { ...v1, migrations: { ...v1.migrations, '0002-b': table('b') } })).toEqual(['0002-b']);
    expect(await tables(opened.db)).toEqual(['a', 'alpha_migrations', 'alpha_migrations_lock', 'b']);
    await opened.close();
  });

  it('keeps each store its own history, so two stores share one database', async () => {
    const { db, close } = openSqlDatabase(fresh.location);
    expect(await migrateToLatest(db, { store: 'alpha', migrations: { '0001-init': table('a') } })).toEqual(['0001-init']);
    expect(await migrateToLatest(db, { store: 'beta', migrations: { '0001-init': table('b') } })).toEqual(['0001-init']);
    expect(await tables(db)).toEqual(['a', 'alpha_migrations', 'alpha_migrations_lock', 'b', 'beta_migrations', 'beta_migrations_lock']);
    await close();
  });

  it('rolls a failing migration back whole and names it', async () => {
    const { db, close } = openSqlDatabase(fresh.location);
    const broken: Migration = {
      up: async (trx: Kysely<unknown>) => {
        await table('half').up(trx);
        await sql`THIS IS NOT SQL`.execute(trx);
      },
    };
    const run = migrateToLatest(db, { store: 'alpha', migrations: { '0001-a': table('a'), '0002-broken': broken } });
    await expect(run).rejects.toThrow(MigrationError);
    await expect(run).rejects.toThrow(/0002-broken failed/);
    expect(await tables(db)).not.toContain('half');
    await close();
  });

  it('refuses a store name that is not a plain identifier', async () => {
    const { db, close } = openSqlDatabase(fresh.location);
    await expect(migrateToLatest(db, { store: 'x; drop', migrations: {} })).rejects.toThrow(/bad store name/);
    await close();
  });
});
