/**
 * API tokens in a real browser against the real app (issue 21): an administrator opens the tokens
 * tab, creates a read token, sees it once (then never again), and a script uses it; the list shows it
 * in Chinese words with local times and no internal id; revoking asks first and the script gets 401.
 * An enterprise user manages its own enterprise's tokens from its portal (no choice of enterprise).
 * Screenshots in tests/artifacts/.
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
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

async function signIn(ctx: BrowserContext, baseUrl: string, user: string): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(baseUrl);
  await page.locator('input[name="username"]').fill(user);
  await page.locator('input[name="password"]').fill(`${user}-demo-2026`);
  await page.locator('button[type="submit"]').click();
  await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
  return page;
}

async function create(page: Page, name: string): Promise<string> {
  await page.locator('[data-testid="token-add"]').click();
  const form = page.locator('[data-testid="token-form"]');
  await form.waitFor();
  await form.locator('input[name="name"]').fill(name);
  await page.locator('[data-testid="token-create"]').click();
  const secret = page.locator('[data-testid="token-secret"]');
  await secret.waitFor();
  return (await secret.innerText()).trim();
}

describe('API tokens in the UI', () => {
  let t: TestApp;
  let browser: Browser;
  let ctx: BrowserContext;
  const alerts = (secret: string) => fetch(`${t.baseUrl}/api/alerts`, { headers: { authorization: `Bearer ${secret}` } });

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

  it('an administrator creates a token, sees it once, and revokes it after a confirmation', async () => {
    const admin = await signIn(ctx, t.baseUrl, 'admin');
    await admin.locator('[data-testid="nav-registry"]').click();
    await admin.locator('[data-testid="tab-apiTokens"]').click();
    const view = admin.locator('[data-testid="api-tokens-view"]');
    await poll(() => view.innerText()).toContain('还没有接口令牌');
    const secret = await create(admin, '省厅数据交换');
    expect(secret).toMatch(/^o3s_[A-Za-z0-9_-]{43}$/);
    await poll(() => admin.locator('[data-testid="token-once"]').innerText()).toContain('关闭后无法再次查看');
    await admin.screenshot({ path: join(ARTIFACTS, 'api-token-once.png') });
    await admin.locator('[data-testid="token-once-done"]').click();
    await poll(() => admin.locator('[data-testid="token-secret"]').isVisible()).toBe(false);
    expect(await admin.locator('body').innerText()).not.toContain(secret.slice(8));
    expect((await alerts(secret)).status).toBe(200);

    await admin.reload();
    const row = admin.locator('[data-testid="token-row"][data-name="省厅数据交换"]');
    await poll(() => row.innerText()).toContain('只读');
    const text = await row.innerText();
    expect(text).toContain('全部企业');
    expect(text).toContain('有效');
    expect(text).toContain(secret.slice(0, 8));
    expect(await view.innerText()).not.toContain(secret.slice(8));
    expect(await view.innerText()).not.toMatch(UUID);
    expect(text).not.toMatch(/\b1[7-9]\d{11}\b/); // no epoch numbers
    await admin.screenshot({ path: join(ARTIFACTS, 'api-tokens.png') });

    await row.locator('[data-testid="token-revoke"]').click();
    await poll(() => admin.locator('.admin-confirm').innerText()).toContain('将立即无法访问');
    await admin.locator('.admin-confirm .el-button--primary').click();
    await poll(() => row.locator('[data-testid="token-state"]').innerText()).toBe('已吊销');
    expect((await alerts(secret)).status).toBe(401);
    await admin.close();
  });

  it('an enterprise user manages its own tokens from its portal', async () => {
    const own = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' });
    const page = await signIn(own, t.baseUrl, 'qilu-power');
    await page.locator('[data-testid="nav-apiTokens"]').click();
    const view = page.locator('[data-testid="api-tokens-view"]');
    await poll(() => view.innerText()).toContain('接口令牌');
    await expect(page.locator('[data-testid="tab-apiTokens"]').count()).resolves.toBe(0);
    await page.locator('[data-testid="token-add"]').click();
    await page.locator('[data-testid="token-form"]').waitFor();
    expect(await page.locator('[data-testid="token-tenant"]').count()).toBe(0);
    await page.locator('[data-testid="token-form"] input[name="name"]').fill('企业数据接口');
    await page.locator('[data-testid="token-create"]').click();
    await page.locator('[data-testid="token-secret"]').waitFor();
    await page.locator('[data-testid="token-once-done"]').click();
    const row = page.locator('[data-testid="token-row"][data-name="企业数据接口"]');
    await poll(() => row.innerText()).toContain('有效');
    expect(await page.locator('[data-testid="token-row"][data-name="省厅数据交换"]').count()).toBe(0);
    await own.close();
  });
});
