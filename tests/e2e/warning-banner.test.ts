/**
 * Heavy-pollution warnings in three real browser contexts (issue 17 item 3): the ozone centre issues
 * a warning from its 预警 tab; the banner appears live, in the level's colour, on a duty officer's
 * page already open and on the page of an enterprise whose district is in scope (without the
 * internal note); the enterprise acknowledges its notice (已知悉) and the centre sees it; lifting it
 * takes the banner away everywhere; the effect report opens. Screenshots in tests/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClientIfStale } from '../../scripts/client-build';
import { launchBrowser } from '../helpers/browser';
import { ROOT, startTestApp, type TestApp } from '../helpers/test-app';

const ARTIFACTS = join(ROOT, 'tests/artifacts');
const NOTE = '内部：依据区域会商结果（测试）';

async function signIn(page: Page, baseUrl: string, user: string): Promise<void> {
  await page.goto(baseUrl);
  await page.locator('input[name="username"]').fill(user);
  await page.locator('input[name="password"]').fill(`${user}-demo-2026`);
  await page.locator('button[type="submit"]').click();
  await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
}

describe('a warning issued by the ozone centre shows live as a banner on other pages', () => {
  let t: TestApp;
  let browser: Browser;
  let ozone: Page;
  let officer: Page;
  let ent: Page;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildClientIfStale();
    t = await startTestApp();
    browser = await launchBrowser();
    const page = async () => (await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' })).newPage();
    [ozone, officer, ent] = await Promise.all([page(), page(), page()]);
    await Promise.all([signIn(ozone, t.baseUrl, 'ozone'), signIn(officer, t.baseUrl, 'officer'), signIn(ent, t.baseUrl, 'qilu-power')]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('issuing from the 预警 tab shows the banner on the officer’s and the enterprise’s open pages', async () => {
    expect(await officer.locator('[data-testid="warning-banner"]').count()).toBe(0);
    // A forecast of day AQI > 200 on two days: the tab proposes an orange heavy-pollution warning (not issued).
    const day = (n: number) => new Date(Date.now() + 8 * 3_600_000 + n * 86_400_000).toISOString().slice(0, 10);
    const csv = `date,iaqi,aqi\n${day(0)},40,230\n${day(1)},40,250\n`;
    const api = await t.signIn('ozone');
    expect((await api.fetch('/api/ozone/forecasts', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv })).status).toBe(
      201,
    );
    await ozone.locator('#tab-warnings').click();
    const proposal = ozone.locator('[data-testid="warning-proposal"][data-level="orange"]');
    await proposal.waitFor();
    expect(await proposal.innerText()).toContain('重污染天气橙色预警');
    expect(await officer.locator('[data-testid="warning-banner"]').count()).toBe(0);
    await ozone.locator('[data-testid="warning-issue"]').click();
    const form = ozone.locator('[data-testid="warning-form"]');
    await form.waitFor();
    // Nothing chosen yet: refused beside the field, nothing sent.
    await ozone.locator('[data-testid="warning-form-submit"]').click();
    await expect.poll(() => form.innerText()).toContain('请至少选择一个区县');
    await form.locator('[data-testid="warning-form-city"]').click();
    await form.locator('textarea').fill(NOTE);
    await ozone.locator('[data-testid="warning-form-submit"]').click();
    await ozone.locator('[data-testid="warning-row"][data-status="in_force"]').waitFor();

    for (const page of [officer, ent]) {
      const item = page.locator('[data-testid="warning-banner-item"]');
      await item.waitFor({ timeout: 10_000 });
      expect(await item.getAttribute('data-level')).toBe('yellow');
      const text = await item.innerText();
      expect(text).toContain('重污染天气黄色预警');
      expect(text).toContain('执行中');
      expect(text).toContain('临淄区');
      expect(text).not.toContain(NOTE);
      expect(text).not.toMatch(/\b1[78]\d{11}\b/); // no epoch number
      // The national convention's yellow.
      expect(await item.evaluate((el) => (el as unknown as { style: { backgroundColor: string } }).style.backgroundColor)).toBe(
        'rgb(255, 212, 0)',
      );
    }
    await officer.screenshot({ path: join(ARTIFACTS, 'warning-banner-officer.png') });
    await ent.screenshot({ path: join(ARTIFACTS, 'warning-banner-enterprise.png') });
  });

  it('the enterprise acknowledges the warning notice (已知悉, with the time); the centre sees who did', async () => {
    await ent.locator('[data-testid="warning-notice-acknowledge"]').click();
    const acked = ent.locator('[data-testid="warning-notice-acknowledged"]');
    await acked.waitFor();
    expect(await acked.innerText()).toMatch(/^已于 .+ 确认知悉$/);
    expect(await acked.innerText()).not.toMatch(/\b1[78]\d{11}\b/);
    await ozone.locator('[data-testid="warning-acks"]').first().click();
    const table = ozone.locator('[data-testid="warning-acks-table"]');
    await table.waitFor();
    const row = table.locator('tr', { hasText: '齐鲁示范热电有限公司' });
    await expect.poll(() => row.innerText()).not.toContain('未知悉');
    await ozone.keyboard.press('Escape');
    await ent.screenshot({ path: join(ARTIFACTS, 'warning-notice-enterprise.png') });
  });

  it('lifting it takes the banner away on the other pages', async () => {
    await ozone.locator('[data-testid="warning-lift"]').click();
    await ozone.locator('[data-testid="warning-act-confirm"]').click();
    await ozone.locator('[data-testid="warning-row"][data-status="lifted"]').waitFor();
    for (const page of [officer, ent]) {
      await expect.poll(() => page.locator('[data-testid="warning-banner"]').count(), { timeout: 10_000 }).toBe(0);
    }
    await ozone.screenshot({ path: join(ARTIFACTS, 'warning-list.png'), fullPage: true });
  });

  it('the lifted warning’s effect report opens as a printable page', async () => {
    await ozone.locator('[data-testid="warning-row"][data-status="lifted"] [data-testid="warning-effect-open"]').click();
    const report = ozone.locator('[data-testid="warning-effect"]');
    await report.waitFor({ timeout: 10_000 });
    const text = await report.innerText();
    expect(text).toContain('重污染天气应急响应效果评估');
    // Its response's compliance (issue 18): the enterprises in scope have no reduction list in this registry.
    expect(await report.locator('[data-testid="effect-compliance"]').innerText()).toMatch(/^响应企业 \d+ 家（无现行减排清单 \d+ 家）/);
    expect(text).not.toMatch(/\b1[78]\d{11}\b/);
    // The warning's notice: every enterprise of the city notified, 齐鲁热电 acknowledged.
    const notices = report.locator('[data-testid="effect-notices"] tbody tr').first();
    expect((await notices.innerText()).split(/\s+/).slice(-1)).toEqual(['1']);
    expect(await ozone.locator('[data-testid="warning-effect-xlsx"]').getAttribute('href')).toMatch(/format=xlsx$/);
    await ozone.screenshot({ path: join(ARTIFACTS, 'warning-effect.png'), fullPage: true });
  });
});
