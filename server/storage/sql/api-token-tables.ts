/**
 * The API tokens' table and its migrations (issue 21). It lives in the accounts' database (`auth.db`,
 * or the PostgreSQL database of DATABASE_URL: issue 15) with its own migration history
 * (`api_tokens_migrations`). Only Kysely's schema builder and portable types.
 */
import type { Kysely, Migration } from 'kysely';
import type { MigrationList } from './migrate';

export interface ApiTokenRow {
  id: string;
  name: string;
  /** SHA-256 of the whole token, hex: what a bearer is looked up by. Unique. */
  token_hash: string;
  /** The token's first characters (`o3s_AbCd`), for people. */
  shown: string;
  /** 'read' | 'write'. */
  scope: string;
  /** The tenant: one enterprise, or null for the whole bureau. */
  enterprise_id: string | null;
  /** The creator, whose role and enterprise the token acts with (checked again at every use). */
  user_id: number;
  username: string;
  creator_role: string;
  creator_enterprise_id: string | null;
  created_at: number;
  expires_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
  revoked_by: string | null;
}

export interface ApiTokenTables {
  api_tokens: ApiTokenRow;
}

const init: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('api_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('shown', 'text', (c) => c.notNull())
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('enterprise_id', 'text')
      .addColumn('user_id', 'integer', (c) => c.notNull())
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('creator_role', 'text', (c) => c.notNull())
      .addColumn('creator_enterprise_id', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('last_used_at', 'bigint')
      .addColumn('revoked_at', 'bigint')
      .addColumn('revoked_by', 'text')
      .execute();
    await db.schema.createIndex('api_tokens_enterprise').on('api_tokens').columns(['enterprise_id', 'created_at']).execute();
  },
};

export const API_TOKEN_MIGRATIONS: MigrationList = {
  store: 'api_tokens',
  migrations: { '0001-api-tokens': init },
};
