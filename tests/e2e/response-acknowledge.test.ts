/**
 * A heavy-pollution response in real browsers (issue 18): with an orange warning over 临淄区 and the
 * lists of 齐鲁热电 (grade C) and 金华石化 filed, the enterprise's page shows its own measures only
 * and it acknowledges them (已知悉, with the time); the control centre's 应急响应 tab shows each
 * enterprise's measures and acknowledgement and the city's check, in Chinese, without ids or epochs;
 * each opens the response's effect report page (the enterprise its own row, the centre every
 * enterprise and the city's total), with units and local times.
 * Then, on an app whose clock is driven: 齐鲁热电 (grade B) keeps its line running through two
 * responses; the officer's alert page shows the measure-noncompliance alert's checks as a table
 * (核查明细) in Chinese with units, never a raw key or an epoch, and the 减排清单 page's 降级建议 shows
 * the proposal of grade C with its evidence, which the officer confirms. Screenshots in tests/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReductionEntry } from '../../server/domain/reduction-list';
import { registryDatabase } from '../../server/storage/sql/database';
import { openReductionListStore } from '../../server/storage/sql/reduction-list-store';
import { buildClientIfStale } from '../../scripts/client-build';
import { launchBrowser } from '../helpers/browser';
import { until } from '../helpers/wait';
import { CLOSED_AFTER, H, issueWarning, prepareRunningLine, sendHour } from '../helpers/running-line';
import { ROOT, startTestApp, type TestApp } from '../helpers/test-app';

const ARTIFACTS = join(ROOT, 'tests/artifacts');
const EPOCH = /\b1[78]\d{11}\b/;

const entry = (name: string, mn: string): ReductionEntry => ({
  id: 'e1',
  name,
  outletMns: [mn],
  meterIds: [],
  measures: {
    yellow: { action: 'limit', limitToPct: 70, indicators: [], expectedKgH: { nox: 2 } },
    orange: { action: 'stop', indicators: [], expectedKgH: { nox: 6 } },
    red: { action: 'stop', indicators: [], expectedKgH: { nox: 6 } },
  },
  responsible: { name: '王工', phone: '13900000000' },
});

async function signIn(page: Page, baseUrl: string, user: string): Promise<void> {
  await page.goto(baseUrl);
  await page.locator('input[name="username"]').fill(user);
  await page.locator('input[name="password"]').fill(`${user}-demo-2026`);
  await page.locator('button[type="submit"]').click();
  await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
}

describe('an enterprise acknowledges its emergency measures; the centre sees the response', () => {
  let t: TestApp;
  let browser: Browser;
  let ozone: Page;
  let ent: Page;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildClientIfStale();
    t = await startTestApp();
    const admin = await t.signIn('admin');
    expect((await admin.call('PATCH', '/api/enterprises/qilu-power', { grade: 'C', gradeReason: '2026年绩效分级结果' })).status).toBe(200);
    const lists = await openReductionListStore(registryDatabase(t.config));
    const filed = { year: new Date().getFullYear(), filedBy: 'officer', filedAt: Date.now() };
    await lists.store.save({ ...filed, enterpriseId: 'qilu-power', entries: [entry('1号机组', '370300CEMS00000000000101')] });
    await lists.store.save({ ...filed, enterpriseId: 'jinhua-petrochem', entries: [entry('裂解装置', '370300VOCS00000000000402')] });
    await lists.close();
    const issued = await (
      await t.signIn('ozone')
    ).call('POST', '/api/warnings', {
      kind: 'heavy_pollution',
      level: 'orange',
      basis: 'city_notice',
      districts: ['临淄区'],
      startAt: Date.now() - 3 * 3_600_000, // in force for some hours already: the effect report has closed hours
    });
    expect(issued.status).toBe(201);
    browser = await launchBrowser();
    const page = async () => (await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' })).newPage();
    [ozone, ent] = await Promise.all([page(), page()]);
    await Promise.all([signIn(ozone, t.baseUrl, 'ozone'), signIn(ent, t.baseUrl, 'qilu-power')]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('the enterprise sees its own measures and acknowledges them', async () => {
    const card = ent.locator('[data-testid="enterprise-response"]');
    await card.waitFor({ timeout: 10_000 });
    const text = await card.innerText();
    expect(text).toContain('本企业应急减排措施');
    expect(text).toContain('Ⅱ级（橙色）预警响应');
    expect(text).toContain('1号机组：停产 · 须执行');
    expect(text).not.toContain('裂解装置'); // another enterprise's measure
    expect(text).not.toMatch(EPOCH);
    await ent.locator('[data-testid="enterprise-response-acknowledge"]').click();
    const acked = ent.locator('[data-testid="enterprise-response-acknowledged"]');
    await acked.waitFor();
    expect(await acked.innerText()).toMatch(/^已于 .+ 确认知悉$/);
    expect(await ent.locator('[data-testid="enterprise-response-acknowledge"]').count()).toBe(0);
    await ent.screenshot({ path: join(ARTIFACTS, 'response-enterprise.png') });
  });

  it('the centre’s 应急响应 tab shows both enterprises, the acknowledgement and the city check', async () => {
    await ozone.locator('#tab-responses').click();
    const table = ozone.locator('[data-testid="responses-enterprises"]');
    await table.waitFor({ timeout: 10_000 });
    const qilu = table.locator('tr[data-enterprise="qilu-power"]');
    await expect.poll(() => qilu.innerText()).not.toContain('未确认');
    expect(await qilu.innerText()).toContain('C级');
    expect(await qilu.innerText()).toContain('1号机组：停产（须执行）');
    expect(await table.locator('tr[data-enterprise="jinhua-petrochem"]').innerText()).toContain('未确认');
    const city = await ozone.locator('[data-testid="responses-city"]').innerText();
    expect(city).toContain('氮氧化物');
    expect(city).toContain('12 千克/小时');
    const all = await ozone.locator('[data-testid="responses-panel"]').innerText();
    expect(all).not.toMatch(EPOCH);
    expect(all).not.toMatch(/qilu-power|jinhua-petrochem|orange|required/);
    await ozone.screenshot({ path: join(ARTIFACTS, 'response-bureau.png'), fullPage: true });
  });

  it('the effect report page: the enterprise sees its own row, the centre every enterprise and the city total, in kg', async () => {
    await ent.locator('[data-testid="enterprise-response-effect"]').click();
    const mine = ent.locator('[data-testid="response-effect"]');
    await mine.waitFor({ timeout: 10_000 });
    const text = await mine.innerText();
    expect(text).toContain('重污染天气Ⅱ级（橙色）应急响应');
    expect(text).toContain('预期削减量（千克）');
    expect(text).toContain('齐鲁示范热电有限公司');
    expect(text).toMatch(/统计时段：\S+ \d{2}:\d{2}/);
    expect(text).not.toMatch(/金华石化|全市合计|环境空气质量效果/);
    expect(text).not.toMatch(EPOCH);
    expect(await ent.locator('[data-testid="response-effect-xlsx"]').getAttribute('href')).toMatch(/\/effect\?format=xlsx$/);
    await ent.screenshot({ path: join(ARTIFACTS, 'response-effect-enterprise.png'), fullPage: true });

    await ozone.locator('[data-testid="responses-effect-link"]').click();
    const all = ozone.locator('[data-testid="response-effect"]');
    await all.waitFor({ timeout: 10_000 });
    const reductions = await all.locator('[data-testid="response-effect-reductions"]').innerText();
    expect(reductions).toContain('全市合计');
    expect(reductions).toContain('氮氧化物');
    expect(await all.innerText()).toContain('金华石化有限公司');
    expect(await all.innerText()).toContain('预警解除后统计环境空气质量效果');
    expect(await all.innerText()).not.toMatch(/qilu-power|jinhua-petrochem|orange|nox|not-lifted/);
    await ozone.screenshot({ path: join(ARTIFACTS, 'response-effect-bureau.png'), fullPage: true });
  });
});

describe('the officer reads a measure non-compliance’s checks on the alert page and decides the downgrade it led to', () => {
  const T = Date.parse('2026-12-02T10:00:00+08:00');
  const DAY = 86_400_000;
  let clock = T;
  let t: TestApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await buildClientIfStale();
    t = await startTestApp({}, { now: () => clock });
    const logger = await prepareRunningLine(t, await t.signIn('admin'), 'B', clock);
    // Two responses a day apart (sessions signed in anew each day); the line runs through both.
    for (const start of [T, T + DAY]) {
      clock = start;
      const [ozone, officer] = await Promise.all([t.signIn('ozone'), t.signIn('officer')]);
      const warning = await issueWarning(ozone, 'orange', start);
      await until(
        async () => (await officer.call<{ items: unknown[] }>('GET', `/api/responses?warningId=${warning.id}`)).body.items.length === 1,
        'planned',
      );
      for (const hour of [start, start + H]) {
        clock = hour + H + 10_000;
        await sendHour(logger, officer, hour, 800);
      }
      clock = start + 2 * H + CLOSED_AFTER;
      await t.app.responses.verifier.tick();
      const active = async () =>
        (await officer.call<{ items: { state: string }[] }>('GET', '/api/alerts?rule=measure-noncompliance')).body.items;
      await until(async () => (await active()).some((a) => a.state === 'active'), 'the non-compliance alert');
      if (start === T) expect((await ozone.call('POST', `/api/warnings/${warning.id}/lift`, {})).status).toBe(200);
    }
    await logger.endAsync(true);
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' })).newPage();
    await signIn(page, t.baseUrl, 'officer');
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('the drawer’s 核查明细 table: the line’s power against its indicator, with units, in Chinese', async () => {
    const row = page.locator('[data-testid="alert-row"][data-rule="measure-noncompliance"]').first();
    await row.waitFor({ timeout: 15_000 });
    await row.click();
    const checks = page.locator('[data-testid="alert-drawer"] [data-testid="evidence-checks"]');
    await checks.waitFor();
    const text = await checks.innerText();
    expect(text).toContain('核查明细');
    for (const heading of ['检查项', '对象', '实测值', '允许值', '同期基线', '结论']) expect(text).toContain(heading);
    const cells = await checks.locator('tbody tr').first().locator('td').allInnerTexts();
    expect(cells.slice(0, 4)).toEqual(['生产线用电功率', '1号机组', '800 kW', '50 kW']);
    expect(cells[5]).toBe('未落实');
    const evidence = await page.locator('[data-testid="alert-evidence"]').innerText();
    expect(evidence).toContain('Ⅱ级（橙色）');
    expect(evidence).toContain('停产');
    expect(evidence).not.toMatch(EPOCH);
    expect(evidence).not.toMatch(/line-power|qilu-unit-1|responseId|verdict|gkw01/);
    await page.screenshot({ path: join(ARTIFACTS, 'response-noncompliance-checks.png') });
  });

  it('the 减排清单 page’s 降级建议: grade B → C with both failures as evidence; the officer confirms', async () => {
    await page.goto(`${t.baseUrl}/reductions`);
    const proposal = page.locator('[data-testid="grade-proposals"] article').first();
    await proposal.waitFor({ timeout: 15_000 });
    const text = await proposal.innerText();
    expect(text).toContain('齐鲁示范热电有限公司');
    expect(text).toContain('B级 → C级');
    expect(text).toContain('待确认');
    expect(await proposal.locator('tbody tr').count()).toBe(2);
    expect(await proposal.locator('tbody tr').first().innerText()).toContain('1号机组');
    expect(text).not.toMatch(EPOCH);
    expect(text).not.toMatch(/qilu-power|pending|line-power/);
    await proposal.locator('input').first().fill('经现场核查属实');
    await proposal.locator('[data-testid="grade-proposal-confirm"]').click();
    const decision = proposal.locator('[data-testid="grade-proposal-decision"]');
    await decision.waitFor();
    expect(await decision.innerText()).toContain('确认下调，原因：未落实减排措施');
    expect(await decision.innerText()).toContain('经现场核查属实');
    await page.screenshot({ path: join(ARTIFACTS, 'grade-proposal-confirmed.png'), fullPage: true });
  });
});
