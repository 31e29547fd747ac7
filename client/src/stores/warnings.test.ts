import type { Warning } from '@domain/warning';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { useWarningsStore } from './warnings';

const w = (over: Partial<Warning>): Warning => ({
  id: 1,
  kind: 'heavy_pollution',
  level: 'orange',
  basis: 'city_notice',
  districts: ['双塔区'],
  issuedBy: 'ozone',
  issuedAt: 1,
  startAt: 1,
  plannedLiftAt: null,
  liftedAt: null,
  liftedBy: null,
  status: 'in_force',
  note: null,
  history: [],
  version: 1,
  ...over,
});

describe('warnings store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('keeps the newer version of a warning, and the open ones in force first', () => {
    const s = useWarningsStore();
    s.apply(w({ id: 1, status: 'issued', level: 'red', version: 1 }));
    s.apply(w({ id: 2, status: 'in_force', level: 'yellow', version: 2 }));
    s.apply(w({ id: 2, status: 'issued', version: 1 })); // older: ignored
    expect(s.open.map((x) => [x.id, x.status])).toEqual([
      [2, 'in_force'],
      [1, 'issued'],
    ]);
    s.apply(w({ id: 2, status: 'lifted', version: 3 }));
    expect(s.open.map((x) => x.id)).toEqual([1]);
    expect(s.list.map((x) => x.id)).toEqual([1, 2]);
  });

  it('a snapshot replaces the open set: one no longer in it is gone from the banner', () => {
    const s = useWarningsStore();
    s.apply(w({ id: 1 }));
    s.apply(w({ id: 3, status: 'lifted' }));
    s.applySnapshot([w({ id: 2, level: 'red' })]);
    expect(s.open.map((x) => x.id)).toEqual([2]);
    expect(s.list.map((x) => x.id)).toEqual([2, 3]);
  });
});
