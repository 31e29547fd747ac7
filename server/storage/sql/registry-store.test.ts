/** The registry store on real SQLite files: migrations, load/save round trip, changed rows only, grade history, conflicts. */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registrySchema, type Enterprise, type Registry } from '../../domain/registry';
import { openRegistryStore, RegistryVersionConflict, type RegistryStore } from './registry-store';

const IN = '370300VOCS00000000000401';
const OUT = '370300VOCS00000000000402';
const CEMS = '370300CEMS00000000000101';

const base: Registry = registrySchema.parse({
  enterprises: [
    {
      id: 'jinhua',
      name: '金华石化',
      district: '龙城区',
      creditCode: '91211300MA0XXXXX1A',
      industry: { code: 'C2511', name: '原油加工' },
      park: '龙城化工园',
      keyUnit: true,
      grade: 'B',
      contacts: [{ name: '王工', phone: '0421-1234567' }],
      omContractor: '某运维公司',
    },
    { id: 'power', name: '朝阳热电', district: '双塔区' },
  ],
  sources: [
    {
      mn: IN,
      enterpriseId: 'jinhua',
      name: 'RTO进口',
      kind: 'vocs',
      position: 'inlet',
      lat: 41.5,
      lon: 120.4,
      pw: 'PWIN',
      mqttPassword: 'mqtt-in-secret',
    },
    {
      mn: OUT,
      enterpriseId: 'jinhua',
      name: 'RTO出口',
      kind: 'vocs',
      lat: 41.5,
      lon: 120.41,
      inletMn: IN,
      pw: 'PWOUT',
      limits: { a24088: { max: 60 } },
      limitSchedule: [{ factor: 'a24088', from: '2027-01-01', limit: { max: 40 } }],
      stackHeightM: 50,
      treatment: 'RTO',
      bypass: { seal: 'sealed' },
      onboarding: { status: 'accepted', due: { networked: '2027-03-01' } },
    },
    {
      mn: CEMS,
      enterpriseId: 'power',
      name: '1号炉',
      kind: 'cems',
      district: '龙城区',
      lat: 41.6,
      lon: 120.5,
      o2Ref: 6,
      capacity: { value: 130, unit: 't/h' },
      pw: 'PWC',
    },
  ],
  facilities: [
    { id: 'jinhua-rto', enterpriseId: 'jinhua', kind: 'treatment', name: 'RTO', outletMns: [OUT], technology: 'RTO' },
    {
      id: 'jinhua-meter',
      enterpriseId: 'jinhua',
      kind: 'power-meter',
      name: '电表',
      serves: 'jinhua-rto',
      meterNo: 'M-1',
      ratedKw: 200,
    },
  ],
});

const write = (expectVersion: number | null, extra: Partial<{ actor: string; at: number; gradeReasons: Record<string, string> }> = {}) => ({
  expectVersion,
  actor: 'admin',
  at: 1_000,
  defaultGradeReason: 'seed',
  ...extra,
});

describe('RegistryStore on a real SQLite file', () => {
  let dir: string;
  let file: string;
  let opened: Awaited<ReturnType<typeof openRegistryStore>>;
  let store: RegistryStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'o3-registry-'));
    file = join(dir, 'registry.db');
    opened = await openRegistryStore(file);
    store = opened.store;
  });
  afterEach(async () => {
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('migrates a fresh file, is empty, and a second start migrates nothing and keeps the data', async () => {
    expect(opened.migrated).toEqual(['0001-registry']);
    expect(await store.load()).toBeNull();
    expect((await store.save(null, base, write(null))).version).toBe(1);
    await opened.close();
    opened = await openRegistryStore(file);
    store = opened.store;
    expect(opened.migrated).toEqual([]);
    expect(await store.load()).toEqual({ registry: base, version: 1 });
  });

  it('round-trips every field, credentials, nested ones and facilities included, in order', async () => {
    await store.save(null, base, write(null));
    const loaded = await store.load();
    expect(loaded?.registry).toEqual(base);
    expect(JSON.stringify(loaded?.registry)).toBe(JSON.stringify(base)); // same key order: registryDiff compares JSON
    expect(loaded?.registry.sources.map((s) => [s.mn, s.pw, s.mqttPassword])).toEqual([
      [IN, 'PWIN', 'mqtt-in-secret'],
      [OUT, 'PWOUT', undefined],
      [CEMS, 'PWC', undefined],
    ]);
  });

  it('writes only the rows that changed, appends new ones and removes the removed', async () => {
    await store.save(null, base, write(null));
    // Tamper an untouched row behind the store's back: a save that rewrote everything would undo it.
    const raw = new Database(file);
    raw.prepare('UPDATE registry_enterprises SET name = ? WHERE id = ?').run('改过的名字', 'power');
    raw.close();
    const NEW = '370300CEMS00000000000102';
    const next: Registry = registrySchema.parse({
      ...base,
      enterprises: [{ ...base.enterprises[0]!, park: '新园区' }, base.enterprises[1]],
      sources: [...base.sources.filter((s) => s.mn !== CEMS), { ...base.sources[2]!, mn: NEW, name: '2号炉' }],
    });
    const { version, diff } = await store.save(base, next, write(1));
    expect(version).toBe(2);
    expect(diff).toEqual({
      enterprises: { upserted: ['jinhua'], removed: [] },
      sources: { upserted: [NEW], removed: [CEMS] },
      facilities: { upserted: [], removed: [] },
    });
    const loaded = (await store.load())!;
    expect(loaded.version).toBe(2);
    expect(loaded.registry.enterprises.map((e) => [e.id, e.name, e.park])).toEqual([
      ['jinhua', '金华石化', '新园区'],
      ['power', '改过的名字', undefined],
    ]);
    expect(loaded.registry.sources.map((s) => s.mn)).toEqual([IN, OUT, NEW]);
  });

  it('keeps the version when nothing changed', async () => {
    await store.save(null, base, write(null));
    expect(await store.save(base, registrySchema.parse(structuredClone(base)), write(1))).toMatchObject({ version: 1 });
  });

  it('records the grade history: the seed grade, each change with its reason and author, none for other edits', async () => {
    await store.save(null, base, write(null, { at: 100 }));
    const [jinhua, power] = base.enterprises as [Enterprise, Enterprise];
    const regraded = registrySchema.parse({
      ...base,
      enterprises: [
        { ...jinhua, grade: 'A' },
        { ...power, grade: 'C' },
      ],
    });
    await store.save(base, regraded, write(1, { at: 200, actor: 'chen', gradeReasons: { jinhua: '2026年评级复核' } }));
    const [aGraded, cGraded] = regraded.enterprises as [Enterprise, Enterprise];
    const renamed = registrySchema.parse({ ...regraded, enterprises: [{ ...aGraded, name: '新名' }, cGraded] });
    await store.save(regraded, renamed, write(2, { at: 300 }));
    const ungraded = registrySchema.parse({ ...renamed, enterprises: [renamed.enterprises[0], power] });
    await store.save(renamed, ungraded, write(3, { at: 400, gradeReasons: { power: '撤销' } }));
    expect(await store.gradeHistory('jinhua')).toEqual([
      { grade: 'B', from: 100, reason: 'seed', by: 'admin' },
      { grade: 'A', from: 200, reason: '2026年评级复核', by: 'chen' },
    ]);
    expect(await store.gradeHistory('power')).toEqual([
      { grade: 'C', from: 200, reason: 'seed', by: 'chen' },
      { grade: 'ungraded', from: 400, reason: '撤销', by: 'admin' },
    ]);
  });

  it('refuses a save made from another version, and an invalid registry, writing nothing', async () => {
    await store.save(null, base, write(null));
    const next = registrySchema.parse({ ...base, enterprises: [{ ...base.enterprises[0]!, name: 'X' }, base.enterprises[1]] });
    await expect(store.save(base, next, write(7))).rejects.toThrow(RegistryVersionConflict);
    await expect(store.save(null, base, write(null))).rejects.toThrow(RegistryVersionConflict);
    const stray = { ...base.sources[2]!, mn: '370300CEMS00000000000199', enterpriseId: 'nobody' };
    const dangling = { ...base, sources: [...base.sources, stray] };
    await expect(store.save(base, dangling as Registry, write(1))).rejects.toThrow(/unknown enterprise/);
    expect(await store.load()).toEqual({ registry: base, version: 1 });
  });

  it('rolls back a save that fails half-way', async () => {
    await store.save(null, base, write(null));
    const raw = new Database(file);
    raw.exec("CREATE TRIGGER refuse BEFORE INSERT ON registry_grade_history BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
    raw.close();
    const next = registrySchema.parse({ ...base, enterprises: [{ ...base.enterprises[0]!, name: 'Y', grade: 'A' }, base.enterprises[1]] });
    await expect(store.save(base, next, write(1))).rejects.toThrow(/disk says no/);
    expect(await store.load()).toEqual({ registry: base, version: 1 });
  });

  it('names the bad row when the stored registry is invalid', async () => {
    await store.save(null, base, write(null));
    const raw = new Database(file);
    raw.prepare('UPDATE registry_sources SET data = ? WHERE mn = ?').run(JSON.stringify({ name: '1号炉', lat: 200, lon: 120 }), CEMS);
    raw.close();
    await expect(store.load()).rejects.toThrow(/stored registry is invalid \(version 1\): sources\.2\.lat/);
  });
});
