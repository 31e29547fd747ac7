/**
 * A response's facts in words (pure; the caller passes vue-i18n's `t` and the language): a
 * measure (停产 / 限产至 70% / 09:00–17:00), its obligation, an enterprise's verification summed
 * over its measures, a pollutant's share of the city's check.
 */
import { MEASURE_ACTION_NAMES, REDUCTION_POLLUTANT_NAMES, type PollutantCheck, type ResolvedMeasure } from '@domain/reduction-list';
import { GRADE_NAMES, type Grade } from '@domain/registry';
import type { MeasureVerification } from '@domain/response';

export type Lang = 'zh' | 'en';
type T = (key: string, params?: Record<string, unknown>) => string;

/** The measure as the list states it: its action (limit with its share), its daily window. */
export function measureText(m: Pick<ResolvedMeasure, 'measure'>, lang: Lang, t: T): string {
  const a = m.measure;
  const what =
    a.action === 'limit' && a.limitToPct !== undefined
      ? t('responses.limitTo', { pct: a.limitToPct })
      : MEASURE_ACTION_NAMES[a.action][lang];
  return a.window ? `${what}（${a.window.from}–${a.window.to}）` : what;
}

export const gradeText = (g: Grade, lang: Lang): string => GRADE_NAMES[g][lang];

export const pollutantText = (c: Pick<PollutantCheck, 'pollutant'>, lang: Lang): string =>
  lang === 'zh' ? REDUCTION_POLLUTANT_NAMES[c.pollutant].zh : REDUCTION_POLLUTANT_NAMES[c.pollutant].en;

/** An enterprise's verification summed over its measures. */
export function verificationTotal(vs: readonly MeasureVerification[]): {
  judged: number;
  passed: number;
  failed: number;
  nodata: number;
  failing: number;
} {
  return vs.reduce(
    (a, v) => ({
      judged: a.judged + v.judged,
      passed: a.passed + v.passed,
      failed: a.failed + v.failed,
      nodata: a.nodata + v.nodata,
      failing: a.failing + (v.streak > 0 ? 1 : 0),
    }),
    { judged: 0, passed: 0, failed: 0, nodata: 0, failing: 0 },
  );
}

/** The city's check of one pollutant: reached, short, or not configured. */
export function checkState(c: Pick<PollutantCheck, 'pass'>): 'reached' | 'short' | 'unknown' {
  return c.pass === null ? 'unknown' : c.pass ? 'reached' : 'short';
}

/** The reductions worth a line: something was expected or measured (a pollutant neither expected nor monitored says nothing). */
export const shownReductions = <R extends { expectedKg: number; achievedKg: number | null }>(rs: readonly R[]): R[] =>
  rs.filter((r) => r.expectedKg > 0 || r.achievedKg !== null);
