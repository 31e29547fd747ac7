/** Shared words of the data-quality page: rates as percentages, periods and hours in the current language. */
import { useI18n } from 'vue-i18n';
import { useFormat } from '../../composables/use-format';

export function useQualityFormat() {
  const { t, n } = useI18n();
  const { withUnit, dateTime } = useFormat();
  /** A fraction 0–1 as "92.5 %". */
  const pct = (r: number): string => `${n(Math.round(r * 1000) / 10, 'value')} %`;
  /** `2026-11` → 2026 年 11 月; `2026-Q4` → 2026 年第 4 季度. */
  const periodLabel = (p: string): string => {
    const q = /^(\d{4})-Q([1-4])$/.exec(p);
    if (q) return t('quality.quarterLabel', { year: q[1], q: q[2] });
    const m = /^(\d{4})-(\d{2})$/.exec(p);
    return m ? t('quality.monthLabel', { year: m[1], m: Number(m[2]) }) : p;
  };
  const hours = (h: number): string => t('quality.hours', { n: n(h, 'value') });
  const stack = (m: number | null): string => (m === null ? t('quality.noStack') : withUnit(m, 'm'));
  return { pct, periodLabel, hours, stack, withUnit, dateTime };
}
