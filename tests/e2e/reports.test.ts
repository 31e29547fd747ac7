/**
 * The reports page in a real browser: an officer's daily report and transmission rates (the 90 %
 * pass mark highlighted), the CSV export (UTF-8 BOM + header, in the UI's language), the hourly
 * report as a 时段 × 因子 grid with its title and XLSX export, the transmission KPI on /sources on
 * the first day after install, and an enterprise user who sees only its own sources.
 * Screenshots in tests/artifacts/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataTopic } from '../../server/domain/mqtt-contract';
import type { Reading } from '../../server/domain/reading';
import { SqliteTelemetryStore } from '../../server/storage/embedded/sqlite-telemetry-store';
import { buildClientIfStale } from '../../scripts/client-build';
import { launchBrowser } from '../helpers/browser';
import { ROOT, startTestApp, type TestApp } from '../helpers/test-app';

const ARTIFACTS = join(ROOT, 'tests/artifacts');
const CEMENT_NH3 = '370300NH3000000000000201';
const ENTERPRISE = 'zichuan-cement';
const QILU = '370300CEMS00000000000101'; // qilu-power 1号机组烟囱, o2Ref 6
const DATE = '2026-07-01';
const DAY0 = Date.parse(`${DATE}T00:00:00+08:00`);

/** QILU's minute data 00:00–06:00: NOx 30.1905 at O2 11 % (→ 45.28575 at 6 %); hour 3 has 30 minutes flagged M (invalid). */
function qiluMorning(): Reading[] {
  return Array.from({ length: 6 * 60 }, (_, m) => ({
    mn: QILU,
    enterpriseId: 'qilu-power',
    kind: 'cems' as const,
    cn: '2051' as const,
    ts: DAY0 + m * 60_000,
    factors: {
      a21002: { avg: 30.1905, flag: Math.floor(m / 60) === 3 && m % 60 >= 30 ? ('M' as const) : ('N' as const) },
      a19001: { avg: 11, flag: 'N' as const },
    },
  }));
}

async function signIn(page: Page, baseUrl: string, user: string): Promise<void> {
  await page.goto(`${baseUrl}/reports`);
  await page.locator('input[name="username"]').fill(user);
  await page.locator('input[name="password"]').fill(`${user}-demo-2026`);
  await page.locator('button[type="submit"]').click();
  await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
}

describe('reports: daily, transmission, CSV export, scoped to the user', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildClientIfStale();
    t = await startTestApp();
    const store = new SqliteTelemetryStore(join(t.config.dataDir, 'telemetry.db'));
    await store.init();
    await store.write(qiluMorning());
    await store.close();
    const source = t.config.registry.sources.find((s) => s.mn === CEMENT_NH3);
    const logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: CEMENT_NH3, username: CEMENT_NH3, password: source?.mqttPassword });
    await logger.publishAsync(
      dataTopic(CEMENT_NH3),
      JSON.stringify({ cn: '2011', ts: Date.now() - 1000, factors: { a21001: { rtd: 3.2, flag: 'N' } } }),
      { qos: 1 },
    );
    await logger.endAsync();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN', acceptDownloads: true });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('an officer opens the daily report of every source', async () => {
    await signIn(page, t.baseUrl, 'officer');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/reports');
    const daily = page.locator('[data-testid="daily-source"]');
    await expect.poll(() => daily.count()).toBe(t.config.registry.sources.length);
    expect(await page.locator('[data-testid="daily-title"]').innerText()).toMatch(/^排放源日报 \d{4}-\d{2}-\d{2}$/);
  });

  it('exports the daily report as CSV: UTF-8 BOM, then the Chinese header', async () => {
    const link = page.locator('[data-testid="report-daily"] [data-testid="export-csv"]');
    expect(await link.getAttribute('href')).toMatch(/^\/api\/reports\/daily\?date=\d{4}-\d{2}-\d{2}&format=csv&lang=zh$/);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const bytes = readFileSync(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split(/\r?\n/);
    expect(lines[0]).toMatch(/^排放源日报 \d{4}-\d{2}-\d{2}$/); // the title first, then the header
    expect(lines[3]?.startsWith('日期,企业,排放源,MN')).toBe(true);
    expect(download.suggestedFilename()).toMatch(/^o3s-daily-\d{4}-\d{2}-\d{2}\.csv$/);
  });

  it('heads the daily report with every source counted; a search asks the server for the matching page', async () => {
    const n = t.config.registry.sources.length;
    expect(await page.locator('[data-testid="daily-total-sources"]').innerText()).toBe(`${n} 个`);
    const q = page.locator('input[data-testid="r-daily-q"], [data-testid="r-daily-q"] input');
    await q.fill(CEMENT_NH3);
    await q.press('Enter');
    const daily = page.locator('[data-testid="daily-source"]');
    await expect.poll(() => daily.evaluateAll((els) => els.map((e) => e.getAttribute('data-mn')))).toEqual([CEMENT_NH3]);
    // The head still counts every source; the export carries the search.
    expect(await page.locator('[data-testid="daily-total-sources"]').innerText()).toBe(`${n} 个`);
    const href = await page.locator('[data-testid="report-daily"] [data-testid="export-xlsx"]').getAttribute('href');
    expect(href).toContain(`q=${CEMENT_NH3}`);
    await q.fill('');
    await q.press('Enter');
    await expect.poll(() => daily.count()).toBe(n);
  });

  it('transmission rates per source per day, those below 90 % marked', async () => {
    await page.locator('#tab-transmission').click();
    const rows = page.locator('[data-testid="transmission-row"]');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    const title = await page.locator('[data-testid="transmission-title"]').innerText();
    expect(title).toMatch(/^数据传输有效率报表 \d{4}-\d{2}-\d{2} 至 \d{4}-\d{2}-\d{2}$/);
    // A source that sent (almost) nothing today is far below the pass mark.
    const failing = page.locator('[data-testid="transmission-row"][data-pass="false"]');
    expect(await failing.count()).toBeGreaterThan(0);
    expect(await failing.first().evaluate((el) => el.classList.contains('rep__fail'))).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'reports-transmission.png'), fullPage: true });
  });

  it('the hourly report is a 时段 × 因子 grid with a title: measured and converted at the factor’s precision, a validity mark', async () => {
    await page.locator('#tab-hourly').click();
    const hourly = page.locator('[data-testid="report-hourly"]');
    await hourly.locator('[data-testid="r-source"]').click();
    await page.locator('.el-select-dropdown__item', { hasText: '1号机组烟囱' }).first().click();
    const date = hourly.locator('.el-date-editor input');
    await date.fill(DATE);
    await date.press('Enter');
    await hourly.locator('[data-testid="r-hourly-run"]').click();
    await expect.poll(() => hourly.locator('[data-testid="hourly-row"]').count()).toBe(24);
    expect(await hourly.locator('[data-testid="hourly-title"]').innerText()).toBe('齐鲁示范热电有限公司 1号机组烟囱 小时均值报表');
    expect(await hourly.locator('[data-testid="hourly-meta"]').innerText()).toContain(`日期：${DATE}`);
    expect(await hourly.locator('[data-testid="hourly-meta"]').innerText()).toContain('基准氧含量 6 %');
    const head = await hourly.locator('thead').innerText();
    expect(head).toContain('氮氧化物 (mg/m³)');
    expect(head).toContain('实测');
    expect(head).toContain('折算');
    // Columns: 时段 | O2 measured, mark | NOx measured, converted, mark.
    const cells = async (row: number) => hourly.locator('[data-testid="hourly-row"]').nth(row).locator('td').allInnerTexts();
    expect(await cells(0)).toEqual(['00:00–01:00', '11.00', '有效 (N)', '30.19', '45.29', '有效 (N)']);
    expect(await cells(3)).toEqual(['03:00–04:00', '11.00', '有效 (N)', '30.19', '45.29', '无效 (M)']);
    expect(await cells(8)).toEqual(['08:00–09:00', '—', '无数据', '—', '—', '无数据']);
    expect(await cells(23).then((c) => c[0])).toBe('23:00–24:00');
    await page.screenshot({ path: join(ARTIFACTS, 'reports-hourly-grid.png'), fullPage: true });

    const link = hourly.locator('[data-testid="export-xlsx"]');
    expect(await link.getAttribute('href')).toBe(`/api/reports/hourly?mn=${QILU}&date=${DATE}&format=xlsx&lang=zh`);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(await download.path()) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(1).value).toBe('齐鲁示范热电有限公司 1号机组烟囱 小时均值报表');
    expect((ws.getRow(4).values as unknown[]).slice(1)).toEqual([
      '时段',
      '氧含量 实测 (%)',
      '氧含量 标记',
      '氮氧化物 实测 (mg/m³)',
      '氮氧化物 折算 (mg/m³)',
      '氮氧化物 标记',
    ]);
    expect((ws.getRow(5).values as unknown[]).slice(1)).toEqual(['00:00–01:00', 11, '有效 (N)', 30.19, 45.29, '有效 (N)']);
    expect(ws.getColumn(1).width).toBeGreaterThanOrEqual(13);
  });

  it('the transmission KPI on /sources is not rated (and not red) on the first day after install', async () => {
    await page.goto(`${t.baseUrl}/sources`);
    const value = page.locator('[data-testid="kpi-rate-value"]');
    await expect.poll(() => value.getAttribute('data-state')).toBe('first-day');
    expect(await value.evaluate((el) => el.classList.contains('kpi__value--bad'))).toBe(false);
    expect(await value.evaluate((el) => el.classList.contains('kpi__value--provisional'))).toBe(true);
    // The figure so far, greyed: a number with its unit, not red.
    expect(await value.innerText()).toMatch(/^\d+(\.\d+)? %$/);
    expect(await page.locator('[data-testid="kpi-rate"]').innerText()).toContain('首日：尚无完整历史，暂不评价');
    await page.screenshot({ path: join(ARTIFACTS, 'sources-kpi-first-day.png') });
  });

  it('an enterprise user sees only its own sources', async () => {
    const ent = await browser.newPage({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' });
    await signIn(ent, t.baseUrl, ENTERPRISE);
    await expect.poll(() => new URL(ent.url()).pathname).toBe('/reports');
    const own = t.config.registry.sources
      .filter((s) => s.enterpriseId === ENTERPRISE)
      .map((s) => s.mn)
      .sort();
    const daily = ent.locator('[data-testid="daily-source"]');
    await expect.poll(() => daily.count()).toBe(own.length);
    const shown = await daily.evaluateAll((els) => els.map((e) => e.getAttribute('data-mn')));
    expect(shown.sort()).toEqual(own);
    await ent.screenshot({ path: join(ARTIFACTS, 'reports-enterprise.png'), fullPage: true });
    await ent.close();
  });
});
