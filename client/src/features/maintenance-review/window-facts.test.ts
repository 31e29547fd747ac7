import type { MaintenanceWindow } from '@domain/alert';
import { describe, expect, it } from 'vitest';
import { awaitsReview, filterWindows, hoursOf, mayApprove, mayEnd, mayReject, phaseOf } from './window-facts';

const H = 3_600_000;
const NOW = Date.UTC(2026, 6, 1, 2);
const w = (over: Partial<MaintenanceWindow> = {}): MaintenanceWindow => ({
  id: 1,
  enterpriseId: 'e1',
  mn: null,
  from: NOW + H,
  to: NOW + 3 * H,
  reason: 'r',
  declaredBy: 'ent',
  createdAt: NOW,
  status: 'pending',
  reviewedBy: null,
  reviewedAt: null,
  reviewNote: null,
  endedBy: null,
  endedAt: null,
  ...over,
});

describe('what may be done with a window', () => {
  it.each<[string, MaintenanceWindow, boolean, boolean, boolean]>([
    ['pending, to come', w(), true, true, true],
    ['pending, run out', w({ from: NOW - 3 * H, to: NOW - H }), false, true, false],
    ['pending, withdrawn by the enterprise', w({ endedAt: NOW, endedBy: 'ent', to: NOW + H }), false, true, false],
    ['approved, running', w({ status: 'approved', from: NOW - H }), false, true, true],
    ['approved, over', w({ status: 'approved', from: NOW - 3 * H, to: NOW - H }), false, false, false],
    ['approved, ended early', w({ status: 'approved', endedAt: NOW, endedBy: 'li' }), false, false, false],
    ['rejected, to come', w({ status: 'rejected' }), true, false, false],
  ])('%s: approve %s, reject %s, end %s', (_name, win, approve, reject, end) => {
    expect([mayApprove(win, NOW), mayReject(win, NOW), mayEnd(win, NOW)]).toEqual([approve, reject, end]);
  });

  it.each([
    [w(), 'upcoming'],
    [w({ from: NOW - H }), 'current'],
    [w({ from: NOW - 2 * H, to: NOW }), 'past'],
  ])('phase %#', (win, phase) => {
    expect(phaseOf(win, NOW)).toBe(phase);
  });

  it('length in hours; filter by status, a withdrawn or run-out declaration no longer waiting', () => {
    expect(hoursOf(w({ from: 0, to: 90 * 60_000 }))).toBe(1.5);
    const withdrawn = w({ id: 4, endedAt: NOW, endedBy: 'ent', to: NOW + H });
    const runOut = w({ id: 5, from: NOW - 3 * H, to: NOW - H });
    const list = [w({ id: 1 }), w({ id: 2, status: 'approved' }), w({ id: 3, status: 'rejected' }), withdrawn, runOut];
    expect(filterWindows(list, 'pending', NOW).map((x) => x.id)).toEqual([1]);
    expect(filterWindows(list, 'approved', NOW).map((x) => x.id)).toEqual([2]);
    expect(filterWindows(list, 'all', NOW).map((x) => x.id)).toEqual([1, 2, 3, 4, 5]);
    expect([withdrawn, runOut].some((x) => awaitsReview(x, NOW))).toBe(false);
  });
});
