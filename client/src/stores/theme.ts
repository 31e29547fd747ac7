/**
 * Light (office) or dark (control-room wall screen) theme, remembered in localStorage. The dark
 * theme is the `dark` class on <html>: Element Plus's dark variables and ours both key off it.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';

export const THEME_STORAGE_KEY = 'o3-sentinel.theme';
export type Theme = 'light' | 'dark';

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem'>;

export function storedTheme(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): Theme {
  return storage?.getItem(THEME_STORAGE_KEY) === 'dark' ? 'dark' : 'light';
}

export function applyTheme(theme: Theme, root: { classList: DOMTokenList } | undefined = globalThis.document?.documentElement): void {
  root?.classList.toggle('dark', theme === 'dark');
}

export const useThemeStore = defineStore('theme', () => {
  let storage: Storage | undefined = globalThis.localStorage;
  const theme = ref<Theme>(storedTheme(storage));

  function set(next: Theme): void {
    theme.value = next;
    storage?.setItem(THEME_STORAGE_KEY, next);
    applyTheme(next);
  }

  function toggle(): void {
    set(theme.value === 'dark' ? 'light' : 'dark');
  }

  /** Tests use their own storage. */
  function useStorage(s: Storage): void {
    storage = s;
    theme.value = storedTheme(s);
  }

  return { theme, set, toggle, useStorage };
});
