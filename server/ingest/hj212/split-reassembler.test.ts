import { describe, expect, it, vi } from 'vitest';
import type { Reading } from '../../domain/reading';
import { SplitReassembler, type ExpiredSplit } from './split-reassembler';

const part = (factor: string, ts = 1000, mn = 'MN1'): Reading => ({
  mn,
  enterpriseId: 'e',
  kind: 'cems',
  cn: '2061',
  ts,
  factors: { [factor]: { avg: 1, flag: 'N' } },
});

function setup(timeoutMs = 10_000, maxGroups = 100) {
  vi.useFakeTimers();
  const expired: ExpiredSplit<string>[] = [];
  const r = new SplitReassembler<string>(
    { timeoutMs, maxGroups },
    { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as never) },
    (e) => expired.push(e),
  );
  return { r, expired };
}

describe('split uploads reassemble by MN + CN + DataTime', () => {
  it('merges the parts in PNO order, whatever order they arrive in, answering every part', () => {
    const { r } = setup();
    expect(r.add({ reading: part('a21026'), pnum: 3, pno: 3, token: 'q3' })).toEqual({ kind: 'pending' });
    expect(r.add({ reading: part('a21002'), pnum: 3, pno: 1, token: 'q1' })).toEqual({ kind: 'pending' });
    const done = r.add({ reading: part('a34013'), pnum: 3, pno: 2, token: 'q2' });
    expect(done).toMatchObject({ kind: 'complete', tokens: ['q3', 'q1', 'q2'] });
    expect(done.kind === 'complete' && Object.keys(done.reading.factors)).toEqual(['a21002', 'a34013', 'a21026']);
    expect(r.pending).toBe(0);
  });

  it('keeps sets of other sources, data kinds and instants apart', () => {
    const { r } = setup();
    r.add({ reading: part('a', 1000, 'MN1'), pnum: 2, pno: 1, token: 'x' });
    r.add({ reading: part('a', 2000, 'MN1'), pnum: 2, pno: 1, token: 'y' });
    r.add({ reading: part('a', 1000, 'MN2'), pnum: 2, pno: 1, token: 'z' });
    expect(r.pending).toBe(3);
  });

  it('a resent part replaces the first copy and is answered too', () => {
    const { r } = setup();
    r.add({ reading: part('a21026'), pnum: 2, pno: 1, token: 'first' });
    r.add({ reading: part('a21026'), pnum: 2, pno: 1, token: 'resent' });
    expect(r.add({ reading: part('a21002'), pnum: 2, pno: 2, token: 'last' })).toMatchObject({
      kind: 'complete',
      tokens: ['first', 'resent', 'last'],
    });
  });

  it('refuses a part whose PNUM contradicts its set', () => {
    const { r } = setup();
    r.add({ reading: part('a21026'), pnum: 2, pno: 1, token: 'a' });
    expect(r.add({ reading: part('a21002'), pnum: 3, pno: 2, token: 'b' })).toMatchObject({
      kind: 'rejected',
      detail: expect.stringMatching(/PNUM=3 differs from PNUM=2/),
    });
  });

  it('hands out an incomplete set as it stands after the timeout, naming the missing parts', () => {
    const { r, expired } = setup(10_000);
    r.add({ reading: part('a21026'), pnum: 3, pno: 1, token: 'a' });
    vi.advanceTimersByTime(9_999);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toMatchObject([{ tokens: ['a'], missing: [2, 3], reading: { factors: { a21026: { avg: 1 } } } }]);
    expect(r.pending).toBe(0);
  });

  it('bounds the sets waiting: the oldest goes out first', () => {
    const { r, expired } = setup(10_000, 2);
    r.add({ reading: part('a', 1), pnum: 2, pno: 1, token: 'one' });
    r.add({ reading: part('a', 2), pnum: 2, pno: 1, token: 'two' });
    r.add({ reading: part('a', 3), pnum: 2, pno: 1, token: 'three' });
    expect(expired.map((e) => e.tokens)).toEqual([['one']]);
    expect(r.pending).toBe(2);
  });

  it('close() hands out everything incomplete', () => {
    const { r, expired } = setup();
    r.add({ reading: part('a', 1), pnum: 2, pno: 1, token: 'one' });
    r.add({ reading: part('a', 2), pnum: 2, pno: 2, token: 'two' });
    r.close();
    expect(expired.map((e) => e.missing)).toEqual([[2], [1]]);
    vi.useRealTimers();
  });
});
