import type { Alert } from '@domain/alert';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeAlert, makeSource, MN_CEMS, MN_NH3, T0 } from '../testing/fixtures';
import { type AlertFilters, emptyFilters, filterAlerts, useAlertWallStore } from './alert-wall';
import { useAlertsStore } from './alerts';
import { useSourcesStore } from './sources';

const MN_CEMENT = '370300NH3000000000000201';
const sources = new Map([
  [MN_CEMS, makeSource()],
  [MN_NH3, makeSource({ mn: MN_NH3, name: '1号机组SCR出口', kind: 'ammonia' })],
  [MN_CEMENT, makeSource({ mn: MN_CEMENT, name: '窑尾SNCR出口', kind: 'ammonia', enterpriseId: 'zichuan-cement', enterpriseName: '淄川建材水泥有限公司', district: '淄川区' })],
]);
const alerts: Alert[] = [
  makeAlert({ id: 1 }),
  makeAlert({ id: 2, mn: MN_NH3, factor: 'a21001', severity: 'critical', acknowledgedAt: T0, acknowledgedBy: 'officer' }),
  makeAlert({ id: 3, mn: MN_CEMENT, factor: 'a21001', enterpriseId: 'zichuan-cement', state: 'cleared', clearedAt: T0, assignee: 'wang' }),
  makeAlert({ id: 4, state: 'cleared', clearedAt: T0, acknowledgedAt: T0, closedAt: T0, closedBy: 'system' }),
];

describe('filterAlerts', () => {
  // Each row: the filters changed from the defaults → the ids shown.
  it.each<{ name: string; f: Partial<AlertFilters>; ids: number[] }>([
    { name: 'defaults hide closed alerts only', f: {}, ids: [1, 2, 3] },
    { name: 'show closed', f: { showClosed: true }, ids: [1, 2, 3, 4] },
    { name: 'state active', f: { state: 'active' }, ids: [1, 2] },
    { name: 'state cleared (open)', f: { state: 'cleared' }, ids: [3] },
    { name: 'unacknowledged only', f: { onlyUnacknowledged: true }, ids: [1, 3] },
    { name: 'severity critical', f: { severities: ['critical'] }, ids: [2] },
    { name: 'severity critical or major', f: { severities: ['critical', 'major'] }, ids: [1, 2, 3] },
    { name: 'district', f: { district: '淄川区' }, ids: [3] },
    { name: 'source kind', f: { kind: 'ammonia' }, ids: [2, 3] },
    { name: 'enterprise', f: { enterpriseId: 'qilu-power' }, ids: [1, 2] },
    { name: 'text: source name', f: { q: '窑尾' }, ids: [3] },
    { name: 'text: factor name in English, any case', f: { q: 'nox' }, ids: [1] },
    { name: 'text: MN fragment', f: { q: 'nh3000' }, ids: [2, 3] },
    { name: 'text: assignee', f: { q: 'WANG' }, ids: [3] },
    { name: 'text: nothing matches', f: { q: '不存在' }, ids: [] },
    { name: 'filters combine', f: { kind: 'ammonia', onlyUnacknowledged: true }, ids: [3] },
  ])('$name', ({ f, ids }) => {
    expect(filterAlerts(alerts, { ...emptyFilters(), ...f }, sources).map((a) => a.id)).toEqual(ids);
  });

  it('filters 10,000 alerts by text and severity quickly enough for typing', () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      makeAlert({ id: i + 1, mn: i % 3 === 0 ? MN_CEMENT : MN_CEMS, severity: i % 10 === 0 ? 'critical' : 'major' }),
    );
    const start = performance.now();
    const shown = filterAlerts(many, { ...emptyFilters(), q: '窑尾', severities: ['critical'] }, sources);
    const ms = performance.now() - start;
    expect(shown).toHaveLength(many.filter((a) => a.mn === MN_CEMENT && a.severity === 'critical').length);
    expect(ms).toBeLessThan(500); // a generous bound: this is a smoke check, not a benchmark
  });
});

describe('alert wall store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('shows the live alerts through the filters, lists districts and enterprises, resets', () => {
    useSourcesStore().applySnapshot([...sources.values()]);
    useAlertsStore().applySnapshot({ seq: 1, alerts });
    const wall = useAlertWallStore();
    expect(wall.shown.map((a) => a.id)).toEqual([3, 2, 1]);
    expect(wall.districts).toEqual(['临淄区', '淄川区']);
    expect(wall.enterprises.map((e) => e.id)).toEqual(['qilu-power', 'zichuan-cement']);
    wall.filters.severities = ['critical'];
    expect(wall.filtering).toBe(true);
    expect(wall.shown.map((a) => a.id)).toEqual([2]);
    wall.reset();
    expect(wall.filtering).toBe(false);
    expect(wall.shown).toHaveLength(3);
  });
});
