/**
 * The registry as it is now, for a tool outside the server (`npm run broker:credentials`, the demo
 * simulators' start): since issue 14 the registry store (`<dataDir>/registry.db`) is the truth and
 * the YAML only its seed, stale after any change made in the product. So: the store, opened
 * read-only, when it exists and holds a registry; else the YAML — what the first start will seed.
 * Nothing is created or written here (seeding stays the server's, at its start).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Registry } from '../domain/registry';
import { openRegistryStoreReadOnly } from '../storage/sql/registry-store';

/** Where the registry store lives. */
export const registryStoreFile = (dataDir: string): string => join(dataDir, 'registry.db');

export interface RegistryRead {
  registry: Registry;
  /** `store`: read from the registry store; `yaml`: no store yet, the seed file. */
  from: 'store' | 'yaml';
  /** The file read. */
  file: string;
  /** The store's version (null for the YAML). */
  version: number | null;
}

export async function readRegistry(config: { dataDir: string; registry: Registry; registryFile: string }): Promise<RegistryRead> {
  const file = registryStoreFile(config.dataDir);
  const seed: RegistryRead = { registry: config.registry, from: 'yaml', file: config.registryFile, version: null };
  if (!existsSync(file)) return seed;
  const opened = await openRegistryStoreReadOnly(file);
  try {
    const stored = await opened.store.load();
    return stored ? { registry: stored.registry, from: 'store', file, version: stored.version } : seed;
  } finally {
    await opened.close();
  }
}
