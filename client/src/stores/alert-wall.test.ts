import type { Alert } from '@domain/alert';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeAlert, makeSource, MN_CEMS, MN_NH3, T0 } from '../testing/fixtures';
import { type AlertFilters, emptyFilters, filterAlerts, filtersFromQuery, filtersToQuery, useAlertWallStore } from './alert-wall';
import { useAlertsStore } from './alerts';
import { useSourcesStore } from './sources';

const MN_CEMENT = '370300NH3000000000000201';
const sources = new Map([
  [MN_CEMS, makeSource()],
  [MN_NH3, makeSource({ mn: MN_NH3, name: '1号机组SCR出口', kind: 'ammonia' })],
  [
    MN_CEMENT,
    makeSource({
      mn: MN_CEMENT,
      name: '窑尾SNCR出口',
      kind: 'ammonia',
      enterpriseId: 'zichuan-cement',
      enterpriseName: '淄川建材水泥有限公司',
      district: '淄川区',
      site: { ownerDepartment: 'housing' },
    }),
  ],
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
    { name: 'owner department', f: { department: 'housing' }, ids: [3] },
    { name: 'owner department no source has', f: { department: 'water' }, ids: [] },
    { name: 'enterprise', f: { enterpriseId: 'qilu-power' }, ids: [1, 2] },
    { name: 'text: source name', f: { q: '窑尾' }, ids: [3] },
    { name: 'text: factor name in English, any case', f: { q: 'nox' }, ids: [1] },
    { name: 'text: MN fragment', f: { q: 'nh3000' }, ids: [2, 3] },
    { name: 'text: assignee', f: { q: 'WANG' }, ids: [3] },
    { name: 'text: nothing matches', f: { q: '不存在' }, ids: [] },
    { name: 'filters combine', f: { kind: 'ammonia', onlyUnacknowledged: true }, ids: [3] },
    { name: 'assigned to me (wang)', f: { assignedToMe: true }, ids: [3] },
  ])('$name', ({ f, ids }) => {
    expect(filterAlerts(alerts, { ...emptyFilters(), ...f }, sources, 'wang').map((a) => a.id)).toEqual(ids);
  });

  it('"assigned to me" without a signed-in user shows nothing rather than everything', () => {
    expect(filterAlerts(alerts, { ...emptyFilters(), assignedToMe: true }, sources, null)).toEqual([]);
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
    expect(wall.shown.map((a) => a.id)).toEqual([2, 3, 1]);
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

describe('the wall order', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('open before closed, then severity, then unacknowledged, then newest: an active warning is above ten cleared infos', () => {
    const infos = Array.from({ length: 10 }, (_, i) =>
      makeAlert({
        id: 10 + i,
        severity: 'info',
        state: 'cleared',
        openedAt: T0 + 5_000 + i,
        clearedAt: T0 + 9_000,
        acknowledgedAt: T0,
        closedAt: T0 + 9_000,
      }),
    );
    const rows = [
      ...infos,
      makeAlert({ id: 1, severity: 'warning', openedAt: T0 }),
      makeAlert({ id: 2, severity: 'critical', openedAt: T0 - 1_000, acknowledgedAt: T0 }),
      makeAlert({ id: 3, severity: 'critical', openedAt: T0 - 2_000 }),
      makeAlert({ id: 4, severity: 'info', openedAt: T0 + 8_000 }),
      makeAlert({ id: 5, severity: 'warning', openedAt: T0 + 1_000, state: 'cleared', clearedAt: T0 + 2_000 }),
    ];
    useAlertsStore().applySnapshot({ seq: 1, alerts: rows });
    const wall = useAlertWallStore();
    wall.filters.showClosed = true;
    expect(wall.shown.map((a) => a.id)).toEqual([3, 2, 5, 1, 4, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10]);
  });
});

describe('filters in the query string', () => {
  it.each<{ name: string; f: Partial<AlertFilters>; query: Record<string, string> }>([
    { name: 'defaults: no query at all', f: {}, query: {} },
    { name: 'text', f: { q: '窑尾' }, query: { q: '窑尾' } },
    { name: 'severities', f: { severities: ['critical', 'major'] }, query: { severity: 'critical,major' } },
    {
      name: 'everything',
      f: {
        district: '淄川区',
        kind: 'ammonia',
        department: 'housing',
        enterpriseId: 'zichuan-cement',
        state: 'active',
        showClosed: true,
        onlyUnacknowledged: true,
        assignedToMe: true,
      },
      query: {
        district: '淄川区',
        kind: 'ammonia',
        department: 'housing',
        enterprise: 'zichuan-cement',
        state: 'active',
        closed: '1',
        unacked: '1',
        mine: '1',
      },
    },
  ])('$name round-trips', ({ f, query }) => {
    const filters = { ...emptyFilters(), ...f };
    expect(filtersToQuery(filters)).toEqual(query);
    expect(filtersFromQuery(query)).toEqual(filters);
  });

  it('a hand-edited query keeps what parses and drops the rest', () => {
    const edited = {
      severity: 'critical,bogus,critical',
      kind: 'rocket',
      department: 'police',
      state: 'exploded',
      closed: 'yes',
      q: ['a', 'b'],
      mine: '1',
    };
    expect(filtersFromQuery(edited)).toEqual({
      ...emptyFilters(),
      severities: ['critical'],
      q: 'a',
      assignedToMe: true,
    });
    expect(filtersFromQuery({ q: 'x'.repeat(5_000) }).q).toBe('');
  });
});

describe('selection for bulk acknowledgement', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('only open, unacknowledged rows still shown count as selected', () => {
    useSourcesStore().applySnapshot([...sources.values()]);
    useAlertsStore().applySnapshot({ seq: 1, alerts });
    const wall = useAlertWallStore();
    wall.toggle([1, 2, 3, 4], true);
    expect(wall.selectedShown).toEqual([3, 1]);
    wall.filters.q = '窑尾';
    expect(wall.selectedShown).toEqual([3]);
    wall.toggle([3], false);
    expect(wall.selectedShown).toEqual([]);
    wall.clearSelection();
    expect(wall.selected.size).toBe(0);
  });
});
