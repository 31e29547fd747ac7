/**
 * Comparison tests (比对监测, issue 19) in the registry's database with their own migration history
 * (`quality_migrations`), so they move to PostgreSQL with it. Only Kysely's schema builder and
 * portable types: the test's figures are one JSON column (no floating-point column types).
 */
import type { Kysely, Migration } from 'kysely';
import type { MigrationList } from './migrate';

export interface ComparisonRow {
  id: number;
  mn: string;
  enterprise_id: string;
  factor: string;
  from_ts: number;
  to_ts: number;
  /** The test's values and judgement as JSON (domain/quality.ts ComparisonTest without the columns above). */
  data: string;
  created_by: string;
  created_at: number;
}

export interface QualityTables {
  quality_comparisons: ComparisonRow;
}

const init: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('quality_comparisons')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('mn', 'text', (c) => c.notNull())
      .addColumn('enterprise_id', 'text', (c) => c.notNull())
      .addColumn('factor', 'text', (c) => c.notNull())
      .addColumn('from_ts', 'bigint', (c) => c.notNull())
      .addColumn('to_ts', 'bigint', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('quality_comparisons_enterprise').on('quality_comparisons').column('enterprise_id').execute();
  },
};

export const QUALITY_MIGRATIONS: MigrationList = { store: 'quality', migrations: { '0001-comparisons': init } };
