/**
 * A duty officer's first journey in a real browser: signs in (a wrong password is refused and what
 * was typed stays), the dashboard (built by Vite) shows the sources in Chinese, an exceeding
 * ammonia-slip reading published over MQTT by that logger (its own credentials) appears as a live
 * alert without reloading, and the page switches to English. Default-run shape: embedded broker
 * and embedded store. Screenshots go to tests/artifacts/.
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

describe('dashboard in headless Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildClientIfStale();
    t = await startTestApp();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('signs in: a wrong password is refused next to the form and the username stays', async () => {
    await page.goto(t.baseUrl);
    await page.locator('input[name="username"]').fill('officer');
    await page.locator('input[name="password"]').fill('not-the-password');
    await page.locator('button[type="submit"]').click();
    await expect.poll(() => page.locator('[role="alert"]').innerText()).toContain('用户名或密码错误');
    expect(await page.locator('input[name="username"]').inputValue()).toBe('officer');
    await page.screenshot({ path: join(ARTIFACTS, 'login-refused-zh.png') });
    await page.locator('input[name="password"]').fill('officer-demo-2026');
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-test="user"]').waitFor();
  });

  it('shows every registered source, connected, in Chinese by default', async () => {
    await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
    // The officer lands on the alert wall; the sources live on the overview.
    await expect.poll(() => new URL(page.url()).pathname).toBe('/wall');
    await page.locator('[data-testid="nav-sources"]').click();
    await expect.poll(() => page.locator('[data-testid="source-card"]').count()).toBe(t.config.registry.sources.length);
    expect(await page.locator('html').getAttribute('lang')).toMatch(/^zh/);
    await expect.poll(() => page.locator('body').innerText()).toContain('淄川建材水泥有限公司');
  });

  it('an exceeding ammonia-slip reading appears as a live alert', async () => {
    await page.locator('[data-testid="nav-wall"]').click();
    await page.locator('[data-testid="alert-list"]').waitFor();
    expect(await page.locator(`[data-testid="alert-row"][data-mn="${CEMENT_NH3}"]`).count()).toBe(0);
    const source = t.config.registry.sources.find((x) => x.mn === CEMENT_NH3);
    const logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: CEMENT_NH3, username: CEMENT_NH3, password: source?.mqttPassword });
    await logger.publishAsync(
      dataTopic(CEMENT_NH3),
      JSON.stringify({ cn: '2011', ts: Date.now() - 1000, factors: { a21001: { rtd: 9.6, flag: 'N' } } }),
      { qos: 1 },
    );
    await logger.endAsync();
    const row = page.locator(`[data-testid="alert-row"][data-mn="${CEMENT_NH3}"][data-factor="a21001"]`);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.getAttribute('data-state')).toBe('active');
    const text = await row.innerText();
    expect(text).toContain('9.6');
    expect(text).toContain('mg/m³');
    expect(text).toContain('淄川建材水泥有限公司');
    await page.screenshot({ path: join(ARTIFACTS, 'live-alert-zh.png'), fullPage: true });
  });

  it('switches to English', async () => {
    await page.locator('[data-testid="lang-switch"]').click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    await expect.poll(() => page.locator('[data-testid="alert-list"]').innerText()).toMatch(/NH3|Ammonia/);
    await page.screenshot({ path: join(ARTIFACTS, 'live-alert-en.png'), fullPage: true });
  });

  it('remembers English: a new load shows it (its messages are loaded before the page is drawn)', async () => {
    await page.reload();
    await expect.poll(() => page.locator('[data-testid="alert-list"]').innerText()).toMatch(/NH3|Ammonia/);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
  });
});
