import { describe, expect, it } from 'vitest';
import type { ResolvedMeasure } from '@domain/reduction-list';
import { checkState, measureText, shownReductions, verificationTotal } from './response-words';

const t = (key: string, p?: Record<string, unknown>) => `${key}:${JSON.stringify(p ?? {})}`;
const m = (measure: Partial<ResolvedMeasure['measure']>): Pick<ResolvedMeasure, 'measure'> => ({
  measure: { action: 'stop', indicators: [], expectedKgH: {}, ...measure },
});

describe('response words', () => {
  it.each<[string, Pick<ResolvedMeasure, 'measure'>, 'zh' | 'en', string]>([
    ['a stop', m({}), 'zh', '停产'],
    ['a stop in English', m({}), 'en', 'Stop'],
    ['a limit with its share', m({ action: 'limit', limitToPct: 70 }), 'zh', 'responses.limitTo:{"pct":70}'],
    ['a stop in a window', m({ window: { from: '09:00', to: '17:00' } }), 'zh', '停产（09:00–17:00）'],
    ['no measure', m({ action: 'unchanged' }), 'zh', '不采取措施'],
  ])('%s', (_what, measure, lang, text) => {
    expect(measureText(measure, lang, t)).toBe(text);
  });

  it('sums an enterprise’s verification and counts the measures failing now', () => {
    const v = (judged: number, passed: number, failed: number, streak: number) => ({
      entryId: 'e',
      judged,
      passed,
      failed,
      nodata: judged - passed - failed,
      streak,
      lastHour: null,
      lastVerdict: null,
      lastChecks: [],
    });
    expect(verificationTotal([v(3, 1, 2, 2), v(3, 3, 0, 0)])).toEqual({ judged: 6, passed: 4, failed: 2, nodata: 0, failing: 1 });
  });

  it.each<[boolean | null, string]>([
    [true, 'reached'],
    [false, 'short'],
    [null, 'unknown'],
  ])('the city check %s → %s', (pass, state) => {
    expect(checkState({ pass })).toBe(state);
  });

  it.each<[string, { expectedKg: number; achievedKg: number | null }, boolean]>([
    ['expected, not measured', { expectedKg: 6, achievedKg: null }, true],
    ['measured without an expectation', { expectedKg: 0, achievedKg: 1.2 }, true],
    ['neither expected nor measured', { expectedKg: 0, achievedKg: null }, false],
  ])('a reduction line: %s', (_what, r, shown) => {
    expect(shownReductions([r])).toEqual(shown ? [r] : []);
  });
});
