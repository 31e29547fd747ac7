/**
 * The API token store's contract on both engines (a SQLite file and a PostgreSQL database): its own
 * migration history beside the accounts' tables, lookup by hash, tenant lists, revoke once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAuthDatabase } from '../../../server/auth/auth-database';
import { openApiTokenStore, type ApiTokenRow } from '../../../server/storage/sql/api-token-store';
import { sqlEngines, type FreshDatabase } from '../../helpers/sql-engines';

const row = (id: string, enterprise: string | null, created: number): ApiTokenRow => ({
  id,
  name: `token ${id}`,
  token_hash: `hash-${id}`,
  shown: 'o3s_AbCd',
  scope: 'read',
  enterprise_id: enterprise,
  user_id: 7,
  username: 'admin',
  creator_role: 'admin',
  creator_enterprise_id: null,
  created_at: created,
  expires_at: created + 86_400_000,
  last_used_at: null,
  revoked_at: null,
  revoked_by: null,
});

describe.each(sqlEngines())('ApiTokenStore on $name', (engine) => {
  let fresh: FreshDatabase;
  let opened: Awaited<ReturnType<typeof openApiTokenStore>>;
  beforeEach(async () => {
    fresh = await engine.create();
    opened = await openApiTokenStore(fresh.location);
  });
  afterEach(async () => {
    await opened.close();
    await fresh.remove();
  });

  it('migrates once, with its own history, beside the accounts’ tables in the same database', async () => {
    expect(opened.migrated).toEqual(['0001-api-tokens']);
    expect(await opened.store.migrate()).toEqual([]);
    const auth = await openAuthDatabase(fresh.location);
    try {
      expect(Object.values(auth.migrated).flat()).toHaveLength(5);
      expect(await opened.store.migrate()).toEqual([]);
    } finally {
      await auth.close();
    }
  });

  it('finds a token by its hash; lists newest first, all or one enterprise’s; the hash is unique', async () => {
    const { store } = opened;
    await store.insert(row('a', null, 1_000));
    await store.insert(row('b', 'qilu-power', 2_000));
    await store.insert(row('c', 'zichuan-cement', 3_000));
    expect((await store.findByHash('hash-b'))?.id).toBe('b');
    expect(await store.findByHash('nope')).toBeNull();
    expect((await store.list()).map((r) => r.id)).toEqual(['c', 'b', 'a']);
    expect((await store.list('qilu-power')).map((r) => r.id)).toEqual(['b']);
    await expect(store.insert({ ...row('d', null, 4_000), token_hash: 'hash-a' })).rejects.toThrow();
  });

  it('revokes once (the first revocation is kept) and notes the last use', async () => {
    const { store } = opened;
    await store.insert(row('a', null, 1_000));
    expect(await store.revoke('a', 5_000, 'admin')).toBe(true);
    expect(await store.revoke('a', 6_000, 'other')).toBe(false);
    expect(await store.revoke('missing', 6_000, 'other')).toBe(false);
    await store.touch('a', 7_000);
    expect(await store.get('a')).toMatchObject({ revoked_at: 5_000, revoked_by: 'admin', last_used_at: 7_000, created_at: 1_000 });
  });
});
