import { describe, expect, it } from 'vitest';
import type { Alert } from '../domain/alert';
import { SNAPSHOT_ALERTS_MAX, snapshotAlerts } from './realtime-module';

describe('snapshotAlerts', () => {
  it('up to the cap: every open alert and the recently closed', () => {
    const open = [alert(1, 'major'), alert(2, 'critical')];
    const recent = [{ ...alert(3, 'info'), closedAt: 5 }];
    expect(snapshotAlerts([...open], recent)).toEqual({ alerts: [...open, ...recent] });
  });

  it('past the cap: the first open ones in the wall’s order (most severe first), the count, no closed ones', () => {
    const open = Array.from({ length: SNAPSHOT_ALERTS_MAX + 20 }, (_, i) => alert(i + 1, i % 50 === 0 ? 'critical' : 'warning'));
    const s = snapshotAlerts([...open], [{ ...alert(9999, 'info'), closedAt: 5 }]);
    expect(s.alertsPaged).toBe(true);
    expect(s.openAlerts).toBe(open.length);
    expect(s.alerts).toHaveLength(SNAPSHOT_ALERTS_MAX);
    const criticals = open.filter((a) => a.severity === 'critical').length;
    expect(s.alerts.slice(0, criticals).every((a) => a.severity === 'critical')).toBe(true);
    expect(s.alerts.some((a) => a.closedAt !== null)).toBe(false);
  });
});

function alert(id: number, severity: Alert['severity']): Alert {
  const at = 1_000 + id;
  return {
    id,
    mn: 'M1',
    enterpriseId: 'e1',
    factor: 'a21001',
    rule: 'limit',
    severity,
    state: 'active',
    value: 9,
    peak: 9,
    limit: 8,
    unit: 'mg/m³',
    count: 1,
    openedAt: at,
    lastSeenAt: at,
    clearedAt: null,
    raisedAt: at,
    acknowledgedAt: null,
    acknowledgedBy: null,
    assignee: null,
    escalatedAt: null,
    closedAt: null,
    closedBy: null,
    suppressed: null,
    evidence: null,
  };
}
