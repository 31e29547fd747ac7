/**
 * An open dashboard in headless Chromium does not outlive its session (issue 12, devices 3): when
 * an administrator disables the user, or the user signs out in another tab, the server closes the
 * page's socket at once and the page returns to the sign-in form by itself (no reload, no click).
 * The page's own socket passes the handshake's Origin check.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClientIfStale } from '../../scripts/client-build';
import { launchBrowser } from '../helpers/browser';
import { startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';

const PW = 'wall-password-2026';

describe('a revoked session in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  let admin: ApiSession;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await buildClientIfStale();
    t = await startTestApp({ SIMULATE: 'false' });
    browser = await launchBrowser();
    admin = await t.signIn('admin');
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await t?.stop();
  });

  const newUser = async (username: string): Promise<number> => {
    const res = await admin.call<{ user: { id: number } }>('POST', '/api/users', { username, role: 'officer', password: PW });
    expect(res.status).toBe(201);
    return res.body.user.id;
  };
  const signedInPage = async (username: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(t.baseUrl);
    await page.locator('input[name="username"]').fill(username);
    await page.locator('input[name="password"]').fill(PW);
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
    return page;
  };
  const backAtSignIn = (page: Page) => page.locator('input[name="username"]').waitFor({ timeout: 15_000 });

  it('the session check is asked once per load: the page preloads it and the script uses that answer', async () => {
    await newUser('wall-preload');
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    contexts.push(context);
    const page = await context.newPage();
    let checks = 0;
    page.on('request', (req) => {
      if (new URL(req.url()).pathname === '/api/auth/me') checks++;
    });
    // Signed out: one 401 from the preload, and the sign-in form.
    await page.goto(t.baseUrl);
    await backAtSignIn(page);
    expect(checks).toBe(1);
    await page.locator('input[name="username"]').fill('wall-preload');
    await page.locator('input[name="password"]').fill(PW);
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
    // Signed in, a new load of the page: one request again.
    checks = 0;
    await page.reload();
    await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
    expect(checks).toBe(1);
  });

  it('disabling the user sends the open dashboard back to the sign-in form', async () => {
    const id = await newUser('wall-disabled');
    const page = await signedInPage('wall-disabled');
    expect((await admin.call('PATCH', `/api/users/${id}`, { disabled: true })).status).toBe(200);
    await backAtSignIn(page);
    expect(await page.locator('[data-test="user"]').count()).toBe(0);
  });

  it('signing out in another tab sends this tab back to the sign-in form', async () => {
    await newUser('wall-two-tabs');
    const first = await signedInPage('wall-two-tabs');
    const second = await first.context().newPage();
    await second.goto(t.baseUrl);
    await second.locator('[data-testid="connection"][data-state="connected"]').waitFor();
    const status = await second.evaluate(async () => (await fetch('/api/auth/logout', { method: 'POST' })).status);
    expect(status).toBe(204);
    await backAtSignIn(first);
  });
});
