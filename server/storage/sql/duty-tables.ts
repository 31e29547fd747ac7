/**
 * Who gets what (issue 21): users' contacts and subscriptions, the duty roster's shifts and the
 * escalation chain, in the registry's database with their own migration history (`duty_migrations`),
 * so they move to PostgreSQL with it. Only Kysely's schema builder and portable types. Users are
 * named by username (the identity stores may live in another database: no foreign key).
 */
import type { Kysely, Migration } from 'kysely';
import type { MigrationList } from './migrate';

export interface UserContactsRow {
  username: string;
  email: string | null;
  phone: string | null;
  updated_at: number;
}

export interface SubscriptionRow {
  username: string;
  /** The subscription as JSON (domain/duty.ts subscriptionSchema). */
  settings: string;
  updated_at: number;
}

export interface ShiftRow {
  id: string;
  username: string;
  /** 'primary' | 'backup'. */
  position: string;
  starts_at: number;
  ends_at: number;
  created_at: number;
}

/** One row (id 1): the escalation chain as JSON (domain/duty.ts escalationPolicySchema). */
export interface EscalationRow {
  id: number;
  settings: string;
  updated_at: number;
}

export interface DutyTables {
  user_contacts: UserContactsRow;
  notify_subscriptions: SubscriptionRow;
  duty_shifts: ShiftRow;
  duty_escalation: EscalationRow;
}

const init: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('user_contacts')
      .addColumn('username', 'text', (c) => c.primaryKey())
      .addColumn('email', 'text')
      .addColumn('phone', 'text')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('notify_subscriptions')
      .addColumn('username', 'text', (c) => c.primaryKey())
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('duty_shifts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('position', 'text', (c) => c.notNull())
      .addColumn('starts_at', 'bigint', (c) => c.notNull())
      .addColumn('ends_at', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('duty_shifts_ends').on('duty_shifts').column('ends_at').execute();
    await db.schema
      .createTable('duty_escalation')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};

export const DUTY_MIGRATIONS: MigrationList = { store: 'duty', migrations: { '0001-duty': init } };
