import { describe, expect, it } from 'vitest';
import { nextTick, ref } from 'vue';
import { afterPaint, usePaintedAfter, type Schedulers } from './after-paint';

/** Frames and idle callbacks queued by hand: `step()` runs what is due next, in order. */
function manual(): Schedulers & { step: () => string | undefined; timeouts: number[] } {
  const queue: { kind: string; fn: () => void }[] = [];
  const timeouts: number[] = [];
  return {
    frame: (fn) => void queue.push({ kind: 'frame', fn }),
    idle: (fn, timeout) => {
      timeouts.push(timeout);
      queue.push({ kind: 'idle', fn });
    },
    step: () => {
      const next = queue.shift();
      next?.fn();
      return next?.kind;
    },
    timeouts,
  };
}

describe('afterPaint', () => {
  it('runs after two frames (the paint between them) and then an idle moment', () => {
    const s = manual();
    let ran = false;
    afterPaint(() => (ran = true), 300, s);
    expect([s.step(), ran]).toEqual(['frame', false]);
    expect([s.step(), ran]).toEqual(['frame', false]);
    expect([s.step(), ran]).toEqual(['idle', true]);
    expect(s.timeouts).toEqual([300]);
  });
});

describe('usePaintedAfter', () => {
  it('stays false until ready, then turns true once that frame was painted, and stays so', async () => {
    const s = manual();
    const rows = ref(0);
    const shown = usePaintedAfter(() => rows.value > 0, 500, s);
    expect(s.step()).toBeUndefined();
    rows.value = 17;
    await nextTick();
    while (s.step() !== undefined);
    expect(shown.value).toBe(true);
    rows.value = 0;
    await nextTick();
    expect(shown.value).toBe(true);
  });

  it('schedules once however often ready changes before the paint', async () => {
    const s = manual();
    const ok = ref(true);
    const shown = usePaintedAfter(() => ok.value, 500, s);
    ok.value = false;
    await nextTick();
    ok.value = true;
    await nextTick();
    while (s.step() !== undefined);
    expect([shown.value, s.timeouts.length]).toEqual([true, 1]);
  });
});
