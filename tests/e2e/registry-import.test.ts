/**
 * The registry import page (/admin/registry-import) in a real browser against the real app: an
 * administrator uploads a workbook (built here with ExcelJS, headers as server/registry/sheet-columns
 * defines them) holding good rows and bad ones (a duplicated MN, an unknown enterprise, a latitude
 * off the globe, a limit for an unknown factor). The dry run shows the summary and names every refused
 * row (工作表/行/列/原因) in Chinese and changes nothing; applying adds the good rows only (they are in the
 * sources list and the API), shows the new loggers' passwords once (they sign in to the broker), and
 * the audit viewer lists the import. Screenshots in tests/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClientIfStale } from '../../scripts/client-build';
import { launchBrowser } from '../helpers/browser';
import { ROOT, startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';

const ARTIFACTS = join(ROOT, 'tests/artifacts');
const poll = <T>(probe: () => T | Promise<T>) => expect.poll(probe, { timeout: 15_000 });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const GOOD = [
  { mn: '370300CEMS00000000000111', enterpriseId: 'qilu-power', name: '2号机组烟囱' },
  { mn: '370300NH3000000000000211', enterpriseId: 'zichuan-cement', name: '2号窑SNCR出口' },
];
const DUP = '370300CEMS00000000000112';
const NO_OWNER = '370300CEMS00000000000113';
const OFF_GLOBE = '370300CEMS00000000000114';
const ODD_FACTOR = '370300CEMS00000000000115';
const BAD = [DUP, NO_OWNER, OFF_GLOBE, ODD_FACTOR];

/** The workbook: sheet 排口, header on row 1, so data row n is row n + 1 of the sheet. */
async function workbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('排口');
  ws.addRow(['数采仪MN', '所属企业编号', '排口名称', '类型', '经度', '纬度', '烟囱高度(m)', '限值 二氧化硫 a21026', '限值 镭射气']);
  ws.addRow([GOOD[0]?.mn, 'qilu-power', GOOD[0]?.name, '烟气CEMS', 118.3055, 36.8272, 120, '35 折算', '']); // row 2
  ws.addRow([GOOD[1]?.mn, 'zichuan-cement', GOOD[1]?.name, '氨逃逸', 117.9672, 36.6431, '', '', '']); // row 3
  ws.addRow([DUP, 'qilu-power', '3号机组烟囱', '烟气CEMS', 118.306, 36.827, '', '', '']); // row 4
  ws.addRow([DUP, 'qilu-power', '3号机组烟囱（重复）', '烟气CEMS', 118.306, 36.827, '', '', '']); // row 5
  ws.addRow([NO_OWNER, 'no-such-plant', '无主烟囱', '烟气CEMS', 118.1, 36.8, '', '', '']); // row 6
  ws.addRow([OFF_GLOBE, 'qilu-power', '坐标错误的烟囱', '烟气CEMS', 118.3, 95, '', '', '']); // row 7
  ws.addRow([ODD_FACTOR, 'qilu-power', '未知因子的烟囱', '烟气CEMS', 118.3, 36.82, '', '', '5']); // row 8
  for (const mnCell of ['A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'A8']) ws.getCell(mnCell).numFmt = '@';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('registry import page', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let api: ApiSession;
  let registryBefore: string;
  const shown: { mn: string; pw: string; mqttPassword: string }[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildClientIfStale();
    t = await startTestApp();
    api = await t.signIn('admin');
    browser = await launchBrowser();
    const ctx = await browser.newContext({ viewport: { width: 1600, height: 1100 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    page = await ctx.newPage();
    await page.goto(t.baseUrl);
    await page.locator('input[name="username"]').fill('admin');
    await page.locator('input[name="password"]').fill('admin-demo-2026');
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
    registryBefore = await (await api.fetch('/api/registry/export?format=yaml&credentials=true')).text();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('the dry run shows the summary and names every refused row in Chinese, changing nothing', async () => {
    await page.goto(`${t.baseUrl}/admin/registry-import`);
    await page.locator('[data-testid="registry-import"]').waitFor();
    await page.locator('[data-testid="ri-file"]').setInputFiles({ name: '排口批量登记.xlsx', mimeType: XLSX, buffer: await workbook() });
    await page.locator('[data-testid="ri-preview"]').click();
    const summary = page.locator('[data-testid="ri-summary"]');
    await summary.waitFor();
    expect(await summary.getAttribute('data-applied')).toBe('false');
    const text = await summary.innerText();
    expect(text).toContain('预检结果');
    const sources = await summary.locator('tr[data-kind="sources"] td').allInnerTexts();
    expect(sources.map((s) => s.trim())).toEqual(['排口/站点', '2', '0', expect.any(String)]);
    expect(text).toContain('被拒绝的行（5 行，不会导入）');
    const head = await page.locator('[data-testid="ri-refused"] thead th').allInnerTexts();
    expect(head.map((h) => h.trim())).toEqual(['工作表', '行', '列', '原因']);
    const rows = await page
      .locator('[data-testid="ri-refused-row"]')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));
    const byRow = new Map(rows.map((r) => [r[1], r]));
    expect(rows).toHaveLength(5);
    expect(byRow.get('4')).toEqual(['排口', '4', '数采仪MN', `数采仪MN「${DUP}」在文件中重复（第 4、5 行）`]);
    expect(byRow.get('5')).toEqual(['排口', '5', '数采仪MN', `数采仪MN「${DUP}」在文件中重复（第 4、5 行）`]);
    expect(byRow.get('6')).toEqual(['排口', '6', '所属企业编号', '未知企业编号「no-such-plant」']);
    expect(byRow.get('7')?.slice(0, 3)).toEqual(['排口', '7', '纬度']);
    expect(byRow.get('7')?.[3]).toMatch(/^纬度.*-90 到 90/);
    expect(byRow.get('8')).toEqual(['排口', '8', '限值 镭射气', '未知监测因子「镭射气」']);
    // Chinese only: no English word in the reasons besides the quoted cell values.
    for (const r of rows) expect(r[3]?.replace(/「[^」]*」/g, '')).not.toMatch(/[A-Za-z]{3,}/);
    await page.screenshot({ path: join(ARTIFACTS, 'registry-import-preview.png'), fullPage: true });
    // The dry run changed nothing.
    expect(await (await api.fetch('/api/registry/export?format=yaml&credentials=true')).text()).toBe(registryBefore);
    expect(await page.locator('[data-testid="ri-credentials"]').count()).toBe(0);
  });

  it('applying adds the good rows only and shows the new loggers’ passwords once', async () => {
    await page.locator('[data-testid="ri-apply"]').click();
    await page.locator('[data-testid="ri-result"]').waitFor();
    expect(await page.locator('[data-testid="ri-result"]').innerText()).toContain('已导入');
    const creds = page.locator('[data-testid="ri-credentials"]');
    await creds.waitFor();
    expect(await creds.innerText()).toContain('仅显示这一次');
    const rows = await page
      .locator('[data-testid="ri-credential"]')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));
    expect(rows.map((r) => r[0]).sort()).toEqual(GOOD.map((g) => g.mn).sort());
    for (const [mn, , , pw, mqttPassword] of rows) shown.push({ mn: mn as string, pw: pw as string, mqttPassword: mqttPassword as string });
    for (const c of shown) expect(c.pw.length >= 8 && c.mqttPassword.length >= 8).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'registry-import-applied.png'), fullPage: true });

    // The API has the good rows and none of the refused ones.
    const { body } = await api.call<{ items: { mn: string; name: string; enterpriseId: string }[] }>('GET', '/api/sources');
    for (const g of GOOD) expect(body.items.find((s) => s.mn === g.mn)).toMatchObject(g);
    for (const mn of BAD) expect(body.items.some((s) => s.mn === mn)).toBe(false);
    // The shown passwords are the logger's: it signs in to the broker with them, at once.
    for (const c of shown) {
      const logger = await mqtt.connectAsync(t.app.mqttUrl, {
        clientId: `imp-${c.mn}`,
        username: c.mn,
        password: c.mqttPassword,
        reconnectPeriod: 0,
      });
      expect(logger.connected).toBe(true);
      await logger.endAsync();
    }

    // Closed, the passwords are gone: not on the page, and never read back.
    await page.locator('[data-testid="ri-credentials-done"]').click();
    await creds.waitFor({ state: 'hidden' });
    await page.reload();
    await page.locator('[data-testid="registry-import"]').waitFor();
    const html = await page.content();
    for (const c of shown) expect(html.includes(c.pw) || html.includes(c.mqttPassword)).toBe(false);
    const file = JSON.stringify((await api.call('GET', '/api/enterprises/qilu-power')).body);
    expect(file).toContain(GOOD[0]?.mn);
    for (const c of shown) expect(file.includes(c.pw) || file.includes(c.mqttPassword)).toBe(false);
  });

  it('the sources list shows the imported outlets, not the refused ones', async () => {
    await page.goto(`${t.baseUrl}/admin/sources`);
    await page.locator('[data-testid="registry-source-row"]').first().waitFor();
    for (const g of GOOD) {
      const row = page.locator(`[data-testid="registry-source-row"][data-mn="${g.mn}"]`);
      await poll(() => row.count()).toBe(1);
      expect(await row.innerText()).toContain(g.name);
    }
    for (const mn of BAD) expect(await page.locator(`[data-testid="registry-source-row"][data-mn="${mn}"]`).count()).toBe(0);
  });

  it('the audit viewer lists the import', async () => {
    await page.goto(`${t.baseUrl}/admin/audit`);
    const row = page.locator('[data-testid="audit-row"][data-action="registry.import_applied"]');
    await poll(() => row.count()).toBe(1);
    const text = await row.innerText();
    expect(text).toContain('批量导入档案');
    expect(text).toContain('admin');
    expect(text).toContain('127.0.0.1'); // from where, as for every other change
    for (const c of shown) expect(text.includes(c.pw) || text.includes(c.mqttPassword)).toBe(false);
    // The administrator's credential exports (this test's own checks) are named too, not "其他操作".
    const exported = page.locator('[data-testid="audit-row"][data-action="registry.credentials_exported"]');
    await poll(() => exported.count()).toBeGreaterThan(0);
    expect(await exported.first().innerText()).toContain('导出数采仪凭据');
    expect(await page.locator('[data-testid="audit-view"] tbody').innerText()).not.toContain('其他操作');
    await page.screenshot({ path: join(ARTIFACTS, 'registry-import-audit.png'), fullPage: true });
  });
});
