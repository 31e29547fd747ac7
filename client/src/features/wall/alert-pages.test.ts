import type { Alert } from '@domain/alert';
import { describe, expect, it } from 'vitest';
import { emptyFilters, type AlertFilters } from '../../stores/alert-filters';
import { makeAlert, T0 } from '../../testing/fixtures';
import { ACTIVE_COUNT, countKey, type LoadedRows, nextOffset, OPEN_COUNT, openFirstPage, pageQuery, patchRows } from './alert-pages';

describe('pageQuery: the wall’s filters as the server’s query', () => {
  it.each<{ name: string; f: Partial<AlertFilters>; me?: string | null; query: string }>([
    { name: 'defaults: open alerts in the wall’s order', f: {}, query: 'sort=attention&limit=200&offset=0&open=true' },
    { name: 'closed shown too', f: { showClosed: true }, query: 'sort=attention&limit=200&offset=0' },
    { name: 'state', f: { state: 'cleared' }, query: 'sort=attention&limit=200&offset=0&open=true&state=cleared' },
    { name: 'unacknowledged', f: { onlyUnacknowledged: true }, query: 'sort=attention&limit=200&offset=0&open=true&acknowledged=false' },
    { name: 'assigned to me', f: { assignedToMe: true }, me: 'wang', query: 'sort=attention&limit=200&offset=0&open=true&assignee=wang' },
    {
      name: 'assigned to me, nobody signed in',
      f: { assignedToMe: true },
      me: null,
      query: 'sort=attention&limit=200&offset=0&open=true&assignee=-',
    },
    {
      name: 'severities, enterprise, source facts, trimmed text',
      f: { severities: ['critical', 'major'], enterpriseId: 'e1', district: '淄川区', kind: 'ammonia', department: 'housing', q: ' 窑尾 ' },
      query:
        'sort=attention&limit=200&offset=0&open=true&severity=critical%2Cmajor&enterpriseId=e1&district=%E6%B7%84%E5%B7%9D%E5%8C%BA&kind=ammonia&department=housing&q=%E7%AA%91%E5%B0%BE',
    },
    { name: 'blank text is no filter', f: { q: '   ' }, query: 'sort=attention&limit=200&offset=0&open=true' },
  ])('$name', ({ f, me, query }) => {
    expect(pageQuery({ ...emptyFilters(), ...f }, me ?? null, 0).toString()).toBe(query);
  });

  it('pages by offset and limit', () => {
    expect(pageQuery(emptyFilters(), null, 400, 1).toString()).toBe('sort=attention&limit=1&offset=400&open=true');
  });

  it('the first open page (the dashboard’s first REST load) is the unfiltered wall’s first page', () => {
    expect(openFirstPage().toString()).toBe('sort=attention&limit=200&offset=0&open=true');
  });
});

describe('countKey: queries with one total', () => {
  it.each<{ name: string; a: URLSearchParams; b: URLSearchParams; same: boolean }>([
    { name: 'the unfiltered page counts the open alerts', a: openFirstPage(), b: OPEN_COUNT, same: true },
    {
      name: 'a page of active alerts counts the active ones',
      a: pageQuery({ ...emptyFilters(), state: 'active' }, null, 200),
      b: ACTIVE_COUNT,
      same: true,
    },
    { name: 'open and active differ', a: OPEN_COUNT, b: ACTIVE_COUNT, same: false },
    { name: 'a filter differs', a: pageQuery({ ...emptyFilters(), severities: ['critical'] }, null, 0), b: OPEN_COUNT, same: false },
  ])('$name', ({ a, b, same }) => {
    expect(countKey(a) === countKey(b)).toBe(same);
  });
});

// The wall's order: open first, most severe, unacknowledged, newest.
const crit = (id: number, at = T0) => makeAlert({ id, severity: 'critical', openedAt: at });
const major = (id: number, at = T0) => makeAlert({ id, severity: 'major', openedAt: at });
const ids = (l: LoadedRows) => ({ ids: l.rows.map((a) => a.id), total: l.total });

describe('patchRows: a live change applied to the rows loaded', () => {
  const rows = [crit(1, T0 + 3), crit(2, T0 + 2), major(3, T0 + 1)];
  it.each<{ name: string; loaded: LoadedRows; alert: Alert; matches: boolean; want: { ids: number[]; total: number } }>([
    {
      name: 'a loaded row changed and still matches: replaced where it ranks',
      loaded: { rows, total: 10 },
      alert: { ...crit(2, T0 + 2), acknowledgedAt: T0 + 9 },
      matches: true,
      want: { ids: [1, 2, 3], total: 10 },
    },
    {
      name: 'a loaded row no longer matches (closed): leaves, one fewer',
      loaded: { rows, total: 10 },
      alert: { ...crit(1, T0 + 3), closedAt: T0 + 9 },
      matches: false,
      want: { ids: [2, 3], total: 9 },
    },
    {
      name: 'a new alert ranking among the loaded rows: comes in there, one more',
      loaded: { rows, total: 10 },
      alert: crit(9, T0 + 5),
      matches: true,
      want: { ids: [9, 1, 2, 3], total: 11 },
    },
    {
      name: 'a new alert ranking after the last loaded row while more wait: counted, not shown yet',
      loaded: { rows, total: 10 },
      alert: makeAlert({ id: 9, severity: 'info' }),
      matches: true,
      want: { ids: [1, 2, 3], total: 11 },
    },
    {
      name: 'a new alert ranking last with every row loaded: comes in last',
      loaded: { rows, total: 3 },
      alert: makeAlert({ id: 9, severity: 'info' }),
      matches: true,
      want: { ids: [1, 2, 3, 9], total: 4 },
    },
    {
      name: 'a change to an alert that does not match and is not loaded: nothing',
      loaded: { rows, total: 10 },
      alert: crit(9),
      matches: false,
      want: { ids: [1, 2, 3], total: 10 },
    },
    {
      name: 'a loaded row whose rank dropped (acknowledged) moves down among the loaded ones',
      loaded: { rows: [crit(1, T0 + 3), crit(2, T0 + 2), crit(4, T0 + 1)], total: 3 },
      alert: { ...crit(1, T0 + 3), acknowledgedAt: T0 + 9 },
      matches: true,
      want: { ids: [2, 4, 1], total: 3 },
    },
  ])('$name', ({ loaded, alert, matches, want }) => {
    expect(ids(patchRows(loaded, alert, matches))).toEqual(want);
  });
});

describe('nextOffset: the page a scrolled list needs', () => {
  const loaded = { rows: [crit(1), crit(2)], total: 5 };
  it.each<{ name: string; loaded: LoadedRows; end: number; want: number | null }>([
    { name: 'rows in view are loaded', loaded, end: 2, want: null },
    { name: 'rows in view beyond the loaded ones', loaded, end: 4, want: 2 },
    { name: 'everything loaded', loaded: { rows: loaded.rows, total: 2 }, end: 9, want: null },
  ])('$name', ({ loaded: l, end, want }) => expect(nextOffset(l, end)).toBe(want));
});
