/**
 * 限值与规则 and 告警静默 in a real browser against the real rules and silences API: an administrator
 * sets a source's override with an invalid value and sees the server's refusal beside the field in
 * Chinese, fixes it and saves (the API then answers it), and removes it; a duty officer reads the
 * page without edit controls, sees the silences tab, a silence created over the API listed in words
 * and local time, and ends it from the list. Screenshots in tests/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClientIfStale } from '../../scripts/client-build';
import type { Silence } from '../../server/domain/alert';
import { launchBrowser } from '../helpers/browser';
import { ROOT, startTestApp, type TestApp } from '../helpers/test-app';

const ARTIFACTS = join(ROOT, 'tests/artifacts');
const poll = <T>(probe: () => T | Promise<T>) => expect.poll(probe, { timeout: 15_000 });
const MN = '370300CEMS00000000000101';
const REASON = '1号机组停炉检修，暂停二氧化硫提醒';

interface SourceRulesAnswer {
  limits: Record<string, { max?: number; min?: number }>;
  override: { limits?: Record<string, { max?: number; min?: number }>; rules?: Record<string, Record<string, unknown>> } | null;
}

async function signIn(ctx: BrowserContext, baseUrl: string, user: string): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(baseUrl);
  await page.locator('input[name="username"]').fill(user);
  await page.locator('input[name="password"]').fill(`${user}-demo-2026`);
  await page.locator('button[type="submit"]').click();
  await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
  return page;
}

describe('limits & rules, silences', () => {
  let t: TestApp;
  let browser: Browser;
  let admin: Page;
  let officer: Page;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildClientIfStale();
    t = await startTestApp();
    browser = await launchBrowser();
    const opts = { viewport: { width: 1600, height: 1100 }, locale: 'zh-CN' };
    admin = await signIn(await browser.newContext(opts), t.baseUrl, 'admin');
    officer = await signIn(await browser.newContext(opts), t.baseUrl, 'officer');
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('an administrator sets an override: refusals beside their fields in Chinese, then saved, then removed', async () => {
    const api = await t.signIn('admin');
    const rulesOf = async () => (await api.call<SourceRulesAnswer>('GET', `/api/rules/sources/${MN}`)).body;
    await admin.locator('[data-testid="nav-registry"]').click();
    await admin.locator('[data-testid="tab-registrySources"]').click();
    await admin.locator(`[data-testid="registry-source-row"][data-mn="${MN}"] [data-testid="source-rules-link"]`).click();
    const view = admin.locator('[data-testid="source-rules-view"]');
    await poll(() => view.locator('[data-testid="limit-in-force"][data-factor="a21026"]').innerText()).toContain('二氧化硫');
    expect(await view.locator('[data-testid="override-state"]').getAttribute('data-overridden')).toBe('false');

    // An invalid rule parameter: the server refuses it, the message sits beside that parameter.
    const repeat = view.locator('[data-testid="param-row"][data-param="limitInstant.repeat"]');
    await repeat.locator('input').fill('0');
    await view.locator('[data-testid="ol-add"]').click();
    await view.locator('[data-testid="ol-factor"]').click();
    await admin.locator('.el-select-dropdown__item:visible', { hasText: '二氧化硫' }).first().click();
    const row = view.locator('[data-testid="override-limit-row"][data-factor="a21026"]');
    await row.locator('[data-testid="ol-max"]').fill('20');
    await view.locator('[data-testid="override-save"]').click();
    await poll(() => repeat.locator('[data-testid="field-error"]').innerText()).toBe('不得小于 1');
    expect((await rulesOf()).override).toBeNull();

    // An inconsistent limit: beside the limit's row.
    await repeat.locator('input').fill('3');
    await row.locator('[data-testid="ol-min"]').fill('30');
    await view.locator('[data-testid="override-save"]').click();
    await poll(() => view.locator('[data-testid="field-error"][data-field="limits.a21026"]').innerText()).toBe('下限须低于上限');
    expect(await repeat.locator('[data-testid="field-error"]').count()).toBe(0);
    const text = await view.innerText();
    expect(text).not.toMatch(/limitInstant|a21026|must|invalid_rules/);
    await admin.screenshot({ path: join(ARTIFACTS, 'rules-override-refused.png') });

    // Fixed: saved, and what applies now carries it.
    await row.locator('[data-testid="ol-min"]').fill('');
    await view.locator('[data-testid="override-save"]').click();
    await poll(() => view.locator('[data-testid="override-state"]').getAttribute('data-overridden')).toBe('true');
    const saved = await rulesOf();
    expect(saved.override).toEqual({
      limits: { a21026: { max: 20, o2Converted: true, severity: 'major' } },
      rules: { limitInstant: { repeat: 3 } },
    });
    expect(saved.limits['a21026']?.max).toBe(20);
    await poll(() => view.locator('[data-testid="limit-in-force"][data-factor="a21026"]').innerText()).toContain('≤ 20 mg/m³');
    expect(await view.locator('[data-testid="field-error"]').count()).toBe(0);
    await admin.screenshot({ path: join(ARTIFACTS, 'rules-override-saved.png') });

    // Removed.
    await view.locator('[data-testid="override-remove"]').click();
    await admin.locator('.admin-confirm .el-button--primary').click();
    await poll(() => view.locator('[data-testid="override-state"]').getAttribute('data-overridden')).toBe('false');
    expect((await rulesOf()).override).toBeNull();
  });

  it('a duty officer reads the limits and rules without edit controls', async () => {
    await officer.goto(`${t.baseUrl}/admin/sources/${MN}/rules`);
    const view = officer.locator('[data-testid="source-rules-view"]');
    await view.locator('[data-testid="rules-read-only"]').waitFor();
    expect(await view.locator('[data-testid="override-save"]').count()).toBe(0);
    expect(await view.locator('[data-testid="param-row"] input').first().isDisabled()).toBe(true);
  });

  it('a duty officer sees a silence in the silences tab and ends it', async () => {
    const api = await t.signIn('officer');
    const created = await api.call<{ silence: Silence }>('POST', '/api/silences', {
      mn: MN,
      factor: 'a21026',
      reason: REASON,
      durationMin: 120,
    });
    expect(created.status).toBe(201);
    const id = created.body.silence.id;
    await officer.locator('[data-testid="nav-registry"]').click();
    await officer.locator('[data-testid="tab-silences"]').click();
    const row = officer.locator(`[data-testid="silence-row"][data-id="${id}"]`);
    await poll(() => row.innerText()).toContain(REASON);
    const text = await row.innerText();
    expect(text).toContain('1号机组烟囱');
    expect(text).toContain('二氧化硫');
    expect(text).toMatch(/[12] 小时/);
    expect(text).not.toMatch(/a21026|370300CEMS|\d{13}/);
    await officer.screenshot({ path: join(ARTIFACTS, 'silences-list.png') });

    await row.locator('[data-testid="silence-end"]').click();
    await officer.locator('.admin-confirm .el-button--primary').click();
    await poll(() => row.getAttribute('data-active')).toBe('false');
    expect(await row.innerText()).toContain('已结束');
    expect(await row.locator('[data-testid="silence-end"]').count()).toBe(0);
    const after = await api.call<{ silence: Silence }>('GET', `/api/silences/${id}`);
    expect(after.body.silence.endsAt).toBeLessThanOrEqual(Date.now());
  });

  it('a duty officer creates a silence from the list: checked inline, then listed', async () => {
    await officer.locator('[data-testid="silence-add"]').click();
    const form = officer.locator('[data-testid="silence-form"]');
    await form.waitFor();
    await officer.locator('[data-testid="sf-save"]').click();
    await poll(() => form.innerText()).toContain('至少选择监控点、监测因子或规则之一');
    await poll(() => form.innerText()).toContain('请填写原因');
    await officer.locator('[data-testid="sf-factor"]').click();
    await officer.locator('.el-select-dropdown__item:visible', { hasText: '氮氧化物' }).first().click();
    await form.locator('input[name="reason"]').fill('脱硝系统调试');
    await form.locator('input[name="hours"]').fill('0.5');
    await officer.locator('[data-testid="sf-save"]').click();
    await form.waitFor({ state: 'hidden' });
    const row = officer.locator('[data-testid="silence-row"][data-active="true"]', { hasText: '脱硝系统调试' });
    await poll(() => row.count()).toBe(1);
    expect(await row.innerText()).toMatch(/氮氧化物[\s\S]*(30|29) 分钟/);
    const listed = await (await t.signIn('officer')).call<{ items: Silence[] }>('GET', '/api/silences?active=true');
    expect(listed.body.items.map((x) => [x.mn, x.factor, x.rule, x.reason])).toEqual([[null, 'a21002', null, '脱硝系统调试']]);
  });
});
