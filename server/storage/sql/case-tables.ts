/**
 * Rectification cases (issue 19 item 3) in the registry's database with their own migration history
 * (`case_migrations`): the cases, their history and their attachments' records (the files are on
 * disk under the data dir, by a random name). Only Kysely's schema builder and portable types.
 */
import type { Kysely, Migration } from 'kysely';
import type { MigrationList } from './migrate';

export interface CaseRow {
  id: number;
  type: string;
  enterprise_id: string;
  district: string;
  /** JSON arrays. */
  alert_ids: string;
  sources: string;
  rules: string;
  officer: string;
  /** The deadline as JSON (domain/case.ts deadlineSchema), and its due date (YYYY-MM-DD) for the overdue filter. */
  deadline: string;
  due_date: string;
  requirements: string;
  internal_note: string | null;
  status: string;
  clean_days: number | null;
  verifying_since: number | null;
  /** The latest report as JSON, or null. */
  report: string | null;
  return_reason: string | null;
  overdue_at: number | null;
  created_by: string;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
  closed_by: string | null;
  version: number;
}

export interface CaseHistoryRow {
  case_id: number;
  seq: number;
  at: number;
  by: string;
  event: string;
  note: string | null;
  /** JSON, or null. */
  detail: string | null;
  internal: number;
}

export interface CaseAttachmentRow {
  id: string;
  case_id: number;
  name: string;
  kind: string;
  size: number;
  sha256: string;
  /** The file's name under the attachments directory (random; never the uploaded name). */
  stored_as: string;
  party: string;
  uploaded_by: string;
  uploaded_at: number;
}

export interface CaseTables {
  cases: CaseRow;
  case_history: CaseHistoryRow;
  case_attachments: CaseAttachmentRow;
}

const init: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('cases')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('enterprise_id', 'text', (c) => c.notNull())
      .addColumn('district', 'text', (c) => c.notNull())
      .addColumn('alert_ids', 'text', (c) => c.notNull())
      .addColumn('sources', 'text', (c) => c.notNull())
      .addColumn('rules', 'text', (c) => c.notNull())
      .addColumn('officer', 'text', (c) => c.notNull())
      .addColumn('deadline', 'text', (c) => c.notNull())
      .addColumn('due_date', 'text', (c) => c.notNull())
      .addColumn('requirements', 'text', (c) => c.notNull())
      .addColumn('internal_note', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('clean_days', 'integer')
      .addColumn('verifying_since', 'bigint')
      .addColumn('report', 'text')
      .addColumn('return_reason', 'text')
      .addColumn('overdue_at', 'bigint')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('closed_at', 'bigint')
      .addColumn('closed_by', 'text')
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('cases_enterprise').on('cases').column('enterprise_id').execute();
    await db.schema.createIndex('cases_status').on('cases').columns(['status', 'due_date']).execute();
    await db.schema
      .createTable('case_history')
      .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id').onDelete('cascade'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('by', 'text', (c) => c.notNull())
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('detail', 'text')
      .addColumn('internal', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('case_history_pk', ['case_id', 'seq'])
      .execute();
    await db.schema
      .createTable('case_attachments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('stored_as', 'text', (c) => c.notNull())
      .addColumn('party', 'text', (c) => c.notNull())
      .addColumn('uploaded_by', 'text', (c) => c.notNull())
      .addColumn('uploaded_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('case_attachments_case').on('case_attachments').column('case_id').execute();
  },
};

export const CASE_MIGRATIONS: MigrationList = { store: 'case', migrations: { '0001-cases': init } };
