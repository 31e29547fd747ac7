/** Builders for unit tests: a valid object with overrides. */
import type { Alert } from '@domain/alert';
import type { LatestValues, SourceView } from '@domain/events';

export const MN_CEMS = '370300CEMS00000000000101';
export const MN_NH3 = '370300NH3000000000000101';
export const T0 = Date.UTC(2026, 6, 1, 2, 0, 0);

export function makeAlert(over: Partial<Alert> = {}): Alert {
  return {
    id: 1,
    mn: MN_CEMS,
    enterpriseId: 'qilu-power',
    factor: 'a21002',
    rule: 'limit',
    severity: 'major',
    state: 'active',
    value: 62.4,
    peak: 62.4,
    limit: 50,
    unit: 'mg/m³',
    count: 1,
    openedAt: T0,
    lastSeenAt: T0,
    clearedAt: null,
    raisedAt: T0,
    acknowledgedAt: null,
    acknowledgedBy: null,
    assignee: null,
    escalatedAt: null,
    closedAt: null,
    closedBy: null,
    suppressed: null,
    evidence: null,
    ...over,
  };
}

export function makeLatest(over: Partial<LatestValues> = {}): LatestValues {
  return { mn: MN_CEMS, cn: '2011', ts: T0, factors: { a21002: { rtd: 41.2, flag: 'N' } }, ...over };
}

export function makeSource(over: Partial<SourceView> = {}): SourceView {
  return {
    mn: MN_CEMS,
    name: '1号机组烟囱',
    kind: 'cems',
    enterpriseId: 'qilu-power',
    enterpriseName: '齐鲁示范热电有限公司',
    district: '临淄区',
    lat: 36.827,
    lon: 118.305,
    status: 'normal',
    latest: null,
    ...over,
  };
}
