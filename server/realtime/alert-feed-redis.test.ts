import { describe, expect, it } from 'vitest';
import { replayable } from './alert-feed-redis';
import type { AlertEntry } from './realtime-redis';

const kept = (...seqs: number[]): AlertEntry[] => seqs.map((seq) => ({ seq }) as AlertEntry);

describe('replayable: the changes after a browser’s last number are all still kept', () => {
  // since, current number, kept numbers → replay (true) or snapshot (false)
  it.each([
    { since: 10, seq: 10, kept: kept(), replay: true, why: 'nothing missed' },
    { since: 10, seq: 10, kept: kept(8, 9, 10), replay: true, why: 'nothing missed, older ones kept' },
    { since: 7, seq: 10, kept: kept(8, 9, 10), replay: true, why: 'the first missed one is the oldest kept' },
    { since: 7, seq: 10, kept: kept(6, 7, 8, 9, 10), replay: true, why: 'more kept than missed' },
    { since: 6, seq: 10, kept: kept(8, 9, 10), replay: false, why: 'number 7 was trimmed' },
    { since: 7, seq: 10, kept: kept(), replay: false, why: 'nothing kept (Redis lost its list)' },
    { since: 12, seq: 10, kept: kept(8, 9, 10), replay: false, why: 'ahead of Redis (Redis lost its data)' },
    { since: 0, seq: 3, kept: kept(1, 2, 3), replay: true, why: 'from the very first' },
  ])('$why', ({ since, seq, kept: entries, replay }) => {
    expect(replayable(since, { seq, entries })).toBe(replay);
  });
});
