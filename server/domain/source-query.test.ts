import { describe, expect, it } from 'vitest';
import type { SourceView } from './events';
import { querySources, type SourceQuery } from './source-query';

const view = (mn: string, over: Partial<SourceView>): SourceView => ({
  mn,
  name: `${mn} 排口`,
  kind: 'cems',
  enterpriseId: 'e1',
  enterpriseName: '华能电厂',
  district: '张店区',
  lat: 36.8,
  lon: 118.0,
  status: 'normal',
  latest: null,
  ...over,
});

const VIEWS = [
  view('A1', {}),
  view('A2', { status: 'exceeding', kind: 'ammonia' }),
  view('B1', { enterpriseId: 'e2', enterpriseName: '金华石化', district: '临淄区', status: 'offline' }),
  view('B2', { enterpriseId: 'e2', enterpriseName: '金华石化', district: '临淄区', kind: 'vocs', name: '罐区 VOCs' }),
];

describe('the source list filtered and paged on the server', () => {
  it.each<[string, Omit<SourceQuery, 'offset'> & { offset?: number }, string[], number]>([
    ['no query: the whole list', {}, ['A1', 'A2', 'B1', 'B2'], 4],
    ['one page', { limit: 2 }, ['A1', 'A2'], 4],
    ['the next page', { limit: 2, offset: 2 }, ['B1', 'B2'], 4],
    ['past the end', { limit: 2, offset: 10 }, [], 4],
    ['offset without limit: the rest', { offset: 3 }, ['B2'], 4],
    ['one status', { status: ['exceeding'] }, ['A2'], 1],
    ['two statuses', { status: ['exceeding', 'offline'] }, ['A2', 'B1'], 2],
    ['a kind', { kind: ['vocs'] }, ['B2'], 1],
    ['an enterprise', { enterpriseId: 'e2' }, ['B1', 'B2'], 2],
    ['a district', { district: '张店区' }, ['A1', 'A2'], 2],
    ['text in the MN (any case)', { q: 'b1' }, ['B1'], 1],
    ['text in the name', { q: 'vocs' }, ['B2'], 1],
    ['text in the enterprise name', { q: '金华' }, ['B1', 'B2'], 2],
    ['filters combine, total before paging', { enterpriseId: 'e2', limit: 1 }, ['B1'], 2],
    ['nothing matches', { status: ['nodata'] }, [], 0],
    ['some MNs (the cards in view), an unknown one ignored', { mn: ['B2', 'A1', 'Z9'] }, ['A1', 'B2'], 2],
    ['MNs and a filter', { mn: ['A1', 'B1'], enterpriseId: 'e2' }, ['B1'], 1],
  ])('%s', (_, query, mns, total) => {
    const page = querySources(VIEWS, { offset: 0, ...query });
    expect(page.items.map((s) => s.mn)).toEqual(mns);
    expect(page.total).toBe(total);
  });
});
