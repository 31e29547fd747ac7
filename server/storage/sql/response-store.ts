/**
 * Responses in the registry's database (issue 18), through Kysely, on SQLite and PostgreSQL: a
 * response per warning (its plan, re-planned on a level change with the history kept, ended),
 * each enterprise's acknowledgement (the first stands) and the judged hours of its measures, saved
 * with how far the hours were judged in one transaction (a restart judges on from there; the
 * streaks fold from the stored hours).
 */
import type { Kysely, Selectable } from 'kysely';
import { HttpError } from '../../domain/errors';
import { RESPONSE_LEVELS, type PollutantCheck, type ResponseLevel } from '../../domain/reduction-list';
import type { EnterpriseResponse } from '../../domain/reduction-response';
import type { CheckVerdict } from '../../domain/reduction-verify';
import {
  RESPONSE_STATUSES,
  summarise,
  type JudgedHour,
  type ReductionResponse,
  type ResponseAck,
  type ResponseHistoryEntry,
  type ResponseStatus,
} from '../../domain/response';
import { isUniqueViolation, openSqlDatabase } from './database';
import { migrateToLatest } from './migrate';
import { RESPONSE_MIGRATIONS, type ResponseHourRow, type ResponseRow, type ResponseTables } from './response-tables';

/** What a plan stores: each enterprise in scope (with its name), those without a list, the city's check. */
export interface StoredPlan {
  enterprises: (EnterpriseResponse & { name: string })[];
  withoutList: string[];
  city: PollutantCheck[];
}

export interface NewResponse {
  warningId: number;
  level: ResponseLevel;
  districts: string[];
  startAt: number;
  plan: StoredPlan;
  at: number;
}

function oneOf<T extends string>(values: readonly T[], v: string, what: string): T {
  if ((values as readonly string[]).includes(v)) return v as T;
  throw new Error(`response store: unknown ${what} "${v}"`);
}
const VERDICTS: readonly CheckVerdict[] = ['pass', 'fail', 'nodata'];

const hourOf = (r: Selectable<ResponseHourRow>): JudgedHour => ({
  responseId: Number(r.response_id),
  enterpriseId: r.enterprise_id,
  entryId: r.entry_id,
  hour: Number(r.hour),
  level: oneOf(RESPONSE_LEVELS, r.level, 'level'),
  verdict: oneOf(VERDICTS, r.verdict, 'verdict'),
  checks: JSON.parse(r.checks) as JudgedHour['checks'],
});

export class ResponseStore {
  constructor(private readonly db: Kysely<ResponseTables>) {}

  migrate(): Promise<string[]> {
    return migrateToLatest(this.db as Kysely<unknown>, RESPONSE_MIGRATIONS);
  }

  /** Responses, newest first, optionally of one warning or status. */
  async list(filter: { warningId?: number; status?: ResponseStatus } = {}): Promise<ReductionResponse[]> {
    let q = this.db.selectFrom('responses').selectAll();
    if (filter.warningId !== undefined) q = q.where('warning_id', '=', filter.warningId);
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    const rows = await q.orderBy('id', 'desc').execute();
    return Promise.all(rows.map((r) => this.assemble(this.db, r)));
  }

  async get(id: number): Promise<ReductionResponse | null> {
    const row = await this.db.selectFrom('responses').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? this.assemble(this.db, row) : null;
  }

  async byWarning(warningId: number): Promise<ReductionResponse | null> {
    const row = await this.db.selectFrom('responses').selectAll().where('warning_id', '=', warningId).executeTakeFirst();
    return row ? this.assemble(this.db, row) : null;
  }

  /** Starts a response (the next id); a second one for the same warning is refused (409). */
  async insert(n: NewResponse): Promise<ReductionResponse> {
    try {
      const id = await this.db.transaction().execute(async (trx) => {
        const max = await trx
          .selectFrom('responses')
          .select((eb) => eb.fn.max<number | null>('id').as('max'))
          .executeTakeFirst();
        const next = Number(max?.max ?? 0) + 1;
        const history: ResponseHistoryEntry[] = [{ at: n.at, event: 'started', level: n.level }];
        await trx
          .insertInto('responses')
          .values({
            id: next,
            warning_id: n.warningId,
            level: n.level,
            districts: JSON.stringify(n.districts),
            status: 'active',
            start_at: n.startAt,
            end_at: null,
            plan: JSON.stringify(n.plan),
            history: JSON.stringify(history),
            judged_until: n.startAt,
            version: 1,
          })
          .execute();
        return next;
      });
      return (await this.get(id)) as ReductionResponse;
    } catch (err) {
      if (isUniqueViolation(err)) throw new HttpError(409, 'conflict', `warning ${n.warningId} already has a response`);
      throw err;
    }
  }

  /**
   * A new plan at another level (or for changed districts); the history keeps the earlier level.
   * The acknowledgements go: each enterprise acknowledges its new measures.
   */
  async replan(id: number, p: { level: ResponseLevel; districts: string[]; plan: StoredPlan; at: number }): Promise<ReductionResponse> {
    await this.db.deleteFrom('response_acks').where('response_id', '=', id).execute();
    await this.change(id, (row, history) => ({
      level: p.level,
      districts: JSON.stringify(p.districts),
      plan: JSON.stringify(p.plan),
      history: JSON.stringify([...history, { at: p.at, event: 'replanned', level: p.level }]),
    }));
    return (await this.get(id)) as ReductionResponse;
  }

  /** Ends the response at `at` (its hours stop there). */
  async end(id: number, at: number): Promise<ReductionResponse> {
    await this.change(id, (row, history) => ({
      status: 'ended',
      end_at: at,
      history: JSON.stringify([...history, { at, event: 'ended', level: oneOf(RESPONSE_LEVELS, row.level, 'level') }]),
    }));
    return (await this.get(id)) as ReductionResponse;
  }

  /** Records an enterprise's acknowledgement; the first stands. */
  async acknowledge(id: number, enterpriseId: string, ack: ResponseAck): Promise<{ ack: ResponseAck; created: boolean }> {
    const existing = await this.ackOf(id, enterpriseId);
    if (existing) return { ack: existing, created: false };
    try {
      await this.db
        .insertInto('response_acks')
        .values({ response_id: id, enterprise_id: enterpriseId, username: ack.username, at: ack.at })
        .execute();
      await this.bump(id);
      return { ack, created: true };
    } catch (err) {
      const raced = isUniqueViolation(err) ? await this.ackOf(id, enterpriseId) : undefined;
      if (raced) return { ack: raced, created: false };
      throw err;
    }
  }

  /** Saves judged hours (an hour judged before keeps its first verdict) and how far the hours were judged. */
  async recordHours(id: number, hours: readonly JudgedHour[], judgedUntil: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const h of hours) {
        const seen = await trx
          .selectFrom('response_hours')
          .select('hour')
          .where('response_id', '=', id)
          .where('enterprise_id', '=', h.enterpriseId)
          .where('entry_id', '=', h.entryId)
          .where('hour', '=', h.hour)
          .executeTakeFirst();
        if (seen) continue;
        await trx
          .insertInto('response_hours')
          .values({
            response_id: id,
            enterprise_id: h.enterpriseId,
            entry_id: h.entryId,
            hour: h.hour,
            level: h.level,
            verdict: h.verdict,
            checks: JSON.stringify(h.checks),
          })
          .execute();
      }
      await trx
        .updateTable('responses')
        .set((eb) => ({ judged_until: judgedUntil, version: eb('version', '+', 1) }))
        .where('id', '=', id)
        .execute();
    });
  }

  /**
   * Judges hours again (a power-data import arrived for hours already judged): each hour's verdict
   * and checks are replaced, or saved when the hour was never stored; how far it was judged stays.
   */
  async rejudgeHours(id: number, hours: readonly JudgedHour[]): Promise<void> {
    if (hours.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (const h of hours) {
        await trx
          .deleteFrom('response_hours')
          .where('response_id', '=', id)
          .where('enterprise_id', '=', h.enterpriseId)
          .where('entry_id', '=', h.entryId)
          .where('hour', '=', h.hour)
          .execute();
        await trx
          .insertInto('response_hours')
          .values({
            response_id: id,
            enterprise_id: h.enterpriseId,
            entry_id: h.entryId,
            hour: h.hour,
            level: h.level,
            verdict: h.verdict,
            checks: JSON.stringify(h.checks),
          })
          .execute();
      }
      await trx
        .updateTable('responses')
        .set((eb) => ({ version: eb('version', '+', 1) }))
        .where('id', '=', id)
        .execute();
    });
  }

  /** The judged hours of a response (optionally one enterprise's), oldest first. */
  async hours(id: number, enterpriseId?: string): Promise<JudgedHour[]> {
    let q = this.db.selectFrom('response_hours').selectAll().where('response_id', '=', id);
    if (enterpriseId !== undefined) q = q.where('enterprise_id', '=', enterpriseId);
    return (await q.orderBy('hour').execute()).map(hourOf);
  }

  private async change(
    id: number,
    fields: (row: Selectable<ResponseRow>, history: ResponseHistoryEntry[]) => Partial<ResponseRow>,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('responses').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw new HttpError(404, 'not_found', `response ${id} not found`);
      const set = fields(row, JSON.parse(row.history) as ResponseHistoryEntry[]);
      await trx
        .updateTable('responses')
        .set({ ...set, version: Number(row.version) + 1 })
        .where('id', '=', id)
        .execute();
    });
  }

  private async bump(id: number): Promise<void> {
    await this.db
      .updateTable('responses')
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .execute();
  }

  private async ackOf(id: number, enterpriseId: string): Promise<ResponseAck | undefined> {
    const r = await this.db
      .selectFrom('response_acks')
      .selectAll()
      .where('response_id', '=', id)
      .where('enterprise_id', '=', enterpriseId)
      .executeTakeFirst();
    return r ? { username: r.username, at: Number(r.at) } : undefined;
  }

  private async assemble(db: Kysely<ResponseTables>, r: Selectable<ResponseRow>): Promise<ReductionResponse> {
    const id = Number(r.id);
    const plan = JSON.parse(r.plan) as StoredPlan;
    const acks = await db.selectFrom('response_acks').selectAll().where('response_id', '=', id).execute();
    const hours = (await db.selectFrom('response_hours').selectAll().where('response_id', '=', id).orderBy('hour').execute()).map(hourOf);
    const ackBy = new Map(acks.map((a) => [a.enterprise_id, { username: a.username, at: Number(a.at) }]));
    return {
      id,
      warningId: Number(r.warning_id),
      level: oneOf(RESPONSE_LEVELS, r.level, 'level'),
      districts: JSON.parse(r.districts) as string[],
      status: oneOf(RESPONSE_STATUSES, r.status, 'status'),
      startAt: Number(r.start_at),
      endAt: r.end_at === null ? null : Number(r.end_at),
      enterprises: plan.enterprises.map((e) => ({
        ...e,
        acknowledged: ackBy.get(e.enterpriseId) ?? null,
        verification: e.measures
          .filter((m) => m.obligation === 'required')
          .map((m) =>
            summarise(
              m.entryId,
              hours.filter((h) => h.enterpriseId === e.enterpriseId && h.entryId === m.entryId),
            ),
          ),
      })),
      withoutList: plan.withoutList,
      city: plan.city,
      history: JSON.parse(r.history) as ResponseHistoryEntry[],
      judgedUntil: Number(r.judged_until),
      version: Number(r.version),
    };
  }
}

/** Opens the response store on the registry's database and brings its schema up to date. */
export async function openResponseStore(location: string): Promise<{ store: ResponseStore; migrated: string[]; close(): Promise<void> }> {
  const { db, close } = openSqlDatabase<ResponseTables>(location);
  const store = new ResponseStore(db);
  try {
    return { store, migrated: await store.migrate(), close };
  } catch (err) {
    await close();
    throw err;
  }
}
