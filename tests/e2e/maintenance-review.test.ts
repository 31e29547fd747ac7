/**
 * A maintenance declaration reviewed in two real browsers: the enterprise (zichuan-cement) declares
 * a three-day stoppage of the whole plant, is told it waits for the bureau and sees it pending; the
 * duty officer finds it first on the review page and approves it with a note; the enterprise's page
 * shows it approved with the officer's note, live, without a reload. Before that, an officer's
 * comment stays inside the bureau unless marked visible to the enterprise. Screenshots in tests/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClientIfStale } from '../../scripts/client-build';
import type { MaintenanceWindow } from '../../server/domain/alert';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { launchBrowser } from '../helpers/browser';
import { ROOT, startTestApp, type TestApp } from '../helpers/test-app';

const ARTIFACTS = join(ROOT, 'tests/artifacts');
const ENTERPRISE = 'zichuan-cement';
const CEMENT_NH3 = '370300NH3000000000000201';
const REASON = '全厂停产检修（窑系统大修）';
const NOTE = '已核实停产计划，准予备案';

/** `YYYY-MM-DD HH:mm:ss` in the browser's (= this machine's) local time, as the date picker reads it. */
const local = (ms: number): string => {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
};

describe('maintenance declaration: declared by the enterprise, approved by the duty officer', () => {
  let t: TestApp;
  let browser: Browser;
  let ent: Page;
  let officer: Page;

  const signIn = async (page: Page, username: string, password: string) => {
    await page.goto(t.baseUrl);
    await page.locator('input[name="username"]').fill(username);
    await page.locator('input[name="password"]').fill(password);
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
  };

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildClientIfStale();
    t = await startTestApp();
    browser = await launchBrowser();
    // Two contexts: two users, two cookie jars.
    ent = await (await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' })).newPage();
    officer = await (await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' })).newPage();
    await signIn(ent, ENTERPRISE, `${ENTERPRISE}-demo-2026`);
    await signIn(officer, 'officer', 'officer-demo-2026');
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('an officer’s comment stays in the bureau unless marked visible to the enterprise', async () => {
    const source = t.config.registry.sources.find((x) => x.mn === CEMENT_NH3);
    const logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: CEMENT_NH3, username: CEMENT_NH3, password: source?.mqttPassword });
    const reading = { cn: '2011', ts: Date.now() - 1000, factors: { a21001: { rtd: 9.6, flag: 'N' } } };
    await logger.publishAsync(dataTopic(CEMENT_NH3), JSON.stringify(reading), { qos: 1 });
    await logger.endAsync();
    const row = (page: Page) => page.locator(`[data-testid="alert-row"][data-mn="${CEMENT_NH3}"]`).first();
    await row(officer).waitFor({ timeout: 15_000 });
    const comment = async (text: string, visible: boolean) => {
      await row(officer).locator('[data-testid="act-comment"]').click();
      const dialog = officer.locator('.el-dialog');
      await dialog.waitFor();
      await dialog.locator('textarea').fill(text);
      if (visible) await dialog.locator('.el-switch').click();
      await officer.locator('[data-testid="action-submit"]').click();
      await dialog.waitFor({ state: 'hidden' });
    };
    await comment('该企业本月第三次超标，重点盯防', false);
    await comment('请于今日内说明超标原因', true);

    await row(ent).waitFor({ timeout: 15_000 });
    await row(ent).click();
    const comments = ent.locator('[data-testid="alert-drawer"] [data-testid="alert-comments"]');
    await expect.poll(() => comments.innerText()).toContain('请于今日内说明超标原因');
    expect(await comments.innerText()).not.toContain('重点盯防');
    await ent.keyboard.press('Escape');

    await row(officer).click();
    const staffComments = officer.locator('[data-testid="alert-drawer"] [data-testid="alert-comments"]');
    await expect.poll(() => staffComments.innerText()).toContain('重点盯防');
    expect(await staffComments.locator('[data-testid="history-internal"]').count()).toBe(1);
    await officer.screenshot({ path: join(ARTIFACTS, 'alert-comment-internal.png') });
    await officer.keyboard.press('Escape');
  });

  it('the enterprise declares a three-day stoppage of the whole plant and is told it waits for review', async () => {
    await expect.poll(() => new URL(ent.url()).pathname).toBe('/enterprise');
    const form = ent.locator('[data-testid="maintenance-form"]');
    await form.locator('textarea[name="reason"]').fill(REASON);
    const toInput = form.locator('input').nth(2);
    await toInput.fill(local(Date.now() + 3 * 86_400_000));
    await toInput.press('Enter');
    await ent.keyboard.press('Escape');
    await form.locator('[data-testid="m-submit"]').click();
    await expect.poll(() => form.locator('[data-testid="m-declared"]').innerText()).toContain('待生态环境局审核');
    const listed = ent.locator('[data-testid="maintenance-window"]');
    await expect.poll(() => listed.getAttribute('data-status')).toBe('pending');
    expect(await listed.innerText()).toContain('待审核');
    expect(await listed.innerText()).toContain('全厂');
    await ent.screenshot({ path: join(ARTIFACTS, 'maintenance-declared-pending.png'), fullPage: true });
  });

  it('the officer finds it pending on the review page and approves it with a note', async () => {
    await officer.locator('[data-testid="nav-maintenance"]').click();
    await expect.poll(() => new URL(officer.url()).pathname).toBe('/maintenance');
    const item = officer.locator('[data-testid="review-window"][data-status="pending"]');
    await expect.poll(() => item.count()).toBe(1);
    const text = await item.innerText();
    for (const shown of [REASON, '淄川建材水泥有限公司', '全厂', '共 72 小时', '待审核']) expect(text).toContain(shown);
    expect(await officer.locator('[data-testid="review-pending-count"]').innerText()).toContain('1 条待审核');
    await officer.screenshot({ path: join(ARTIFACTS, 'maintenance-review-pending.png'), fullPage: true });

    await item.locator('[data-testid="review-approve"]').click();
    const dialog = officer.locator('.el-dialog');
    await dialog.waitFor();
    await dialog.locator('textarea[name="review-text"]').fill(NOTE); // Element Plus puts the attributes on the <textarea> itself
    await officer.locator('[data-testid="review-submit"]').click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => officer.locator('[data-testid="review-window"]').count()).toBe(0); // the pending filter is empty now
    await officer.locator('[data-testid="review-filter-approved"]').click();
    const approved = officer.locator('[data-testid="review-window"][data-status="approved"]');
    await expect.poll(() => approved.count()).toBe(1);
    expect(await approved.innerText()).toContain('officer 于');

    const windows = await (await t.signIn('officer')).call<{ items: MaintenanceWindow[] }>('GET', '/api/maintenance');
    expect(windows.body.items.map((w) => [w.enterpriseId, w.mn, w.status, w.reviewedBy, w.reviewNote])).toEqual([
      [ENTERPRISE, null, 'approved', 'officer', NOTE],
    ]);
  });

  it('the enterprise sees it approved with the officer’s note, live', async () => {
    const listed = ent.locator('[data-testid="maintenance-window"]');
    await expect.poll(() => listed.getAttribute('data-status')).toBe('approved');
    const text = await listed.innerText();
    expect(text).toContain('已生效');
    expect(text).toContain(NOTE);
    expect(text).not.toMatch(/\b1[0-9]{12}\b/); // no epoch number
    await ent.screenshot({ path: join(ARTIFACTS, 'maintenance-declared-approved.png'), fullPage: true });
  });
});
