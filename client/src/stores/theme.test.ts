import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import headScript from '../../public/theme.js?raw';
import { applyTheme, storedTheme, THEME_STORAGE_KEY, useThemeStore } from './theme';

const memory = (init: Record<string, string> = {}) => {
  const data = new Map(Object.entries(init));
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), data };
};

describe('theme', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it.each([
    { stored: undefined, expected: 'light' },
    { stored: 'dark', expected: 'dark' },
    { stored: 'neon', expected: 'light' },
  ])('stored $stored → $expected', ({ stored, expected }) => {
    expect(storedTheme(memory(stored ? { [THEME_STORAGE_KEY]: stored } : {}))).toBe(expected);
  });

  it('toggles and remembers the choice', () => {
    const storage = memory();
    const store = useThemeStore();
    store.useStorage(storage);
    store.toggle();
    expect(store.theme).toBe('dark');
    expect(storage.data.get(THEME_STORAGE_KEY)).toBe('dark');
    store.toggle();
    expect(storedTheme(storage)).toBe('light');
  });

  it('the dark theme is a class on the root element', () => {
    const classes = new Set<string>();
    const root = {
      classList: { toggle: (c: string, on: boolean) => (on ? classes.add(c) : classes.delete(c)) } as unknown as DOMTokenList,
    };
    applyTheme('dark', root);
    expect([...classes]).toEqual(['dark']);
    applyTheme('light', root);
    expect([...classes]).toEqual([]);
  });

  // client/public/theme.js sets the class before the app's script runs: same key, same rule as storedTheme.
  it.each([
    { stored: undefined, dark: false },
    { stored: 'dark', dark: true },
    { stored: 'neon', dark: false },
  ])('the page head script, stored $stored → dark $dark', ({ stored, dark }) => {
    const classes = new Set<string>();
    const document = { documentElement: { classList: { add: (c: string) => classes.add(c) } } };
    new Function('localStorage', 'document', headScript)(memory(stored ? { [THEME_STORAGE_KEY]: stored } : {}), document);
    expect(classes.has('dark')).toBe(dark);
  });

  it('the page head script leaves the page light when storage is refused', () => {
    const refused = {
      getItem: () => {
        throw new Error('SecurityError');
      },
    };
    const classes = new Set<string>();
    const document = { documentElement: { classList: { add: (c: string) => classes.add(c) } } };
    expect(() => new Function('localStorage', 'document', headScript)(refused, document)).not.toThrow();
    expect(classes.size).toBe(0);
  });
});
