/**
 * Notification targets in a real browser against the real app (issue 14): an administrator creates
 * a DingTalk target pointing at a real local HTTP server (checked inline first), sees it listed with
 * its URL masked, sends a test and the server receives it; disables it after a confirmation; the
 * audit viewer names the change in Chinese words; deleting asks first. A duty officer has no such
 * tab. The token in the URL never reaches a page. Screenshots in tests/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClientIfStale } from '../../scripts/client-build';
import { launchBrowser } from '../helpers/browser';
import { ROOT, startTestApp, type TestApp } from '../helpers/test-app';

const ARTIFACTS = join(ROOT, 'tests/artifacts');
const poll = <T>(probe: () => T | Promise<T>) => expect.poll(probe, { timeout: 15_000 });
const SECRET = 'e2e-ding-token-5c3b9a1f';
const NAME = '值班室钉钉群';

async function signIn(ctx: BrowserContext, baseUrl: string, user: string): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(baseUrl);
  await page.locator('input[name="username"]').fill(user);
  await page.locator('input[name="password"]').fill(`${user}-demo-2026`);
  await page.locator('button[type="submit"]').click();
  await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
  return page;
}

describe('notification targets in the administration UI', () => {
  const received: { path: string; body: { msgtype?: string; markdown?: { title?: string; text?: string } } }[] = [];
  /** What the server answers next (then 200). */
  let nextStatus = 200;
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(data) });
      const status = nextStatus;
      nextStatus = 200;
      res.writeHead(status, { 'content-type': 'application/json' }).end(status === 200 ? '{"errcode":0,"errmsg":"ok"}' : 'Bad Gateway');
    });
  });
  let hookUrl = '';
  let t: TestApp;
  let browser: Browser;
  let ctx: BrowserContext;
  let admin: Page;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/robot/send?access_token=${SECRET}`;
    await buildClientIfStale();
    t = await startTestApp();
    browser = await launchBrowser();
    ctx = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' });
    admin = await signIn(ctx, t.baseUrl, 'admin');
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
    await new Promise((r) => server.close(r));
  });

  it('the administrator creates a target, checked inline, and sees it listed with the URL masked', async () => {
    await admin.locator('[data-testid="nav-registry"]').click();
    await admin.locator('[data-testid="tab-notifyTargets"]').click();
    const view = admin.locator('[data-testid="notify-targets-view"]');
    await poll(() => view.innerText()).toContain('还没有通知渠道');
    await admin.locator('[data-testid="nt-add"]').click();
    const form = admin.locator('[data-testid="notify-target-form"]');
    await form.waitFor();
    await form.locator('input[name="url"]').fill('ftp://robot.example/send');
    await form.locator('input[name="name"]').click();
    await poll(() => form.innerText()).toContain('地址须以 http:// 或 https:// 开头');
    await form.locator('input[name="url"]').fill('https://robot:secret@robot.example/send');
    await form.locator('input[name="name"]').click();
    await poll(() => form.innerText()).toContain('地址中不能包含用户名或密码');
    await admin.locator('[data-testid="nt-save"]').click();
    await poll(() => form.innerText()).toContain('必填');
    await form.locator('input[name="name"]').fill(NAME);
    await form.locator('input[name="url"]').fill(hookUrl);
    await admin.screenshot({ path: join(ARTIFACTS, 'notify-target-form.png') });
    await admin.locator('[data-testid="nt-save"]').click();
    await form.waitFor({ state: 'hidden' });
    const row = admin.locator(`[data-testid="nt-row"][data-name="${NAME}"]`);
    await poll(() => row.count()).toBe(1);
    const text = await row.innerText();
    expect(text).toContain('Webhook 机器人 · 钉钉群机器人');
    expect(text).toContain('access_token=***');
    expect(text).toContain('已启用');
    expect(text).toContain('暂无投递记录');
    expect(await admin.content()).not.toContain(SECRET);
  });

  it('“发送测试” sends a test now: the local server receives it and the page shows the result', async () => {
    const row = admin.locator(`[data-testid="nt-row"][data-name="${NAME}"]`);
    const result = row.locator('[data-testid="nt-test-result"]');
    nextStatus = 502;
    await row.locator('[data-testid="nt-test"]').click();
    await poll(() => result.innerText()).toContain('测试失败：对方返回 HTTP 502');
    expect(await result.innerText()).not.toContain('Bad Gateway'); // the webhook's own text is not shown
    await row.locator('[data-testid="nt-test"]').click();
    await poll(() => result.innerText()).toContain('测试消息已送达（HTTP 200');
    expect(received).toHaveLength(2);
    expect(received[1]?.path).toBe(`/robot/send?access_token=${SECRET}`);
    expect(received[1]?.body).toMatchObject({ msgtype: 'markdown', markdown: { title: expect.stringContaining(`测试`) } });
    expect(received[1]?.body.markdown?.text).toContain(NAME);
    await admin.screenshot({ path: join(ARTIFACTS, 'notify-targets.png') });
  });

  it('disabling asks first; the audit viewer names the changes in Chinese words, never the id or the token', async () => {
    const row = admin.locator(`[data-testid="nt-row"][data-name="${NAME}"]`);
    await row.locator('[data-testid="nt-toggle"]').click();
    await admin.locator('.admin-confirm .el-button--primary').click();
    await poll(() => row.locator('[data-testid="nt-state"]').innerText()).toContain('已停用');
    const stored = (await (await t.signIn('admin')).call<{ items: { id: string; enabled: boolean }[] }>('GET', '/api/notify-targets')).body
      .items;
    expect(stored.map((x) => x.enabled)).toEqual([false]);

    await admin.locator('[data-testid="tab-audit"]').click();
    const created = admin.locator('[data-testid="audit-row"][data-action="notify.target_created"]');
    await poll(() => created.count()).toBe(1);
    expect(await created.innerText()).toContain('新增通知渠道');
    expect(await created.innerText()).toContain(`通知渠道 ${NAME}`);
    const updated = admin.locator('[data-testid="audit-row"][data-action="notify.target_updated"]');
    expect(await updated.innerText()).toContain('启用：是 → 否');
    const tested = admin.locator('[data-testid="audit-row"][data-action="notify.target_tested"]');
    await poll(() => tested.count()).toBe(2);
    expect(await tested.first().innerText()).toContain('测试通知渠道');
    const page = await admin.locator('[data-testid="audit-view"]').innerText();
    expect(page).not.toContain(SECRET);
    expect(page).not.toContain(stored[0]?.id);
  });

  it('deleting asks first, then the target is gone', async () => {
    await admin.locator('[data-testid="tab-notifyTargets"]').click();
    const row = admin.locator(`[data-testid="nt-row"][data-name="${NAME}"]`);
    await row.locator('[data-testid="nt-delete"]').click();
    await poll(() => admin.locator('.admin-confirm').innerText()).toContain('排队中尚未发出的通知将被放弃');
    await admin.locator('.admin-confirm .el-button--primary').click();
    await poll(() => row.count()).toBe(0);
  });

  it('a duty officer has no notification targets tab', async () => {
    const officer = await signIn(await browser.newContext({ locale: 'zh-CN' }), t.baseUrl, 'officer');
    await officer.locator('[data-testid="nav-registry"]').click();
    await officer.locator('[data-testid="tab-registry"]').waitFor();
    expect(await officer.locator('[data-testid="tab-notifyTargets"]').count()).toBe(0);
    await officer.goto(`${t.baseUrl}/admin/notify-targets`);
    await poll(() => officer.url()).not.toContain('/admin/notify-targets');
  });
});
