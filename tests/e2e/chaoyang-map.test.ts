/**
 * The shipped demo's map in a real browser: the server started on config/registry.yaml and the
 * Chaoyang boundary it names (config/map/chaoyang.geo.json), the overview map draws the seven
 * districts and every source, with the outlets of one plant spread so that none hides another;
 * the English page names the city in English. Screenshots in tests/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClientIfStale } from '../../scripts/client-build';
import { launchBrowser } from '../helpers/browser';
import { ROOT, startTestApp, type TestApp } from '../helpers/test-app';

const ARTIFACTS = join(ROOT, 'tests/artifacts');

describe('the Chaoyang demo map', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildClientIfStale();
    t = await startTestApp({
      REGISTRY_FILE: join(ROOT, 'config/registry.yaml'),
      MAP_BOUNDARY_FILE: join(ROOT, 'config/map/chaoyang.geo.json'),
      SIMULATE: 'false',
    });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1600, height: 950 }, locale: 'zh-CN' });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  const drawn = () => page.locator('[data-testid="source-map"] .map__canvas');

  it('draws the seven districts and all 92 sources, none hidden by another', async () => {
    await page.goto(`${t.baseUrl}/sources`);
    await page.locator('input[name="username"]').fill('officer');
    await page.locator('input[name="password"]').fill('officer-demo-2026');
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="kpis"]').waitFor();
    await page.locator('[data-testid="overview-map"]').click();
    await page.locator('[data-testid="source-map"][data-state="ready"] canvas').waitFor();
    expect(await drawn().getAttribute('data-districts')).toBe('7');
    await expect.poll(() => drawn().getAttribute('data-markers')).toBe(String(t.config.registry.sources.length));
    await expect.poll(() => drawn().getAttribute('data-overlaps')).toBe('0');
    expect(await page.locator('[data-testid="source-map"] figcaption').innerText()).toBe('朝阳市监控点分布');
    await page.screenshot({ path: join(ARTIFACTS, 'chaoyang-overview-map.png'), fullPage: true });
  });

  it('names the city in English on the English page', async () => {
    await page.locator('[data-testid="lang-switch"]').click();
    await expect.poll(() => page.locator('[data-testid="source-map"] figcaption').innerText()).toBe('Sources in Chaoyang');
    await page.screenshot({ path: join(ARTIFACTS, 'chaoyang-overview-map-en.png'), fullPage: true });
  });
});
