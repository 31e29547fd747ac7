/**
 * `npm run broker:credentials` reads the registry store, not the YAML (issue 14): a source added
 * in the product (through the store, as the server's RegistryAdmin does) gets its passwd line (its
 * topics come from the ACL's per-user patterns), and a source the YAML still lists but the store
 * no longer has gets none. Without a
 * store the YAML seed is used and no store is created. The script runs as the operator runs it, on
 * either engine: the SQLite file in the data dir, or PostgreSQL (DATABASE_URL: issue 15).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyMosquittoPasswordLine } from '../../server/broker/mosquitto-credentials';
import { loadConfig } from '../../server/config';
import { openSqlDatabase } from '../../server/storage/sql/database';
import { openRegistryStore } from '../../server/storage/sql/registry-store';
import { TEST_REGISTRY_FILE } from '../helpers/fixtures';
import { freshPgDatabase } from '../helpers/sql-engines';
import { ROOT } from '../helpers/test-app';

const run = promisify(execFile);
const ADDED = { mn: '370300VOCS00000000009902', mqttPassword: 'added-in-the-product-42', pw: 'ADDEDPW42' };
const REMOVED = '370300VRS000000000000901';

describe.each(['sqlite', 'postgres'] as const)('npm run broker:credentials on %s', (engine) => {
  let dataDir: string;
  let out: string;
  let pg: Awaited<ReturnType<typeof freshPgDatabase>> | null = null;
  /** Where the registry store is: the data dir's file, or the PostgreSQL database. */
  const store = () => pg?.url ?? join(dataDir, 'registry.db');
  const env = () => ({
    ...process.env,
    DATA_DIR: dataDir,
    ...(pg ? { DATABASE_URL: pg.url } : {}),
    REGISTRY_FILE: TEST_REGISTRY_FILE,
    MQTT_USERNAME: 'o3s-ingest',
    MQTT_PASSWORD: 'ingest-secret-42',
    INTERNAL_MQTT_PASSWORD: 'internal-secret-42',
  });
  const credentials = (...more: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/broker-credentials.ts', '--out', out, '--iterations', '1', ...more], {
      cwd: ROOT,
      env: { ...env(), CLUSTER_PARTITIONS: '3' },
    });
  const passwd = () => readFileSync(join(out, 'passwd'), 'utf8').split('\n').filter(Boolean);
  const userOf = (line: string) => line.slice(0, line.indexOf(':'));

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'o3-brokercred-data-'));
    out = mkdtempSync(join(tmpdir(), 'o3-brokercred-out-'));
    if (engine === 'postgres') pg = await freshPgDatabase();
  });
  afterEach(async () => {
    await pg?.drop();
    pg = null;
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  });

  it('writes the store’s sources: one added in the product is in passwd and acl, one removed is not', async () => {
    const yaml = loadConfig(env(), ROOT).registry;
    const opened = await openRegistryStore(store());
    const seed = await opened.store.save(null, yaml, {
      expectVersion: null,
      actor: 'system',
      at: 1,
      defaultGradeReason: 'registry.seeded',
    });
    const added = {
      ...ADDED,
      enterpriseId: 'lanshan-coating',
      name: '烘干线排口',
      kind: 'vocs' as const,
      lat: 36.805,
      lon: 118.051,
      position: 'outlet' as const,
      intervalS: 30,
      limits: {},
    };
    const next = { ...yaml, sources: [...yaml.sources.filter((s) => s.mn !== REMOVED), added] };
    await opened.store.save(yaml, next, { expectVersion: seed.version, actor: 'admin', at: 2, defaultGradeReason: 'x' });
    await opened.close();

    const { stdout } = await credentials();
    expect(stdout).toContain(`registry: the store ${store()} (version 2)`);
    const lines = passwd();
    expect(lines.map(userOf).sort()).toEqual([...next.sources.map((s) => s.mn), 'o3s-ingest'].sort());
    const line = lines.find((l) => userOf(l) === ADDED.mn) as string;
    expect(verifyMosquittoPasswordLine(line, ADDED.mqttPassword)).toBe(true);
    expect(lines.join('\n')).not.toContain(REMOVED);
    // The ACL gives every logger user (username = MN) its own topics by pattern: the added source's
    // user is covered by it, and no MN is written out.
    const acl = readFileSync(join(out, 'acl'), 'utf8');
    expect(acl).toMatch(/^pattern write .*%u/m);
    expect(acl).not.toMatch(/370300/);
  });

  it('--partitions: a user per ingest partition session, with the ingest password, in passwd and acl', async () => {
    const { stdout } = await credentials('--partitions');
    expect(stdout).toContain('3 ingest partition users');
    const lines = passwd();
    for (const p of [0, 1, 2]) {
      const line = lines.find((l) => userOf(l) === `o3-ingest-p${p}`) as string;
      expect(verifyMosquittoPasswordLine(line, 'ingest-secret-42')).toBe(true);
      expect(readFileSync(join(out, 'acl'), 'utf8')).toContain(`user o3-ingest-p${p}\ntopic read sentinel/v1/+/data`);
    }
    expect(lines.map(userOf)).not.toContain('o3-ingest-p3');
  });

  it('without a store: the YAML (what the first start seeds), and no store is created', async () => {
    const { stdout } = await credentials();
    expect(stdout).toContain(`no registry store in ${pg ? pg.url : dataDir} yet`);
    const yaml = loadConfig(env(), ROOT).registry;
    expect(passwd().map(userOf).sort()).toEqual([...yaml.sources.map((s) => s.mn), 'o3s-ingest'].sort());
    expect(readdirSync(dataDir)).toEqual([]);
    if (pg) {
      const db = openSqlDatabase(pg.url);
      expect(await db.db.introspection.getTables({ withInternalKyselyTables: true })).toEqual([]);
      await db.close();
    }
  });
});
