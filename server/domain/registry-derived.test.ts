import { describe, expect, it } from 'vitest';
import type { Registry } from './registry';
import { derived } from './registry-derived';

describe('derived', () => {
  it('computes once per registry version and afresh after a change', () => {
    let version = 1;
    let current = { enterprises: [{ id: 'a', name: 'A', district: 'd' }], sources: [] } as unknown as Registry;
    let builds = 0;
    const ids = derived({ current: () => current, version: () => version }, (r) => (builds++, r.enterprises.map((e) => e.id)));
    expect(ids()).toEqual(['a']);
    expect(ids()).toEqual(['a']);
    expect(builds).toBe(1);
    current = { ...current, enterprises: [{ id: 'b', name: 'B', district: 'd' }] };
    version = 2;
    expect(ids()).toEqual(['b']);
    expect(builds).toBe(2);
  });
});
