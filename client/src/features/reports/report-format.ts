/** Shared cell formatting of the report tables (rates are fractions 0–1; values at their factor's precision). */
import { factorDecimals } from '@domain/catalog';
import { roundGbt8170 } from '@domain/rounding';
import { useI18n } from 'vue-i18n';
import type { LimitView } from '@domain/limit-pack';

export function useReportFormat() {
  const { t, n } = useI18n();
  const pct = (r: number): string => `${n(r * 100, 'value')} %`;
  const yesNo = (b: boolean): string => t(b ? 'reports.yes' : 'reports.no');
  /** A value rounded (GB/T 8170) and shown with exactly `decimals` decimals; "—" for none. */
  const fixed = (v: number | null, decimals: number): string =>
    v === null ? t('common.none') : n(roundGbt8170(v, decimals), { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  /** A factor's value at its catalog precision, with the unit. */
  const num = (v: number | null, unit: string, factor?: string): string => {
    if (v === null) return t('common.none');
    const text = factor ? fixed(v, factorDecimals(factor)) : n(v, 'value');
    return unit ? `${text} ${unit}` : text;
  };
  const limit = (l: LimitView | null, unit: string): string => {
    if (!l) return t('common.none');
    if (l.min !== undefined && l.max !== undefined) return `${l.min}–${l.max} ${unit}`;
    return l.max !== undefined ? `≤ ${l.max} ${unit}` : l.min !== undefined ? `≥ ${l.min} ${unit}` : t('common.none');
  };
  return { pct, yesNo, num, fixed, limit };
}
