import { describe, expect, it } from 'vitest';
import { addRealtime, foldAll, type RealtimeMinutes } from './minute-sums';

const S = 1000;
const window = (): RealtimeMinutes => ({
  rt: { a21001: { m: 1, n: 1, nC: 1, sum: 2, sumC: 2, lo: 1, hi: 0 } },
  rtOpen: { a21001: { minute: 1, lastTs: 70 * S, n: 1, nValid: 1, sum: 3, nZs: 1, sumZs: 3 } },
});

describe('addRealtime: one real-time value into a window’s records, in place', () => {
  it('adds to the minute being built, folds it when a later minute comes, begins a new one', () => {
    const w = window();
    const records = { rt: w.rt, rtOpen: w.rtOpen };
    addRealtime(w, 'a21001', 80 * S, 1, 'N', 5, 5); // minute 1: 3 and 5
    addRealtime(w, 'a21002', 80 * S, 1, 'D', 9, undefined); // a new factor, its value invalid
    expect(w.rtOpen).toEqual({
      a21001: { minute: 1, lastTs: 80 * S, n: 2, nValid: 2, sum: 8, nZs: 2, sumZs: 8 },
      a21002: { minute: 1, lastTs: 80 * S, n: 1, nValid: 0, sum: 0, nZs: 0, sumZs: 0 },
    });
    expect(w.rt).toEqual(window().rt); // nothing folded
    addRealtime(w, 'a21001', 125 * S, 2, 'N', 7, undefined); // minute 2: minute 1 (mean 4) folded
    expect(w.rt.a21001).toEqual({ m: 2, n: 2, nC: 2, sum: 6, sumC: 6, lo: 0b11, hi: 0 });
    expect(w.rtOpen.a21001).toEqual({ minute: 2, lastTs: 125 * S, n: 1, nValid: 1, sum: 7, nZs: 0, sumZs: 0 });
    expect(foldAll(w).a21001).toMatchObject({ m: 3, n: 3, sum: 13 });
    // The records themselves were updated: no copy per reading.
    expect(w.rt).toBe(records.rt);
    expect(w.rtOpen).toBe(records.rtOpen);
  });

  it('ignores a value not later than the factor’s previous one', () => {
    const w = window();
    addRealtime(w, 'a21001', 70 * S, 1, 'N', 99, 99); // re-sent
    addRealtime(w, 'a21001', 60 * S, 1, 'N', 99, 99); // out of order
    expect(w).toEqual(window());
  });

  it('folds the same minutes whatever the order of factors within readings', () => {
    const a = window();
    const b = window();
    for (const [ts, minute] of [
      [80, 1],
      [130, 2],
      [190, 3],
    ] as const) {
      addRealtime(a, 'a21001', ts * S, minute, 'N', minute, minute);
      addRealtime(a, 'a21002', ts * S, minute, 'N', 2 * minute, undefined);
      addRealtime(b, 'a21002', ts * S, minute, 'N', 2 * minute, undefined);
      addRealtime(b, 'a21001', ts * S, minute, 'N', minute, minute);
    }
    expect(foldAll(b)).toEqual(foldAll(a));
  });
});
