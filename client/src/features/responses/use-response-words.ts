/** The response words in the current language (response-words.ts with vue-i18n). */
import type { ResolvedMeasure } from '@domain/reduction-list';
import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { useFormat } from '../../composables/use-format';
import { measureText, type Lang } from './response-words';

export function useResponseWords() {
  const { t, locale } = useI18n();
  const { dateTime } = useFormat();
  const lang = computed<Lang>(() => (locale.value === 'en' ? 'en' : 'zh'));
  const measure = (m: Pick<ResolvedMeasure, 'measure'>): string => measureText(m, lang.value, t);
  const num = (v: number): string => (Math.round(v * 10) / 10).toLocaleString(locale.value);
  return { t, lang, dateTime, measure, num };
}
