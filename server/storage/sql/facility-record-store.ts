/**
 * Facility records in the registry's database (issue 16 item 2), through Kysely, on SQLite and
 * PostgreSQL: adsorbent replacements, yearly start/stop plans (one per enterprise and year, changed
 * against the version it was read at), detected start/stop events (each stored once: a restart that
 * sees the same state again does not count it twice) and the adsorbent rule's watch per facility.
 * Values are validated by the domain's schemas before they get here.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { HttpError } from '../../domain/errors';
import {
  planEntrySchema,
  START_STOP_KINDS,
  type AdsorbentReplacement,
  type PlanEntry,
  type StartStopEvent,
  type StartStopKind,
  type StartStopPlan,
} from '../../domain/facility-records';
import { isUniqueViolation, openSqlDatabase } from './database';
import {
  FACILITY_RECORD_MIGRATIONS,
  type AdsorbentReplacementRow,
  type FacilityRecordTables,
  type StartStopEventRow,
  type StartStopPlanRow,
} from './facility-record-tables';
import { migrateToLatest } from './migrate';

const kindOf = (v: string): StartStopKind => {
  if ((START_STOP_KINDS as readonly string[]).includes(v)) return v as StartStopKind;
  throw new Error(`facility record store: unknown start/stop kind "${v}"`);
};

const replacementOf = (r: Selectable<AdsorbentReplacementRow>): AdsorbentReplacement => ({
  id: r.id,
  facilityId: r.facility_id,
  enterpriseId: r.enterprise_id,
  date: r.date,
  amountKg: Number(r.amount_g) / 1000,
  note: r.note,
  loggedBy: r.logged_by,
  loggedAt: Number(r.logged_at),
});

/** A plan's entries as stored; an entry that no longer parses is left out rather than crash a read. */
function entriesOf(text: string): PlanEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return [];
  }
  return Array.isArray(raw) ? raw.flatMap((e) => planEntrySchema.safeParse(e).data ?? []) : [];
}

const planOf = (r: Selectable<StartStopPlanRow>): StartStopPlan => ({
  enterpriseId: r.enterprise_id,
  year: Number(r.year),
  entries: entriesOf(r.entries),
  filedBy: r.filed_by,
  filedAt: Number(r.filed_at),
  updatedBy: r.updated_by,
  updatedAt: Number(r.updated_at),
  version: Number(r.version),
});

const eventOf = (r: Selectable<StartStopEventRow>): StartStopEvent => ({
  id: r.id,
  enterpriseId: r.enterprise_id,
  facilityId: r.facility_id,
  kind: kindOf(r.kind),
  at: Number(r.at),
  inSeason: Number(r.in_season) === 1,
  planned: Number(r.planned) === 1,
});

export interface EventQuery {
  enterpriseId?: string;
  /** Events at or after `from`, before `to`. */
  from: number;
  to: number;
  limit: number;
}

export class FacilityRecordStore {
  constructor(private readonly db: Kysely<FacilityRecordTables>) {}

  migrate(): Promise<string[]> {
    return migrateToLatest(this.db as Kysely<unknown>, FACILITY_RECORD_MIGRATIONS);
  }

  async addReplacement(r: Omit<AdsorbentReplacement, 'id'>): Promise<AdsorbentReplacement> {
    const row: AdsorbentReplacementRow = {
      id: randomUUID(),
      facility_id: r.facilityId,
      enterprise_id: r.enterpriseId,
      date: r.date,
      amount_g: Math.round(r.amountKg * 1000),
      note: r.note,
      logged_by: r.loggedBy,
      logged_at: r.loggedAt,
    };
    await this.db.insertInto('adsorbent_replacements').values(row).execute();
    return replacementOf(row);
  }

  /** A facility's replacements, latest date first. */
  async replacements(facilityId: string, limit = 200): Promise<AdsorbentReplacement[]> {
    const rows = await this.db
      .selectFrom('adsorbent_replacements')
      .selectAll()
      .where('facility_id', '=', facilityId)
      .orderBy('date', 'desc')
      .orderBy('logged_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map(replacementOf);
  }

  /** The latest replacement date of every facility that has one. */
  async lastReplacementDates(): Promise<Map<string, string>> {
    const rows = await this.db
      .selectFrom('adsorbent_replacements')
      .select((eb) => ['facility_id', eb.fn.max('date').as('date')])
      .groupBy('facility_id')
      .execute();
    return new Map(rows.map((r) => [r.facility_id, String(r.date)]));
  }

  async plan(enterpriseId: string, year: number): Promise<StartStopPlan | null> {
    const r = await this.db
      .selectFrom('start_stop_plans')
      .selectAll()
      .where('enterprise_id', '=', enterpriseId)
      .where('year', '=', year)
      .executeTakeFirst();
    return r ? planOf(r) : null;
  }

  /** Every plan filed for a year. */
  async plans(year: number): Promise<StartStopPlan[]> {
    const rows = await this.db.selectFrom('start_stop_plans').selectAll().where('year', '=', year).orderBy('enterprise_id').execute();
    return rows.map(planOf);
  }

  /**
   * Files a plan (version 1) or replaces its entries (version + 1). `expectedVersion`, when given,
   * must be the stored one (0: none filed yet), else 409: someone else changed it since it was read.
   */
  async putPlan(p: {
    enterpriseId: string;
    year: number;
    entries: PlanEntry[];
    by: string;
    at: number;
    expectedVersion?: number;
  }): Promise<{ before: StartStopPlan | null; after: StartStopPlan }> {
    const conflict = () => new HttpError(409, 'version_conflict', `the ${p.year} plan was changed meanwhile: reload it`);
    try {
      return await this.db.transaction().execute(async (trx) => {
        const r = await trx
          .selectFrom('start_stop_plans')
          .selectAll()
          .where('enterprise_id', '=', p.enterpriseId)
          .where('year', '=', p.year)
          .executeTakeFirst();
        const before = r ? planOf(r) : null;
        if (p.expectedVersion !== undefined && p.expectedVersion !== (before?.version ?? 0)) throw conflict();
        const entries = JSON.stringify(p.entries);
        if (!before) {
          const row: StartStopPlanRow = {
            enterprise_id: p.enterpriseId,
            year: p.year,
            entries,
            filed_by: p.by,
            filed_at: p.at,
            updated_by: p.by,
            updated_at: p.at,
            version: 1,
          };
          await trx.insertInto('start_stop_plans').values(row).execute();
          return { before, after: planOf(row) };
        }
        const version = before.version + 1;
        const done = await trx
          .updateTable('start_stop_plans')
          .set({ entries, updated_by: p.by, updated_at: p.at, version })
          .where('enterprise_id', '=', p.enterpriseId)
          .where('year', '=', p.year)
          .where('version', '=', before.version)
          .executeTakeFirst();
        if (Number(done.numUpdatedRows) !== 1) throw conflict();
        return { before, after: { ...before, entries: p.entries, updatedBy: p.by, updatedAt: p.at, version } };
      });
    } catch (err) {
      // Two first filings at the same moment: the second finds the key taken.
      if (isUniqueViolation(err)) throw conflict();
      throw err;
    }
  }

  /** Stores an event once; false when the same line's same kind at the same time is already stored. */
  async recordEvent(e: Omit<StartStopEvent, 'id'>): Promise<StartStopEvent | null> {
    const row: StartStopEventRow = {
      id: randomUUID(),
      enterprise_id: e.enterpriseId,
      facility_id: e.facilityId,
      kind: e.kind,
      at: e.at,
      in_season: e.inSeason ? 1 : 0,
      planned: e.planned ? 1 : 0,
    };
    const inserted = await this.db
      .insertInto('start_stop_events')
      .values(row)
      .onConflict((oc) => oc.columns(['facility_id', 'kind', 'at']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted !== undefined ? eventOf(row) : null;
  }

  /** Events in [from, to), oldest first. */
  async events(q: EventQuery): Promise<StartStopEvent[]> {
    let query = this.db.selectFrom('start_stop_events').selectAll().where('at', '>=', q.from).where('at', '<', q.to);
    if (q.enterpriseId !== undefined) query = query.where('enterprise_id', '=', q.enterpriseId);
    const rows = await query.orderBy('at').orderBy('id').limit(q.limit).execute();
    return rows.map(eventOf);
  }

  /** Each line's latest event (what it was last seen doing). */
  async lastEvents(): Promise<Map<string, { kind: StartStopKind; at: number }>> {
    const rows = await this.db
      .selectFrom('start_stop_events as e')
      .select(['e.facility_id', 'e.kind', 'e.at'])
      .where(({ eb, selectFrom }) =>
        eb(
          'e.at',
          '=',
          selectFrom('start_stop_events as l')
            .select((x) => x.fn.max('l.at').as('m'))
            .whereRef('l.facility_id', '=', 'e.facility_id'),
        ),
      )
      .execute();
    return new Map(rows.map((r) => [r.facility_id, { kind: kindOf(r.kind), at: Number(r.at) }]));
  }

  /** The adsorbent rule's watch: per facility, first watched (local date) and the due date raised. */
  async watches(): Promise<Map<string, { firstSeen: string; raisedDue: string | null }>> {
    const rows = await this.db.selectFrom('adsorbent_watch').selectAll().execute();
    return new Map(rows.map((r) => [r.facility_id, { firstSeen: r.first_seen, raisedDue: r.raised_due }]));
  }

  async putWatch(facilityId: string, firstSeen: string, raisedDue: string | null): Promise<void> {
    await this.db
      .insertInto('adsorbent_watch')
      .values({ facility_id: facilityId, first_seen: firstSeen, raised_due: raisedDue })
      .onConflict((oc) => oc.column('facility_id').doUpdateSet({ raised_due: raisedDue }))
      .execute();
  }
}

/** Opens the facility record store on the registry's database (a SQLite file or a PostgreSQL URL) and migrates it. */
export async function openFacilityRecordStore(
  location: string,
): Promise<{ store: FacilityRecordStore; migrated: string[]; close(): Promise<void> }> {
  const { db, close } = openSqlDatabase<FacilityRecordTables>(location);
  const store = new FacilityRecordStore(db);
  try {
    const migrated = await store.migrate();
    return { store, migrated, close };
  } catch (err) {
    await close();
    throw err;
  }
}
