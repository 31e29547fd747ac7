import { describe, expect, it } from 'vitest';
import { TokenBuckets } from './token-bucket';

describe('TokenBuckets', () => {
  it.each([
    // burst, perMinute, requests at these ms, expected outcome of each (retry-after s when refused)
    [3, 60, [0, 0, 0, 0], ['ok', 'ok', 'ok', 1]],
    [2, 60, [0, 0, 0, 1_000], ['ok', 'ok', 1, 'ok']],
    [1, 6, [0, 0, 5_000, 10_000], ['ok', 10, 5, 'ok']],
    [2, 60, [0, 0, 60_000, 60_000, 60_000], ['ok', 'ok', 'ok', 'ok', 1]], // refills to the burst, never above
  ] as const)('burst %i at %i/min: %j → %j', (burst, perMinute, times, expected) => {
    let now = 0;
    const buckets = new TokenBuckets(burst, perMinute, () => now);
    const got = times.map((t) => {
      now = t;
      const r = buckets.take('k');
      return r.ok ? 'ok' : r.retryAfterS;
    });
    expect(got).toEqual(expected);
  });

  it('keys are separate; only the first refusal of a run is marked first', () => {
    let now = 0;
    const buckets = new TokenBuckets(1, 60, () => now);
    expect(buckets.take('a')).toEqual({ ok: true });
    expect(buckets.take('b')).toEqual({ ok: true });
    expect(buckets.take('a')).toMatchObject({ ok: false, first: true });
    expect(buckets.take('a')).toMatchObject({ ok: false, first: false });
    now = 1_000;
    expect(buckets.take('a')).toEqual({ ok: true });
    expect(buckets.take('a')).toMatchObject({ ok: false, first: true });
  });

  it('drops idle full buckets when there are many; forgets a key', () => {
    let now = 0;
    const buckets = new TokenBuckets(1, 60, () => now);
    for (let i = 0; i < 1_000; i += 1) buckets.take(`k${i}`);
    now = 10_000;
    buckets.take('last');
    expect(buckets.size).toBe(1);
    buckets.forget('last');
    expect(buckets.size).toBe(0);
  });
});
