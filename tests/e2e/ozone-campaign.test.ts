/**
 * The ozone control centre and an enterprise in two real browser contexts: the ozone user sees the
 * stations' O3 status (hour data published through MQTT with the station's own credentials),
 * enters a forecast (the implied IAQI shows as typed), has a bad CSV import refused beside its row,
 * creates a campaign (refusals beside their fields) and activates it for zichuan-cement; the
 * enterprise sees the notice arrive live and acknowledges it; the acknowledgement reaches the ozone
 * page live; ending the campaign gives the final report. Screenshots in tests/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { buildClientIfStale } from '../../scripts/client-build';
import { launchBrowser } from '../helpers/browser';
import { ROOT, startTestApp, type TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';

const ARTIFACTS = join(ROOT, 'tests/artifacts');
const STATION = '370300AQS000000000001001';
const ENTERPRISE = 'zichuan-cement';
const HOUR = 3_600_000;
/** O3 hour means (µg/m³) of the last 8 complete hours, oldest first: the latest is 220 (1-h IAQI 110). */
const O3 = [150, 160, 170, 180, 190, 200, 210, 220];

/** A local date `YYYY-MM-DD` (UTC+8, the bureau's calendar) `days` from now. */
const chinaDate = (days: number): string => new Date(Date.now() + 8 * HOUR + days * 86_400_000).toISOString().slice(0, 10);

async function signIn(page: Page, baseUrl: string, user: string): Promise<void> {
  await page.goto(baseUrl);
  await page.locator('input[name="username"]').fill(user);
  await page.locator('input[name="password"]').fill(`${user}-demo-2026`);
  await page.locator('button[type="submit"]').click();
  await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
}

describe('ozone control centre: status, forecast, campaign, live notice and acknowledgement', () => {
  let t: TestApp;
  let browser: Browser;
  let ozoneCtx: BrowserContext;
  let entCtx: BrowserContext;
  let ozone: Page;
  let ent: Page;
  let enterpriseName: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildClientIfStale();
    t = await startTestApp();
    enterpriseName = t.config.registry.enterprises.find((e) => e.id === ENTERPRISE)?.name ?? ENTERPRISE;

    // The station publishes its hour data (CN 2061) with its own credentials.
    const source = t.config.registry.sources.find((s) => s.mn === STATION);
    const logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: STATION, username: STATION, password: source?.mqttPassword });
    const thisHour = Math.floor(Date.now() / HOUR) * HOUR;
    for (const [i, v] of O3.entries()) {
      const ts = thisHour - (O3.length - i) * HOUR;
      await logger.publishAsync(dataTopic(STATION), JSON.stringify({ cn: '2061', ts, factors: { a05024: { avg: v, flag: 'N' } } }), {
        qos: 1,
      });
    }
    await logger.endAsync();
    // The status is computed from stored data (and cached): wait until the store has the hours.
    const officer = await t.signIn('officer');
    const q = new URLSearchParams({ factor: 'a05024', cn: '2061', from: String(thisHour - 9 * HOUR), to: String(thisHour) });
    await until(
      async () => (await officer.call<{ items: unknown[] }>('GET', `/api/sources/${STATION}/series?${q}`)).body.items?.length === O3.length,
      'the O3 hours stored',
    );

    browser = await launchBrowser();
    ozoneCtx = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' });
    entCtx = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' });
    ozone = await ozoneCtx.newPage();
    ent = await entCtx.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('the ozone user lands on the ozone page and sees the station status with its level', async () => {
    await signIn(ozone, t.baseUrl, 'ozone');
    await expect.poll(() => new URL(ozone.url()).pathname).toBe('/ozone');
    const row = ozone.locator(`[data-testid="ozone-station"][data-mn="${STATION}"]`);
    await row.waitFor();
    await expect.poll(() => row.locator('[data-testid="o3-1h"]').innerText()).toContain('220 µg/m³');
    // 8-h moving mean of the 8 hours: 185 µg/m³, IAQI 100 + 50 × 25/55 → 123 (carried up), above
    // the 1-h IAQI (110): the ozone AQI is 123, 轻度污染 (orange).
    expect(await row.locator('[data-testid="o3-8h"]').innerText()).toContain('185 µg/m³');
    const badge = row.locator('[data-testid="aqi-badge"]');
    expect(await badge.innerText()).toContain('123');
    expect(await badge.innerText()).toContain('轻度污染');
    expect(await badge.getAttribute('data-level')).toBe('3');
    // Every ambient station is listed, with or without data.
    const stations = t.config.registry.sources.filter((s) => s.kind === 'ambient').length;
    expect(await ozone.locator('[data-testid="ozone-station"]').count()).toBe(stations);
    await ozone.screenshot({ path: join(ARTIFACTS, 'ozone-status.png'), fullPage: true });
  });

  it('enters a forecast: the implied IAQI and level show as typed; the list and the warning follow', async () => {
    const form = ozone.locator('[data-testid="forecast-form"]');
    const value = form.locator('input[name="value"]');
    await value.fill('abc');
    await expect.poll(() => form.innerText()).toContain('须为数字');
    await value.fill('170');
    await expect.poll(() => form.locator('[data-testid="f-implied"]').innerText()).toContain('IAQI 110');
    expect(await form.locator('[data-testid="f-implied"]').innerText()).toContain('轻度污染');
    // No date yet: refused next to the field, without a request.
    await form.locator('[data-testid="f-submit"]').click();
    await expect.poll(() => form.innerText()).toContain('必填');
    const date = chinaDate(1);
    const dateInput = form.locator('input[name="date"]');
    await dateInput.fill(date);
    await dateInput.press('Enter');
    await ozone.keyboard.press('Escape');
    await form.locator('[data-testid="f-submit"]').click();
    const listed = ozone.locator(`[data-testid="forecast-row"][data-date="${date}"]`);
    await listed.waitFor();
    expect(await listed.innerText()).toContain('110');
    await ozone.locator('[data-testid="forecast-chart"] canvas').waitFor();
    // One forecast day and no run: no warning (before it, "no forecast" at all).
    await expect.poll(() => ozone.locator('[data-testid="ozone-warning"]').getAttribute('data-level'), { timeout: 10_000 }).toBe('none');
  });

  it('a CSV import with a bad row is refused beside that row, and the file content is kept', async () => {
    const csv = `date,o3_8h,iaqi,note\n${chinaDate(2)},180,,\n${chinaDate(3)},,900,\n`;
    await ozone.locator('[data-testid="f-file"]').setInputFiles({ name: 'forecast.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    // Element Plus puts the attributes on the <textarea> itself.
    const text = ozone.locator('textarea[data-testid="f-csv"]');
    await text.waitFor();
    await expect.poll(() => text.inputValue()).toBe(csv);
    await ozone.locator('[data-testid="f-import"]').click();
    const refused = ozone.locator('[data-testid="f-refused-line"]');
    await refused.first().waitFor();
    expect(await refused.count()).toBe(1);
    expect(await refused.getAttribute('data-line')).toBe('3');
    expect(await refused.innerText()).toContain('iaqi');
    expect(await text.inputValue()).toBe(csv);
    expect(await ozone.locator(`[data-testid="forecast-row"][data-date="${chinaDate(2)}"]`).count()).toBe(0);
    await ozone.screenshot({ path: join(ARTIFACTS, 'ozone-forecast-import-refused.png'), fullPage: true });
  });

  it('the enterprise signs in on its own page (no notice yet)', async () => {
    await signIn(ent, t.baseUrl, ENTERPRISE);
    await expect.poll(() => new URL(ent.url()).pathname).toBe('/enterprise');
    await ent.locator('[data-testid="source-card"]').first().waitFor();
    expect(await ent.locator('[data-testid="campaign-notice"]').count()).toBe(0);
  });

  it('creates a campaign: refusals beside their fields, then a draft for zichuan-cement', async () => {
    await ozone.locator('#tab-campaigns').click();
    await ozone.locator('[data-testid="campaign-new"]').click();
    const form = ozone.locator('[data-testid="campaign-form"]');
    await form.waitFor();
    await form.locator('[data-testid="c-submit"]').click();
    await expect.poll(() => form.innerText()).toContain('请至少选择一家企业、一种类型或一个区县');
    expect(await form.innerText()).toContain('请至少选择一项措施');
    await form.locator('input[name="name"]').fill('E2E 臭氧特别管控');
    await form.locator('[data-testid="c-enterprises"]').click();
    await ozone.locator('.el-select-dropdown__item', { hasText: enterpriseName }).click();
    await ozone.keyboard.press('Escape');
    await form.locator('[data-testid="c-measures"] .el-checkbox', { hasText: '暂停涉 VOCs 排放工序' }).click();
    await expect.poll(() => form.innerText()).not.toContain('请至少选择一项措施');
    await form.locator('[data-testid="c-submit"]').click();
    const detail = ozone.locator('[data-testid="campaign-detail"][data-state="draft"]');
    await detail.waitFor();
    expect(await detail.innerText()).toContain('E2E 臭氧特别管控');
  });

  it('activates it: the enterprise sees the notice live, with the measures in its language', async () => {
    await ozone.locator('[data-testid="campaign-activate"]').click();
    await ozone.locator('[data-testid="campaign-detail"][data-state="active"]').waitFor();
    const row = ozone.locator(`[data-testid="notice-row"][data-enterprise="${ENTERPRISE}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-acknowledged')).toBe('false');

    const notice = ent.locator('[data-testid="campaign-notice"]');
    await notice.waitFor({ timeout: 10_000 });
    expect(await notice.getAttribute('data-acknowledged')).toBe('false');
    expect(await notice.innerText()).toContain('暂停涉 VOCs 排放工序');
    expect(await notice.innerText()).toContain('E2E 臭氧特别管控');
    await ent.screenshot({ path: join(ARTIFACTS, 'enterprise-campaign-notice.png'), fullPage: true });
  });

  it('the enterprise acknowledges; the ozone page shows it live', async () => {
    const notice = ent.locator('[data-testid="campaign-notice"]');
    await notice.locator('input[name="notice-note"]').fill('已停止喷涂工序');
    await notice.locator('[data-testid="notice-acknowledge"]').click();
    await notice.locator('[data-testid="notice-acknowledged"]').waitFor();
    expect(await notice.getAttribute('data-acknowledged')).toBe('true');

    const row = ozone.locator(`[data-testid="notice-row"][data-enterprise="${ENTERPRISE}"][data-acknowledged="true"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.innerText()).toContain(ENTERPRISE);
    expect(await row.innerText()).toContain('已停止喷涂工序');
    await ozone.screenshot({ path: join(ARTIFACTS, 'ozone-campaign-acknowledged.png'), fullPage: true });
  });

  it('ending the campaign gives the final report', async () => {
    await ozone.locator('[data-testid="campaign-end"]').click();
    await ozone.locator('[data-testid="campaign-detail"][data-state="ended"]').waitFor();
    await ozone.locator('[data-testid="campaign-report-load"]').click();
    const report = ozone.locator('[data-testid="campaign-report"][data-final="true"]');
    await report.waitFor();
    expect(await report.innerText()).toContain('已签收 1 家');
    // The enterprise's notice card goes with the campaign (live `campaign:changed`).
    await expect.poll(() => ent.locator('[data-testid="campaign-notice"]').count()).toBe(0);
  });

  it('the status in the wall-screen (dark) theme', async () => {
    await ozone.locator('#tab-status').click();
    await ozone.locator('[data-testid="theme-toggle"]').click();
    await expect.poll(() => ozone.locator('html').getAttribute('class')).toContain('dark');
    await ozone.locator(`[data-testid="forecast-row"][data-date="${chinaDate(1)}"]`).waitFor();
    await ozone.screenshot({ path: join(ARTIFACTS, 'ozone-status-dark.png'), fullPage: true });
  });
});
