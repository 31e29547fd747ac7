/**
 * Names and numbers in the current language: factor and source-kind names come from the domain
 * catalog (zh / en), numbers always carry their unit, times are local. Numbers and times are written
 * without Intl (locales/plain-format.ts: the same text as vue-i18n's `n` / `d` with these formats),
 * so the wall's first row and the overview's first card do not wait for ICU's data.
 */
import { catalog, factorUnitOf } from '@domain/catalog';
import { SOURCE_KIND_NAMES, type SourceKind } from '@domain/source-kinds';
import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { plainDateTime, plainNumber, plainTime } from '../locales/plain-format';

export function useFormat() {
  const { n, d, locale } = useI18n();
  const lang = computed(() => (locale.value === 'en' ? 'en' : 'zh'));

  const factorName = (code: string): string => catalog.get(code)?.[lang.value] ?? code;
  /** The factor's unit, as a source of `kind` sends it (an ambient station's SO2 in µg/m³). */
  const factorUnit = (code: string, kind?: SourceKind): string => factorUnitOf(code, kind);
  const kindName = (kind: SourceKind): string => SOURCE_KIND_NAMES[kind]?.[lang.value] ?? kind;
  /** "1,234.5": at most two decimals. */
  const number = (value: number): string => plainNumber(value, locale.value, (x) => n(x, 'value'));
  /** "12.35 mg/m³"; dimensionless quantities (A/L ratio) have an empty unit. */
  const withUnit = (value: number, unit: string): string => (unit ? `${number(value)} ${unit}` : number(value));
  const dateTime = (ts: number): string => plainDateTime(ts, locale.value, (x) => d(x, 'short'));
  const time = (ts: number): string => plainTime(ts, (x) => d(x, 'time'));

  return { factorName, factorUnit, kindName, number, withUnit, dateTime, time };
}
