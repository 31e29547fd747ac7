import { describe, expect, it } from 'vitest';
import { authDatabase, describeLocation, isPostgresUrl, registryDatabase } from './database';

describe('store locations', () => {
  it('tells a PostgreSQL URL from a SQLite file path', () => {
    expect(['postgres://h/db', 'postgresql://u@h:5433/db', 'POSTGRES://h/db'].map(isPostgresUrl)).toEqual([true, true, true]);
    expect(['data/registry.db', '/srv/o3/registry.db', 'postgres.db'].map(isPostgresUrl)).toEqual([false, false, false]);
  });

  it('masks a URL’s password for logs and messages, and leaves file paths alone', () => {
    expect(describeLocation('postgres://o3:s3cr%40t@db.internal:5432/o3sentinel?sslmode=require')).toBe(
      'postgres://o3:***@db.internal:5432/o3sentinel?sslmode=require',
    );
    expect(describeLocation('postgres://o3@db.internal/o3')).toBe('postgres://o3@db.internal/o3');
    expect(describeLocation('data/registry.db')).toBe('data/registry.db');
  });

  it.each([
    ['no database.url', undefined, 'data/registry.db', 'data/auth.db'],
    ['an empty database.url', { url: '' }, 'data/registry.db', 'data/auth.db'],
    ['database.url (DATABASE_URL)', { url: 'postgres://o3@db/o3' }, 'postgres://o3@db/o3', 'postgres://o3@db/o3'],
  ])('with %s: the registry in %s, the identity stores in %s', (_what, database, registry, auth) => {
    const config = { dataDir: 'data', ...(database ? { database } : {}) };
    expect([registryDatabase(config), authDatabase(config)]).toEqual([registry, auth]);
  });
});
