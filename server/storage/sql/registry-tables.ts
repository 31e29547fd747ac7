/**
 * The registry's tables and their migrations (issue 14). Key fields are columns (ids, MN,
 * enterprise, kind, district, grade, credit code) so they can be queried and indexed; the nested
 * and optional rest of each record is one JSON text column, validated by the domain's schemas when
 * read. Only Kysely's schema builder and portable types (text, integer, bigint): the same
 * migrations run on PostgreSQL (issue 15).
 *
 * Logger credentials (HJ 212 `pw`, the MQTT password) are columns of their own, in clear: HJ 212
 * sends PW in clear on every frame and the server must compare it (a hash would not help a logger
 * that cannot do challenge-response). They are never returned by the REST API and are masked in audit details.
 */
import type { Kysely, Migration } from 'kysely';
import type { MigrationList } from './migrate';

export interface EnterpriseRow {
  id: string;
  name: string;
  district: string;
  credit_code: string | null;
  grade: string | null;
  /** Insertion order: a loaded registry lists records as they were added. */
  seq: number;
  /** JSON: every other field of the enterprise. */
  data: string;
}

export interface SourceRow {
  mn: string;
  enterprise_id: string;
  kind: string;
  district: string | null;
  pw: string | null;
  mqtt_password: string | null;
  seq: number;
  data: string;
}

export interface FacilityRow {
  id: string;
  enterprise_id: string;
  kind: string;
  seq: number;
  data: string;
}

export interface GradeHistoryRow {
  enterprise_id: string;
  /** The registry version that made the change (one grade change per enterprise per version). */
  version: number;
  grade: string;
  /** Epoch ms. */
  since: number;
  reason: string;
  actor: string;
}

/** One row (id 1): the registry's version, who changed it last and when. */
export interface RegistryMetaRow {
  id: number;
  version: number;
  updated_at: number;
  actor: string;
}

export interface RegistryTables {
  registry_enterprises: EnterpriseRow;
  registry_sources: SourceRow;
  registry_facilities: FacilityRow;
  registry_grade_history: GradeHistoryRow;
  registry_meta: RegistryMetaRow;
}

const init: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('registry_enterprises')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('district', 'text', (c) => c.notNull())
      .addColumn('credit_code', 'text')
      .addColumn('grade', 'text')
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('registry_sources')
      .addColumn('mn', 'text', (c) => c.primaryKey())
      .addColumn('enterprise_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('district', 'text')
      .addColumn('pw', 'text')
      .addColumn('mqtt_password', 'text')
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('registry_sources_enterprise').on('registry_sources').column('enterprise_id').execute();
    await db.schema
      .createTable('registry_facilities')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('enterprise_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('registry_facilities_enterprise').on('registry_facilities').column('enterprise_id').execute();
    await db.schema
      .createTable('registry_grade_history')
      .addColumn('enterprise_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('grade', 'text', (c) => c.notNull())
      .addColumn('since', 'bigint', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('registry_grade_history_pk', ['enterprise_id', 'version'])
      .execute();
    await db.schema
      .createTable('registry_meta')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .execute();
  },
};

export const REGISTRY_MIGRATIONS: MigrationList = { store: 'registry', migrations: { '0001-registry': init } };
