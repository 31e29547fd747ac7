import { describe, expect, it } from 'vitest';
import { createI18n } from 'vue-i18n';
import en from './en';
import { createAppI18n, DEFAULT_LOCALE, LOCALE_STORAGE_KEY, setLocale, storedLocale, switchLocale } from './index';
import zhCN from './zh-CN';

const memory = (init: Record<string, string> = {}) => {
  const data = new Map(Object.entries(init));
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), data };
};

const keys = (o: object, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));

describe('locales', () => {
  it.each([
    { stored: undefined, expected: 'zh-CN' },
    { stored: 'en', expected: 'en' },
    { stored: 'zh-CN', expected: 'zh-CN' },
    { stored: 'fr', expected: DEFAULT_LOCALE },
  ])('stored $stored → $expected', ({ stored, expected }) => {
    expect(storedLocale(memory(stored ? { [LOCALE_STORAGE_KEY]: stored } : {}))).toBe(expected);
  });

  it('no storage → the default', () => {
    expect(storedLocale(undefined)).toBe(DEFAULT_LOCALE);
  });

  it('setLocale switches and remembers the choice', () => {
    const storage = memory();
    const locale = { value: 'zh-CN' };
    setLocale(locale, 'en', storage);
    expect(locale.value).toBe('en');
    expect(storedLocale(storage)).toBe('en');
  });

  it('Chinese is there from the start; English is loaded when first chosen, then shown and remembered', async () => {
    const i18n = createAppI18n('zh-CN').global;
    expect(i18n.availableLocales).toEqual(['zh-CN']);
    const storage = memory();
    await switchLocale(i18n, 'en', storage);
    expect(i18n.availableLocales).toContain('en');
    expect(i18n.locale.value).toBe('en');
    expect(i18n.t('overview.online')).toBe(en.overview.online);
    expect(storedLocale(storage)).toBe('en');
    await switchLocale(i18n, 'zh-CN', storage);
    expect(i18n.t('overview.online')).toBe(zhCN.overview.online);
  });

  it('English has every key Chinese has, and no empty text', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort());
    const leaves = (o: object): unknown[] => Object.values(o).flatMap((v) => (typeof v === 'object' ? leaves(v as object) : [v]));
    expect([...leaves(en), ...leaves(zhCN)].every((v) => typeof v === 'string' && v.length > 0)).toBe(true);
  });

  it("every message compiles (a bare @ or | is vue-i18n syntax: write {'@'})", () => {
    for (const [locale, messages] of [
      ['zh-CN', zhCN],
      ['en', en],
    ] as const) {
      const i18n = createI18n({ legacy: false, locale, messages: { [locale]: messages }, missingWarn: false, fallbackWarn: false });
      const failed = keys(messages).filter((key) => {
        try {
          i18n.global.t(key, { n: 1 });
          return false;
        } catch {
          return true;
        }
      });
      expect({ locale, failed }).toEqual({ locale, failed: [] });
    }
  });
});
