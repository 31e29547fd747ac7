import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ESCALATION,
  contactsSchema,
  dueSteps,
  escalationPolicySchema,
  inQuietHours,
  newShiftSchema,
  onDutyAs,
  subscriptionMatches,
  type AlertFacts,
  type Shift,
  type Subscription,
} from './duty';

/** Epoch ms of a China-time instant on 2026-07-01. */
const cst = (hhmm: string) => Date.parse(`2026-07-01T${hhmm}:00+08:00`);

describe('quiet hours (China local time, [from, to), may cross midnight)', () => {
  it.each([
    ['22:00', '07:00', '23:30', true],
    ['22:00', '07:00', '03:00', true],
    ['22:00', '07:00', '07:00', false],
    ['22:00', '07:00', '21:59', false],
    ['22:00', '07:00', '22:00', true],
    ['12:00', '14:00', '13:00', true],
    ['12:00', '14:00', '14:00', false],
    ['12:00', '14:00', '02:00', false],
  ])('%s–%s at %s: %s', (from, to, at, quiet) => {
    expect(inQuietHours({ from, to }, cst(at))).toBe(quiet);
  });
  it('none: never quiet', () => expect(inQuietHours(null, cst('03:00'))).toBe(false));
});

describe('who is on duty', () => {
  const shifts: Shift[] = [
    { id: 'a', username: 'wang', position: 'primary', startsAt: cst('08:00'), endsAt: cst('20:00') },
    { id: 'b', username: 'li', position: 'backup', startsAt: cst('08:00'), endsAt: cst('20:00') },
    { id: 'c', username: 'zhao', position: 'primary', startsAt: cst('20:00'), endsAt: cst('23:59') },
  ];
  it.each([
    ['primary', '09:00', 'wang'],
    ['backup', '09:00', 'li'],
    ['primary', '20:00', 'zhao'],
    ['backup', '20:00', null],
    ['primary', '07:59', null],
  ] as const)('%s at %s: %s', (position, at, who) => {
    expect(onDutyAs(shifts, position, cst(at))).toBe(who);
  });
});

describe('subscriptions', () => {
  const sub: Subscription = {
    enabled: true,
    minSeverity: 'major',
    districts: ['zichuan'],
    kinds: ['cems'],
    rules: [],
    channels: ['email'],
    quietHours: null,
  };
  const alert: AlertFacts = { severity: 'critical', rule: 'bypass', enterpriseId: 'e', district: 'zichuan', kind: 'cems' };
  it.each([
    ['matching', {}, {}, true],
    ['disabled', { enabled: false }, {}, false],
    ['below its severity', {}, { severity: 'warning' }, false],
    ['another district', {}, { district: 'zhangdian' }, false],
    ['another kind', {}, { kind: 'vocs' }, false],
    ['a kind-less source with kinds asked', {}, { kind: null }, false],
    ['every district', { districts: [] }, { district: 'zhangdian' }, true],
    ['only other rules', { rules: ['limit'] }, {}, false],
    ['its rule', { rules: ['bypass'] }, {}, true],
  ] as const)('%s', (_name, s, a, matches) => {
    expect(subscriptionMatches({ ...sub, ...s } as Subscription, { ...alert, ...a } as AlertFacts)).toBe(matches);
  });
});

describe('schemas', () => {
  it('a phone typed with +86 and dashes is kept as 11 digits; a bad one or address is refused', () => {
    expect(contactsSchema.parse({ email: 'a@b.cn', phone: '+86 138-0013-8000' })).toEqual({ email: 'a@b.cn', phone: '13800138000' });
    expect(contactsSchema.safeParse({ email: 'nope', phone: null }).success).toBe(false);
    expect(contactsSchema.safeParse({ email: null, phone: '12345' }).success).toBe(false);
  });
  it('a shift ends after it starts, within 7 days', () => {
    const s = { username: 'wang', position: 'primary', startsAt: 1000, endsAt: 1000 };
    expect(newShiftSchema.safeParse(s).success).toBe(false);
    expect(newShiftSchema.safeParse({ ...s, endsAt: 1000 + 8 * 86_400_000 }).success).toBe(false);
    expect(newShiftSchema.safeParse({ ...s, endsAt: 2000 }).success).toBe(true);
  });
  it('escalation steps come in order; the default is primary at 15 min, backup at 30', () => {
    expect(escalationPolicySchema.parse(DEFAULT_ESCALATION)).toEqual(DEFAULT_ESCALATION);
    const steps = [...DEFAULT_ESCALATION.steps].reverse();
    expect(escalationPolicySchema.safeParse({ ...DEFAULT_ESCALATION, steps }).success).toBe(false);
  });
  it.each([
    [14, []],
    [15, [0]],
    [45, [0, 1]],
  ])('after %i min the due steps are %j', (min, due) => {
    expect(dueSteps(DEFAULT_ESCALATION, min * 60_000)).toEqual(due);
  });
});
