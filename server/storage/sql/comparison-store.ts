/**
 * Comparison tests (issue 19) through Kysely, on SQLite or PostgreSQL: insert (the next id) and
 * list, newest first, all or one enterprise's. The service judges; the store keeps.
 */
import type { Kysely, Selectable } from 'kysely';
import { comparisonTestSchema, type ComparisonTest } from '../../domain/quality';
import { openSqlDatabase } from './database';
import { migrateToLatest } from './migrate';
import { QUALITY_MIGRATIONS, type ComparisonRow, type QualityTables } from './comparison-tables';

const num = (v: number | string | bigint): number => Number(v);

/** A stored row that does not parse is a damaged row: refuse to read it rather than guess. */
function fromRow(r: Selectable<ComparisonRow>): ComparisonTest {
  const data = JSON.parse(r.data) as Record<string, unknown>;
  return comparisonTestSchema.parse({
    ...data,
    id: num(r.id),
    mn: r.mn,
    enterpriseId: r.enterprise_id,
    factor: r.factor,
    from: num(r.from_ts),
    to: num(r.to_ts),
    createdBy: r.created_by,
    createdAt: num(r.created_at),
  });
}

export type NewComparison = Omit<ComparisonTest, 'id'>;

export class ComparisonStore {
  constructor(private readonly db: Kysely<QualityTables>) {}

  migrate(): Promise<string[]> {
    return migrateToLatest(this.db as Kysely<unknown>, QUALITY_MIGRATIONS);
  }

  /** Newest first; `enterpriseId` given: that enterprise's only. */
  async list(opts: { enterpriseId?: string | null; limit?: number } = {}): Promise<ComparisonTest[]> {
    let q = this.db.selectFrom('quality_comparisons').selectAll();
    if (opts.enterpriseId) q = q.where('enterprise_id', '=', opts.enterpriseId);
    const rows = await q
      .orderBy('id', 'desc')
      .limit(opts.limit ?? 500)
      .execute();
    return rows.map(fromRow);
  }

  async insert(t: NewComparison): Promise<ComparisonTest> {
    return this.db.transaction().execute(async (trx) => {
      const max = await trx
        .selectFrom('quality_comparisons')
        .select((eb) => eb.fn.max<number | null>('id').as('max'))
        .executeTakeFirst();
      const stored: ComparisonTest = { ...t, id: num(max?.max ?? 0) + 1 };
      const { id, mn, enterpriseId, factor, from, to, createdBy, createdAt, ...data } = stored;
      await trx
        .insertInto('quality_comparisons')
        .values({
          id,
          mn,
          enterprise_id: enterpriseId,
          factor,
          from_ts: from,
          to_ts: to,
          data: JSON.stringify(data),
          created_by: createdBy,
          created_at: createdAt,
        })
        .execute();
      return stored;
    });
  }
}

/** Opens the comparison store on the registry's database and brings its schema up to date. */
export async function openComparisonStore(
  location: string,
): Promise<{ store: ComparisonStore; migrated: string[]; close(): Promise<void> }> {
  const { db, close } = openSqlDatabase<QualityTables>(location);
  const store = new ComparisonStore(db);
  try {
    return { store, migrated: await store.migrate(), close };
  } catch (err) {
    await close();
    throw err;
  }
}
