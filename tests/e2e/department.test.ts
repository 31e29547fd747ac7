/**
 * A department user (行业主管部门) in a real browser: an administrator creates one on the users page
 * (role 行业主管部门, department 城市管理综合执法局); signed in, it lands on the overview of the sites its
 * department oversees — its kitchen and its construction site, not the same enterprise's CEMS nor
 * another department's kitchen — with only the wall, overview, reports and registry in its
 * navigation, and the bureau's pages send it back. Screenshots in tests/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClientIfStale } from '../../scripts/client-build';
import { launchBrowser } from '../helpers/browser';
import { ROOT, startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';

const ARTIFACTS = join(ROOT, 'tests/artifacts');
const poll = <T>(probe: () => T | Promise<T>) => expect.poll(probe, { timeout: 15_000 });
const KITCHEN = '370300CYYY00000000000101';
const SITE = '370300YCJC00000000000101';
const OTHER = '370300CYYY00000000000201';
const PASSWORD = 'chengguan-secret-2026';

async function signIn(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(baseUrl);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
  await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
}

async function choose(page: Page, select: string, option: string): Promise<void> {
  await page.locator(select).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click();
  await poll(() => page.locator(select).innerText()).toContain(option);
}

describe('a department user in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  let admin: ApiSession;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildClientIfStale();
    t = await startTestApp();
    admin = await t.signIn('admin');
    const sites: [string, string, 'catering' | 'dust', string][] = [
      [KITCHEN, 'qilu-power', 'catering', 'urban-management'],
      [SITE, 'qilu-power', 'dust', 'urban-management'],
      [OTHER, 'zichuan-cement', 'catering', 'market-regulation'],
    ];
    for (const [mn, enterpriseId, kind, ownerDepartment] of sites) {
      const created = await admin.call('POST', '/api/sources', {
        mn,
        enterpriseId,
        name: kind === 'dust' ? '扩建工地扬尘监测点' : '职工食堂油烟排口',
        kind,
        lat: 36.8,
        lon: 118.3,
        intervalS: 60,
        ownerDepartment,
      });
      expect(created.status).toBe(201);
    }
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('an administrator creates it on the users page, with its department', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' });
    await signIn(page, t.baseUrl, 'admin', 'admin-demo-2026');
    await page.goto(`${t.baseUrl}/admin/users`);
    await page.locator('[data-testid="user-row"][data-username="admin"]').waitFor();
    await page.locator('[data-testid="user-add"]').click();
    const form = page.locator('[data-testid="user-form"]');
    await form.locator('input[name="username"]').fill('chengguan');
    await choose(page, '[data-testid="u-role"]', '行业主管部门（只读）');
    await page.locator('[data-testid="u-save"]').click();
    await poll(() => form.innerText()).toContain('必填');
    await choose(page, '[data-testid="u-department"]', '城市管理综合执法局');
    await form.locator('input[name="password"]').fill(PASSWORD);
    await form.locator('input[name="confirm"]').fill(PASSWORD);
    await page.locator('[data-testid="u-save"]').click();
    await form.waitFor({ state: 'hidden' });
    const row = page.locator('[data-testid="user-row"][data-username="chengguan"]');
    await poll(() => row.innerText()).toContain('城市管理综合执法局');
    await page.screenshot({ path: join(ARTIFACTS, 'department-user-created.png') });
    await page.close();
  });

  it('lands on its sites’ overview, with a read-only navigation', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' });
    await signIn(page, t.baseUrl, 'chengguan', PASSWORD);
    await poll(() => new URL(page.url()).pathname).toBe('/sources');
    await poll(() => page.locator('[data-testid="source-card"]').count()).toBe(2);
    const shown = await page.locator('[data-testid="source-card"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-mn')));
    expect(shown.sort()).toEqual([KITCHEN, SITE].sort());
    const nav = await page.locator('.nav__link').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(nav).toEqual(['nav-wall', 'nav-sources', 'nav-reports', 'nav-registry']);
    await page.screenshot({ path: join(ARTIFACTS, 'department-overview.png') });
    for (const path of ['/admin/users', '/cases', '/ozone', '/maintenance']) {
      await page.goto(`${t.baseUrl}${path}`);
      await poll(() => new URL(page.url()).pathname).toBe('/sources');
    }
    await page.close();
  });
});
