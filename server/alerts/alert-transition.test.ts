import { describe, expect, it } from 'vitest';
import type { Alert, Evidence, Finding, Suppression } from '../domain/alert';
import { act, escalate, transition, type OfficerAction } from './alert-transition';

const NOW = 100_000;
const open: Alert = {
  id: 7,
  mn: 'M',
  enterpriseId: 'e',
  factor: 'a21001',
  rule: 'limit',
  severity: 'major',
  state: 'active',
  value: 9,
  peak: 10,
  limit: 8,
  unit: 'mg/m³',
  count: 3,
  openedAt: 1_000,
  lastSeenAt: 2_000,
  clearedAt: null,
  raisedAt: 1_500,
  acknowledgedAt: null,
  acknowledgedBy: null,
  assignee: null,
  escalatedAt: null,
  closedAt: null,
  closedBy: null,
  suppressed: null,
  evidence: null,
};
const acked: Alert = { ...open, acknowledgedAt: 2_500, acknowledgedBy: 'wang' };
const cleared: Alert = { ...open, state: 'cleared', value: 7, clearedAt: 2_500 };
const closed: Alert = { ...cleared, acknowledgedAt: 2_600, acknowledgedBy: 'wang', closedAt: 2_600, closedBy: 'wang' };
const exceeded = (value: number, ts: number, evidence?: Evidence): Finding => ({
  type: 'exceeded',
  mn: 'M',
  factor: 'a21001',
  rule: 'limit',
  severity: 'major',
  value,
  limit: 8,
  unit: 'mg/m³',
  ts,
  ...(evidence ? { evidence } : {}),
});
const normal = (value: number, ts: number): Finding => ({ type: 'normal', mn: 'M', factor: 'a21001', rule: 'limit', value, ts });

describe('alert transition (a finding against the open alert of its key)', () => {
  it.each<[string, Alert | undefined, Finding, Suppression | null, string | null, Partial<Alert> | null]>([
    [
      'none + exceeded → opened',
      undefined,
      exceeded(8.5, 3_000),
      null,
      'opened',
      { count: 1, peak: 8.5, openedAt: 3_000, raisedAt: NOW, state: 'active', suppressed: null, acknowledgedAt: null, closedAt: null },
    ],
    [
      'none + exceeded inside a silence → opened, suppressed',
      undefined,
      exceeded(8.5, 3_000),
      'silence',
      'opened',
      { suppressed: 'silence' },
    ],
    [
      'none + exceeded with evidence → opened, evidence kept',
      undefined,
      exceeded(8.5, 3_000, { window: 600 }),
      null,
      'opened',
      { evidence: { window: 600 } },
    ],
    ['none + normal → nothing', undefined, normal(7.5, 3_000), null, null, null],
    [
      'active + exceeded → updated, peak kept',
      open,
      exceeded(9.5, 3_000),
      null,
      'updated',
      { count: 4, value: 9.5, peak: 10, lastSeenAt: 3_000, state: 'active' },
    ],
    ['active + higher exceedance → new peak', open, exceeded(12, 3_000), null, 'updated', { peak: 12 }],
    [
      'active + late exceedance → counted, value and last seen kept',
      open,
      exceeded(11, 1_500),
      null,
      'updated',
      { count: 4, value: 9, peak: 11, lastSeenAt: 2_000 },
    ],
    ['acked + exceeded → updated, stays acknowledged', acked, exceeded(9, 3_000), null, 'updated', { acknowledgedBy: 'wang', count: 4 }],
    [
      'cleared + exceeded → reactivated',
      cleared,
      exceeded(9, 3_000),
      null,
      'reactivated',
      { state: 'active', clearedAt: null, count: 4, value: 9 },
    ],
    [
      'cleared + exceeded older than the clear → updated, stays cleared',
      cleared,
      exceeded(9, 2_200),
      null,
      'updated',
      { state: 'cleared', clearedAt: 2_500, count: 4 },
    ],
    [
      'active unacked + normal → cleared, still open',
      open,
      normal(7.5, 3_000),
      null,
      'cleared',
      { state: 'cleared', clearedAt: 3_000, value: 7.5, closedAt: null },
    ],
    [
      'active acked + normal → cleared and closed by system',
      acked,
      normal(7.5, 3_000),
      null,
      'cleared',
      { state: 'cleared', closedAt: NOW, closedBy: 'system' },
    ],
    ['active + late normal → nothing', open, normal(7.5, 1_500), null, null, null],
    ['cleared + normal → nothing', cleared, normal(7, 3_000), null, null, null],
  ])('%s', (_name, current, finding, suppression, kind, fields) => {
    const change = transition(current, finding, { enterpriseId: 'e', now: NOW, suppression: () => suppression });
    expect(change?.kind ?? null).toBe(kind);
    if (fields) expect(change?.alert).toMatchObject(fields);
  });

  it('reports a new peak only when the peak moved', () => {
    const ctx = { enterpriseId: 'e', now: NOW, suppression: () => null };
    expect(transition(open, exceeded(12, 3_000), ctx)).toMatchObject({ newPeak: true });
    expect(transition(open, exceeded(9, 3_000), ctx)).toMatchObject({ newPeak: false });
  });
});

describe('officer actions', () => {
  it.each<[string, Alert, OfficerAction, 'changed' | 'same' | 'closed', Partial<Alert> | null]>([
    [
      'acknowledge active → acknowledged, stays open',
      open,
      { kind: 'acknowledge' },
      'changed',
      { acknowledgedAt: NOW, acknowledgedBy: 'li', closedAt: null },
    ],
    [
      'acknowledge cleared → acknowledged and closed by the officer',
      cleared,
      { kind: 'acknowledge' },
      'changed',
      { acknowledgedBy: 'li', closedAt: NOW, closedBy: 'li' },
    ],
    ['acknowledge acked → unchanged', acked, { kind: 'acknowledge' }, 'same', { acknowledgedBy: 'wang' }],
    ['assign → assignee set', open, { kind: 'assign', assignee: 'zhao' }, 'changed', { assignee: 'zhao' }],
    ['assign the same → unchanged', { ...open, assignee: 'zhao' }, { kind: 'assign', assignee: 'zhao' }, 'same', null],
    ['unassign → null', { ...open, assignee: 'zhao' }, { kind: 'assign', assignee: null }, 'changed', { assignee: null }],
    [
      'resolve active → closed by the officer, condition kept',
      open,
      { kind: 'resolve' },
      'changed',
      { closedAt: NOW, closedBy: 'li', state: 'active' },
    ],
    ['resolve cleared → closed', cleared, { kind: 'resolve' }, 'changed', { closedAt: NOW, closedBy: 'li' }],
    ['silence → suppressed', open, { kind: 'silence' }, 'changed', { suppressed: 'silence' }],
    [
      'silence in maintenance → unchanged',
      { ...open, suppressed: 'maintenance' },
      { kind: 'silence' },
      'same',
      { suppressed: 'maintenance' },
    ],
    ['acknowledge closed → refused', closed, { kind: 'acknowledge' }, 'closed', null],
    ['assign closed → refused', closed, { kind: 'assign', assignee: 'zhao' }, 'closed', null],
    ['resolve closed → refused', closed, { kind: 'resolve' }, 'closed', null],
  ])('%s', (_name, alert, action, outcome, fields) => {
    const r = act(alert, action, 'li', NOW);
    expect(r.ok ? (r.changed ? 'changed' : 'same') : r.reason).toBe(outcome);
    if (fields && r.ok) expect(r.alert).toMatchObject(fields);
  });
});

describe('escalation', () => {
  const AFTER = 15 * 60_000;
  const critical: Alert = { ...open, severity: 'critical', raisedAt: NOW - AFTER };
  it.each<[string, Alert, number, boolean]>([
    ['critical unacked for N minutes → escalated', critical, NOW, true],
    ['critical unacked, cleared → escalated (still wants an officer)', { ...critical, state: 'cleared', clearedAt: 1 }, NOW, true],
    ['one ms short → not yet', critical, NOW - 1, false],
    ['major → never', { ...critical, severity: 'major' }, NOW, false],
    ['acknowledged → no', { ...critical, acknowledgedAt: 1, acknowledgedBy: 'li' }, NOW, false],
    ['suppressed → no', { ...critical, suppressed: 'maintenance' }, NOW, false],
    ['already escalated → no', { ...critical, escalatedAt: NOW - 1 }, NOW, false],
    ['closed → no', { ...critical, closedAt: 1, closedBy: 'li' }, NOW, false],
  ])('%s', (_name, alert, now, escalates) => {
    const r = escalate(alert, now, AFTER);
    expect(r !== null).toBe(escalates);
    if (r) expect(r).toMatchObject({ escalatedAt: now, severity: 'critical' });
  });
});
