/**
 * The power-data import dialog (issue 16) in a real browser against the real app: the duty officer
 * opens it on the reports page, uploads a grid company's CSV (two good rows, a meter the registry
 * does not know, a meter with no logger), sees the preview — rows, the meter matched by its facility,
 * every refused row worded in Chinese — confirms, and the meter's power is in the source's series.
 * Screenshot in tests/artifacts/.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClientIfStale } from '../../scripts/client-build';
import { launchBrowser } from '../helpers/browser';
import { ROOT, startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';
import { WC, workingConditionRegistry } from '../helpers/working-condition-registry';

const ARTIFACTS = join(ROOT, 'tests/artifacts');
const QUARTER = 15 * 60_000;
const poll = <T>(probe: () => T | Promise<T>) => expect.poll(probe, { timeout: 15_000 });

describe('power-data import dialog', () => {
  let t: TestApp;
  let dir: string;
  let browser: Browser;
  let page: Page;
  let api: ApiSession;
  const start = Math.floor((Date.now() - 86_400_000) / QUARTER) * QUARTER;
  const local = (ts: number) => new Date(ts + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
  const csv = [
    '电表编号,时间,电量(kWh)',
    `${WC.meter},${local(start)},12.5`,
    `${WC.meter},${local(start + QUARTER)},13`,
    `9999000011,${local(start)},1`,
    `${WC.bareMeter},${local(start)},1`,
  ].join('\n');

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildClientIfStale();
    dir = mkdtempSync(join(tmpdir(), 'o3-pi-'));
    t = await startTestApp({ REGISTRY_FILE: workingConditionRegistry(dir) });
    api = await t.signIn('officer');
    browser = await launchBrowser();
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    page = await ctx.newPage();
    await page.goto(t.baseUrl);
    await page.locator('input[name="username"]').fill('officer');
    await page.locator('input[name="password"]').fill('officer-demo-2026');
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('previews the file in Chinese, then lands the meter’s power', async () => {
    await page.goto(`${t.baseUrl}/reports`);
    await page.locator('[data-testid="power-import-open"]').click();
    await page.locator('[data-testid="power-import"]').waitFor();
    await page.locator('[data-testid="pi-file"]').setInputFiles({ name: '15分钟电量.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.locator('[data-testid="pi-preview"]').click();
    const summary = page.locator('[data-testid="pi-summary"]');
    await summary.waitFor();
    const text = await summary.innerText();
    expect(text).toContain('可导入行数');
    expect(text).toContain(`${local(start)} – ${local(start + QUARTER)}`);
    expect(text).toContain('9999000011');
    expect(await page.locator('[data-testid="pi-meters"]').innerText()).toContain('RTO风机电表');
    const rows = await page
      .locator('[data-testid="pi-error-row"]')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));
    expect(rows.map((r) => r.slice(0, 2))).toEqual([
      ['4', '电表不在档案中'],
      ['5', '电表未关联采集仪'],
    ]);
    expect(rows[1]?.[2]).toMatch(/锅炉房电表/);
    await page.screenshot({ path: join(ARTIFACTS, 'power-import-preview.png'), fullPage: true });

    await page.locator('[data-testid="pi-apply"]').click();
    await poll(async () => (await page.locator('[data-testid="pi-result"]').count()) > 0).toBe(true);
    expect(await page.locator('[data-testid="pi-result"]').innerText()).toContain('已导入 2 行');
    expect(await page.locator('[data-testid="pi-result"]').innerText()).toContain('新触发告警 0 条');
    await poll(async () => {
      const q = `factor=gkw03&cn=2051&from=${start - 1}&to=${start + 2 * QUARTER}`;
      const { body } = await api.call<{ items: { ts: number; avg?: number; cou?: number }[] }>(
        'GET',
        `/api/sources/${WC.logger}/series?${q}`,
      );
      return (body.items ?? []).map((p) => [p.ts, p.avg, p.cou]);
    }).toEqual([
      [start, 50, 12.5],
      [start + QUARTER, 52, 13],
    ]);
  });
});
