/**
 * API tokens through Kysely (issue 21): insert, look up by the token's hash, list (all, or one
 * enterprise's), revoke once, and note the last use. What the columns mean: api-token-tables.ts.
 * The token itself is never stored; the caller hashes it.
 */
import type { Kysely, Selectable } from 'kysely';
import { openSqlDatabase } from './database';
import { migrateToLatest } from './migrate';
import { API_TOKEN_MIGRATIONS, type ApiTokenRow, type ApiTokenTables } from './api-token-tables';

export type { ApiTokenRow } from './api-token-tables';

/** Numbers as numbers (PostgreSQL's bigint arrives as a string). */
function fromRow(r: Selectable<ApiTokenRow>): ApiTokenRow {
  const num = (v: number | null) => (v === null ? null : Number(v));
  return {
    ...r,
    user_id: Number(r.user_id),
    created_at: Number(r.created_at),
    expires_at: Number(r.expires_at),
    last_used_at: num(r.last_used_at),
    revoked_at: num(r.revoked_at),
  };
}

export class ApiTokenStore {
  constructor(private readonly db: Kysely<ApiTokenTables>) {}

  migrate(): Promise<string[]> {
    return migrateToLatest(this.db as Kysely<unknown>, API_TOKEN_MIGRATIONS);
  }

  async insert(row: ApiTokenRow): Promise<void> {
    await this.db.insertInto('api_tokens').values(row).execute();
  }

  async get(id: string): Promise<ApiTokenRow | null> {
    const row = await this.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? fromRow(row) : null;
  }

  async findByHash(hash: string): Promise<ApiTokenRow | null> {
    const row = await this.db.selectFrom('api_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
    return row ? fromRow(row) : null;
  }

  /** Newest first; `enterpriseId` given: only that enterprise's tokens. */
  async list(enterpriseId?: string): Promise<ApiTokenRow[]> {
    let q = this.db.selectFrom('api_tokens').selectAll();
    if (enterpriseId !== undefined) q = q.where('enterprise_id', '=', enterpriseId);
    const rows = await q.orderBy('created_at', 'desc').orderBy('id').execute();
    return rows.map(fromRow);
  }

  /** Marks the token revoked unless it already is; returns whether this call revoked it. */
  async revoke(id: string, at: number, by: string): Promise<boolean> {
    const r = await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: at, revoked_by: by })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async touch(id: string, at: number): Promise<void> {
    await this.db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
  }
}

/**
 * Opens the token store on its own connection to the auth database (a SQLite file, the accounts'
 * `auth.db`, or a PostgreSQL URL) and brings its schema up to date. The server shares the auth
 * module's connection instead (server/auth/auth-module.ts).
 */
export async function openApiTokenStore(location: string): Promise<{ store: ApiTokenStore; migrated: string[]; close(): Promise<void> }> {
  const { db, close } = openSqlDatabase<ApiTokenTables>(location);
  const store = new ApiTokenStore(db);
  try {
    return { store, migrated: await store.migrate(), close };
  } catch (err) {
    await close();
    throw err;
  }
}
