/**
 * A maintenance declaration reviewed in two real browsers: the enterprise (zichuan-cement) declares
 * a three-day stoppage of the whole plant, is told it waits for the bureau and sees it pending; the
 * duty officer finds it first on the review page and approves it with a note; the enterprise's page
 * shows it approved with the officer's note, live, without a reload. Screenshots in tests/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClientIfStale } from '../../scripts/client-build';
import type { MaintenanceWindow } from '../../server/domain/alert';
import { launchBrowser } from '../helpers/browser';
import { ROOT, startTestApp, type TestApp } from '../helpers/test-app';

const ARTIFACTS = join(ROOT, 'tests/artifacts');
const ENTERPRISE = 'zichuan-cement';
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
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('the enterprise declares a three-day stoppage of the whole plant and is told it waits for review', async () => {
    await signIn(ent, ENTERPRISE, `${ENTERPRISE}-demo-2026`);
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
    await signIn(officer, 'officer', 'officer-demo-2026');
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
