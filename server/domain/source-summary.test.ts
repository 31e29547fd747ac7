import { describe, expect, it } from 'vitest';
import type { Alert } from './alert';
import type { SourceView } from './events';
import { summarizeSources } from './source-summary';

type V = Pick<SourceView, 'status' | 'kind' | 'district' | 'enterpriseId'>;
type A = Pick<Alert, 'state' | 'severity' | 'closedAt' | 'acknowledgedAt'>;
const v = (status: V['status'], kind: V['kind'], district: string, enterpriseId: string): V => ({ status, kind, district, enterpriseId });
const a = (state: A['state'], severity: A['severity'], acknowledgedAt: number | null = null, closedAt: number | null = null): A => ({
  state,
  severity,
  acknowledgedAt,
  closedAt,
});
const INDUSTRY: Record<string, { code: string; name: string }> = { e1: { code: 'C3011', name: '水泥制造' } };
const VIEWS = [
  v('normal', 'cems', '张店区', 'e1'),
  v('exceeding', 'ammonia', '张店区', 'e1'),
  v('offline', 'vocs', '临淄区', 'e2'),
  v('nodata', 'cems', '临淄区', 'e2'),
  v('normal', 'cems', '淄川区', 'e2'),
];

describe('the overview figures without the list', () => {
  const s = summarizeSources(VIEWS, (id) => INDUSTRY[id], [
    a('active', 'critical'),
    a('active', 'major', 1),
    a('cleared', 'warning'),
    a('active', 'info', 1, 2), // closed: not open
  ]);

  it.each<[string, unknown, unknown]>([
    ['total', s.total, 5],
    ['by status', s.byStatus, { normal: 2, exceeding: 1, offline: 1, nodata: 1 }],
    ['by kind (every kind named)', [s.byKind.cems, s.byKind.ammonia, s.byKind.vocs, s.byKind.ambient], [3, 1, 1, 0]],
    [
      'districts, most sources first, then by name',
      s.byDistrict.map((d) => [d.district, d.total]),
      [
        ['临淄区', 2],
        ['张店区', 2],
        ['淄川区', 1],
      ],
    ],
    [
      'a district’s statuses',
      s.byDistrict.find((d) => d.district === '临淄区')?.byStatus,
      { normal: 0, exceeding: 0, offline: 1, nodata: 1 },
    ],
    [
      'industries, unrecorded as null',
      s.byIndustry,
      [
        { code: null, name: null, total: 3 },
        { code: 'C3011', name: '水泥制造', total: 2 },
      ],
    ],
    ['open alerts (closed ones left out)', [s.alerts.open, s.alerts.active, s.alerts.unacknowledged], [3, 2, 2]],
    ['by severity', s.alerts.bySeverity, { info: 0, warning: 1, major: 1, critical: 1 }],
  ])('%s', (_, got, want) => expect(got).toEqual(want));
});
