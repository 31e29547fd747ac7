/**
 * vue-i18n set-up: zh-CN by default, English on request; the choice is remembered in localStorage.
 * Number and date formats are named here so every component formats the same way. zh-CN's messages
 * (the default and the fallback) are in the start script; English's load when first asked for
 * (`loadMessages`), so a Chinese page does not parse them.
 */
import { createI18n } from 'vue-i18n';
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

/** The named date formats (`d(ts, 'short')`); plain-format.ts writes `short` and `time` without Intl. */
export const DATE_TIME_FORMATS = {
  short: { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false },
  time: { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false },
  /** With the year: records that may be months old (audit log, grade history). */
  long: { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false },
} as const;

/** The named number formats (`n(x, 'value')`); plain-format.ts writes `value` without Intl. */
export const NUMBER_FORMATS = {
  value: { maximumFractionDigits: 2 },
} as const;

/** The messages of a language, loaded on first use (zh-CN's are always there). */
export async function loadMessages(locale: Locale): Promise<MessageSchema> {
  return locale === 'en' ? (await import('./en')).default : zhCN;
}

/** zh-CN's messages and those of the other languages given (`loadMessages`); `locale`'s must be among them. */
export function createAppI18n(locale: Locale = storedLocale(), messages: Partial<Record<Locale, MessageSchema>> = {}) {
  return createI18n<[MessageSchema], Locale, false>({
    legacy: false,
    locale,
    fallbackLocale: DEFAULT_LOCALE,
    // A language not given yet is added by switchLocale when chosen.
    messages: { ...messages, 'zh-CN': zhCN } as Record<Locale, MessageSchema>,
    datetimeFormats: { 'zh-CN': DATE_TIME_FORMATS, en: DATE_TIME_FORMATS },
    numberFormats: { 'zh-CN': NUMBER_FORMATS, en: NUMBER_FORMATS },
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

/** What switchLocale needs of vue-i18n's composer (useI18n()). */
export interface LocaleTarget {
  locale: { value: string };
  availableLocales: readonly string[];
  setLocaleMessage: (locale: Locale, messages: MessageSchema) => void;
}

/** Switches to `locale`, loading its messages first when they are not loaded yet (setLocale). */
export async function switchLocale(
  target: LocaleTarget,
  locale: Locale,
  storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage,
): Promise<void> {
  if (!target.availableLocales.includes(locale)) target.setLocaleMessage(locale, await loadMessages(locale));
  setLocale(target.locale, locale, storage);
}
