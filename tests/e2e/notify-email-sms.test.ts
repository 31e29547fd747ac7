/**
 * Email and SMS targets in a real browser against the real app (issue 21): an administrator creates an
 * email target and an SMS target (wrong addresses and phones checked inline, in Chinese), sees them
 * listed in words (kind, recipients, phones, sign name and template), and test sends reach a real
 * local SMTP server and the Aliyun stand-in (signature verified). Screenshots in tests/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClientIfStale } from '../../scripts/client-build';
import { AliyunSmsDouble } from '../helpers/aliyun-sms-double';
import { launchBrowser } from '../helpers/browser';
import { SmtpSink } from '../helpers/smtp-sink';
import { ROOT, startTestApp, type TestApp } from '../helpers/test-app';

const ARTIFACTS = join(ROOT, 'tests/artifacts');
const poll = <T>(probe: () => T | Promise<T>) => expect.poll(probe, { timeout: 15_000 });
const KEY = { id: 'LTAI-e2e', secret: 'e2e-secret-31f0' };

async function choose(page: Page, select: string, option: string): Promise<void> {
  await page.locator(select).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click();
}

describe('email and SMS targets in the administration UI', () => {
  const smtp = new SmtpSink();
  const aliyun = new AliyunSmsDouble({ [KEY.id]: KEY.secret });
  let t: TestApp;
  let browser: Browser;
  let admin: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await Promise.all([smtp.start(), aliyun.start(), buildClientIfStale()]);
    t = await startTestApp({
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      SMTP_SECURITY: 'none',
      SMTP_FROM: 'o3@sthj.example.cn',
      SMS_ENDPOINT: aliyun.url,
      SMS_ACCESS_KEY_ID: KEY.id,
      SMS_ACCESS_KEY_SECRET: KEY.secret,
    });
    browser = await launchBrowser();
    const ctx = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' });
    admin = await ctx.newPage();
    admin.on('pageerror', (e) => pageErrors.push(e.message));
    await admin.goto(t.baseUrl);
    await admin.locator('input[name="username"]').fill('admin');
    await admin.locator('input[name="password"]').fill('admin-demo-2026');
    await admin.locator('button[type="submit"]').click();
    await admin.locator('[data-testid="connection"][data-state="connected"]').waitFor();
    await admin.locator('[data-testid="nav-registry"]').click();
    await admin.locator('[data-testid="tab-notifyTargets"]').click();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
    await Promise.all([smtp.close(), aliyun.close()]);
  });

  it('creates an email target, checked inline, and its test email reaches the SMTP server', async () => {
    await admin.locator('[data-testid="nt-add"]').click();
    const form = admin.locator('[data-testid="notify-target-form"]');
    await choose(admin, '[data-testid="nt-kind-select"]', '电子邮件');
    await form.locator('input[name="name"]').fill('值班邮箱');
    await form.locator('textarea[name="recipients"]').fill('duty@sthj.example.cn\nnot-an-address');
    await form.locator('input[name="name"]').click();
    await poll(() => form.innerText()).toContain('邮箱格式不正确');
    await form.locator('textarea[name="recipients"]').fill('duty@sthj.example.cn\nchief@sthj.example.cn');
    await admin.locator('[data-testid="nt-save"]').click();
    await form.waitFor({ state: 'hidden' });
    const row = admin.locator('[data-testid="nt-row"][data-name="值班邮箱"]');
    await poll(() => row.innerText()).toContain('收件人：duty@sthj.example.cn、chief@sthj.example.cn');
    expect(await row.innerText()).toContain('电子邮件');
    expect(await row.innerText()).toContain('经系统默认邮件服务器发送');
    await row.locator('[data-testid="nt-test"]').click();
    await poll(() => row.locator('[data-testid="nt-test-result"]').innerText()).toContain('测试邮件已被邮件服务器接收');
    expect(smtp.mails.at(-1)).toMatchObject({
      to: ['duty@sthj.example.cn', 'chief@sthj.example.cn'],
      subject: expect.stringContaining('值班邮箱'),
    });
  });

  it('creates an SMS target, checked inline, and its test SMS reaches the provider with a valid signature', async () => {
    await admin.locator('[data-testid="nt-add"]').click();
    const form = admin.locator('[data-testid="notify-target-form"]');
    await choose(admin, '[data-testid="nt-kind-select"]', '短信');
    await form.locator('input[name="name"]').fill('值班短信');
    await form.locator('textarea[name="phones"]').fill('1380013800');
    await form.locator('input[name="signName"]').fill('淄博生态环境');
    await form.locator('input[name="templateCode"]').fill('465324011');
    await form.locator('input[name="name"]').click();
    await poll(() => form.innerText()).toContain('手机号应为 11 位中国大陆手机号');
    await poll(() => form.innerText()).toContain('模板 CODE 形如 SMS_123456789');
    await form.locator('textarea[name="phones"]').fill('+86 138-0013-8000');
    await form.locator('input[name="templateCode"]').fill('SMS_465324011');
    await admin.screenshot({ path: join(ARTIFACTS, 'notify-target-sms-form.png') });
    await admin.locator('[data-testid="nt-save"]').click();
    await form.waitFor({ state: 'hidden' });
    const row = admin.locator('[data-testid="nt-row"][data-name="值班短信"]');
    await poll(() => row.innerText()).toContain('手机号：13800138000');
    expect(await row.innerText()).toContain('签名“淄博生态环境”，模板 SMS_465324011');
    await row.locator('[data-testid="nt-test"]').click();
    await poll(() => row.locator('[data-testid="nt-test-result"]').innerText()).toContain('测试短信已提交短信平台');
    expect(aliyun.refused).toEqual([]);
    expect(aliyun.sent.at(-1)).toMatchObject({ phones: ['13800138000'], signName: '淄博生态环境', params: { source: '值班短信' } });
    await admin.screenshot({ path: join(ARTIFACTS, 'notify-targets-email-sms.png') });
    expect(await admin.locator('[data-testid="notify-targets-view"]').innerText()).not.toMatch(/undefined|admin\.notify/);
    expect(pageErrors).toEqual([]);
  });
});
