import { describe, expect, it } from 'vitest';
import { formFieldOf, type MaintenanceForm, validateMaintenance } from './maintenance-form';

const NOW = Date.UTC(2026, 6, 1, 2);
const H = 3_600_000;
const form = (over: Partial<MaintenanceForm> = {}): MaintenanceForm => ({
  scope: '',
  from: new Date(NOW),
  to: new Date(NOW + 4 * H),
  reason: '检修',
  ...over,
});

describe('maintenance form', () => {
  it.each([
    { name: 'valid', f: form(), errors: {} },
    {
      name: 'nothing filled',
      f: form({ from: null, to: null, reason: ' ' }),
      errors: { from: 'required', to: 'required', reason: 'required' },
    },
    { name: 'end before start', f: form({ from: new Date(NOW + 2 * H), to: new Date(NOW + H) }), errors: { to: 'toBeforeFrom' } },
    {
      name: 'end in the past',
      f: form({ from: new Date(NOW - 3 * H), to: new Date(NOW - H) }),
      errors: { from: 'fromPast', to: 'toPast' },
    },
    { name: 'start 3 min ago (clock skew)', f: form({ from: new Date(NOW - 3 * 60_000) }), errors: {} },
    { name: 'start in the past', f: form({ from: new Date(NOW - 10 * 60_000) }), errors: { from: 'fromPast' } },
    { name: 'longer than 31 days', f: form({ to: new Date(NOW + 32 * 24 * H) }), errors: { to: 'tooLong' } },
    { name: 'reason too long', f: form({ reason: 'x'.repeat(501) }), errors: { reason: 'reasonTooLong' } },
  ])('$name', ({ f, errors }) => {
    expect(validateMaintenance(f, NOW)).toEqual(errors);
  });

  it.each([
    ['mn', 'scope'],
    ['enterpriseId', 'scope'],
    ['to', 'to'],
    ['reason', 'reason'],
    [null, null],
    ['other', null],
  ])('a refusal about %s shows next to %s', (server, field) => {
    expect(formFieldOf(server)).toBe(field);
  });
});
