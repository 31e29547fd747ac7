import { describe, expect, it } from 'vitest';
import { EventBus, type InternalEvents } from '../domain/internal-events';
import { limitsOn, registrySchema, type Registry } from '../domain/registry';
import type { RegistryChanged } from '../domain/registry-view';
import { RegistryHolder } from './registry-holder';

const MN1 = '370300CEMS00000000000101';
const MN2 = '370300CEMS00000000000102';
const base: Registry = registrySchema.parse({
  enterprises: [{ id: 'e1', name: '一厂', district: '双塔区' }],
  sources: [{ mn: MN1, enterpriseId: 'e1', name: '1号炉', kind: 'cems', lat: 41.5, lon: 120.4, pw: 'x' }],
});

function holder(): { h: RegistryHolder; heard: RegistryChanged[] } {
  const bus = new EventBus<InternalEvents>();
  const heard: RegistryChanged[] = [];
  bus.on('registry:changed', (c) => heard.push(c));
  return { h: new RegistryHolder(base, bus, () => 42), heard };
}

describe('RegistryHolder', () => {
  it('replaces the snapshot whole and announces what changed, by id and MN', () => {
    const { h, heard } = holder();
    const before = h.current();
    const next = registrySchema.parse({ ...base, sources: [...base.sources, { ...base.sources[0], mn: MN2, name: '2号炉' }] });
    const change = h.replace(next, 'admin');
    expect(change).toEqual({
      version: 2,
      actor: 'admin',
      at: 42,
      enterprises: { upserted: [], removed: [] },
      sources: { upserted: [MN2], removed: [] },
      facilities: { upserted: [], removed: [] },
    });
    expect(heard).toEqual([change]);
    expect(before.sources).toHaveLength(1); // the old snapshot is untouched
    expect(h.current().sources.map((s) => s.mn)).toEqual([MN1, MN2]);
    expect(Object.isFrozen(h.current())).toBe(true);
  });

  it('reports removals and ignores a replacement that changes nothing', () => {
    const { h, heard } = holder();
    expect(h.replace(structuredClone(base), 'admin')).toBeNull();
    expect(heard).toEqual([]);
    const renamed = { ...base, enterprises: [{ ...base.enterprises[0]!, name: '一厂（新）' }] };
    expect(h.replace(renamed, 'admin')?.enterprises).toEqual({ upserted: ['e1'], removed: [] });
    expect(h.version()).toBe(2);
  });

  it('refuses an invalid registry and keeps the current one', () => {
    const { h, heard } = holder();
    const bad = { ...base, sources: [{ ...base.sources[0]!, enterpriseId: 'nobody' }] };
    expect(() => h.replace(bad, 'admin')).toThrow(/unknown enterprise/);
    expect(h.current()).toBe(h.current());
    expect(h.current().sources[0]!.enterpriseId).toBe('e1');
    expect(heard).toEqual([]);
  });
});

describe('registry model', () => {
  it('checks facilities: enterprise, outlets of the same enterprise, what they serve', () => {
    const reg = {
      ...base,
      enterprises: [...base.enterprises, { id: 'e2', name: '二厂', district: '龙城区' }],
      facilities: [
        { id: 'line-1', enterpriseId: 'e1', kind: 'production-line', name: '1号线' },
        { id: 'scr-1', enterpriseId: 'e1', kind: 'treatment', name: 'SCR', serves: 'line-1', outletMns: [MN1] },
        { id: 'meter-x', enterpriseId: 'e2', kind: 'power-meter', name: '电表', serves: 'line-1', outletMns: [MN1] },
        { id: 'line-1', enterpriseId: 'nobody', kind: 'production-line', name: '重复' },
      ],
    };
    const issues = registrySchema.safeParse(reg).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues).toEqual([
      'facilities.3.id: duplicate facility "line-1"',
      'facilities.3.enterpriseId: unknown enterprise "nobody"',
      'facilities.2.outletMns.0: source "370300CEMS00000000000101" belongs to enterprise "e1"',
      'facilities.2.serves: facility "line-1" is not another facility of the same enterprise',
    ]);
  });

  it('refuses a duplicate enterprise id and a bad credit code', () => {
    const dup = { ...base, enterprises: [...base.enterprises, { id: 'e1', name: '又一厂', district: '双塔区' }] };
    expect(registrySchema.safeParse(dup).error?.issues[0]?.message).toBe('duplicate enterprise "e1"');
    const code = { ...base, enterprises: [{ ...base.enterprises[0]!, creditCode: '91211300MA0XXXXXXO' }] };
    expect(registrySchema.safeParse(code).success).toBe(false);
    const ok = { ...base, enterprises: [{ ...base.enterprises[0]!, creditCode: '91211300MA0U5XKE3L' }] };
    expect(registrySchema.safeParse(ok).success).toBe(true);
  });

  it('applies a dated limit only on the days it is in force', () => {
    const source = {
      limits: { a21002: { max: 100, o2Converted: true, severity: 'major' as const } },
      limitSchedule: [{ factor: 'a21002', from: '2027-01-01', limit: { max: 50, o2Converted: true, severity: 'major' as const } }],
    };
    expect(limitsOn(source, '2026-12-31').a21002?.max).toBe(100);
    expect(limitsOn(source, '2027-01-01').a21002?.max).toBe(50);
    expect(limitsOn({ limits: {} }, '2027-01-01')).toEqual({});
  });
});
