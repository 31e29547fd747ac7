/**
 * Grade-downgrade proposals (issue 18 item 4) in the registry's database, with their own migration
 * history (`grade_proposals_migrations`): one row per proposal, its evidence (the alerts, as they
 * were) as JSON, and the officer's decision; and one row per measure-noncompliance alert and the
 * response it was raised in (an alert still open when a later response fails again is reactivated,
 * not opened anew: the row keeps each response it failed in). At most one pending proposal per enterprise (a partial
 * unique index, on SQLite and PostgreSQL alike). Times are bigint epoch ms.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { MigrationList } from './migrate';

export interface GradeProposalRow {
  id: number;
  enterprise_id: string;
  enterprise_name: string;
  from_grade: string;
  to_grade: string;
  /** pending | confirmed | dismissed */
  status: string;
  proposed_at: number;
  /** JSON number[]: the failed responses counted. */
  response_ids: string;
  /** JSON ProposalEvidence[]. */
  evidence: string;
  decided_at: number | null;
  decided_by: string | null;
  decision_reason: string | null;
}

/** A measure-noncompliance alert seen active in a response (what the trigger counts). */
export interface NoncomplianceFactRow {
  alert_id: number;
  /** The response (0: the alert's evidence named none). */
  response_id: number;
  enterprise_id: string;
  /** When it was first seen active in this response. */
  seen_at: number;
  /** JSON ProposalEvidence. */
  evidence: string;
}

export interface GradeProposalTables {
  grade_proposals: GradeProposalRow;
  grade_noncompliance: NoncomplianceFactRow;
}

const init: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('grade_proposals')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('enterprise_id', 'text', (c) => c.notNull())
      .addColumn('enterprise_name', 'text', (c) => c.notNull())
      .addColumn('from_grade', 'text', (c) => c.notNull())
      .addColumn('to_grade', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('proposed_at', 'bigint', (c) => c.notNull())
      .addColumn('response_ids', 'text', (c) => c.notNull())
      .addColumn('evidence', 'text', (c) => c.notNull())
      .addColumn('decided_at', 'bigint')
      .addColumn('decided_by', 'text')
      .addColumn('decision_reason', 'text')
      .execute();
    await db.schema
      .createIndex('grade_proposals_one_pending')
      .on('grade_proposals')
      .column('enterprise_id')
      .unique()
      .where(sql.ref('status'), '=', 'pending')
      .execute();
    await db.schema
      .createTable('grade_noncompliance')
      .addColumn('alert_id', 'integer', (c) => c.notNull())
      .addColumn('response_id', 'integer', (c) => c.notNull())
      .addColumn('enterprise_id', 'text', (c) => c.notNull())
      .addColumn('seen_at', 'bigint', (c) => c.notNull())
      .addColumn('evidence', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('grade_noncompliance_pk', ['alert_id', 'response_id'])
      .execute();
    await db.schema.createIndex('grade_noncompliance_enterprise').on('grade_noncompliance').columns(['enterprise_id', 'seen_at']).execute();
    await db.schema.createIndex('grade_proposals_enterprise').on('grade_proposals').columns(['enterprise_id', 'decided_at']).execute();
  },
};

export const GRADE_PROPOSAL_MIGRATIONS: MigrationList = { store: 'grade_proposals', migrations: { '0001-grade-proposals': init } };
