/**
 * Who gets what in a real browser against the real app (issue 21): an administrator opens 值班与升级
 * from the administration tabs and sees who is on duty now, the roster with display names and local
 * times (a shift added over REST), the people's contacts and the escalation chain's steps, all in
 * Chinese words, no account name or epoch; changes the chain and saves it. A duty officer opens
 * 通知设置 from the header: a bad phone is refused in words, a good one saved. Screenshots in
 * tests/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClientIfStale } from '../../scripts/client-build';
import { launchBrowser } from '../helpers/browser';
import { ROOT, startTestApp, type TestApp } from '../helpers/test-app';

const ARTIFACTS = join(ROOT, 'tests/artifacts');
const poll = <T>(probe: () => T | Promise<T>) => expect.poll(probe, { timeout: 15_000 });
const H = 3_600_000;

async function signIn(ctx: BrowserContext, baseUrl: string, user: string): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(baseUrl);
  await page.locator('input[name="username"]').fill(user);
  await page.locator('input[name="password"]').fill(`${user}-demo-2026`);
  await page.locator('button[type="submit"]').click();
  await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
  return page;
}

describe('the duty roster and one’s notification settings in the UI', () => {
  let t: TestApp;
  let browser: Browser;
  let ctx: BrowserContext;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildClientIfStale();
    t = await startTestApp();
    browser = await launchBrowser();
    ctx = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('the administrator sees who is on duty, the roster and the chain in words, and saves the chain', async () => {
    const api = await t.signIn('admin');
    const now = Date.now();
    expect(
      (await api.call('POST', '/api/duty/shifts', { username: 'officer', position: 'primary', startsAt: now - H, endsAt: now + 8 * H }))
        .status,
    ).toBe(201);
    const admin = await signIn(ctx, t.baseUrl, 'admin');
    await admin.locator('[data-testid="nav-registry"]').click();
    await admin.locator('[data-testid="tab-duty"]').click();
    const page = admin.locator('[data-testid="duty-page"]');
    await poll(() => admin.locator('[data-testid="on-duty-now"]').innerText()).toContain('主班 值班人员 Duty officer');
    const roster = await admin.locator('[data-testid="roster-table"]').innerText();
    expect(roster).toContain('值班人员 Duty officer');
    expect(roster).toContain('主班');
    expect(roster).not.toMatch(/\b1\d{12}\b/); // no epoch
    expect(await admin.locator('[data-testid="escalation-step"]').count()).toBe(2);
    expect(await admin.locator('[data-testid="escalation-editor"]').innerText()).toContain('第 2 步');
    await admin.screenshot({ path: join(ARTIFACTS, 'duty-roster.png'), fullPage: true });
    await admin.locator('[data-testid="save-chain"]').click();
    await poll(() => admin.locator('.el-message').first().innerText()).toContain('已保存');
    const { body: audit } = await api.call<{ items: { action: string }[] }>('GET', '/api/audit?limit=20');
    expect(audit.items.map((a) => a.action)).toContain('duty.escalation_changed');
    expect(await page.innerText()).not.toContain('officer ');
  });

  it('a duty officer keeps their own contacts from the header: a bad phone is refused in words', async () => {
    const own = await browser.newContext({ viewport: { width: 1200, height: 1000 }, locale: 'zh-CN' });
    const officer = await signIn(own, t.baseUrl, 'officer');
    await officer.locator('[data-test="notify-settings"]').click();
    const form = officer.locator('[data-testid="notify-settings"]');
    await form.waitFor();
    await officer.locator('input[name="email"]').fill('duty@sthj.example.cn');
    await officer.locator('input[name="phone"]').fill('12345');
    await officer.locator('[data-testid="settings-save"]').click();
    await poll(() => form.innerText()).toContain('请输入 11 位手机号');
    await officer.locator('input[name="phone"]').fill('+86 138-0013-8000');
    await officer.locator('[data-testid="settings-save"]').click();
    await poll(() => officer.locator('.el-message').first().innerText()).toContain('已保存');
    await officer.screenshot({ path: join(ARTIFACTS, 'notify-settings.png'), fullPage: true });
    const mine = await (await t.signIn('officer')).call<{ contacts: { phone: string } }>('GET', '/api/notify-settings/me');
    expect(mine.body.contacts).toEqual({ email: 'duty@sthj.example.cn', phone: '13800138000' });
    await own.close();
  });
});
