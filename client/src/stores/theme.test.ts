import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
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
});
