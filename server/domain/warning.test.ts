import { describe, expect, it } from 'vitest';
import {
  compareWarnings,
  levelChange,
  WARNING_ACTIONS,
  WARNING_STATUSES,
  warningForEnterprise,
  warningTransition,
  type Warning,
  type WarningAction,
  type WarningStatus,
} from './warning';
import { changeWarningSchema, issueWarningSchema } from './warning-schema';

/** The lifecycle's truth table (the spec): status × action → next status, or refused (null). */
const EXPECTED: Record<WarningStatus, Record<WarningAction, WarningStatus | null>> = {
  issued: { start: 'in_force', change: 'issued', lift: null, cancel: 'cancelled' },
  in_force: { start: null, change: 'in_force', lift: 'lifted', cancel: 'cancelled' },
  lifted: { start: null, change: null, lift: null, cancel: null },
  cancelled: { start: null, change: null, lift: null, cancel: null },
};

describe('warning transitions', () => {
  const cases = WARNING_STATUSES.flatMap((s) => WARNING_ACTIONS.map((a) => [s, a, EXPECTED[s][a]] as const));
  it.each(cases)('%s · %s → %s', (status, action, next) => {
    const r = warningTransition(status, action);
    if (next === null) expect(r).toMatchObject({ ok: false, reason: expect.stringContaining('cannot be') });
    else expect(r).toEqual({ ok: true, status: next });
  });

  it.each([
    ['yellow', 'orange', 'upgraded'],
    ['yellow', 'red', 'upgraded'],
    ['red', 'orange', 'downgraded'],
    ['orange', 'orange', null],
  ] as const)('%s → %s is %s', (from, to, change) => expect(levelChange(from, to)).toBe(change));
});

const warning = (over: Partial<Warning>): Warning => ({
  id: 1,
  kind: 'heavy_pollution',
  level: 'yellow',
  basis: 'city_notice',
  districts: ['双塔区'],
  issuedBy: 'ozone',
  issuedAt: 1000,
  startAt: 1000,
  plannedLiftAt: null,
  liftedAt: null,
  liftedBy: null,
  status: 'in_force',
  note: '内部说明',
  history: [{ at: 1000, by: 'ozone', event: 'issued', fromLevel: null, toLevel: 'yellow', note: '内部说明' }],
  version: 1,
  ...over,
});

describe('warning list order and the enterprise view', () => {
  it('lists in force first, then issued, then closed; higher level, then newest first', () => {
    const ws = [
      warning({ id: 1, status: 'lifted', level: 'red' }),
      warning({ id: 2, status: 'issued', level: 'red' }),
      warning({ id: 3, status: 'in_force', level: 'yellow', issuedAt: 5000 }),
      warning({ id: 4, status: 'in_force', level: 'orange' }),
      warning({ id: 5, status: 'in_force', level: 'yellow', issuedAt: 2000 }),
      warning({ id: 6, status: 'cancelled' }),
    ];
    expect([...ws].sort(compareWarnings).map((w) => w.id)).toEqual([4, 3, 5, 2, 1, 6]);
  });

  it('shows an enterprise the warning and its level, never the note, the history or who acted', () => {
    const v = warningForEnterprise(warning({ liftedBy: 'ozone' }));
    expect(v).toMatchObject({ kind: 'heavy_pollution', level: 'yellow', districts: ['双塔区'], note: null, issuedBy: '', liftedBy: null });
    expect(v.history).toEqual([]);
    expect(JSON.stringify(v)).not.toContain('内部说明');
  });
});

describe('warning bodies', () => {
  const ok = { kind: 'ozone', level: 'orange', basis: 'provincial_prompt', districts: ['双塔区'], startAt: 1000 };
  it('accepts an issue with ISO times and refuses a lift before the start, no district, unknown values', () => {
    expect(issueWarningSchema.parse({ ...ok, startAt: '2026-12-04T08:00:00+08:00' }).startAt).toBe(Date.parse('2026-12-04T00:00:00Z'));
    expect(issueWarningSchema.safeParse({ ...ok, plannedLiftAt: 500 }).success).toBe(false);
    expect(issueWarningSchema.safeParse({ ...ok, districts: [] }).success).toBe(false);
    expect(issueWarningSchema.safeParse({ ...ok, districts: ['a', 'a'] }).success).toBe(false);
    expect(issueWarningSchema.safeParse({ ...ok, level: 'blue' }).success).toBe(false);
    expect(issueWarningSchema.safeParse({ ...ok, basis: 'rumour' }).success).toBe(false);
    expect(issueWarningSchema.safeParse({ ...ok, extra: 1 }).success).toBe(false);
  });
  it('a change needs a version and something to change', () => {
    expect(changeWarningSchema.safeParse({ version: 1 }).success).toBe(false);
    expect(changeWarningSchema.safeParse({ level: 'red' }).success).toBe(false);
    expect(changeWarningSchema.parse({ version: 2, level: 'red' })).toEqual({ version: 2, level: 'red' });
  });
});
