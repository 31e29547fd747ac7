/**
 * Names and numbers in the current language: factor and source-kind names come from the domain
 * catalog (zh / en), numbers always carry their unit, times are local.
 */
import { catalog, factorUnitOf } from '@domain/catalog';
import { SOURCE_KIND_NAMES, type SourceKind } from '@domain/source-kinds';
import { computed } from 'vue';
import { useI18n } from 'vue-i18n';

export function useFormat() {
  const { n, d, locale } = useI18n();
  const lang = computed(() => (locale.value === 'en' ? 'en' : 'zh'));

  const factorName = (code: string): string => catalog.get(code)?.[lang.value] ?? code;
  /** The factor's unit, as a source of `kind` sends it (an ambient station's SO2 in µg/m³). */
  const factorUnit = (code: string, kind?: SourceKind): string => factorUnitOf(code, kind);
  const kindName = (kind: SourceKind): string => SOURCE_KIND_NAMES[kind]?.[lang.value] ?? kind;
  /** "12.35 mg/m³"; dimensionless quantities (A/L ratio) have an empty unit. */
  const withUnit = (value: number, unit: string): string => (unit ? `${n(value, 'value')} ${unit}` : n(value, 'value'));
  const dateTime = (ts: number): string => d(ts, 'short');
  const time = (ts: number): string => d(ts, 'time');

  return { factorName, factorUnit, kindName, withUnit, dateTime, time };
}
