import { describe, expect, it } from 'vitest';
import type { Alert, Finding } from '../domain/alert';
import { transition } from './alert-transition';

const open: Alert = {
  id: 7, mn: 'M', enterpriseId: 'e', factor: 'a21001', rule: 'limit', severity: 'major', state: 'active',
  value: 9, peak: 10, limit: 8, unit: 'mg/m³', count: 3, openedAt: 1_000, lastSeenAt: 2_000, resolvedAt: null,
};
const exceeded = (value: number, ts: number): Finding => ({
  type: 'exceeded', mn: 'M', factor: 'a21001', rule: 'limit', severity: 'major', value, limit: 8, unit: 'mg/m³', ts,
});
const normal = (value: number, ts: number): Finding => ({ type: 'normal', mn: 'M', factor: 'a21001', rule: 'limit', value, ts });

describe('alert transition', () => {
  it.each([
    ['no alert + exceeded → opened', undefined, exceeded(8.5, 3_000), 'opened', { count: 1, peak: 8.5, openedAt: 3_000, state: 'active' }],
    ['open + exceeded → updated, peak kept', open, exceeded(9.5, 3_000), 'updated', { count: 4, value: 9.5, peak: 10, lastSeenAt: 3_000 }],
    ['open + higher exceedance → new peak', open, exceeded(12, 3_000), 'updated', { peak: 12 }],
    ['open + late exceedance → counted, value and last seen kept', open, exceeded(11, 1_500), 'updated', { count: 4, value: 9, peak: 11, lastSeenAt: 2_000 }],
    ['open + normal → resolved', open, normal(7.5, 3_000), 'resolved', { state: 'resolved', resolvedAt: 3_000, value: 7.5 }],
    ['open + late normal → nothing', open, normal(7.5, 1_500), null, null],
    ['no alert + normal → nothing', undefined, normal(7.5, 3_000), null, null],
  ] as const)('%s', (_name, current, finding, kind, fields) => {
    const change = transition(current, finding, 'e');
    expect(change?.kind ?? null).toBe(kind);
    if (fields) expect(change?.alert).toMatchObject(fields);
  });
});
