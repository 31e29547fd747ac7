/** Rule findings for the alert service's tests: one source (M1), SO2 against a limit of 8 mg/m³. */
import type { Finding } from '../../server/domain/alert';

export const exceeded = (ts: number, value = 9, over: Partial<Extract<Finding, { type: 'exceeded' }>> = {}): Finding => ({
  type: 'exceeded',
  mn: 'M1',
  factor: 'a21001',
  rule: 'limit',
  severity: 'major',
  value,
  limit: 8,
  unit: 'mg/m³',
  ts,
  ...over,
});

export const normal = (ts: number, over: Partial<Finding> = {}): Finding =>
  ({ type: 'normal', mn: 'M1', factor: 'a21001', rule: 'limit', value: 5, ts, ...over }) as Finding;

/** The source's offline finding. */
export const offline = (ts: number): Finding =>
  exceeded(ts, 1, { factor: '*', rule: 'offline', severity: 'warning', limit: 0, unit: 'intervals' });
