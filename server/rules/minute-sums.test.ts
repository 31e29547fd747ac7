import { describe, expect, it } from 'vitest';
import { foldAll, RealtimeDraft, type RealtimeMinutes } from './minute-sums';

const S = 1000;
const window = (): RealtimeMinutes => ({
  rt: { a21001: { m: 1, n: 1, nC: 1, sum: 2, sumC: 2, lo: 1, hi: 0 } },
  rtOpen: { a21001: { minute: 1, lastTs: 70 * S, n: 1, nValid: 1, sum: 3, nZs: 1, sumZs: 3 } },
});

describe('RealtimeDraft: one reading’s real-time values into a window, copy on write', () => {
  it('adds to the minute being built, folds it when a later minute comes, begins a new one', () => {
    const w = window();
    const draft = new RealtimeDraft(w);
    draft.add('a21001', 80 * S, 1, 'N', { v: 5, vC: 5 }); // minute 1: 3 and 5
    draft.add('a21002', 80 * S, 1, 'D', { v: 9 }); // a new factor, its value invalid
    const r = draft.result();
    expect(r.rtOpen).toEqual({
      a21001: { minute: 1, lastTs: 80 * S, n: 2, nValid: 2, sum: 8, nZs: 2, sumZs: 8 },
      a21002: { minute: 1, lastTs: 80 * S, n: 1, nValid: 0, sum: 0, nZs: 0, sumZs: 0 },
    });
    expect(r.rt).toBe(w.rt); // nothing folded: the window's own record
    const next = new RealtimeDraft(r);
    next.add('a21001', 125 * S, 2, 'N', { v: 7 }); // minute 2: minute 1 (mean 4) folded
    expect(next.result().rt.a21001).toEqual({ m: 2, n: 2, nC: 2, sum: 6, sumC: 6, lo: 0b11, hi: 0 });
    expect(next.result().rtOpen.a21001).toEqual({ minute: 2, lastTs: 125 * S, n: 1, nValid: 1, sum: 7, nZs: 0, sumZs: 0 });
    expect(foldAll(next.result()).a21001).toMatchObject({ m: 3, n: 3, sum: 13 });
  });

  it('never writes the window’s own records; a value not later than the previous one changes nothing', () => {
    const w = window();
    const before = structuredClone(w);
    const draft = new RealtimeDraft(w);
    draft.add('a21001', 70 * S, 1, 'N', { v: 99, vC: 99 }); // re-sent
    expect(draft.changed).toBe(false);
    expect(draft.result()).toEqual(w);
    draft.add('a21001', 130 * S, 2, 'N', { v: 4, vC: 4 });
    draft.add('a34013', 130 * S, 2, 'N', { v: 1, vC: 1 });
    expect(draft.changed).toBe(true);
    expect(draft.result().rtOpen).not.toBe(w.rtOpen);
    expect(draft.result().rt).not.toBe(w.rt);
    expect(w).toEqual(before);
  });
});
