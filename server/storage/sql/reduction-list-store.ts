/**
 * Emission-reduction lists in the registry's database (issue 18), through Kysely, on SQLite and
 * PostgreSQL: filing a list makes the next version of its enterprise and year (earlier versions
 * stay readable), reads of the latest or a given version, the versions of a year, the latest
 * version of every enterprise's every year (the coverage report) and acknowledgements (已阅知, once
 * per user and version), and the reminders sent (once per enterprise and year). Values are
 * validated by reduction-list-schema.ts before they get here.
 */
import type { Kysely, Selectable } from 'kysely';
import { HttpError } from '../../domain/errors';
import type { ReductionEntry } from '../../domain/reduction-list';
import type { FiledReductionList, ReductionAck, ReductionListSummary, ReductionListVersion } from '../../domain/reduction-list-api';
import { isUniqueViolation, openSqlDatabase } from './database';
import { migrateToLatest } from './migrate';
import { REDUCTION_LIST_MIGRATIONS, type ReductionAckRow, type ReductionListRow, type ReductionListTables } from './reduction-list-tables';

const listOf = (r: Selectable<ReductionListRow>): FiledReductionList => ({
  enterpriseId: r.enterprise_id,
  year: Number(r.year),
  version: Number(r.version),
  filedAt: Number(r.filed_at),
  filedBy: r.filed_by,
  entries: JSON.parse(r.entries) as ReductionEntry[],
});

const versionOf = (r: Pick<Selectable<ReductionListRow>, 'version' | 'filed_at' | 'filed_by' | 'entry_count'>): ReductionListVersion => ({
  version: Number(r.version),
  filedAt: Number(r.filed_at),
  filedBy: r.filed_by,
  entries: Number(r.entry_count),
});

const ackOf = (r: Selectable<ReductionAckRow>): ReductionAck => ({
  enterpriseId: r.enterprise_id,
  year: Number(r.year),
  version: Number(r.version),
  username: r.username,
  at: Number(r.at),
});

export interface NewReductionList {
  enterpriseId: string;
  year: number;
  entries: ReductionEntry[];
  filedBy: string;
  filedAt: number;
}

export class ReductionListStore {
  constructor(private readonly db: Kysely<ReductionListTables>) {}

  migrate(): Promise<string[]> {
    return migrateToLatest(this.db as Kysely<unknown>, REDUCTION_LIST_MIGRATIONS);
  }

  /** Files the list as the next version of its enterprise and year. */
  async save(l: NewReductionList): Promise<FiledReductionList> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const max = await trx
          .selectFrom('reduction_lists')
          .select((eb) => eb.fn.max<number | null>('version').as('max'))
          .where('enterprise_id', '=', l.enterpriseId)
          .where('year', '=', l.year)
          .executeTakeFirst();
        const row: ReductionListRow = {
          enterprise_id: l.enterpriseId,
          year: l.year,
          version: Number(max?.max ?? 0) + 1,
          entries: JSON.stringify(l.entries),
          entry_count: l.entries.length,
          filed_by: l.filedBy,
          filed_at: l.filedAt,
        };
        await trx.insertInto('reduction_lists').values(row).execute();
        return listOf(row);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new HttpError(409, 'version_conflict', `the ${l.year} list was filed meanwhile: try again`);
      throw err;
    }
  }

  /** The latest version (or `version`) of an enterprise's list for a year; null when none. */
  async get(enterpriseId: string, year: number, version?: number): Promise<FiledReductionList | null> {
    let q = this.db.selectFrom('reduction_lists').selectAll().where('enterprise_id', '=', enterpriseId).where('year', '=', year);
    if (version !== undefined) q = q.where('version', '=', version);
    const row = await q.orderBy('version', 'desc').limit(1).executeTakeFirst();
    return row ? listOf(row) : null;
  }

  /** The versions of a year's list, oldest first. */
  async versions(enterpriseId: string, year: number): Promise<ReductionListVersion[]> {
    const rows = await this.db
      .selectFrom('reduction_lists')
      .select(['version', 'filed_at', 'filed_by', 'entry_count'])
      .where('enterprise_id', '=', enterpriseId)
      .where('year', '=', year)
      .orderBy('version')
      .execute();
    return rows.map(versionOf);
  }

  /** The latest version of every enterprise's every year, with its first acknowledgement; by enterprise, then year. */
  async summaries(): Promise<ReductionListSummary[]> {
    const rows = await this.db
      .selectFrom('reduction_lists')
      .select(['enterprise_id', 'year', 'version', 'filed_at', 'filed_by', 'entry_count'])
      .orderBy('enterprise_id')
      .orderBy('year')
      .orderBy('version')
      .execute();
    const acks = await this.db.selectFrom('reduction_list_acks').selectAll().orderBy('at').execute();
    const latest = new Map<string, ReductionListSummary>();
    for (const r of rows) {
      const key = `${r.enterprise_id}\u0000${Number(r.year)}`;
      latest.set(key, { enterpriseId: r.enterprise_id, year: Number(r.year), ...versionOf(r), acknowledged: null });
    }
    for (const a of acks) {
      const s = latest.get(`${a.enterprise_id}\u0000${Number(a.year)}`);
      if (s && s.version === Number(a.version) && s.acknowledged === null) s.acknowledged = { username: a.username, at: Number(a.at) };
    }
    return [...latest.values()];
  }

  /** Records that `username` read this version; once per user and version (again: the first stands). */
  async acknowledge(a: ReductionAck): Promise<{ ack: ReductionAck; created: boolean }> {
    const existing = await this.ackOf(a);
    if (existing) return { ack: existing, created: false };
    try {
      await this.db
        .insertInto('reduction_list_acks')
        .values({ enterprise_id: a.enterpriseId, year: a.year, version: a.version, username: a.username, at: a.at })
        .execute();
      return { ack: a, created: true };
    } catch (err) {
      const raced = isUniqueViolation(err) ? await this.ackOf(a) : undefined;
      if (raced) return { ack: raced, created: false };
      throw err;
    }
  }

  /** The acknowledgements of a year's list (every version), oldest first. */
  async acknowledgements(enterpriseId: string, year: number): Promise<ReductionAck[]> {
    const rows = await this.db
      .selectFrom('reduction_list_acks')
      .selectAll()
      .where('enterprise_id', '=', enterpriseId)
      .where('year', '=', year)
      .orderBy('at')
      .execute();
    return rows.map(ackOf);
  }

  /**
   * Records the reminder of an enterprise's year, once: true when this call recorded it, false when
   * it was sent before (by this process, an earlier run, or another process racing it).
   */
  async markReminded(enterpriseId: string, year: number, at: number): Promise<boolean> {
    try {
      const r = await this.db
        .insertInto('reduction_reminders')
        .values({ enterprise_id: enterpriseId, year, sent_at: at })
        .onConflict((oc) => oc.columns(['enterprise_id', 'year']).doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  /** The reminders of a year: enterprise id → when it was sent. */
  async reminders(year: number): Promise<Map<string, number>> {
    const rows = await this.db.selectFrom('reduction_reminders').selectAll().where('year', '=', year).execute();
    return new Map(rows.map((r) => [r.enterprise_id, Number(r.sent_at)]));
  }

  private async ackOf(a: Pick<ReductionAck, 'enterpriseId' | 'year' | 'version' | 'username'>): Promise<ReductionAck | undefined> {
    const row = await this.db
      .selectFrom('reduction_list_acks')
      .selectAll()
      .where('enterprise_id', '=', a.enterpriseId)
      .where('year', '=', a.year)
      .where('version', '=', a.version)
      .where('username', '=', a.username)
      .executeTakeFirst();
    return row ? ackOf(row) : undefined;
  }
}

/** Opens the reduction-list store on the registry's database and brings its schema up to date. */
export async function openReductionListStore(
  location: string,
): Promise<{ store: ReductionListStore; migrated: string[]; close(): Promise<void> }> {
  const { db, close } = openSqlDatabase<ReductionListTables>(location);
  const store = new ReductionListStore(db);
  try {
    return { store, migrated: await store.migrate(), close };
  } catch (err) {
    await close();
    throw err;
  }
}
