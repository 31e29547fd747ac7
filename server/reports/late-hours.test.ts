import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS } from '../domain/local-time';
import { LateHours, MAX_YIELD_MS } from './late-hours';

const DAY = Date.parse('2026-07-02T00:00:00+08:00');
const A = '370300CEMS00000000000101';
const B = '370300CEMS00000000000201';
const SETTLE = 10_000;
const MAX_WAIT = 60_000;
const T0 = DAY + 2 * DAY_MS;
const late = () => new LateHours((h) => h - ((h - DAY) % DAY_MS));

describe('LateHours', () => {
  it('a replay moving hour after hour has each hour recomputed once: MAX_WAIT after its first reading, the rest once the source settles', () => {
    const l = late();
    const due: string[] = [];
    const take = (now: number) => {
      for (const [mn, hours] of l.takeDue(now, SETTLE, MAX_WAIT))
        for (const h of hours) due.push(`${mn} hour ${(h - DAY) / HOUR_MS} at ${(now - T0) / 1_000} s`);
    };
    // A logger replaying its backlog: 5 s of readings per hour, for 30 hours (150 s), then silent.
    for (let i = 0; i < 150; i++) {
      l.add(A, DAY + Math.floor(i / 5) * HOUR_MS, T0 + i * 1_000);
      take(T0 + i * 1_000);
    }
    for (let t = T0 + 150_000; t <= T0 + 170_000; t += 1_000) take(t);
    // Hour h began at 5h s: due MAX_WAIT after (hours 0–19, at 60–155 s); the others once the source
    // has been quiet SETTLE after its last reading (149 s → 159 s).
    const wait = MAX_WAIT / 1_000;
    const early = Array.from({ length: 20 }, (_, h) => `${A} hour ${h} at ${5 * h + wait} s`);
    const settled = Array.from({ length: 10 }, (_, k) => `${A} hour ${20 + k} at ${149 + SETTLE / 1_000} s`);
    expect(due).toEqual([...early, ...settled]);
    expect(l.queued).toBe(0);
  });

  it('an hour late data keeps reaching is recomputed MAX_WAIT after the first, and waits again after', () => {
    const l = late();
    let now = T0;
    expect(l.add(A, DAY, now)).toBe(true);
    for (; now < T0 + MAX_WAIT; now += 5_000) {
      expect(l.add(A, DAY, now)).toBe(false);
      expect(l.takeDue(now, SETTLE, MAX_WAIT)).toEqual([]);
    }
    expect(l.takeDue(now, SETTLE, MAX_WAIT)).toEqual([[A, [DAY]]]);
    expect(l.has(A, DAY)).toBe(false);
    expect(l.add(A, DAY, now)).toBe(true); // waiting again: its kept entry is stale again
  });

  it('says which source-hours and days wait, counts them, and requeues a failed recompute', () => {
    const l = late();
    l.add(A, DAY, T0);
    l.add(A, DAY + HOUR_MS, T0);
    l.add(B, DAY + DAY_MS, T0);
    expect([l.has(A, DAY), l.has(A, DAY + 2 * HOUR_MS), l.has(B, DAY + DAY_MS)]).toEqual([true, false, true]);
    expect([l.waitsFor(A), l.waitsFor('370300CEMS00000000000301')]).toEqual([true, false]);
    expect(l.queued).toBe(3);
    expect([l.waitingIn(DAY), l.waitingIn(DAY + DAY_MS), l.waitingIn(DAY + 2 * DAY_MS)]).toEqual([true, true, false]);
    expect([l.changesOf(DAY), l.changesOf(DAY + DAY_MS)]).toEqual([2, 1]);
    const due = l.takeDue(T0 + SETTLE, SETTLE, MAX_WAIT);
    expect(due).toEqual([
      [A, [DAY, DAY + HOUR_MS]],
      [B, [DAY + DAY_MS]],
    ]);
    expect([l.queued, l.waitsFor(A), l.waitingIn(DAY)]).toEqual([0, false, false]);
    l.requeue(A, [DAY], T0 + SETTLE);
    expect([l.has(A, DAY), l.queued]).toEqual([true, 1]);
    expect(l.takeDue(T0 + SETTLE + 1, SETTLE, MAX_WAIT)).toEqual([]);
    expect(l.takeDue(T0 + 2 * SETTLE, SETTLE, MAX_WAIT)).toEqual([[A, [DAY]]]);
  });

  it('while the intake is behind, nothing is due — at most MAX_YIELD_MS at a time — and all of it once it is not', () => {
    const l = late();
    l.add(A, DAY, T0);
    l.add(B, DAY + HOUR_MS, T0);
    const settled = T0 + SETTLE;
    expect(l.takeDue(settled, SETTLE, MAX_WAIT, true)).toEqual([]);
    expect(l.takeDue(settled + MAX_YIELD_MS - 1, SETTLE, MAX_WAIT, true)).toEqual([]);
    expect(l.takeDue(settled + MAX_YIELD_MS, SETTLE, MAX_WAIT, true)).toEqual([
      [A, [DAY]],
      [B, [DAY + HOUR_MS]],
    ]); // a store that never catches up: taken once, and the wait begins again
    l.add(A, DAY, settled + MAX_YIELD_MS);
    expect(l.takeDue(settled + MAX_YIELD_MS + SETTLE, SETTLE, MAX_WAIT, true)).toEqual([]);
    expect(l.takeDue(settled + MAX_YIELD_MS + SETTLE + 1, SETTLE, MAX_WAIT, false)).toEqual([[A, [DAY]]]);
  });
});
