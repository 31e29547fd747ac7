/**
 * Emission-reduction lists (issue 18) in a real browser against the real app: the duty officer
 * imports the bureau's workbook on the 减排清单 page — one good list and one row refused, worded in
 * Chinese with its row and column — confirms, and the coverage shows the enterprise's list as 现行;
 * then the enterprise reads in its portal what applies to it at each level and acknowledges (已阅知).
 * Screenshots in tests/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClientIfStale } from '../../scripts/client-build';
import { localDate } from '../../server/domain/local-time';
import { seasonYear } from '../../server/reductions/demo-lists';
import { ALL_HEADERS } from '../../server/reductions/reduction-sheet-columns';
import { writeXlsx } from '../../server/registry/xlsx/xlsx-write';
import type { ReductionCoverageRow } from '../../server/domain/reduction-list-api';
import { launchBrowser } from '../helpers/browser';
import { ROOT, startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';

const ARTIFACTS = join(ROOT, 'tests/artifacts');
const QILU = 'qilu-power';
const QILU_MN = '370300CEMS00000000000101';
const poll = <T>(probe: () => T | Promise<T>) => expect.poll(probe, { timeout: 15_000 });

/** A row of the form: base columns, then per level 措施, 保留负荷%, 时段, 说明, 关键指标, SO2, NOx, 颗粒物, VOCs. */
const row = (ent: string, year: number, id: string, name: string, levels: [string, number | undefined, number | undefined][]) => [
  ent,
  '',
  year,
  id,
  name,
  '燃烧',
  undefined,
  ent === QILU ? QILU_MN : undefined,
  undefined,
  '王工',
  '13900000000',
  ...levels.flatMap(([m, pct, nox]) => [m, pct, undefined, undefined, undefined, undefined, nox, undefined, undefined]),
];

async function signIn(browser: Browser, t: TestApp, username: string, password: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await ctx.newPage();
  await page.goto(t.baseUrl);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
  await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
  return page;
}

describe('reduction lists in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  let officer: Page;
  let api: ApiSession;
  const year = seasonYear(localDate(Date.now(), 480));

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildClientIfStale();
    t = await startTestApp();
    api = await t.signIn('officer');
    browser = await launchBrowser();
    officer = await signIn(browser, t, 'officer', 'officer-demo-2026');
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('the officer imports the workbook: a refused row in Chinese, the good list filed and current', async () => {
    const file = await writeXlsx([
      {
        name: '减排清单',
        header: ALL_HEADERS,
        columns: ALL_HEADERS.map(() => ({ width: 10 })),
        rows: [
          row(QILU, year, 'e1', '1#机组', [
            ['限产', 80, 2],
            ['限产', 50, 5],
            ['停产', undefined, 10],
          ]),
          row('zichuan-cement', year, 'e1', '回转窑', [
            ['限产', 80, 2],
            ['关停', undefined, 5],
            ['停产', undefined, 10],
          ]),
        ],
      },
    ]);
    await officer.goto(`${t.baseUrl}/reductions`);
    await officer.locator('[data-testid="reduction-coverage"]').waitFor();
    expect(await officer.locator(`[data-testid="coverage-${QILU}"] [data-testid="standing"]`).innerText()).toBe('未报送');
    await officer.locator('[data-testid="reduction-import-open"]').click();
    await officer.locator('[data-testid="ri-file"]').setInputFiles({
      name: '应急减排清单.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: file,
    });
    await officer.locator('[data-testid="ri-preview"]').click();
    await officer.locator('[data-testid="ri-refused"]').waitFor();
    const rows = await officer
      .locator('[data-testid="ri-refused-row"]')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));
    expect(rows).toEqual([['3', '橙色措施', '措施「关停」不在可选值中（停产/限产/不采取措施）']]);
    expect(await officer.locator('[data-testid="ri-lists"]').innerText()).toContain('第 1 版');
    expect(await officer.locator('[data-testid="ri-held"]').innerText()).toContain('第 3 行');
    await officer.screenshot({ path: join(ARTIFACTS, 'reduction-import-preview.png'), fullPage: true });

    await officer.locator('[data-testid="ri-apply"]').click();
    await poll(async () => (await officer.locator('[data-testid="ri-result"]').count()) > 0).toBe(true);
    expect(await officer.locator('[data-testid="ri-result"]').innerText()).toContain('已导入 1 份清单');
    await officer.keyboard.press('Escape');
    await poll(() => officer.locator(`[data-testid="coverage-${QILU}"] [data-testid="standing"]`).innerText()).toBe('现行');
    expect(await officer.locator('[data-testid="coverage-zichuan-cement"] [data-testid="standing"]').innerText()).toBe('未报送');
  });

  it('the enterprise reads what applies to it and acknowledges its list', async () => {
    const ent = await signIn(browser, t, QILU, `${QILU}-demo-2026`);
    await ent.goto(`${t.baseUrl}/my-reductions`);
    await ent.locator('[data-testid="reduction-applies"]').waitFor();
    // Ungraded: the list as it stands — red stops the line.
    expect(await ent.locator('[data-testid="applies-red"]').innerText()).toContain('停产');
    expect(await ent.locator('[data-testid="reduction-applies"]').innerText()).toContain('未分级');
    expect(await ent.locator('[data-testid="reduction-entry"]').count()).toBe(1);
    await ent.locator('[data-testid="reduction-acknowledge"]').click();
    await ent.locator('[data-testid="reduction-acknowledged"]').waitFor();
    expect(await ent.locator('[data-testid="reduction-acknowledged"]').innerText()).toMatch(/^已于 .+ 阅知第 1 版$/);
    await ent.screenshot({ path: join(ARTIFACTS, 'reduction-enterprise.png'), fullPage: true });
    const { body } = await api.call<{ items: ReductionCoverageRow[] }>('GET', '/api/reduction-lists');
    expect(body.items.find((r) => r.enterpriseId === QILU)?.acknowledged?.username).toBe(QILU);
  });
});
