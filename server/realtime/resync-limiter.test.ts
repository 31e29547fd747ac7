import { describe, expect, it } from 'vitest';
import { takeResync, type ResyncVerdict } from './resync-limiter';

const LIMIT = { max: 3, perMs: 10_000 };

describe('takeResync', () => {
  it.each<[string, number[], ResyncVerdict[]]>([
    ['answers up to max per window', [0, 1, 2], ['ok', 'ok', 'ok']],
    [
      'refuses beyond, flagging the first refusal of the window for the log',
      [0, 1, 2, 3, 4, 5],
      ['ok', 'ok', 'ok', 'first_refusal', 'refused', 'refused'],
    ],
    ['starts afresh once the window has passed', [0, 1, 2, 3, 10_000, 10_001], ['ok', 'ok', 'ok', 'first_refusal', 'ok', 'ok']],
    ['a clock going back starts a new window', [5_000, 5_001, 5_002, 5_003, 0], ['ok', 'ok', 'ok', 'first_refusal', 'ok']],
  ])('%s', (_what, times, verdicts) => {
    const w = { start: times[0]!, count: 0 };
    expect(times.map((t) => takeResync(w, LIMIT, t))).toEqual(verdicts);
  });
});
