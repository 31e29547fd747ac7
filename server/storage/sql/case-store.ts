/**
 * Rectification cases (issue 19 item 3) through Kysely, on SQLite and PostgreSQL: the case rows,
 * their history and their attachments' records. Writes check the case's version (a stale one is a
 * 409: reload, retry); the overdue mark is set once (`markOverdue` only where none is). What is
 * read back is parsed again (a JSON column that no longer parses reads as empty, never a crash).
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import {
  ATTACHMENT_KINDS,
  CASE_EVENTS,
  CASE_STATUSES,
  CASE_TYPES,
  deadlineSchema,
  dueDateOf,
  type CaseAttachment,
  type CaseHistoryEntry,
  type CaseStatus,
  type CaseType,
  type RectificationCase,
} from '../../domain/case';
import { HttpError } from '../../domain/errors';
import { openSqlDatabase, isUniqueViolation } from './database';
import { CASE_MIGRATIONS, type CaseAttachmentRow, type CaseHistoryRow, type CaseRow, type CaseTables } from './case-tables';
import { migrateToLatest } from './migrate';

export const caseNotFound = (id: number) => new HttpError(404, 'not_found', `case ${id} not found`);
export const caseConflict = (id: number) => new HttpError(409, 'conflict', `case ${id} changed meanwhile: reload and try again`);

const num = (v: number | string | bigint): number => Number(v);
const numOrNull = (v: number | string | bigint | null): number | null => (v === null ? null : Number(v));

const parseJson = (text: string | null): unknown => {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};
const strings = (text: string): string[] => {
  const v = parseJson(text);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
};
const numbers = (text: string): number[] => {
  const v = parseJson(text);
  return Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : [];
};
const oneOf = <T extends string>(list: readonly T[], v: string, fallback: T): T =>
  (list as readonly string[]).includes(v) ? (v as T) : fallback;

function historyOf(r: Selectable<CaseHistoryRow>): CaseHistoryEntry {
  const detail = parseJson(r.detail);
  return {
    seq: num(r.seq),
    at: num(r.at),
    by: r.by,
    event: oneOf(CASE_EVENTS, r.event, 'created'),
    note: r.note,
    detail: typeof detail === 'object' && detail !== null ? (detail as CaseHistoryEntry['detail']) : null,
    internal: num(r.internal) === 1,
  };
}

function attachmentOf(r: Selectable<CaseAttachmentRow>): CaseAttachment {
  return {
    id: r.id,
    name: r.name,
    kind: oneOf(ATTACHMENT_KINDS, r.kind, 'pdf'),
    size: num(r.size),
    sha256: r.sha256,
    uploadedBy: r.uploaded_by,
    uploadedAt: num(r.uploaded_at),
    party: r.party === 'enterprise' ? 'enterprise' : 'bureau',
  };
}

function caseOf(r: Selectable<CaseRow>, history: CaseHistoryEntry[], attachments: CaseAttachment[]): RectificationCase {
  const report = parseJson(r.report) as RectificationCase['report'];
  const deadline = deadlineSchema.safeParse(parseJson(r.deadline)).data ?? { kind: 'date', date: r.due_date };
  return {
    id: num(r.id),
    type: oneOf<CaseType>(CASE_TYPES, r.type, 'other'),
    enterpriseId: r.enterprise_id,
    district: r.district,
    alertIds: numbers(r.alert_ids),
    sources: strings(r.sources),
    rules: strings(r.rules),
    officer: r.officer,
    deadline,
    requirements: strings(r.requirements),
    internalNote: r.internal_note,
    status: oneOf<CaseStatus>(CASE_STATUSES, r.status, 'open'),
    cleanDays: numOrNull(r.clean_days),
    verifyingSince: numOrNull(r.verifying_since),
    report: report && typeof report === 'object' ? report : null,
    returnReason: r.return_reason,
    overdueAt: numOrNull(r.overdue_at),
    createdBy: r.created_by,
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
    closedAt: numOrNull(r.closed_at),
    closedBy: r.closed_by,
    version: num(r.version),
    attachments,
    history,
  };
}

function rowOf(c: RectificationCase): CaseRow {
  return {
    id: c.id,
    type: c.type,
    enterprise_id: c.enterpriseId,
    district: c.district,
    alert_ids: JSON.stringify(c.alertIds),
    sources: JSON.stringify(c.sources),
    rules: JSON.stringify(c.rules),
    officer: c.officer,
    deadline: JSON.stringify(c.deadline),
    due_date: dueDateOf(c.deadline),
    requirements: JSON.stringify(c.requirements),
    internal_note: c.internalNote,
    status: c.status,
    clean_days: c.cleanDays,
    verifying_since: c.verifyingSince,
    report: c.report ? JSON.stringify(c.report) : null,
    return_reason: c.returnReason,
    overdue_at: c.overdueAt,
    created_by: c.createdBy,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    closed_at: c.closedAt,
    closed_by: c.closedBy,
    version: c.version,
  };
}

const historyRow = (caseId: number, seq: number, e: Omit<CaseHistoryEntry, 'seq'>): CaseHistoryRow => ({
  case_id: caseId,
  seq,
  at: e.at,
  by: e.by,
  event: e.event,
  note: e.note,
  detail: e.detail ? JSON.stringify(e.detail) : null,
  internal: e.internal ? 1 : 0,
});

/** The list's filters (the scope's enterprise included); `overdueOn`: overdue on this local date (true) or not (false). */
export interface CaseFilter {
  status?: CaseStatus | undefined;
  type?: CaseType | undefined;
  district?: string | undefined;
  enterpriseId?: string | undefined;
  overdue?: { today: string; overdue: boolean } | undefined;
  limit: number;
  offset: number;
}

export type NewCase = Omit<RectificationCase, 'id' | 'history' | 'attachments' | 'version'>;
export type HistoryInput = Omit<CaseHistoryEntry, 'seq'>;

export class CaseStore {
  constructor(private readonly db: Kysely<CaseTables>) {}

  migrate(): Promise<string[]> {
    return migrateToLatest(this.db as Kysely<unknown>, CASE_MIGRATIONS);
  }

  /** Cases matching the filter, newest first, without history and attachments; and how many match. */
  async list(f: CaseFilter): Promise<{ items: RectificationCase[]; total: number }> {
    let q = this.db.selectFrom('cases');
    if (f.status) q = q.where('status', '=', f.status);
    if (f.type) q = q.where('type', '=', f.type);
    if (f.district) q = q.where('district', '=', f.district);
    if (f.enterpriseId !== undefined) q = q.where('enterprise_id', '=', f.enterpriseId);
    if (f.overdue) {
      const { today, overdue } = f.overdue;
      q = overdue
        ? q.where('status', '!=', 'closed').where('due_date', '<', today)
        : q.where((eb) => eb.or([eb('status', '=', 'closed'), eb('due_date', '>=', today)]));
    }
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    ]);
    return { items: rows.map((r) => caseOf(r, [], [])), total: num(count?.n ?? 0) };
  }

  async get(id: number): Promise<RectificationCase | null> {
    return this.read(this.db, id);
  }

  private async read(db: Kysely<CaseTables> | Transaction<CaseTables>, id: number): Promise<RectificationCase | null> {
    const row = await db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return null;
    const [history, attachments] = await Promise.all([
      db.selectFrom('case_history').selectAll().where('case_id', '=', id).orderBy('seq').execute(),
      db.selectFrom('case_attachments').selectAll().where('case_id', '=', id).orderBy('uploaded_at').orderBy('id').execute(),
    ]);
    return caseOf(row, history.map(historyOf), attachments.map(attachmentOf));
  }

  /** Inserts a case (the next id) with its first history entry. */
  async insert(c: NewCase, entry: HistoryInput): Promise<RectificationCase> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.db.transaction().execute(async (trx) => {
          const max = await trx
            .selectFrom('cases')
            .select((eb) => eb.fn.max<number | null>('id').as('max'))
            .executeTakeFirst();
          const id = num(max?.max ?? 0) + 1;
          await trx
            .insertInto('cases')
            .values(rowOf({ ...c, id, version: 1, history: [], attachments: [] }))
            .execute();
          await trx
            .insertInto('case_history')
            .values(historyRow(id, 1, entry))
            .execute();
          return (await this.read(trx, id)) as RectificationCase;
        });
      } catch (err) {
        // Two creations at once on PostgreSQL took the same next id: the later one tries again.
        if (attempt < 3 && isUniqueViolation(err)) continue;
        throw err;
      }
    }
  }

  /** Replaces the case made from version `from` (409 when it moved on meanwhile), appending one history entry. */
  async update(next: RectificationCase, from: number, entry: HistoryInput): Promise<RectificationCase> {
    return this.db.transaction().execute(async (trx) => {
      const { id: _id, ...fields } = rowOf(next);
      const done = await trx.updateTable('cases').set(fields).where('id', '=', next.id).where('version', '=', from).executeTakeFirst();
      if (Number(done.numUpdatedRows) === 0) {
        const exists = await trx.selectFrom('cases').select('id').where('id', '=', next.id).executeTakeFirst();
        throw exists ? caseConflict(next.id) : caseNotFound(next.id);
      }
      await this.append(trx, next.id, entry);
      return (await this.read(trx, next.id)) as RectificationCase;
    });
  }

  private async append(trx: Transaction<CaseTables>, id: number, entry: HistoryInput): Promise<void> {
    const last = await trx
      .selectFrom('case_history')
      .select((eb) => eb.fn.max<number | null>('seq').as('seq'))
      .where('case_id', '=', id)
      .executeTakeFirst();
    await trx
      .insertInto('case_history')
      .values(historyRow(id, num(last?.seq ?? 0) + 1, entry))
      .execute();
  }

  /**
   * Records an attachment (its file is already on disk as `storedAs`) unless the case holds `max`
   * already or is closed: then false, and nothing is written.
   */
  async addAttachment(
    caseId: number,
    a: CaseAttachment,
    storedAs: string,
    max: number,
    entry: HistoryInput,
  ): Promise<'added' | 'full' | 'closed' | 'missing'> {
    return this.db.transaction().execute(async (trx) => {
      const c = await trx.selectFrom('cases').select(['status', 'version']).where('id', '=', caseId).executeTakeFirst();
      if (!c) return 'missing';
      if (c.status === 'closed') return 'closed';
      const n = await trx
        .selectFrom('case_attachments')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('case_id', '=', caseId)
        .executeTakeFirst();
      if (num(n?.n ?? 0) >= max) return 'full';
      await trx
        .insertInto('case_attachments')
        .values({
          id: a.id,
          case_id: caseId,
          name: a.name,
          kind: a.kind,
          size: a.size,
          sha256: a.sha256,
          stored_as: storedAs,
          party: a.party,
          uploaded_by: a.uploadedBy,
          uploaded_at: a.uploadedAt,
        })
        .execute();
      await trx
        .updateTable('cases')
        .set({ version: num(c.version) + 1, updated_at: a.uploadedAt })
        .where('id', '=', caseId)
        .execute();
      await this.append(trx, caseId, entry);
      return 'added';
    });
  }

  /**
   * Deletes an attachment's record if the case is still at `version` (the caller judged the delete on
   * it), bumping the version and appending `entry`: its stored file name, or 'moved' (the case changed
   * meanwhile: judge again) or 'missing'. The file itself is the caller's to remove.
   */
  async removeAttachment(caseId: number, id: string, version: number, entry: HistoryInput): Promise<string | 'moved' | 'missing'> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('case_attachments')
        .select('stored_as')
        .where('case_id', '=', caseId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) return 'missing';
      const done = await trx
        .updateTable('cases')
        .set({ version: version + 1, updated_at: entry.at })
        .where('id', '=', caseId)
        .where('version', '=', version)
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) === 0) return 'moved';
      await trx.deleteFrom('case_attachments').where('case_id', '=', caseId).where('id', '=', id).execute();
      await this.append(trx, caseId, entry);
      return row.stored_as;
    });
  }

  /** One attachment of a case, and where its file is. */
  async attachment(caseId: number, id: string): Promise<{ attachment: CaseAttachment; storedAs: string } | null> {
    const r = await this.db
      .selectFrom('case_attachments')
      .selectAll()
      .where('case_id', '=', caseId)
      .where('id', '=', id)
      .executeTakeFirst();
    return r ? { attachment: attachmentOf(r), storedAs: r.stored_as } : null;
  }

  /** Cases past their due date (before `today`), not closed, not yet marked overdue. */
  async dueForOverdue(today: string): Promise<RectificationCase[]> {
    const rows = await this.db
      .selectFrom('cases')
      .selectAll()
      .where('status', '!=', 'closed')
      .where('due_date', '<', today)
      .where('overdue_at', 'is', null)
      .orderBy('id')
      .execute();
    return rows.map((r) => caseOf(r, [], []));
  }

  /** Marks a case overdue once: true when this call marked it (false: it was marked, closed or moved meanwhile). */
  async markOverdue(id: number, at: number, entry: HistoryInput): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      // One statement decides: of two processes marking at once, one updates the row, the other none.
      const done = await trx
        .updateTable('cases')
        .set((eb) => ({ overdue_at: at, version: eb('version', '+', 1), updated_at: at }))
        .where('id', '=', id)
        .where('overdue_at', 'is', null)
        .where('status', '!=', 'closed')
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) === 0) return false;
      await this.append(trx, id, entry);
      return true;
    });
  }
}

/** Opens the case store on the registry's database (a SQLite file or a PostgreSQL URL) and brings its schema up to date. */
export async function openCaseStore(location: string): Promise<{ store: CaseStore; migrated: string[]; close(): Promise<void> }> {
  const { db, close } = openSqlDatabase<CaseTables>(location);
  const store = new CaseStore(db);
  try {
    const migrated = await store.migrate();
    return { store, migrated, close };
  } catch (err) {
    await close();
    throw err;
  }
}
