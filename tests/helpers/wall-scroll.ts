/**
 * Scrolls a windowed alert list (the wall's `alert-scroller`) from top to bottom a screen at a time
 * and returns the id of every row seen. A screen is read only once the list has rendered it (the
 * list follows a scroll on the next animation frame: read sooner, the old rows are read and a screen
 * is skipped) and once none of its rows is still a placeholder for a page on its way.
 */
import type { Page } from 'playwright-core';

type Screen = 'stale' | 'pending' | { ids: string[]; atEnd: boolean };

export async function scrollWallToEnd(page: Page, maxSteps = 2000): Promise<Set<string>> {
  const scroller = page.locator('[data-testid="alert-scroller"]');
  const seen = new Set<string>();
  for (let step = 0; step < maxSteps; step++) {
    const screen: Screen = await scroller.evaluate(async (el) => {
      const frame = (): Promise<unknown> => new Promise((resolve) => el.ownerDocument.defaultView?.requestAnimationFrame(resolve));
      await frame();
      await frame();
      const atEnd = el.scrollTop + el.clientHeight >= el.scrollHeight - 1;
      const shown = el.querySelectorAll('.window > [role="row"]');
      const box = el.getBoundingClientRect();
      const first = shown[0]?.getBoundingClientRect();
      const last = shown[shown.length - 1]?.getBoundingClientRect();
      if (!first || !last || first.top > box.top + 1 || (last.bottom < box.bottom - 1 && !atEnd)) return 'stale';
      if (el.querySelector('[data-testid="alert-row-pending"]')) return 'pending';
      const ids = [...el.querySelectorAll('[data-testid="alert-row"]')].map((e) => e.getAttribute('data-id') ?? '');
      if (!atEnd) el.scrollBy(0, el.clientHeight);
      return { ids, atEnd };
    });
    if (screen === 'stale') continue;
    if (screen === 'pending') {
      await page.locator('[data-testid="alert-row-pending"]').first().waitFor({ state: 'detached' });
      continue;
    }
    for (const id of screen.ids) seen.add(id);
    if (screen.atEnd) return seen;
  }
  throw new Error(`the wall did not reach its end in ${maxSteps} steps (${seen.size} rows seen)`);
}
