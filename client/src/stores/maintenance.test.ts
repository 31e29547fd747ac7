import type { MaintenanceWindow } from '@domain/alert';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { useMaintenanceStore } from './maintenance';

const H = 3_600_000;
const w = (id: number, over: Partial<MaintenanceWindow> = {}): MaintenanceWindow => ({
  id,
  enterpriseId: 'e1',
  mn: 'M1',
  from: id * H,
  to: id * H + H,
  reason: 'r',
  declaredBy: 'ent',
  createdAt: 0,
  status: 'approved',
  reviewedBy: 'system',
  reviewedAt: 0,
  reviewNote: null,
  endedBy: null,
  endedAt: null,
  ...over,
});

describe('maintenance store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('lists pending first, then the latest start first; a change replaces the window', () => {
    const store = useMaintenanceStore();
    for (const win of [w(1), w(2, { status: 'pending', reviewedBy: null }), w(3, { status: 'rejected' }), w(4)]) store.apply(win);
    expect(store.list.map((x) => x.id)).toEqual([2, 4, 3, 1]);
    store.apply(w(2, { status: 'approved', reviewedBy: 'li' }));
    expect(store.list.map((x) => [x.id, x.status])).toEqual([
      [4, 'approved'],
      [3, 'rejected'],
      [2, 'approved'],
      [1, 'approved'],
    ]);
  });

  it('only an approved window puts a source in maintenance', () => {
    const store = useMaintenanceStore();
    store.apply(w(1, { status: 'pending', reviewedBy: null }));
    const source = { mn: 'M1', enterpriseId: 'e1' };
    expect(store.activeFor(source, 1.5 * H)).toBe(false);
    store.apply(w(1, { status: 'approved' }));
    expect(store.activeFor(source, 1.5 * H)).toBe(true);
  });

  it.each([
    { name: 'the window of the source, at its time', source: { mn: 'M1', enterpriseId: 'e1' }, at: 1.5 * H, expected: true },
    { name: 'before it', source: { mn: 'M1', enterpriseId: 'e1' }, at: 0.5 * H, expected: false },
    { name: 'at its end (exclusive)', source: { mn: 'M1', enterpriseId: 'e1' }, at: 2 * H, expected: false },
    { name: 'another outlet of the enterprise', source: { mn: 'M2', enterpriseId: 'e1' }, at: 1.5 * H, expected: false },
    { name: 'an enterprise-wide window', source: { mn: 'M9', enterpriseId: 'e3' }, at: 3.5 * H, expected: true },
    { name: 'a rejected window', source: { mn: 'M1', enterpriseId: 'e1' }, at: 2.5 * H, expected: false },
  ])('activeAt answers as activeFor: $name', ({ source, at, expected }) => {
    const store = useMaintenanceStore();
    store.apply(w(1));
    store.apply(w(2, { status: 'rejected' }));
    store.apply(w(3, { enterpriseId: 'e3', mn: null }));
    expect([store.activeAt(at)(source), store.activeFor(source, at)]).toEqual([expected, expected]);
  });
});
