import { describe, expect, it } from 'vitest';
import type { Scope } from '../domain/access';
import { ONBOARDING_STATES, type Enterprise, type Registry, type Source } from '../domain/registry';
import { sourceListQuerySchema, type SourceListItem, type SourceListParams } from '../domain/source-list';
import { listSources } from './source-list-index';

/** Five kinds in turn: 4,000 sources of each. */
const KINDS: readonly Source['kind'][] = ['cems', 'vocs', 'ammonia', 'vapour', 'ambient'];

const DISTRICTS = ['双塔区', '龙城区', '北票市', '凌源市', '朝阳县', '建平县', '喀左县'];
const ALL: Scope = { all: true };
const q = (p: SourceListParams = {}) => sourceListQuerySchema.parse(p);

/** 5,000 enterprises with 4 sources each: 20,000 sources, every kind, district and onboarding state. */
function generated(): Registry {
  const enterprises: Enterprise[] = Array.from({ length: 5000 }, (_, i) => ({
    id: `ent-${i}`,
    name: `${['朝阳', '凌源', '北票'][i % 3]}示范企业${i}号`,
    district: DISTRICTS[i % DISTRICTS.length] as string,
  }));
  const permit: Source['limits'] = { a21026: { max: 35, o2Converted: true, severity: 'major' } };
  const sources: Source[] = Array.from({ length: 20_000 }, (_, n): Source => {
    const e = Math.floor(n / 4);
    const status = n % 7 < 4 ? ONBOARDING_STATES[n % 7] : undefined;
    return {
      mn: `211300SRC${String(n).padStart(15, '0')}`,
      enterpriseId: `ent-${e}`,
      name: `${n % 2 ? '排口' : '烟囱'}${n}`,
      kind: KINDS[n % KINDS.length] as Source['kind'],
      lat: 41.5,
      lon: 120.4,
      position: 'outlet',
      intervalS: 30,
      limits: n % 3 === 0 ? permit : {},
      ...(n % 11 === 0 ? { district: '龙城区' } : {}),
      ...(status ? { onboarding: { status } } : {}),
      pw: `PW${n}`,
      mqttPassword: `mqtt-password-${n}`,
    };
  });
  return { enterprises, sources, facilities: [] };
}

const reg = generated();
const districtOf = (s: Source) => s.district ?? DISTRICTS[Number(s.enterpriseId.slice(4)) % DISTRICTS.length];

/** Every page of a query, joined. */
function allPages(params: SourceListParams, scope: Scope = ALL): { items: SourceListItem[]; totals: number[] } {
  const items: SourceListItem[] = [];
  const totals: number[] = [];
  for (let page = 1; ; page++) {
    const answer = listSources(reg, q({ ...params, page, pageSize: 500 }), scope);
    items.push(...answer.items);
    totals.push(answer.total);
    if (answer.items.length < 500) return { items, totals };
  }
}

describe('the source list over a 20,000-source registry', () => {
  it('pages through every source in registry order, joined, without credentials', () => {
    const first = listSources(reg, q(), ALL);
    expect(first.items[1]).toMatchObject({ districtName: '双塔区', limitsCount: 0, onboardingState: 'installed' });
    expect(first).toMatchObject({ total: 20_000, page: 1, pageSize: 50 });
    expect(first.items).toHaveLength(50);
    expect(first.items[0]).toMatchObject({
      mn: '211300SRC000000000000000',
      enterpriseName: '朝阳示范企业0号',
      districtName: '龙城区', // its own, not its enterprise's
      limitsCount: 1,
      onboardingState: 'obligated',
    });
    const { items, totals } = allPages({});
    expect(items.map((i) => i.mn)).toEqual(reg.sources.map((s) => s.mn));
    expect(new Set(totals)).toEqual(new Set([20_000]));
    expect(JSON.stringify(items.slice(0, 100))).not.toMatch(/"pw"|mqttPassword/);
    const last = listSources(reg, q({ page: 40, pageSize: 500 }), ALL);
    expect(last.items.map((i) => i.mn)).toEqual(reg.sources.slice(19_500).map((s) => s.mn));
    expect(listSources(reg, q({ page: 41, pageSize: 500 }), ALL)).toMatchObject({ items: [], total: 20_000 });
  });

  it.each([
    { filter: { kind: 'vocs' }, keep: (s: Source) => s.kind === 'vocs' },
    { filter: { district: '龙城区' }, keep: (s: Source) => districtOf(s) === '龙城区' },
    { filter: { enterpriseId: 'ent-4321' }, keep: (s: Source) => s.enterpriseId === 'ent-4321' },
    { filter: { onboarding: 'networked' }, keep: (s: Source) => (s.onboarding?.status ?? 'networked') === 'networked' },
    { filter: { q: '烟囱1234' }, keep: (s: Source) => s.name.includes('烟囱1234') },
    { filter: { q: 'src00000000000199' }, keep: (s: Source) => s.mn.includes('SRC00000000000199') },
    { filter: { q: '朝阳示范企业12号' }, keep: (s: Source) => s.enterpriseId === 'ent-12' },
    {
      filter: { kind: 'cems', district: '双塔区', onboarding: 'installed' },
      keep: (s: Source) => s.kind === 'cems' && districtOf(s) === '双塔区' && s.onboarding?.status === 'installed',
    },
  ] as { filter: SourceListParams; keep: (s: Source) => boolean }[])('filters $filter like a scan of the registry', ({ filter, keep }) => {
    const expected = reg.sources.filter(keep).map((s) => s.mn);
    expect(expected.length).toBeGreaterThan(0);
    const { items, totals } = allPages(filter);
    expect(items.map((i) => i.mn)).toEqual(expected);
    expect(new Set(totals)).toEqual(new Set([expected.length]));
  });

  it.each(['name', 'mn', 'enterprise', 'kind', 'district', 'onboarding', 'limits'] as const)('sorts by %s both ways', (sort) => {
    const asc = allPages({ sort, order: 'asc', kind: 'ammonia' }).items;
    const desc = allPages({ sort, order: 'desc', kind: 'ammonia' }).items;
    expect(asc).toHaveLength(4000);
    const key = (i: SourceListItem) =>
      ({
        name: i.name,
        mn: i.mn,
        enterprise: i.enterpriseName,
        kind: i.kind,
        district: i.districtName,
        onboarding: i.onboardingState,
        limits: i.limitsCount,
      })[sort];
    const cmp = (a: SourceListItem, b: SourceListItem) => {
      const [x, y] = [key(a), key(b)];
      return typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'zh-CN', { numeric: true });
    };
    for (let i = 1; i < asc.length; i++) expect(cmp(asc[i - 1] as SourceListItem, asc[i] as SourceListItem)).toBeLessThanOrEqual(0);
    for (let i = 1; i < desc.length; i++) expect(cmp(desc[i - 1] as SourceListItem, desc[i] as SourceListItem)).toBeGreaterThanOrEqual(0);
    expect(new Set(desc.map((i) => i.mn))).toEqual(new Set(asc.map((i) => i.mn)));
  });

  it('sorts names in numeric order (烟囱2 before 烟囱10)', () => {
    const names = listSources(reg, q({ sort: 'name', q: '烟囱', pageSize: 3 }), ALL).items.map((i) => i.name);
    expect(names).toEqual(['烟囱0', '烟囱2', '烟囱4']);
  });

  it('an enterprise scope sees its own sources only, whatever filter it sends', () => {
    const own: Scope = { all: false, enterpriseId: 'ent-7' };
    expect(allPages({}, own).items.map((i) => i.mn)).toEqual(reg.sources.filter((s) => s.enterpriseId === 'ent-7').map((s) => s.mn));
    expect(listSources(reg, q({ enterpriseId: 'ent-8' }), own)).toMatchObject({ items: [], total: 0 });
    expect(listSources(reg, q({ q: '示范企业8号' }), own)).toMatchObject({ items: [], total: 0 });
    expect(listSources(reg, q(), { all: false, enterpriseId: '' })).toMatchObject({ items: [], total: 0 });
  });

  it('a new snapshot is listed as it is, not as the previous one was', () => {
    const firstName = (r: Registry) => listSources(r, q({ sort: 'name', pageSize: 1 }), ALL).items[0]?.name;
    expect(firstName(reg)).toBe('排口1');
    const renamed: Registry = { ...reg, sources: reg.sources.map((s, i) => (i === 0 ? { ...s, name: '阿拉善站' } : s)) };
    expect(firstName(renamed)).toBe('阿拉善站');
    expect(firstName(reg)).toBe('排口1');
  });
});

describe('the source list query', () => {
  it('defaults and coerces the URL’s strings; a blank parameter is none', () => {
    expect(q()).toEqual({ sort: 'registry', order: 'asc', page: 1, pageSize: 50 });
    expect(sourceListQuerySchema.parse({ page: '3', pageSize: '500', kind: '', q: '  炉 ' })).toEqual({
      q: '炉',
      sort: 'registry',
      order: 'asc',
      page: 3,
      pageSize: 500,
    });
  });

  it.each([
    [{ pageSize: '501' }, 'pageSize'],
    [{ pageSize: '0' }, 'pageSize'],
    [{ page: 'two' }, 'page'],
    [{ page: '1.5' }, 'page'],
    [{ kind: 'boiler' }, 'kind'],
    [{ onboarding: 'done' }, 'onboarding'],
    [{ sort: 'lat' }, 'sort'],
    [{ order: 'up' }, 'order'],
    [{ q: 'x'.repeat(101) }, 'q'],
    [{ kind: ['cems', 'vocs'] }, 'kind'],
    [{ tenant: 'ent-1' }, ''],
  ])('refuses %o (at %s)', (params, at) => {
    const r = sourceListQuerySchema.safeParse(params);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual([at]);
  });
});
