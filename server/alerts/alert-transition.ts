/**
 * How one finding moves the alert of its (source, factor, rule): a pure function, with its truth
 * table in alert-transition.test.ts.
 *
 *   open alert? | finding  | result
 *   no          | exceeded | opened   (count 1, peak = value)
 *   yes         | exceeded | updated  (count + 1, latest value, worst peak, last seen)
 *   yes         | normal   | resolved (unless the finding is older than the alert's last sighting)
 *   no          | normal   | nothing
 */
import type { Alert, Finding } from '../domain/alert';

export type AlertChange =
  | { kind: 'opened'; alert: Omit<Alert, 'id'> }
  | { kind: 'updated' | 'resolved'; alert: Alert }
  | null;

export function transition(open: Alert | undefined, finding: Finding, enterpriseId: string): AlertChange {
  if (finding.type === 'exceeded') {
    if (!open) {
      return {
        kind: 'opened',
        alert: {
          mn: finding.mn,
          enterpriseId,
          factor: finding.factor,
          rule: finding.rule,
          severity: finding.severity,
          state: 'active',
          value: finding.value,
          peak: finding.value,
          limit: finding.limit,
          unit: finding.unit,
          count: 1,
          openedAt: finding.ts,
          lastSeenAt: finding.ts,
          resolvedAt: null,
        },
      };
    }
    const above = finding.value > finding.limit;
    const newer = finding.ts >= open.lastSeenAt;
    return {
      kind: 'updated',
      alert: {
        ...open,
        severity: finding.severity,
        value: newer ? finding.value : open.value,
        peak: above ? Math.max(open.peak, finding.value) : Math.min(open.peak, finding.value),
        limit: finding.limit,
        count: open.count + 1,
        lastSeenAt: Math.max(open.lastSeenAt, finding.ts),
      },
    };
  }
  if (!open || finding.ts < open.lastSeenAt) return null;
  return { kind: 'resolved', alert: { ...open, state: 'resolved', value: finding.value, resolvedAt: finding.ts } };
}
