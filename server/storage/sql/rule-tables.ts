/**
 * The rules' durable state through Kysely (issue 15), in `state.db` or the cluster's PostgreSQL
 * database, with its own migration history (`rule_migrations`): the rule pack an administrator set
 * over the API, the per-source overrides, and the engine's state one row per source (hour and day
 * windows, counters, raised conditions, the facilities homed on it), so an ingest worker saves and
 * loads the sources of one partition. On SQLite the first migration adopts the tables of `state.db`
 * as the hand-written store left them (same names and columns; `IF NOT EXISTS`): the pack and the
 * overrides as they are, and the old one-blob snapshot (`rule_state`) kept until the rules service
 * has written it out source by source (rules/source-state-keeper.ts), then emptied.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { MigrationList } from './migrate';

export interface RulePackRow {
  /** Always 1: one pack. */
  id: number;
  /** JSON of the pack. */
  value: string;
  updated_by: string;
  updated_at: number;
}

export interface RuleOverrideRow {
  mn: string;
  /** JSON of the override. */
  value: string;
  updated_by: string;
  updated_at: number;
}

export interface RuleSourceStateRow {
  mn: string;
  /** JSON of the source's state (rules/source-state.ts). */
  value: string;
  /** The epoch of the source's partition under which it was written (0: an all-in-one process, unfenced). */
  epoch: number;
  saved_at: number;
}

/** The hand-written store's one snapshot of the whole engine (before issue 15); read once, then emptied. */
export interface LegacyRuleStateRow {
  id: number;
  snapshot: string;
  saved_at: number;
}

export interface RuleTables {
  rule_pack: RulePackRow;
  rule_overrides: RuleOverrideRow;
  rule_source_state: RuleSourceStateRow;
  rule_state: LegacyRuleStateRow;
}

const init: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('rule_pack')
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addCheckConstraint('rule_pack_one', sql`id = 1`)
      .execute();
    await db.schema
      .createTable('rule_overrides')
      .ifNotExists()
      .addColumn('mn', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('rule_state')
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('snapshot', 'text', (c) => c.notNull())
      .addColumn('saved_at', 'bigint', (c) => c.notNull())
      .addCheckConstraint('rule_state_one', sql`id = 1`)
      .execute();
    await db.schema
      .createTable('rule_source_state')
      .ifNotExists()
      .addColumn('mn', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('epoch', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('saved_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};

export const RULE_MIGRATIONS: MigrationList = { store: 'rule', migrations: { '0001-rules': init } };
