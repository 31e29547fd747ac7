/** Shared cell formatting of the report tables (rates are fractions 0–1). */
import { useI18n } from 'vue-i18n';
import type { LimitView } from '../../api/reports';

export function useReportFormat() {
  const { t, n } = useI18n();
  const pct = (r: number): string => `${n(r * 100, 'value')} %`;
  const yesNo = (b: boolean): string => t(b ? 'reports.yes' : 'reports.no');
  const num = (v: number | null, unit: string): string => (v === null ? t('common.none') : unit ? `${n(v, 'value')} ${unit}` : n(v, 'value'));
  const limit = (l: LimitView | null, unit: string): string => {
    if (!l) return t('common.none');
    if (l.min !== undefined && l.max !== undefined) return `${l.min}–${l.max} ${unit}`;
    return l.max !== undefined ? `≤ ${l.max} ${unit}` : l.min !== undefined ? `≥ ${l.min} ${unit}` : t('common.none');
  };
  return { pct, yesNo, num, limit };
}
