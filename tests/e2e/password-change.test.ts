/**
 * The forced password change in headless Chromium (auth.forcePasswordChange on, as `npm start`):
 * the duty officer signs in with the published demo password, opening the wall; the dashboard keeps
 * them on 修改密码 (policy shown, no live feed) until they set their own, then goes on to the wall,
 * live. The administrator's users list tags who still must change theirs.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClientIfStale } from '../../scripts/client-build';
import { launchBrowser } from '../helpers/browser';
import { startTestApp, type TestApp } from '../helpers/test-app';

const OWN_PW = 'officer-own-pass-2026';

describe('forced password change in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await buildClientIfStale();
    t = await startTestApp({ SIMULATE: 'false', AUTH_FORCE_PASSWORD_CHANGE: 'true' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await t?.stop();
  });

  const signInAt = async (path: string, username: string, password: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${t.baseUrl}${path}`);
    await page.locator('input[name="username"]').fill(username);
    await page.locator('input[name="password"]').fill(password);
    await page.locator('button[type="submit"]').click();
    return page;
  };
  const demoPassword = (username: string) => t.app.demoAccounts.find((a) => a.username === username)!.password;

  it('a demo account is kept on the change page until it sets its own password, then reaches the wall', async () => {
    const page = await signInAt('/wall', 'officer', demoPassword('officer'));
    await page.locator('[data-testid="password-forced"]').waitFor();
    expect(new URL(page.url()).pathname).toBe('/password');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/wall');
    const form = page.locator('[data-testid="password-change"]');
    expect(await form.locator('h2').textContent()).toBe('修改密码');
    expect(await page.locator('[data-testid="password-rules"]').textContent()).toContain('至少 10 个字符');
    // No live feed, no navigation before the change; other pages lead back here.
    expect(await page.locator('[data-testid="connection"]').count()).toBe(0);
    await page.goto(`${t.baseUrl}/sources`);
    await page.locator('[data-testid="password-forced"]').waitFor();
    expect(new URL(page.url()).searchParams.get('next')).toBe('/sources');
    await page.goto(`${t.baseUrl}/wall`);
    await page.locator('[data-testid="password-forced"]').waitFor();

    await page.locator('input[name="current-password"]').fill('not-the-password');
    await page.locator('input[name="new-password"]').fill(OWN_PW);
    await page.locator('input[name="repeat-password"]').fill(OWN_PW);
    await page.locator('[data-testid="password-submit"]').click();
    await page.getByText('当前密码不正确').waitFor();

    await page.locator('input[name="current-password"]').fill(demoPassword('officer'));
    await page.locator('[data-testid="password-submit"]').click();
    await page.locator('[data-testid="connection"][data-state="connected"]').waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).pathname).toBe('/wall');
    expect(await page.locator('[data-test="change-password"]').textContent()).toContain('修改密码');
    // The demo password no longer signs in; the new one does.
    const again = await signInAt('/', 'officer', OWN_PW);
    await again.locator('[data-testid="connection"][data-state="connected"]').waitFor({ timeout: 15_000 });
  });

  it('the administrator sees who must still change the password', async () => {
    const page = await signInAt('/admin/users', 'admin', demoPassword('admin'));
    await page.locator('[data-testid="password-forced"]').waitFor();
    await page.locator('input[name="current-password"]').fill(demoPassword('admin'));
    await page.locator('input[name="new-password"]').fill('admin-own-pass-2026');
    await page.locator('input[name="repeat-password"]').fill('admin-own-pass-2026');
    await page.locator('[data-testid="password-submit"]').click();
    await page.locator('[data-testid="users-view"]').waitFor({ timeout: 15_000 });
    const tagged = async (username: string) =>
      page.locator(`[data-testid="user-row"][data-username="${username}"] [data-testid="user-must-change"]`).count();
    await page.locator('[data-testid="user-row"][data-username="ozone"]').waitFor();
    expect(await tagged('ozone')).toBe(1);
    expect(await page.locator('[data-testid="user-row"][data-username="ozone"]').textContent()).toContain('须修改密码');
    expect(await tagged('officer')).toBe(0);
    expect(await tagged('admin')).toBe(0);
  });
});
