import { describe, expect, it } from 'vitest';
import type { MaintenanceWindow, Silence, Suppression } from '../domain/alert';
import { suppressionFor, type SuppressionFacts } from './suppression';

const NOW = 50_000;
const alert = { mn: 'M1', enterpriseId: 'e1', factor: 'a21001', rule: 'limit' };
const silence = (over: Partial<Silence>): Silence => ({
  id: 1,
  mn: null,
  factor: null,
  rule: null,
  reason: 'r',
  createdBy: 'li',
  createdAt: 0,
  endsAt: NOW + 1,
  ...over,
});
const window = (over: Partial<MaintenanceWindow>): MaintenanceWindow => ({
  id: 1,
  enterpriseId: 'e1',
  mn: null,
  from: 0,
  to: 10_000,
  reason: 'r',
  declaredBy: 'ent',
  createdAt: 0,
  status: 'approved',
  reviewedBy: 'li',
  reviewedAt: 0,
  reviewNote: null,
  endedBy: null,
  endedAt: null,
  ...over,
});
const none: SuppressionFacts = { silences: [], windows: [], offline: false };

describe('suppression of a new alert', () => {
  it.each<[string, Partial<SuppressionFacts>, number, Suppression | null]>([
    ['nothing declared → announced', {}, 5_000, null],
    ['silence on the source → silence', { silences: [silence({ mn: 'M1' })] }, 5_000, 'silence'],
    ['silence on factor + rule → silence', { silences: [silence({ factor: 'a21001', rule: 'limit' })] }, 5_000, 'silence'],
    ['silence on another source → announced', { silences: [silence({ mn: 'M2' })] }, 5_000, null],
    ['silence on another rule → announced', { silences: [silence({ mn: 'M1', rule: 'rate' })] }, 5_000, null],
    ['expired silence → announced', { silences: [silence({ mn: 'M1', endsAt: NOW })] }, 5_000, null],
    ['enterprise-wide window covering the reading → maintenance', { windows: [window({})] }, 5_000, 'maintenance'],
    ['window of this source → maintenance', { windows: [window({ mn: 'M1' })] }, 5_000, 'maintenance'],
    ['window of another source → announced', { windows: [window({ mn: 'M2' })] }, 5_000, null],
    ['window of another enterprise → announced', { windows: [window({ enterpriseId: 'e2' })] }, 5_000, null],
    ['reading after the window → announced', { windows: [window({})] }, 10_000, null],
    ['reading before the window → announced', { windows: [window({ from: 6_000 })] }, 5_000, null],
    ['source offline → inhibited', { offline: true }, 5_000, 'inhibited'],
    [
      'maintenance wins over a silence and offline',
      { windows: [window({})], silences: [silence({ mn: 'M1' })], offline: true },
      5_000,
      'maintenance',
    ],
    ['pending window → announced', { windows: [window({ status: 'pending' })] }, 5_000, null],
    ['rejected window → announced', { windows: [window({ status: 'rejected' })] }, 5_000, null],
    ['a silence wins over offline', { silences: [silence({ mn: 'M1' })], offline: true }, 5_000, 'silence'],
  ])('%s', (_name, facts, ts, expected) => {
    expect(suppressionFor(alert, ts, NOW, { ...none, ...facts })).toBe(expected);
  });

  // What an approved window, and an officer's silence, quiet by rule: the window never quiets what
  // a stoppage does not explain; the bureau's own silence quiets any rule it names.
  it.each<[string, Suppression | null, Suppression | null]>([
    ['limit-instant', 'maintenance', 'silence'],
    ['limit-hour', 'maintenance', 'silence'],
    ['maintenance-flag', 'maintenance', 'silence'],
    ['removal-efficiency', 'maintenance', 'silence'],
    ['bypass', null, 'silence'],
    ['offline', null, 'silence'],
    ['instrument-fault', null, 'silence'],
    ['flat-line', null, 'silence'],
  ])('%s: in an approved window → %s; under a silence → %s', (rule, inWindow, underSilence) => {
    const a = { ...alert, rule };
    expect(suppressionFor(a, 5_000, NOW, { ...none, windows: [window({ mn: 'M1' })] })).toBe(inWindow);
    expect(suppressionFor(a, 5_000, NOW, { ...none, silences: [silence({ mn: 'M1', rule })] })).toBe(underSilence);
  });
});
