/**
 * The registry as it is now, for a tool outside the server (`npm run broker:credentials`, the demo
 * simulators' start): since issue 14 the registry store (`<dataDir>/registry.db`, or the PostgreSQL
 * database of DATABASE_URL) is the truth and the YAML only its seed, stale after any change made in
 * the product. So: the store, opened read-only, when it exists and holds a registry; else the YAML —
 * what the first start will seed. Nothing is created or written here (seeding stays the server's,
 * at its start).
 */
import { join } from 'node:path';
import type { Registry } from '../domain/registry';
import { describeLocation, registryDatabase } from '../storage/sql/database';
import { openRegistryStoreReadOnly } from '../storage/sql/registry-store';

/** Where the registry store lives without DATABASE_URL. */
export const registryStoreFile = (dataDir: string): string => join(dataDir, 'registry.db');

export interface RegistryRead {
  registry: Registry;
  /** `store`: read from the registry store; `yaml`: no store yet, the seed file. */
  from: 'store' | 'yaml';
  /** The file read (the database's URL, its password masked). */
  file: string;
  /** The store's version (null for the YAML). */
  version: number | null;
}

export async function readRegistry(config: {
  dataDir: string;
  database?: { url: string };
  registry: Registry;
  registryFile: string;
}): Promise<RegistryRead> {
  const location = registryDatabase(config);
  const seed: RegistryRead = { registry: config.registry, from: 'yaml', file: config.registryFile, version: null };
  const opened = await openRegistryStoreReadOnly(location);
  if (!opened) return seed;
  try {
    const stored = await opened.store.load();
    return stored ? { registry: stored.registry, from: 'store', file: describeLocation(location), version: stored.version } : seed;
  } finally {
    await opened.close();
  }
}
