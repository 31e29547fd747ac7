/**
 * The reports page in a real browser: an officer's daily report and transmission rates (the 90 %
 * pass mark highlighted), the CSV export (UTF-8 BOM + header, in the UI's language), and an
 * enterprise user who sees only its own sources. Screenshots in tests/artifacts/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
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
const ENTERPRISE = 'zichuan-cement';

async function signIn(page: Page, baseUrl: string, user: string): Promise<void> {
  await page.goto(`${baseUrl}/reports`);
  await page.locator('input[name="username"]').fill(user);
  await page.locator('input[name="password"]').fill(`${user}-demo-2026`);
  await page.locator('button[type="submit"]').click();
  await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
}

describe('reports: daily, transmission, CSV export, scoped to the user', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildClientIfStale();
    t = await startTestApp();
    const source = t.config.registry.sources.find((s) => s.mn === CEMENT_NH3);
    const logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: CEMENT_NH3, username: CEMENT_NH3, password: source?.mqttPassword });
    await logger.publishAsync(dataTopic(CEMENT_NH3), JSON.stringify({ cn: '2011', ts: Date.now() - 1000, factors: { a21001: { rtd: 3.2, flag: 'N' } } }), { qos: 1 });
    await logger.endAsync();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN', acceptDownloads: true });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('an officer opens the daily report of every source', async () => {
    await signIn(page, t.baseUrl, 'officer');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/reports');
    const daily = page.locator('[data-testid="daily-source"]');
    await expect.poll(() => daily.count()).toBe(t.config.registry.sources.length);
  });

  it('exports the daily report as CSV: UTF-8 BOM, then the Chinese header', async () => {
    const link = page.locator('[data-testid="report-daily"] [data-testid="export-csv"]');
    expect(await link.getAttribute('href')).toMatch(/^\/api\/reports\/daily\?date=\d{4}-\d{2}-\d{2}&format=csv&lang=zh$/);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const bytes = readFileSync(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const header = bytes.subarray(3).toString('utf8').split(/\r?\n/)[0] ?? '';
    expect(header.startsWith('日期,企业,排放源,MN')).toBe(true);
    expect(download.suggestedFilename()).toMatch(/^o3s-daily-\d{4}-\d{2}-\d{2}\.csv$/);
  });

  it('transmission rates per source per day, those below 90 % marked', async () => {
    await page.locator('#tab-transmission').click();
    const rows = page.locator('[data-testid="transmission-row"]');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    // A source that sent (almost) nothing today is far below the pass mark.
    const failing = page.locator('[data-testid="transmission-row"][data-pass="false"]');
    expect(await failing.count()).toBeGreaterThan(0);
    expect(await failing.first().evaluate((el) => el.classList.contains('rep__fail'))).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'reports-transmission.png'), fullPage: true });
  });

  it('an enterprise user sees only its own sources', async () => {
    const ent = await browser.newPage({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' });
    await signIn(ent, t.baseUrl, ENTERPRISE);
    await expect.poll(() => new URL(ent.url()).pathname).toBe('/reports');
    const own = t.config.registry.sources.filter((s) => s.enterpriseId === ENTERPRISE).map((s) => s.mn).sort();
    const daily = ent.locator('[data-testid="daily-source"]');
    await expect.poll(() => daily.count()).toBe(own.length);
    const shown = await daily.evaluateAll((els) => els.map((e) => e.getAttribute('data-mn')));
    expect(shown.sort()).toEqual(own);
    await ent.screenshot({ path: join(ARTIFACTS, 'reports-enterprise.png'), fullPage: true });
    await ent.close();
  });
});
