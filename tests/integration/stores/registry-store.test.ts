/**
 * The registry store's contract, on both engines (a SQLite file and a PostgreSQL database):
 * migrations, load/save round trip, changed rows only, grade history, conflicts (also between two
 * writers at the same moment), rollback.
 */
import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registrySchema, type Enterprise, type Registry } from '../../../server/domain/registry';
import type { SqlDatabase } from '../../../server/storage/sql/database';
import { openRegistryStore, RegistryVersionConflict, type RegistryStore } from '../../../server/storage/sql/registry-store';
import type { RegistryTables } from '../../../server/storage/sql/registry-tables';
import { sqlEngines, type FreshDatabase } from '../../helpers/sql-engines';

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

/** Makes every insert into registry_grade_history fail, behind the store's back. */
async function refuseGradeHistory(raw: SqlDatabase<RegistryTables>): Promise<void> {
  const db = raw.db as Kysely<unknown>;
  if (raw.dialect === 'sqlite') {
    await sql`CREATE TRIGGER refuse BEFORE INSERT ON registry_grade_history BEGIN SELECT RAISE(ABORT, 'disk says no'); END`.execute(db);
    return;
  }
  await sql`CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk says no'; END $$`.execute(db);
  await sql`CREATE TRIGGER refuse BEFORE INSERT ON registry_grade_history FOR EACH ROW EXECUTE FUNCTION refuse()`.execute(db);
}

describe.each(sqlEngines())('RegistryStore on $name', (engine) => {
  let fresh: FreshDatabase;
  let file: string;
  let raw: SqlDatabase<RegistryTables>;
  let opened: Awaited<ReturnType<typeof openRegistryStore>>;
  let store: RegistryStore;
  beforeEach(async () => {
    fresh = await engine.create();
    file = fresh.location;
    opened = await openRegistryStore(file);
    store = opened.store;
    raw = fresh.open<RegistryTables>();
  });
  afterEach(async () => {
    await raw.close();
    await opened.close();
    await fresh.remove();
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
    await raw.db.updateTable('registry_enterprises').set({ name: '改过的名字' }).where('id', '=', 'power').execute();
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

  it('lets only one of two writers saving from the same version at the same moment win', async () => {
    await store.save(null, base, write(null));
    const other = await openRegistryStore(file);
    try {
      const edit = (name: string) =>
        registrySchema.parse({ ...base, enterprises: [{ ...base.enterprises[0]!, name }, base.enterprises[1]] });
      const results = await Promise.allSettled([store.save(base, edit('甲'), write(1)), other.store.save(base, edit('乙'), write(1))]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost.map((r) => r.reason)).toEqual([expect.any(RegistryVersionConflict)]);
      const loaded = (await store.load())!;
      expect(loaded.version).toBe(2);
      expect(['甲', '乙']).toContain(loaded.registry.enterprises[0]?.name);
    } finally {
      await other.close();
    }
  });

  it('rolls back a save that fails half-way', async () => {
    await store.save(null, base, write(null));
    await refuseGradeHistory(raw);
    const next = registrySchema.parse({ ...base, enterprises: [{ ...base.enterprises[0]!, name: 'Y', grade: 'A' }, base.enterprises[1]] });
    await expect(store.save(base, next, write(1))).rejects.toThrow(/disk says no/);
    expect(await store.load()).toEqual({ registry: base, version: 1 });
  });

  it('names the bad row when the stored registry is invalid', async () => {
    await store.save(null, base, write(null));
    const data = JSON.stringify({ name: '1号炉', lat: 200, lon: 120 });
    await raw.db.updateTable('registry_sources').set({ data }).where('mn', '=', CEMS).execute();
    await expect(store.load()).rejects.toThrow(/stored registry is invalid \(version 1\): sources\.2\.lat/);
  });
});
