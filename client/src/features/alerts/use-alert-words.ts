/** The formatters alert-words.ts needs, in the current language (vue-i18n, use-format, the sources store). */
import { useI18n } from 'vue-i18n';
import { useFormat } from '../../composables/use-format';
import { useSourcesStore } from '../../stores/sources';
import type { Words } from './alert-words';

export function useAlertWords(): Words {
  const { t, te, locale } = useI18n();
  const { withUnit, dateTime } = useFormat();
  const sources = useSourcesStore();
  return {
    t: (key, params) => (params ? t(key, params) : t(key)),
    te: (key) => te(key),
    dateTime,
    date: (ts) => new Intl.DateTimeFormat(locale.value, { year: 'numeric', month: '2-digit', day: '2-digit' }).format(ts),
    withUnit,
    sourceName: (mn) => sources.lookup(mn)?.name ?? mn,
  };
}
