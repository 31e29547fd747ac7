import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { eventBatcher } from './event-batcher';

describe('socket events coalesced into batches', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('ms 0: each applies at once', () => {
    const seen: number[] = [];
    const b = eventBatcher(0);
    b.run(() => seen.push(1));
    expect(seen).toEqual([1]);
  });

  it('applies everything queued within the window together, in order, once the window ends', () => {
    const seen: number[] = [];
    const b = eventBatcher(100);
    b.run(() => seen.push(1));
    vi.advanceTimersByTime(60);
    b.run(() => seen.push(2));
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(40);
    expect(seen).toEqual([1, 2]);
    b.run(() => seen.push(3));
    vi.advanceTimersByTime(99);
    expect(seen).toEqual([1, 2]);
    vi.advanceTimersByTime(1);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('flush applies what is queued now; stop drops it', () => {
    const seen: number[] = [];
    const b = eventBatcher(100);
    b.run(() => seen.push(1));
    b.flush();
    expect(seen).toEqual([1]);
    b.run(() => seen.push(2));
    b.stop();
    vi.advanceTimersByTime(500);
    expect(seen).toEqual([1]);
  });
});
