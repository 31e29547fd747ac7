/**
 * Warnings in the registry's database (issue 17), through Kysely: insert, read, and save a change
 * with its history entry in one transaction, checked against the version it was made from (two
 * officers — or two processes — never silently undo each other). The service validates the values
 * and the transitions before they get here.
 */
import type { Kysely, Selectable } from 'kysely';
import { HttpError } from '../../domain/errors';
import {
  WARNING_BASES,
  WARNING_EVENTS,
  WARNING_KINDS,
  WARNING_LEVELS,
  WARNING_STATUSES,
  type Warning,
  type WarningHistoryEntry,
} from '../../domain/warning';
import { openSqlDatabase } from './database';
import { migrateToLatest } from './migrate';
import { NoticeStore } from './notice-store';
import { WARNING_MIGRATIONS, type WarningHistoryRow, type WarningRow, type WarningTables } from './warning-tables';

const STATUS = { not_found: 404, version_conflict: 409 } as const;

export class WarningStoreError extends HttpError {
  constructor(
    readonly reason: keyof typeof STATUS,
    message: string,
  ) {
    super(STATUS[reason], reason, message);
  }
}

/** A stored value outside the vocabulary means a damaged row: refuse to read it rather than guess. */
function oneOf<T extends string>(values: readonly T[], v: string | null, what: string): T {
  if ((values as readonly (string | null)[]).includes(v)) return v as T;
  throw new Error(`warning store: unknown ${what} "${String(v)}"`);
}
const orNull = <T>(v: T | null | undefined): T | null => (v === undefined ? null : v);
const num = (v: number | string | bigint): number => Number(v);
const numOrNull = (v: number | string | bigint | null): number | null => (v === null ? null : Number(v));

function historyOf(r: Selectable<WarningHistoryRow>): WarningHistoryEntry {
  return {
    at: num(r.at),
    by: r.by,
    event: oneOf(WARNING_EVENTS, r.event, 'history event'),
    fromLevel: r.from_level === null ? null : oneOf(WARNING_LEVELS, r.from_level, 'level'),
    toLevel: r.to_level === null ? null : oneOf(WARNING_LEVELS, r.to_level, 'level'),
    note: orNull(r.note),
  };
}

function fromRow(r: Selectable<WarningRow>, history: WarningHistoryEntry[]): Warning {
  return {
    id: num(r.id),
    kind: oneOf(WARNING_KINDS, r.kind, 'kind'),
    level: oneOf(WARNING_LEVELS, r.level, 'level'),
    basis: oneOf(WARNING_BASES, r.basis, 'basis'),
    districts: JSON.parse(r.districts) as string[],
    issuedBy: r.issued_by,
    issuedAt: num(r.issued_at),
    startAt: num(r.start_at),
    plannedLiftAt: numOrNull(r.planned_lift_at),
    liftedAt: numOrNull(r.lifted_at),
    liftedBy: orNull(r.lifted_by),
    status: oneOf(WARNING_STATUSES, r.status, 'status'),
    note: orNull(r.note),
    history,
    version: num(r.version),
  };
}

function rowOf(w: Warning): WarningRow {
  return {
    id: w.id,
    kind: w.kind,
    level: w.level,
    basis: w.basis,
    districts: JSON.stringify(w.districts),
    issued_by: w.issuedBy,
    issued_at: w.issuedAt,
    start_at: w.startAt,
    planned_lift_at: w.plannedLiftAt,
    lifted_at: w.liftedAt,
    lifted_by: w.liftedBy,
    status: w.status,
    note: w.note,
    version: w.version,
  };
}

const historyRow = (warningId: number, seq: number, e: WarningHistoryEntry): WarningHistoryRow => ({
  warning_id: warningId,
  seq,
  at: e.at,
  by: e.by,
  event: e.event,
  from_level: e.fromLevel,
  to_level: e.toLevel,
  note: e.note,
});

/** A new warning as the service hands it over: no id, version or history yet. */
export type NewWarning = Omit<Warning, 'id' | 'version' | 'history'>;

export class WarningStore {
  constructor(private readonly db: Kysely<WarningTables>) {}

  migrate(): Promise<string[]> {
    return migrateToLatest(this.db as Kysely<unknown>, WARNING_MIGRATIONS);
  }

  /** Every warning with its history, newest first. */
  async list(): Promise<Warning[]> {
    const rows = await this.db.selectFrom('warnings').selectAll().orderBy('id', 'desc').execute();
    const entries = await this.db.selectFrom('warning_history').selectAll().orderBy('warning_id').orderBy('seq').execute();
    const byWarning = new Map<number, WarningHistoryEntry[]>();
    for (const e of entries) {
      const list = byWarning.get(num(e.warning_id)) ?? [];
      list.push(historyOf(e));
      byWarning.set(num(e.warning_id), list);
    }
    return rows.map((r) => fromRow(r, byWarning.get(num(r.id)) ?? []));
  }

  async get(id: number): Promise<Warning | null> {
    return this.read(this.db, id);
  }

  /** Inserts the warning (the next id) with its first history entry. */
  async insert(w: NewWarning, entry: WarningHistoryEntry): Promise<Warning> {
    return this.db.transaction().execute(async (trx) => {
      const max = await trx
        .selectFrom('warnings')
        .select((eb) => eb.fn.max<number | null>('id').as('max'))
        .executeTakeFirst();
      const stored: Warning = { ...w, id: num(max?.max ?? 0) + 1, version: 1, history: [entry] };
      await trx.insertInto('warnings').values(rowOf(stored)).execute();
      await trx
        .insertInto('warning_history')
        .values(historyRow(stored.id, 1, entry))
        .execute();
      return stored;
    });
  }

  /**
   * Saves `next` (its fields other than id and history) made from `expectVersion`, appending `entry`
   * to the history; returns the warning as stored (version + 1).
   */
  async save(next: Warning, expectVersion: number, entry: WarningHistoryEntry): Promise<Warning> {
    return this.db.transaction().execute(async (trx) => {
      const before = await this.read(trx, next.id);
      if (!before) throw new WarningStoreError('not_found', `warning ${next.id} not found`);
      if (before.version !== expectVersion)
        throw new WarningStoreError(
          'version_conflict',
          `the warning changed meanwhile (expected version ${expectVersion}, found ${before.version}); reload and try again`,
        );
      const stored: Warning = { ...next, version: before.version + 1, history: [...before.history, entry] };
      const { id, ...fields } = rowOf(stored);
      await trx.updateTable('warnings').set(fields).where('id', '=', id).where('version', '=', before.version).execute();
      await trx
        .insertInto('warning_history')
        .values(historyRow(id, stored.history.length, entry))
        .execute();
      return stored;
    });
  }

  private async read(db: Kysely<WarningTables>, id: number): Promise<Warning | null> {
    const row = await db.selectFrom('warnings').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return null;
    const entries = await db.selectFrom('warning_history').selectAll().where('warning_id', '=', id).orderBy('seq').execute();
    return fromRow(row, entries.map(historyOf));
  }
}

/** Opens the warning store (and the notices beside it) on the registry's database and brings its schema up to date. */
export async function openWarningStore(
  location: string,
): Promise<{ store: WarningStore; notices: NoticeStore; migrated: string[]; close(): Promise<void> }> {
  const { db, close } = openSqlDatabase<WarningTables>(location);
  const store = new WarningStore(db);
  try {
    const migrated = await store.migrate();
    return { store, notices: new NoticeStore(db), migrated, close };
  } catch (err) {
    await close();
    throw err;
  }
}
