/**
 * vue-i18n set-up: zh-CN by default, English on request; the choice is remembered in localStorage.
 * Number and date formats are named here so every component formats the same way.
 */
import { createI18n } from 'vue-i18n';
import en from './en';
import zhCN, { type MessageSchema } from './zh-CN';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';
export const LOCALE_STORAGE_KEY = 'o3-sentinel.locale';

const isLocale = (v: unknown): v is Locale => LOCALES.includes(v as Locale);

/** The remembered language, or the default when none is stored or storage is unavailable. */
export function storedLocale(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): Locale {
  const saved = storage?.getItem(LOCALE_STORAGE_KEY);
  return isLocale(saved) ? saved : DEFAULT_LOCALE;
}

const dateTime = {
  short: { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false },
  time: { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false },
  /** With the year: records that may be months old (audit log, grade history). */
  long: { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false },
} as const;

const number = {
  value: { maximumFractionDigits: 2 },
} as const;

export function createAppI18n(locale: Locale = storedLocale()) {
  return createI18n<[MessageSchema], Locale, false>({
    legacy: false,
    locale,
    fallbackLocale: DEFAULT_LOCALE,
    messages: { 'zh-CN': zhCN, en },
    datetimeFormats: { 'zh-CN': dateTime, en: dateTime },
    numberFormats: { 'zh-CN': number, en: number },
  });
}

/** Switches the language (the global i18n locale ref), remembers it and updates <html lang>. */
export function setLocale(
  target: { value: string },
  locale: Locale,
  storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage,
): void {
  target.value = locale;
  storage?.setItem(LOCALE_STORAGE_KEY, locale);
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}
