import { describe, expect, it } from 'vitest';
import { EventBus } from '../domain/internal-events';
import { registrySchema, type Registry } from '../domain/registry';
import { RegistryHolder } from '../registry/registry-holder';
import { SourceDirectory } from './source-directory';
import { SourceViewCache } from './source-view-cache';

const A = 'A0000000000000000000000A';
const B = 'B0000000000000000000000B';
const source = (mn: string, enterpriseId: string) => ({ mn, enterpriseId, name: mn, kind: 'cems' as const, lat: 36, lon: 118, pw: 'pw' });
const registry = (...sources: ReturnType<typeof source>[]): Registry =>
  registrySchema.parse({
    enterprises: [
      { id: 'e1', name: '一号', district: '张店区' },
      { id: 'e2', name: '二号', district: '临淄区' },
    ],
    sources,
  });
const lv = (mn: string, ts: number) => ({ mn, cn: '2011' as const, ts, factors: { a21002: { rtd: 1, flag: 'N' as const } } });

function setup() {
  const holder = new RegistryHolder(registry(source(A, 'e1'), source(B, 'e2')), new EventBus());
  const directory = new SourceDirectory(holder);
  let now = 100_000;
  const cache = new SourceViewCache(
    directory,
    () => holder.version(),
    3,
    () => now,
  );
  return { holder, directory, cache, at: (t: number) => void (now = t) };
}
const all = { all: true } as const;

describe('the source views kept between requests', () => {
  it.each<[string, (s: ReturnType<typeof setup>) => void, string, string]>([
    ['never reported', () => undefined, 'nodata', 'nodata'],
    ['a reading', (s) => s.directory.noteLatest(lv(A, 100_000)), 'normal', 'nodata'],
    [
      'an open active alert',
      (s) => (s.directory.noteLatest(lv(A, 100_000)), s.cache.noteAlert({ id: 1, mn: A, state: 'active', closedAt: null })),
      'exceeding',
      'nodata',
    ],
    [
      'the alert cleared',
      (s) => {
        s.directory.noteLatest(lv(A, 100_000));
        s.cache.noteAlert({ id: 1, mn: A, state: 'active', closedAt: null });
        s.cache.noteAlert({ id: 1, mn: A, state: 'cleared', closedAt: null });
      },
      'normal',
      'nodata',
    ],
    ['time passes past 3 intervals', (s) => (s.directory.noteLatest(lv(A, 100_000)), s.at(100_000 + 90_001)), 'offline', 'nodata'],
  ])('%s → %s', (_, act, statusA, statusB) => {
    const s = setup();
    s.cache.all(); // built before the change: the change must show anyway
    act(s);
    expect(s.cache.all().map((v) => v.status)).toEqual([statusA, statusB]);
    expect(s.cache.statuses(all).map((r) => r.status)).toEqual([statusA, statusB]);
  });

  it('a page’s JSON is the views’; a new reading and a registry change show at once; scope narrows', () => {
    const s = setup();
    s.directory.noteLatest(lv(A, 99_000));
    expect(JSON.parse(s.cache.query(all, { offset: 0 }).json())).toEqual({ items: s.cache.all(), total: 2 });
    s.directory.noteLatest(lv(A, 99_500));
    expect(s.cache.query(all, { offset: 0, limit: 1 }).views[0]?.latest?.ts).toBe(99_500);
    expect(s.cache.query({ all: false, enterpriseId: 'e2' }, { offset: 0 }).views.map((v) => v.mn)).toEqual([B]);
    expect(s.cache.query({ all: false, enterpriseId: 'e2' }, { offset: 0, enterpriseId: 'e1' }).total).toBe(0);
    s.holder.replace(registry(source(B, 'e2')), 'test');
    expect(s.cache.all().map((v) => v.mn)).toEqual([B]);
    expect(s.cache.query(all, { offset: 0, district: '张店区' }).total).toBe(0);
  });

  it('the points: every source in the scope, compact, with its status now; a query by MNs', () => {
    const s = setup();
    s.directory.noteLatest(lv(A, 99_000));
    expect(JSON.parse(s.cache.points(all).json())).toEqual({
      items: [
        [A, 118, 36, 'normal', 'e1'],
        [B, 118, 36, 'nodata', 'e2'],
      ],
      total: 2,
    });
    s.cache.noteAlert({ id: 1, mn: A, state: 'active', closedAt: null });
    expect(JSON.parse(s.cache.points({ all: false, enterpriseId: 'e1' }).json())).toEqual({
      items: [[A, 118, 36, 'exceeding', 'e1']],
      total: 1,
    });
    expect(s.cache.points({ all: false, enterpriseId: 'e3' }).total).toBe(0);
    expect(s.cache.query(all, { offset: 0, mn: [B, B, 'nope'] }).views.map((v) => v.mn)).toEqual([B]);
    expect(s.cache.query({ all: false, enterpriseId: 'e1' }, { offset: 0, mn: [A, B] }).views.map((v) => v.mn)).toEqual([A]);
  });

  it('the points kept between calls follow every status change, time passing and a registry change', () => {
    const s = setup();
    const statuses = (scope: Parameters<typeof s.cache.points>[0] = all) =>
      (JSON.parse(s.cache.points(scope).json()) as { items: [string, number, number, string, string][] }).items.map(
        (p) => `${p[0][0]}:${p[3]}`,
      );
    expect(statuses()).toEqual(['A:nodata', 'B:nodata']);
    expect(statuses()).toEqual(['A:nodata', 'B:nodata']); // kept: nothing moved
    s.directory.noteLatest(lv(A, 100_000));
    expect(statuses()).toEqual(['A:normal', 'B:nodata']);
    s.directory.noteLatest(lv(B, 150_000));
    s.cache.noteAlert({ id: 1, mn: B, state: 'active', closedAt: null });
    expect(statuses()).toEqual(['A:normal', 'B:exceeding']);
    expect(statuses({ all: false, enterpriseId: 'e1' })).toEqual(['A:normal']);
    s.at(100_000 + 90_001);
    expect(statuses()).toEqual(['A:offline', 'B:exceeding']);
    expect(statuses({ all: false, enterpriseId: 'e1' })).toEqual(['A:offline']);
    s.cache.noteAlert({ id: 1, mn: B, state: 'active', closedAt: 190_000 });
    expect(statuses()).toEqual(['A:offline', 'B:normal']);
    s.holder.replace(registry(source(B, 'e2'), source(A, 'e2')), 'test');
    expect(statuses()).toEqual(['B:normal', 'A:offline']);
    expect(statuses({ all: false, enterpriseId: 'e1' })).toEqual([]);
  });
});
