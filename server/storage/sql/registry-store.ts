/**
 * The registry in the state store (issue 14): enterprises, sources, facilities, the grade history
 * and the registry's version, through Kysely (SQLite today, PostgreSQL in issue 15). `load` gives
 * the whole snapshot, validated by the domain's registrySchema; `save` applies a new snapshot in
 * one transaction, writing only the rows that changed (registryDiff) and a grade-history row for
 * every enterprise whose grade changed. It refuses to save over a version it did not start from,
 * so two writers (two processes on one database) cannot silently undo each other.
 */
import { existsSync } from 'node:fs';
import { sql, type Kysely, type Transaction } from 'kysely';
import { GRADES, registrySchema, type Enterprise, type Facility, type Grade, type Registry, type Source } from '../../domain/registry';
import type { GradeEntry } from '../../domain/registry-api';
import { registryDiff, type RegistryChanged } from '../../domain/registry-view';
import { describeLocation, isPostgresUrl, isWriterBusy, openSqlDatabase, openSqlDatabaseReadOnly } from './database';
import { MigrationError, migrateToLatest } from './migrate';
import { REGISTRY_MIGRATIONS, type EnterpriseRow, type FacilityRow, type RegistryTables, type SourceRow } from './registry-tables';

export interface StoredRegistry {
  registry: Registry;
  version: number;
}

export interface RegistryWrite {
  /** The version the new snapshot was made from (null: the store is empty — a seed). */
  expectVersion: number | null;
  actor: string;
  at: number;
  /** Why an enterprise's grade changed, by enterprise id; others get `defaultGradeReason`. */
  gradeReasons?: Record<string, string>;
  defaultGradeReason: string;
}

export type Diff = Pick<RegistryChanged, 'enterprises' | 'sources' | 'facilities'>;

/** The stored version is not the one the change was made from (another writer came first). */
export class RegistryVersionConflict extends Error {
  constructor(
    readonly expected: number | null,
    /** The stored version; `busy`: another writer held the SQLite file (its version unknown until it commits). */
    readonly found: number | null | 'busy',
  ) {
    super(
      found === 'busy'
        ? `another change of the registry was being saved at the same moment (from version ${expected ?? 'none'}); reload and try again`
        : `the registry changed meanwhile (expected version ${expected ?? 'none'}, found ${found ?? 'none'}); reload and try again`,
    );
  }
}

type RecordTable = 'registry_enterprises' | 'registry_sources' | 'registry_facilities';
const EMPTY: Registry = { enterprises: [], sources: [], facilities: [] };
const CHUNK = 400;

const chunks = <T>(items: readonly T[]): T[][] =>
  Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));

const gradeOf = (e: Enterprise | undefined): Grade => e?.grade ?? 'ungraded';

function enterpriseRow(e: Enterprise, seq: number): EnterpriseRow {
  const { id, name, district, creditCode, grade, ...rest } = e;
  return { id, name, district, credit_code: creditCode ?? null, grade: grade ?? null, seq, data: JSON.stringify(rest) };
}

function sourceRow(s: Source, seq: number): SourceRow {
  const { mn, enterpriseId, kind, district, pw, mqttPassword, ...rest } = s;
  const credentials = { pw: pw ?? null, mqtt_password: mqttPassword ?? null };
  return { mn, enterprise_id: enterpriseId, kind, district: district ?? null, ...credentials, seq, data: JSON.stringify(rest) };
}

function facilityRow(f: Facility, seq: number): FacilityRow {
  const { id, enterpriseId, kind, ...rest } = f;
  return { id, enterprise_id: enterpriseId, kind, seq, data: JSON.stringify(rest) };
}

/** Drops nulls: an absent optional field is a null column. */
const present = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));

export class RegistryStore {
  constructor(private readonly db: Kysely<RegistryTables>) {}

  /** Runs the registry's pending migrations; returns their names. */
  migrate(): Promise<string[]> {
    return migrateToLatest(this.db as Kysely<unknown>, REGISTRY_MIGRATIONS);
  }

  /** The stored version alone (null: never seeded): a cheap look whether the registry changed. */
  async version(): Promise<number | null> {
    const meta = await this.db.selectFrom('registry_meta').select('version').where('id', '=', 1).executeTakeFirst();
    return meta ? Number(meta.version) : null;
  }

  /** The stored registry, or null when the store is empty (never seeded). Throws when a stored row is invalid. */
  async load(): Promise<StoredRegistry | null> {
    // One snapshot: on PostgreSQL a save committed between these reads must not mix two versions.
    const rows = await this.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const meta = await trx.selectFrom('registry_meta').selectAll().where('id', '=', 1).executeTakeFirst();
        if (!meta) return null;
        const enterprises = await trx.selectFrom('registry_enterprises').selectAll().orderBy('seq').execute();
        const sources = await trx.selectFrom('registry_sources').selectAll().orderBy('seq').execute();
        const facilities = await trx.selectFrom('registry_facilities').selectAll().orderBy('seq').execute();
        return { meta, enterprises, sources, facilities };
      });
    if (!rows) return null;
    const { meta, enterprises, sources, facilities } = rows;
    const raw = {
      enterprises: enterprises.map((r) => ({
        ...present({ id: r.id, name: r.name, district: r.district, creditCode: r.credit_code, grade: r.grade }),
        ...JSON.parse(r.data),
      })),
      sources: sources.map((r) => ({
        ...present({ mn: r.mn, enterpriseId: r.enterprise_id, kind: r.kind, district: r.district }),
        ...present({ pw: r.pw, mqttPassword: r.mqtt_password }),
        ...JSON.parse(r.data),
      })),
      facilities: facilities.map((r) => ({ id: r.id, enterpriseId: r.enterprise_id, kind: r.kind, ...JSON.parse(r.data) })),
    };
    const parsed = registrySchema.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.')}: ${i.message}`);
      throw new Error(`the stored registry is invalid (version ${meta.version}): ${issues.join('; ')}`, { cause: parsed.error });
    }
    return { registry: parsed.data, version: Number(meta.version) };
  }

  /**
   * Saves `next` over `prev` (the snapshot at `write.expectVersion`; null: the store is empty) in
   * one transaction: only changed rows, the grade history, the new version. Returns the new version
   * and the diff (the version unchanged when nothing changed).
   */
  async save(prev: Registry | null, next: Registry, write: RegistryWrite): Promise<{ version: number; diff: Diff }> {
    const valid = registrySchema.parse(next);
    const before = prev ?? EMPTY;
    const diff = registryDiff(before, valid);
    const saving = this.db.transaction().execute(async (trx) => {
      const meta = await trx.selectFrom('registry_meta').select('version').where('id', '=', 1).executeTakeFirst();
      const found = meta ? Number(meta.version) : null;
      if (found !== write.expectVersion) throw new RegistryVersionConflict(write.expectVersion, found);
      const touched = [diff.enterprises, diff.sources, diff.facilities].some((d) => d.upserted.length + d.removed.length > 0);
      if (!touched && found !== null) return { version: found, diff };
      const version = (found ?? 0) + 1;
      await this.claimVersion(trx, found, { version, updated_at: write.at, actor: write.actor });
      await this.writeRows(trx, valid, diff);
      await this.writeGrades(trx, before, valid, diff, { ...write, version });
      return { version, diff };
    });
    return saving.catch((err: unknown) => {
      throw isWriterBusy(err) ? new RegistryVersionConflict(write.expectVersion, 'busy') : err;
    });
  }

  /**
   * Stamps the new version, first, and only over the version read: a writer that read the same
   * version at the same moment (another process; on PostgreSQL another connection) waits for this
   * one's row lock, then finds the version moved and is refused, its transaction rolled back — the
   * read alone would let both pass (PostgreSQL's default isolation is read committed).
   */
  private async claimVersion(
    trx: Transaction<RegistryTables>,
    found: number | null,
    stamp: { version: number; updated_at: number; actor: string },
  ): Promise<void> {
    const claimed =
      found === null
        ? ((
            await trx
              .insertInto('registry_meta')
              .values({ id: 1, ...stamp })
              .onConflict((oc) => oc.column('id').doNothing())
              .executeTakeFirst()
          ).numInsertedOrUpdatedRows ?? 0n)
        : (await trx.updateTable('registry_meta').set(stamp).where('id', '=', 1).where('version', '=', found).executeTakeFirst())
            .numUpdatedRows;
    if (claimed !== 1n) {
      const now = await trx.selectFrom('registry_meta').select('version').where('id', '=', 1).executeTakeFirst();
      throw new RegistryVersionConflict(found, now ? Number(now.version) : null);
    }
  }

  /** An enterprise's grade changes, oldest first. */
  async gradeHistory(enterpriseId: string): Promise<GradeEntry[]> {
    const rows = await this.db
      .selectFrom('registry_grade_history')
      .selectAll()
      .where('enterprise_id', '=', enterpriseId)
      .orderBy('version')
      .execute();
    const gradeIn = (g: string): Grade => ((GRADES as readonly string[]).includes(g) ? (g as Grade) : 'ungraded');
    return rows.map((r) => ({ grade: gradeIn(r.grade), from: Number(r.since), reason: r.reason, by: r.actor }));
  }

  private async nextSeq(trx: Transaction<RegistryTables>, table: RecordTable): Promise<number> {
    const row = await trx
      .selectFrom(table)
      .select((eb) => eb.fn.max('seq').as('max'))
      .executeTakeFirst();
    return Number(row?.max ?? 0) + 1;
  }

  private async writeRows(trx: Transaction<RegistryTables>, next: Registry, diff: Diff): Promise<void> {
    const pick = <T>(items: readonly T[], ids: string[], key: (t: T) => string): T[] => {
      const wanted = new Set(ids);
      return items.filter((t) => wanted.has(key(t)));
    };
    for (const ids of chunks(diff.facilities.removed)) await trx.deleteFrom('registry_facilities').where('id', 'in', ids).execute();
    for (const ids of chunks(diff.sources.removed)) await trx.deleteFrom('registry_sources').where('mn', 'in', ids).execute();
    for (const ids of chunks(diff.enterprises.removed)) await trx.deleteFrom('registry_enterprises').where('id', 'in', ids).execute();

    let seq = await this.nextSeq(trx, 'registry_enterprises');
    for (const part of chunks(pick(next.enterprises, diff.enterprises.upserted, (e) => e.id))) {
      await trx
        .insertInto('registry_enterprises')
        .values(part.map((e) => enterpriseRow(e, seq++)))
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            district: eb.ref('excluded.district'),
            credit_code: eb.ref('excluded.credit_code'),
            grade: eb.ref('excluded.grade'),
            data: eb.ref('excluded.data'),
          })),
        )
        .execute();
    }
    seq = await this.nextSeq(trx, 'registry_sources');
    for (const part of chunks(pick(next.sources, diff.sources.upserted, (s) => s.mn))) {
      await trx
        .insertInto('registry_sources')
        .values(part.map((s) => sourceRow(s, seq++)))
        .onConflict((oc) =>
          oc.column('mn').doUpdateSet((eb) => ({
            enterprise_id: eb.ref('excluded.enterprise_id'),
            kind: eb.ref('excluded.kind'),
            district: eb.ref('excluded.district'),
            pw: eb.ref('excluded.pw'),
            mqtt_password: eb.ref('excluded.mqtt_password'),
            data: eb.ref('excluded.data'),
          })),
        )
        .execute();
    }
    seq = await this.nextSeq(trx, 'registry_facilities');
    for (const part of chunks(pick(next.facilities ?? [], diff.facilities.upserted, (f) => f.id))) {
      await trx
        .insertInto('registry_facilities')
        .values(part.map((f) => facilityRow(f, seq++)))
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => ({
            enterprise_id: eb.ref('excluded.enterprise_id'),
            kind: eb.ref('excluded.kind'),
            data: eb.ref('excluded.data'),
          })),
        )
        .execute();
    }
  }

  /** A grade-history row for each upserted enterprise whose grade differs (a new one: when it has a grade). */
  private async writeGrades(
    trx: Transaction<RegistryTables>,
    prev: Registry,
    next: Registry,
    diff: Diff,
    w: RegistryWrite & { version: number },
  ): Promise<void> {
    const before = new Map(prev.enterprises.map((e) => [e.id, e]));
    const upserted = new Set(diff.enterprises.upserted);
    const rows = next.enterprises
      .filter((e) => upserted.has(e.id))
      .filter((e) => (before.has(e.id) ? gradeOf(before.get(e.id)) !== gradeOf(e) : e.grade !== undefined))
      .map((e) => ({
        enterprise_id: e.id,
        version: w.version,
        grade: gradeOf(e),
        since: w.at,
        reason: w.gradeReasons?.[e.id] ?? w.defaultGradeReason,
        actor: w.actor,
      }));
    // A re-created enterprise keeps its old history; a new version never collides with it.
    for (const part of chunks(rows)) await trx.insertInto('registry_grade_history').values(part).execute();
  }
}

/** Opens the registry store (a SQLite file or a PostgreSQL URL) and brings its schema up to date. */
export async function openRegistryStore(location: string): Promise<{ store: RegistryStore; migrated: string[]; close(): Promise<void> }> {
  const { db, close } = openSqlDatabase<RegistryTables>(location);
  const store = new RegistryStore(db);
  try {
    const migrated = await store.migrate();
    return { store, migrated, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * Opens an existing registry store read-only (a command-line tool beside a running server): no
 * migration runs, so a store whose schema is behind this code's is refused — start the server once
 * to bring it up to date. Null when there is no store there yet (no SQLite file; a PostgreSQL
 * database without the registry's tables): the server's first start makes it.
 */
export async function openRegistryStoreReadOnly(location: string): Promise<{ store: RegistryStore; close(): Promise<void> } | null> {
  if (!isPostgresUrl(location) && !existsSync(location)) return null;
  const { db, close } = openSqlDatabaseReadOnly<RegistryTables>(location);
  try {
    const history = `${REGISTRY_MIGRATIONS.store}_migrations`;
    const known = await db.introspection.getTables();
    if (isPostgresUrl(location) && !known.some((t) => t.name === history)) {
      await close();
      return null;
    }
    const applied = known.some((t) => t.name === history)
      ? (await sql<{ name: string }>`select name from ${sql.table(history)}`.execute(db)).rows.map((r) => r.name)
      : [];
    const pending = Object.keys(REGISTRY_MIGRATIONS.migrations).filter((m) => !applied.includes(m));
    if (pending.length > 0) {
      throw new MigrationError(
        `the registry store ${describeLocation(location)} is behind this version (${pending.join(', ')} not applied): start the server once`,
      );
    }
    return { store: new RegistryStore(db), close };
  } catch (err) {
    await close();
    throw err;
  }
}
