import type { MaintenanceWindow } from '@domain/alert';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeAlert, makeSource, MN_CEMS, MN_NH3, T0 } from '../testing/fixtures';
import { useAlertsStore } from './alerts';
import { covers, useMaintenanceStore } from './maintenance';
import { deriveStatus, type OverviewStatus, useSourceStatusStore } from './source-status';
import { useSourcesStore } from './sources';

const active = (rule: string) => makeAlert({ rule });

describe('deriveStatus', () => {
  // The table is the spec: server status, active alerts' rules, maintenance window → shown status.
  it.each<{ server: 'normal' | 'offline' | 'nodata'; rules: string[]; window: boolean; expected: OverviewStatus }>([
    { server: 'normal', rules: [], window: false, expected: 'normal' },
    { server: 'normal', rules: ['limit-instant'], window: false, expected: 'exceeding' },
    { server: 'normal', rules: ['instrument-fault'], window: false, expected: 'fault' },
    { server: 'normal', rules: ['instrument-fault', 'limit-hour'], window: false, expected: 'fault' },
    { server: 'normal', rules: ['maintenance-flag'], window: false, expected: 'maintenance' },
    { server: 'normal', rules: ['limit-instant'], window: true, expected: 'maintenance' },
    { server: 'normal', rules: ['offline'], window: true, expected: 'offline' },
    { server: 'offline', rules: [], window: false, expected: 'offline' },
    { server: 'nodata', rules: [], window: false, expected: 'nodata' },
    { server: 'nodata', rules: [], window: true, expected: 'maintenance' },
  ])('$server, $rules, window $window → $expected', ({ server, rules, window, expected }) => {
    expect(deriveStatus({ status: server }, rules.map(active), window)).toBe(expected);
  });

  it('cleared or closed alerts do not count', () => {
    const cleared = makeAlert({ state: 'cleared', clearedAt: T0 });
    const closed = makeAlert({ closedAt: T0, closedBy: 'officer' });
    expect(deriveStatus({ status: 'normal' }, [cleared, closed], false)).toBe('normal');
  });
});

describe('maintenance windows', () => {
  const w: MaintenanceWindow = {
    id: 1,
    enterpriseId: 'qilu-power',
    mn: null,
    from: T0,
    to: T0 + 3_600_000,
    reason: 'r',
    declaredBy: 'x',
    createdAt: T0,
    status: 'approved',
    reviewedBy: null,
    reviewedAt: null,
    reviewNote: null,
    endedBy: null,
    endedAt: null,
  };
  const cems = { mn: MN_CEMS, enterpriseId: 'qilu-power' };
  it.each([
    { name: 'whole enterprise, inside', win: w, at: T0 + 1, src: { mn: MN_CEMS, enterpriseId: 'qilu-power' }, expected: true },
    { name: 'before it starts', win: w, at: T0 - 1, src: { mn: MN_CEMS, enterpriseId: 'qilu-power' }, expected: false },
    { name: 'at its end', win: w, at: T0 + 3_600_000, src: { mn: MN_CEMS, enterpriseId: 'qilu-power' }, expected: false },
    { name: 'another enterprise', win: w, at: T0 + 1, src: { mn: MN_CEMS, enterpriseId: 'zichuan-cement' }, expected: false },
    {
      name: 'one source: that source',
      win: { ...w, mn: MN_NH3 },
      at: T0 + 1,
      src: { mn: MN_NH3, enterpriseId: 'qilu-power' },
      expected: true,
    },
    { name: 'pending: not in effect', win: { ...w, status: 'pending' as const }, at: T0 + 1, src: cems, expected: false },
    { name: 'rejected: not in effect', win: { ...w, status: 'rejected' as const }, at: T0 + 1, src: cems, expected: false },
    {
      name: 'one source: another one',
      win: { ...w, mn: MN_NH3 },
      at: T0 + 1,
      src: { mn: MN_CEMS, enterpriseId: 'qilu-power' },
      expected: false,
    },
  ])('$name', ({ win, at, src, expected }) => {
    expect(covers(win, src, at)).toBe(expected);
  });
});

describe('source status store', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 + 60_000 });
    setActivePinia(createPinia());
  });
  afterEach(() => vi.useRealTimers());

  it('derives every source from alerts and windows, counts them, and follows the clock', () => {
    useSourcesStore().applySnapshot([makeSource(), makeSource({ mn: MN_NH3, kind: 'ammonia', status: 'offline' })]);
    useAlertsStore().applySnapshot({ seq: 1, alerts: [makeAlert()] });
    const status = useSourceStatusStore();
    expect(Object.fromEntries(status.statusOf)).toEqual({ [MN_CEMS]: 'exceeding', [MN_NH3]: 'offline' });
    expect(status.online).toBe(1);
    useMaintenanceStore().apply({
      id: 1,
      enterpriseId: 'qilu-power',
      mn: MN_CEMS,
      from: T0,
      to: T0 + 120_000,
      reason: 'r',
      declaredBy: 'x',
      createdAt: T0,
      status: 'approved',
      reviewedBy: null,
      reviewedAt: null,
      reviewNote: null,
      endedBy: null,
      endedAt: null,
    });
    expect(status.statusOf.get(MN_CEMS)).toBe('maintenance');
    expect(status.counts.maintenance).toBe(1);
    vi.advanceTimersByTime(90_000); // the window ended
    expect(status.statusOf.get(MN_CEMS)).toBe('exceeding');
  });
});
