/**
 * A reduction measure in words (issue 18): the action with its load, the window, the key
 * indicators and the expected reductions, in the current language; grade names from the domain.
 */
import type { KeyIndicator, LevelMeasure } from '@domain/reduction-list';
import { REDUCTION_POLLUTANTS } from '@domain/reduction-list';
import { GRADE_NAMES, type Grade } from '@domain/registry';
import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { useFormat } from '../../composables/use-format';

export function useReductionWords() {
  const { t, locale } = useI18n();
  const { factorName } = useFormat();
  const lang = computed(() => (locale.value === 'en' ? 'en' : 'zh'));

  const action = (m: LevelMeasure): string => t(`reductions.actions.${m.action}`, { pct: m.limitToPct ?? '' });
  const window = (m: LevelMeasure): string => (m.window ? t('reductions.window', { ...m.window }) : t('reductions.allDay'));
  const indicator = (k: KeyIndicator): string =>
    k.kind === 'line-power'
      ? t('reductions.indicator.power', { kw: k.maxKw })
      : k.kind === 'outlet-flow'
        ? t('reductions.indicator.flow', { mn: k.mn, m3h: k.maxM3h })
        : t('reductions.indicator.limit', { mn: k.mn, factor: factorName(k.code), limit: k.limit });
  const reductions = (m: LevelMeasure): string => {
    const parts = REDUCTION_POLLUTANTS.filter((p) => (m.expectedKgH[p] ?? 0) > 0).map(
      (p) => `${t(`reductions.pollutants.${p}`)} ${m.expectedKgH[p]}`,
    );
    return parts.length > 0 ? parts.join('，') : t('reductions.noReduction');
  };
  const gradeName = (g: Grade | null): string => GRADE_NAMES[g ?? 'ungraded'][lang.value];

  return { action, window, indicator, reductions, gradeName };
}
