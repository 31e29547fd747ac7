import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';
import { registryDatabase } from './storage/sql/database';

const ROOT = resolve(import.meta.dirname, '..');
const load = (env: Record<string, string>) => loadConfig(env, ROOT);

describe('database.url (DATABASE_URL): the registry and notification targets in PostgreSQL', () => {
  it('is empty by default: the registry database stays <dataDir>/registry.db', () => {
    const config = load({ DATA_DIR: '/srv/o3' });
    expect(config.database).toEqual({ url: '' });
    expect(registryDatabase(config)).toBe('/srv/o3/registry.db');
  });

  it.each(['postgres://o3:secret@db.internal:5432/o3sentinel', 'postgresql://o3@10.0.0.5/o3?sslmode=require'])(
    'DATABASE_URL=%s is where the registry database is',
    (url) => {
      const config = load({ DATABASE_URL: url });
      expect(config.database.url).toBe(url);
      expect(registryDatabase(config)).toBe(url);
    },
  );

  it.each(['mysql://db/o3', 'registry.db', 'http://db.internal/'])('refuses DATABASE_URL=%s, naming the variable', (url) => {
    expect(() => load({ DATABASE_URL: url })).toThrow(ConfigError);
    expect(() => load({ DATABASE_URL: url })).toThrow(/database\.url|DATABASE_URL/);
  });
});
