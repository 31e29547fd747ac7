/** readRegistry: the store when there is one (read-only, beside a running server), else the YAML seed; never creates a store. */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBus, type InternalEvents } from '../domain/internal-events';
import { registrySchema, type Registry } from '../domain/registry';
import { openRegistryStore } from '../storage/sql/registry-store';
import { startRegistry } from './registry-module';
import { readRegistry, registryStoreFile } from './registry-read';

const yaml: Registry = registrySchema.parse({
  enterprises: [{ id: 'e1', name: '一厂', district: '双塔区' }],
  sources: [{ mn: '211300CEMS00000000000101', enterpriseId: 'e1', name: '1号炉', kind: 'cems', lat: 41.5, lon: 120.4, pw: 'YAMLPW' }],
});
const ADMIN = { userId: 1, username: 'admin', role: 'admin' as const, enterpriseId: null, department: null };
const added = { mn: '211300VOCS00000000000102', enterpriseId: 'e1', name: '喷涂线', kind: 'vocs' as const, lat: 41.5, lon: 120.4 };

describe('readRegistry', () => {
  let dataDir: string;
  const config = () => ({ dataDir, registry: yaml, registryFile: 'config/registry.yaml' });

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'o3-regread-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('without a store: the YAML, and no store is created', async () => {
    expect(await readRegistry(config())).toEqual({ registry: yaml, from: 'yaml', file: 'config/registry.yaml', version: null });
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('an empty store (never seeded): the YAML', async () => {
    await (await openRegistryStore(registryStoreFile(dataDir))).close();
    expect(await readRegistry(config())).toMatchObject({ from: 'yaml', registry: yaml });
  });

  it('with a store: what the server holds, changes made in the product included, while the server runs', async () => {
    const reg = await startRegistry(
      { ...config(), registryReseed: false },
      { events: new EventBus<InternalEvents>(), log: pino({ level: 'silent' }), now: () => 7 },
    );
    try {
      const { credentials } = await reg.admin.createSource(added, ADMIN);
      const read = await readRegistry(config());
      expect(read).toMatchObject({ from: 'store', file: registryStoreFile(dataDir), version: 2 });
      expect(read.registry.sources).toEqual(reg.view.current().sources);
      expect(read.registry.enterprises).toEqual(reg.view.current().enterprises);
      expect(read.registry.sources.find((s) => s.mn === added.mn)).toMatchObject({ mqttPassword: credentials.mqttPassword });
      // The server keeps writing after a read-only reader came and went.
      await reg.admin.deleteSource(added.mn, ADMIN);
      expect((await readRegistry(config())).registry.sources.map((s) => s.mn)).toEqual([yaml.sources[0]?.mn]);
    } finally {
      await reg.stop();
    }
    expect(existsSync(registryStoreFile(dataDir))).toBe(true);
  });
});
