/**
 * The administration UI in a real browser against the real registry API: an administrator creates an
 * enterprise, an outlet (seeing the logger's credentials once) and a facility feeding it; the audit viewer lists the
 * creation before → after in Chinese words; a duty officer sees the registry read-only; an
 * enterprise user sees only its own file; the source list is filtered, sorted and paged by the
 * server, with its state in the URL. Screenshots in tests/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClientIfStale } from '../../scripts/client-build';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { launchBrowser } from '../helpers/browser';
import { ROOT, startTestApp, type TestApp } from '../helpers/test-app';

const ARTIFACTS = join(ROOT, 'tests/artifacts');
const poll = <T>(probe: () => T | Promise<T>) => expect.poll(probe, { timeout: 15_000 });
const ENTERPRISE = { id: 'zhangdian-coating', name: '张店新材料涂装有限公司', creditCode: '91370303MA3C4D5E6F' };
const MN = '370303VOCS00000000000777';
const OUTLET = '涂装线 RTO 排放口';

async function signIn(ctx: BrowserContext, baseUrl: string, user: string): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(baseUrl);
  await page.locator('input[name="username"]').fill(user);
  await page.locator('input[name="password"]').fill(`${user}-demo-2026`);
  await page.locator('button[type="submit"]').click();
  await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
  return page;
}

/** Picks an option of an Element Plus select by its visible text. */
async function choose(page: Page, select: string, option: string): Promise<void> {
  await page.locator(select).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click();
  // The select shows the choice once Vue has applied it (later when the machine is busy).
  await poll(() => page.locator(select).innerText()).toContain(option);
}

describe('administration UI', () => {
  let t: TestApp;
  let browser: Browser;
  let admin: Page;
  let credentials: { pw: string; mqttPassword: string };

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildClientIfStale();
    t = await startTestApp();
    browser = await launchBrowser();
    const ctx = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' });
    admin = await signIn(ctx, t.baseUrl, 'admin');
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('an administrator creates an enterprise: checked inline, then listed', async () => {
    await admin.locator('[data-testid="nav-registry"]').click();
    await admin.locator('[data-testid="enterprise-row"]').first().waitFor();
    await admin.locator('[data-testid="enterprise-add"]').click();
    const form = admin.locator('[data-testid="enterprise-form"]');
    await form.waitFor();
    // A bad credit code is refused next to its field, in Chinese, before any request.
    await form.locator('input[name="creditCode"]').fill('12345');
    await form.locator('input[name="name"]').click();
    await poll(() => form.innerText()).toContain('统一社会信用代码为 18 位');
    await admin.locator('[data-testid="e-save"]').click();
    await poll(() => form.innerText()).toContain('必填');
    await form.locator('input[name="name"]').fill(ENTERPRISE.name);
    await form.locator('input[name="id"]').fill(ENTERPRISE.id);
    await form.locator('input[name="creditCode"]').fill(ENTERPRISE.creditCode);
    await choose(admin, '[data-testid="e-district"]', '张店区');
    await form.locator('input[name="industryCode"]').fill('C2641');
    await form.locator('input[name="industryName"]').fill('涂料制造');
    await admin.screenshot({ path: join(ARTIFACTS, 'admin-enterprise-form.png') });
    await admin.locator('[data-testid="e-save"]').click();
    await form.waitFor({ state: 'hidden' });
    const row = admin.locator(`[data-testid="enterprise-row"][data-id="${ENTERPRISE.id}"]`);
    await poll(() => row.count()).toBe(1);
    expect(await row.innerText()).toContain('C2641 涂料制造');
    const stored = await (await t.signIn('admin')).call<{ enterprise: { creditCode: string } }>('GET', `/api/enterprises/${ENTERPRISE.id}`);
    expect(stored.body.enterprise.creditCode).toBe(ENTERPRISE.creditCode);
  });

  it('adds an outlet in the enterprise file and sees its credentials once', async () => {
    await admin.locator(`[data-testid="enterprise-row"][data-id="${ENTERPRISE.id}"] [data-testid="enterprise-open"]`).click();
    await poll(() => admin.locator('[data-testid="file-title"]').innerText()).toContain(ENTERPRISE.name);
    await admin.locator('[data-testid="file-source-add"]').click();
    const form = admin.locator('[data-testid="source-form"]');
    await form.waitFor();
    await choose(admin, '[data-testid="s-kind"]', 'VOCs 在线监测');
    // Flue-gas-only fields are gone for a VOCs outlet; the stack height stays.
    // (polled: the form re-renders after the choice, later when the machine is busy)
    await poll(() => form.locator('input[name="o2Ref"]').count()).toBe(0);
    expect(await form.locator('input[name="stackHeightM"]').count()).toBe(1);
    await form.locator('input[name="name"]').fill(OUTLET);
    await form.locator('input[name="mn"]').fill('3703');
    await form.locator('input[name="lat"]').fill('36.81');
    await form.locator('input[name="name"]').click();
    await poll(() => form.innerText()).toContain('MN 为 14–24 位字母或数字');
    await form.locator('input[name="mn"]').fill(MN);
    await form.locator('input[name="lon"]').fill('118.05');
    await form.locator('input[name="stackHeightM"]').fill('25');
    await admin.locator('[data-testid="s-save"]').click();
    const dialog = admin.locator('[data-testid="credentials-dialog"]');
    await dialog.waitFor();
    const text = await dialog.innerText();
    expect(text).toContain('只显示这一次');
    expect(text).toContain(MN);
    credentials = {
      pw: (await admin.locator('[data-testid="cred-pw"]').innerText()).trim(),
      mqttPassword: (await admin.locator('[data-testid="cred-mqttPassword"]').innerText()).trim(),
    };
    expect(credentials.pw.length).toBeGreaterThanOrEqual(8);
    expect(credentials.mqttPassword.length).toBeGreaterThanOrEqual(8);
    await admin.screenshot({ path: join(ARTIFACTS, 'admin-credentials.png') });
    await admin.locator('[data-testid="credentials-done"]').click();
    await dialog.waitFor({ state: 'hidden' });
    await poll(() => admin.locator(`[data-testid="file-outlet"][data-mn="${MN}"]`).count()).toBe(1);
    // The grade history says why in words, not the server's action code.
    expect(await admin.locator('[data-testid="file-attributes"]').innerText()).toContain('新增企业');
    expect(await admin.locator('[data-testid="file-attributes"]').innerText()).not.toContain('registry.');
    // A treatment facility feeding the new outlet, listed with what it feeds.
    await admin.locator('[data-testid="facility-add"]').click();
    const facility = admin.locator('[data-testid="facility-form"]');
    await facility.waitFor();
    await choose(admin, '[data-testid="fa-kind"]', '治理设施');
    await facility.locator('input[name="name"]').fill('RTO 蓄热焚烧炉');
    await facility.locator('input[name="id"]').fill('zhangdian-rto-1');
    await facility.locator('input[name="technology"]').fill('RTO');
    await choose(admin, '[data-testid="fa-outlets"]', OUTLET);
    await admin.keyboard.press('Escape');
    await admin.locator('[data-testid="fa-save"]').click();
    await facility.waitFor({ state: 'hidden' });
    const frow = admin.locator('[data-testid="facility-row"]');
    await poll(() => frow.count()).toBe(1);
    expect(await frow.innerText()).toContain(OUTLET);
    expect(await frow.innerText()).toContain('治理设施');
    // They are never read back.
    const file = await (await t.signIn('admin')).fetch(`/api/enterprises/${ENTERPRISE.id}`);
    const body = await file.text();
    expect(body).not.toContain(credentials.pw);
    expect(body).not.toContain(credentials.mqttPassword);
  });

  it('the audit viewer lists the creations before → after, in Chinese words', async () => {
    await admin.goto(`${t.baseUrl}/admin/audit`);
    const created = admin.locator('[data-testid="audit-row"][data-action="registry.enterprise_created"]');
    await poll(() => created.count()).toBe(1);
    const row = await created.innerText();
    expect(row).toContain('新增企业');
    expect(row).toContain('admin');
    expect(row).toContain(ENTERPRISE.name);
    expect(row).toContain('统一社会信用代码');
    const source = await admin.locator('[data-testid="audit-row"][data-action="registry.source_created"]').innerText();
    expect(source).toContain('新增监控点');
    expect(source).toContain('（已隐藏）');
    expect(source).not.toContain(credentials.pw);
    // No raw keys or English field names in the Chinese viewer.
    const all = await admin.locator('[data-testid="audit-view"] tbody').innerText();
    for (const raw of ['creditCode', 'enterpriseId', 'stackHeightM', 'registry.', 'undefined', 'null']) expect(all).not.toContain(raw);
    // Filtering by action keeps only those.
    await choose(admin, '[data-testid="a-action"]', '新增监控点');
    await admin.locator('[data-testid="a-search"]').click();
    await poll(() =>
      admin.locator('[data-testid="audit-row"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action'))),
    ).toEqual(['registry.source_created']);
    await admin.screenshot({ path: join(ARTIFACTS, 'admin-audit.png') });
  });

  it('an administrator creates a user, then disables it: its sign-in is refused', async () => {
    await admin.goto(`${t.baseUrl}/admin/users`);
    await admin.locator('[data-testid="user-row"][data-username="admin"]').waitFor();
    await admin.locator('[data-testid="user-add"]').click();
    const form = admin.locator('[data-testid="user-form"]');
    await form.waitFor();
    await form.locator('input[name="username"]').fill('duty-li');
    await form.locator('input[name="password"]').fill('short');
    await form.locator('input[name="confirm"]').fill('other');
    await admin.locator('[data-testid="u-save"]').click();
    await poll(() => form.innerText()).toContain('密码至少 10 位');
    await poll(() => form.innerText()).toContain('两次输入的密码不一致');
    await form.locator('input[name="password"]').fill('duty-li-password-2026');
    await form.locator('input[name="confirm"]').fill('duty-li-password-2026');
    await admin.locator('[data-testid="u-save"]').click();
    await form.waitFor({ state: 'hidden' });
    const row = admin.locator('[data-testid="user-row"][data-username="duty-li"]');
    await poll(() => row.innerText()).toContain('值班员');
    const signInAs = () =>
      fetch(`${t.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: t.baseUrl },
        body: JSON.stringify({ username: 'duty-li', password: 'duty-li-password-2026' }),
      }).then((r) => r.status);
    expect(await signInAs()).toBe(200);
    await row.locator('[data-testid="user-toggle"]').click();
    await admin.locator('.admin-confirm .el-button--primary').click();
    await poll(() => row.innerText()).toContain('已停用');
    expect(await signInAs()).not.toBe(200);
  });

  it('a duty officer sees the registry read-only and not the users or the audit log', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' });
    const officer = await signIn(ctx, t.baseUrl, 'officer');
    await officer.locator('[data-testid="nav-registry"]').click();
    await poll(() => officer.locator(`[data-testid="enterprise-row"][data-id="${ENTERPRISE.id}"]`).count()).toBe(1);
    await officer.locator('[data-testid="read-only"]').waitFor();
    expect(
      await officer.locator('[data-testid="enterprise-add"], [data-testid="enterprise-edit"], [data-testid="enterprise-delete"]').count(),
    ).toBe(0);
    expect(await officer.locator('[data-testid="tab-users"], [data-testid="tab-audit"]').count()).toBe(0);
    await officer.locator('[data-testid="tab-registrySources"]').click();
    await poll(() => officer.locator(`[data-testid="registry-source-row"][data-mn="${MN}"]`).count()).toBe(1);
    expect(await officer.locator('[data-testid="source-add"], [data-testid="source-rotate"], [data-testid="source-delete"]').count()).toBe(
      0,
    );
    await officer.goto(`${t.baseUrl}/file/${ENTERPRISE.id}`);
    await poll(() => officer.locator(`[data-testid="file-outlet"][data-mn="${MN}"]`).count()).toBe(1);
    expect(await officer.locator('[data-testid="file-edit"], [data-testid="file-source-add"], [data-testid="facility-add"]').count()).toBe(
      0,
    );
    await officer.goto(`${t.baseUrl}/admin/users`);
    await poll(() => new URL(officer.url()).pathname).toBe('/wall');
    await ctx.close();
  });

  it('an enterprise user sees its own file only', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' });
    const ent = await signIn(ctx, t.baseUrl, 'zichuan-cement');
    await ent.locator('[data-testid="nav-enterpriseFile"]').click();
    await poll(() => ent.locator('[data-testid="file-title"]').innerText()).toContain('淄川建材水泥有限公司');
    const own = t.config.registry.sources
      .filter((s) => s.enterpriseId === 'zichuan-cement')
      .map((s) => s.mn)
      .sort();
    await poll(() => ent.locator('[data-testid="file-outlet"]').count()).toBe(own.length);
    expect(await ent.locator('[data-testid="source-rotate"], [data-testid="file-edit"]').count()).toBe(0);
    // Its own credit scorecard (this year), in words, with its emergency measures not carried out.
    await ent.locator('[data-testid="scorecard-card"][data-enterprise="zichuan-cement"]').waitFor();
    const card = await ent.locator('[data-testid="scorecard-panel"]').innerText();
    expect(card).toContain('信用评分卡');
    expect(card).toContain('有效传输率');
    expect(card).toMatch(/应急减排措施未落实 \d+ 次/);
    expect(card).not.toMatch(/scorecard\.|earlyWarning|limit-|\b1\d{12}\b/);
    await ent.screenshot({ path: join(ARTIFACTS, 'admin-enterprise-own-file.png') });
    // Another enterprise's file does not exist for it; the registry lists are not its pages.
    await ent.goto(`${t.baseUrl}/file/qilu-power`);
    await poll(() => ent.locator('[data-testid="file-error"]').innerText()).toContain('企业不存在或无权查看');
    await ent.goto(`${t.baseUrl}/admin/enterprises`);
    await poll(() => new URL(ent.url()).pathname).toBe('/enterprise');
    expect(await ent.locator('[data-testid="nav-registry"]').count()).toBe(0);
    await ctx.close();
  });

  it('the source list is filtered, sorted and paged by the server; the URL keeps it over a reload and back', async () => {
    const registryOrder = t.app.registry.view.current().sources.map((s) => s.mn);
    const shown = () =>
      admin.locator('[data-testid="registry-source-row"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-mn')));
    await admin.goto(`${t.baseUrl}/admin/sources`);
    await poll(shown).toEqual(registryOrder);
    expect(await admin.locator('[data-testid="list-count"]').innerText()).toContain(String(registryOrder.length));
    // A search (name, MN or enterprise name) runs on the server once typing stops, and goes into the URL.
    await admin.locator('[data-testid="fs-search"]').fill('窑尾');
    const kiln = ['370300CEMS00000000000201', '370300NH3000000000000201'];
    await poll(shown).toEqual(kiln);
    expect(new URL(admin.url()).searchParams.get('q')).toBe('窑尾');
    // Edited from the filtered list: the change is saved and the page shows it.
    await admin.locator(`[data-testid="registry-source-row"][data-mn="${kiln[1]}"] [data-testid="source-edit"]`).click();
    const form = admin.locator('[data-testid="source-form"]');
    await form.waitFor();
    await form.locator('input[name="name"]').fill('窑尾SNCR出口（脱硝）');
    await admin.locator('[data-testid="s-save"]').click();
    await form.waitFor({ state: 'hidden' });
    await poll(() => admin.locator(`[data-testid="registry-source-row"][data-mn="${kiln[1]}"]`).innerText()).toContain('（脱硝）');
    await admin.reload();
    await poll(shown).toEqual(kiln);
    expect(await admin.locator('[data-testid="fs-search"]').inputValue()).toBe('窑尾');
    // Sorted by MN, descending (a second click), on the server.
    await admin.locator('[data-testid="fs-reset"]').click();
    await poll(shown).toEqual(registryOrder);
    await admin.locator('[data-testid="sort-mn"]').click();
    await admin.locator('[data-testid="sort-mn"]').click();
    await poll(shown).toEqual([...registryOrder].sort().reverse());
    // One enterprise of thousands, from the virtualised select; the sort stays.
    await choose(admin, '[data-testid="fs-enterprise"]', '金华石化有限公司');
    await poll(shown).toEqual(['370300VOCS00000000000402', '370300VOCS00000000000401']);
    expect(new URL(admin.url()).searchParams.get('enterpriseId')).toBe('jinhua-petrochem');
    // Five a page: the pager's second page; leaving the list and coming back keeps it.
    await admin.goto(`${t.baseUrl}/admin/sources?pageSize=5`);
    await poll(shown).toEqual(registryOrder.slice(0, 5));
    await admin.locator('[data-testid="list-pager"] .el-pager li', { hasText: /^2$/ }).click();
    await poll(shown).toEqual(registryOrder.slice(5, 10));
    expect(new URL(admin.url()).searchParams.get('page')).toBe('2');
    await admin.locator('[data-testid="registry-source-row"]').first().locator('a').first().click();
    await poll(() => new URL(admin.url()).pathname).not.toBe('/admin/sources');
    await admin.goBack();
    await poll(shown).toEqual(registryOrder.slice(5, 10));
    await admin.screenshot({ path: join(ARTIFACTS, 'admin-source-list.png') });
    // A source added elsewhere (another administrator, over REST): the open list counts it, no reload.
    const api = await t.signIn('admin');
    const extra = {
      mn: '370300CEMS00000000009903',
      enterpriseId: 'gaoxin-heating',
      name: '4号燃气锅炉',
      kind: 'cems',
      lat: 36.79,
      lon: 118.09,
    };
    expect((await api.call('POST', '/api/sources', extra)).status).toBe(201);
    const count = admin.locator('[data-testid="list-count"]');
    await poll(() => count.innerText()).toContain(String(registryOrder.length + 1));
    expect((await api.call('DELETE', `/api/sources/${extra.mn}`)).status).toBe(204);
    await poll(() => count.innerText()).toContain(String(registryOrder.length));
  });

  it('the new logger publishes with its generated credentials at once: its exceedance is on the wall, no restart', async () => {
    const logger = await mqtt.connectAsync(t.app.mqttUrl, {
      clientId: MN,
      username: MN,
      password: credentials.mqttPassword,
      reconnectPeriod: 0,
    });
    await logger.publishAsync(
      dataTopic(MN),
      JSON.stringify({ cn: '2011', ts: Date.now() - 1000, factors: { a24088: { rtd: 95.5, flag: 'N' } } }),
      {
        qos: 1,
      },
    );
    await admin.locator('[data-testid="nav-wall"]').click();
    const row = admin.locator(`[data-testid="alert-row"][data-mn="${MN}"][data-factor="a24088"]`);
    await row.waitFor({ timeout: 15_000 });
    const text = await row.innerText();
    expect(text).toContain('95.5');
    expect(text).toContain(ENTERPRISE.name);
    await admin.screenshot({ path: join(ARTIFACTS, 'admin-new-logger-alert.png') });
    // Removing the outlet disconnects its logger, and its credentials no longer open a connection.
    const closed = new Promise<void>((resolve) => logger.once('close', () => resolve()));
    const api = await t.signIn('admin');
    await api.call('DELETE', `/api/facilities/zhangdian-rto-1`);
    expect((await api.call('DELETE', `/api/sources/${MN}`)).status).toBe(204);
    await closed;
    await logger.endAsync(true);
    await expect(
      mqtt.connectAsync(t.app.mqttUrl, { clientId: MN, username: MN, password: credentials.mqttPassword, reconnectPeriod: 0 }),
    ).rejects.toThrow(/Bad username or password|Not authorized/);
  });
});
