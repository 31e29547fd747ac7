/**
 * The duty officer's wall in a real browser: an exceeding reading arrives live, the officer
 * acknowledges it from the list and resolves it from the detail drawer with a reason (whose history shows both),
 * then opens the source's trend and the sources overview (KPIs, map). Screenshots in tests/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { buildClientIfStale } from '../../scripts/client-build';
import { launchBrowser } from '../helpers/browser';
import { ROOT, startTestApp, type TestApp } from '../helpers/test-app';

const ARTIFACTS = join(ROOT, 'tests/artifacts');
const CEMENT_NH3 = '370300NH3000000000000201';
/** Element Plus puts the attributes on the <input> itself. */
const SEARCH = 'input[data-testid="filter-q"], [data-testid="filter-q"] input';

describe('duty officer: alert wall', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const row = () => page.locator(`[data-testid="alert-row"][data-mn="${CEMENT_NH3}"][data-factor="a21001"]`);

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildClientIfStale();
    t = await startTestApp();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1600, height: 950 }, locale: 'zh-CN' });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('signs in and lands on the alert wall, connected', async () => {
    await page.goto(`${t.baseUrl}/sources`);
    await page.locator('input[name="username"]').fill('officer');
    await page.locator('input[name="password"]').fill('officer-demo-2026');
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
    // A deep link survives sign-in when the role may open it.
    await expect.poll(() => new URL(page.url()).pathname).toBe('/sources');
    await page.locator('[data-testid="nav-wall"]').click();
    await page.locator('[data-testid="alert-filters"]').waitFor();
    expect(await row().count()).toBe(0);
  });

  it('an exceeding reading arrives live, unacknowledged and active', async () => {
    const source = t.config.registry.sources.find((x) => x.mn === CEMENT_NH3);
    const logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: CEMENT_NH3, username: CEMENT_NH3, password: source?.mqttPassword });
    await logger.publishAsync(
      dataTopic(CEMENT_NH3),
      JSON.stringify({ cn: '2011', ts: Date.now() - 1000, factors: { a21001: { rtd: 9.6, flag: 'N' } } }),
      {
        qos: 1,
      },
    );
    await logger.endAsync();
    await row().waitFor({ timeout: 15_000 });
    expect(await row().getAttribute('data-state')).toBe('active');
    expect(await row().getAttribute('data-acknowledged')).toBe('false');
    expect(await row().innerText()).toContain('未确认');
    await page.screenshot({ path: join(ARTIFACTS, 'officer-wall-new-alert.png') });
  });

  it('the text search and the filters narrow the wall', async () => {
    await page.locator(SEARCH).fill('不存在的监控点');
    await expect.poll(() => row().count()).toBe(0);
    await page.locator(SEARCH).fill('窑尾SNCR');
    await expect.poll(() => row().count()).toBe(1);
    await page.locator(SEARCH).fill('');
  });

  it('acknowledges from the list', async () => {
    await row().locator('[data-testid="act-acknowledge"]').click();
    await expect.poll(() => row().getAttribute('data-acknowledged')).toBe('true');
    expect(await row().locator('[data-testid="act-acknowledge"]').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'officer-wall-acknowledged.png') });
  });

  it('resolves from the detail drawer, whose history shows both steps', async () => {
    await row().click();
    const drawer = page.locator('[data-testid="alert-drawer"]');
    await drawer.waitFor();
    await expect
      .poll(() => drawer.locator('[data-testid="alert-history"] [data-testid="history-entry"][data-kind="acknowledged"]').count())
      .toBe(1);
    await drawer.locator('[data-testid="drawer-resolve"]').click();
    // Closing asks for the reason, which the history keeps.
    const dialog = page.locator('.el-dialog', { has: page.locator('[data-testid="action-submit"]') });
    await dialog.locator('textarea[name="text"]').fill('企业已完成整改');
    await dialog.locator('[data-testid="action-submit"]').click();
    await expect
      .poll(() => drawer.locator('[data-testid="alert-history"] [data-testid="history-entry"][data-kind="resolved"]').count())
      .toBe(1);
    expect(await drawer.locator('[data-testid="history-entry"][data-kind="resolved"]').first().innerText()).toContain('企业已完成整改');
    await page.screenshot({ path: join(ARTIFACTS, 'officer-drawer-resolved.png') });
    // Closed alerts leave the wall unless asked for.
    await expect.poll(() => row().count()).toBe(0);
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="filter-closed"]').click();
    await expect.poll(() => row().getAttribute('data-closed')).toBe('true');
  });

  it('opens the source detail: the stored reading is on the trend, the alert in its history', async () => {
    await page.goto(`${t.baseUrl}/sources/${CEMENT_NH3}?factor=a21001`);
    await page.locator('[data-testid="source-detail"]').waitFor();
    await expect.poll(() => page.locator('[data-testid="series-chart"]').getAttribute('data-points'), { timeout: 10_000 }).not.toBe('0');
    await page.screenshot({ path: join(ARTIFACTS, 'officer-source-detail.png'), fullPage: true });
  });

  it('the sources overview shows KPIs (the effective transmission rate the server computes) and the map', async () => {
    await page.locator('[data-testid="nav-sources"]').click();
    await page.locator('[data-testid="kpis"]').waitFor();
    await expect.poll(() => page.locator('[data-testid="kpi-exceedances"]').innerText()).toContain('1');
    // A percentage of the newest day reported (GET /api/reports/transmission/rate: a fraction computed by the server), not "—".
    await expect.poll(() => page.locator('[data-testid="kpi-rate"]').innerText()).toMatch(/\d+(\.\d+)? %/);
    await page.locator('[data-testid="overview-map"]').click();
    await page.locator('[data-testid="source-map"] canvas').waitFor();
    // The configured boundary (the fixture's five districts) from GET /api/map; every source drawn, and the
    // outlets of one plant (a stack and its SCR outlet 50 m apart) spread so that none hides another.
    const drawn = page.locator('[data-testid="source-map"] .map__canvas');
    expect(await drawn.getAttribute('data-districts')).toBe('5');
    await expect.poll(() => drawn.getAttribute('data-markers')).toBe('16');
    await expect.poll(() => drawn.getAttribute('data-overlaps')).toBe('0');
    expect(await page.locator('[data-testid="source-map"] figcaption').innerText()).toBe('朝阳市监控点分布');
    await page.screenshot({ path: join(ARTIFACTS, 'officer-overview-map.png'), fullPage: true });
  });

  it('the wall screen theme is remembered', async () => {
    await page.locator('[data-testid="theme-toggle"]').click();
    await expect.poll(() => page.locator('html').getAttribute('class')).toContain('dark');
    await page.reload();
    await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
    expect(await page.locator('html').getAttribute('class')).toContain('dark');
    await page.locator('[data-testid="nav-wall"]').click();
    await page.locator('[data-testid="alert-filters"]').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'officer-wall-dark.png') });
  });
});
