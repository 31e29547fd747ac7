import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { realClock, scaledClock } from './scaled-clock';

describe('the demo clock', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    // factor, real ms after start, demo ms after the origin
    [1, 0, 0],
    [1, 1500, 1500],
    [30, 1000, 30_000],
    [30, 40_000, 1_200_000],
  ])('factor %s: %s real ms → %s demo ms', (factor, real, demo) => {
    const clock = scaledClock(factor, 5_000_000);
    vi.advanceTimersByTime(7_000); // before start(): the clock reads its origin
    expect(clock.now()).toBe(5_000_000);
    clock.start();
    vi.advanceTimersByTime(real);
    expect(clock.now()).toBe(5_000_000 + demo);
  });

  it('counts its timers in demo ms, and starts once', () => {
    const clock = scaledClock(30, 0);
    clock.start();
    vi.advanceTimersByTime(1000);
    clock.start();
    expect(clock.now()).toBe(30_000);
    const fired = vi.fn();
    clock.timers.setTimeout(fired, 60_000);
    vi.advanceTimersByTime(1999);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledOnce();
  });

  it.each([0, 0.5, Infinity, Number.NaN])('refuses factor %s', (factor) => {
    expect(() => scaledClock(factor)).toThrow(RangeError);
  });

  it('real time is Date.now', () => {
    expect(realClock().now()).toBe(Date.now());
  });
});
