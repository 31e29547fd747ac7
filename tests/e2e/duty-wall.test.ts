/**
 * The duty room's first hour, in a real browser at wall-screen size (1920×1080, zh-CN): the wall
 * lists what needs someone first, one maintenance episode is one expandable row with no fake
 * limit, nothing on the wall, in the drawer or in the history is an internal id, a raw key, an
 * epoch number or an English sentence, times are not clipped, "assigned to me" picks from real
 * users and survives a reload in the URL, a bulk acknowledgement handles every selected row, and
 * resolving asks for its reason. Screenshots in tests/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULE_IDS } from '../../server/domain/rule-pack';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { buildClientIfStale } from '../../scripts/client-build';
import { launchBrowser } from '../helpers/browser';
import { ROOT, startTestApp, type TestApp } from '../helpers/test-app';

const ARTIFACTS = join(ROOT, 'tests/artifacts');
const CEMENT_NH3 = '370300NH3000000000000201'; // warning above 8 mg/m³
const QILU_CEMS = '370300CEMS00000000000101';
/** The evidence keys the rules emit (server/rules/**): none may reach the Chinese page. */
const EVIDENCE_KEYS = [
  'o2Converted',
  'samples',
  'since',
  'durationS',
  'windowStart',
  'windowEnd',
  'validMinutes',
  'validHours',
  'fromLogger',
  'spread',
  'lastSeenAt',
  'countedFrom',
  'consecutiveDays',
  'rangeMin',
  'rangeMax',
  'inletMn',
  'inletKgH',
  'outletKgH',
];
const RULE_ID_RE = new RegExp(`(^|[^a-z-])(${Object.values(RULE_IDS).join('|')})([^a-z-]|$)`);
const EPOCH_RE = /(^|\D)\d{13}(\D|$)/;
/** Three Latin words in a row: an English sentence (factor formulas like NOx or units like mg/m³ are single words). */
const ENGLISH_RE = /[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}/;

function internalStrings(text: string): string[] {
  const found: string[] = [];
  const rule = RULE_ID_RE.exec(text);
  if (rule) found.push(`rule id ${rule[2]}`);
  for (const key of EVIDENCE_KEYS) if (text.includes(key)) found.push(`evidence key ${key}`);
  const epoch = EPOCH_RE.exec(text);
  if (epoch) found.push(`epoch ${epoch[0]}`);
  const english = ENGLISH_RE.exec(text);
  if (english) found.push(`English "${english[0]}"`);
  if (/UTC|T\d\d:\d\d:\d\d/.test(text)) found.push('UTC time');
  return found;
}

describe('duty officer: the wall at wall-screen size, in Chinese', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let logger: MqttClient;
  let skew = 0;
  const rows = () => page.locator('[data-testid="alert-row"], [data-testid="alert-group"]');
  const warning = () => page.locator(`[data-testid="alert-row"][data-mn="${CEMENT_NH3}"]`);
  const group = () => page.locator(`[data-testid="alert-group"][data-mn="${QILU_CEMS}"]`);
  const publish = (mn: string, factors: Record<string, { rtd: number; flag: string }>, ts = Date.now() - 1_000) =>
    logger.publishAsync(dataTopic(mn), JSON.stringify({ cn: '2011', ts, factors }), { qos: 1 });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildClientIfStale();
    // The app's clock runs with real time; the last test moves it on to make sources go offline.
    t = await startTestApp({}, { now: () => Date.now() + skew });
    logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: `duty-e2e-${Date.now()}`, ...t.mqttAuth });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  });
  afterAll(async () => {
    await browser?.close();
    await logger?.endAsync();
    await t?.stop();
  });

  it('signs in to the wall', async () => {
    await page.goto(`${t.baseUrl}/wall`);
    await page.locator('input[name="username"]').fill('officer');
    await page.locator('input[name="password"]').fill('officer-demo-2026');
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
    await page.locator('[data-testid="alert-filters"]').waitFor();
  });

  it('an older warning sits above a newer maintenance episode, which is one row of five factors with no limit', async () => {
    await publish(CEMENT_NH3, { a21001: { rtd: 9.6, flag: 'N' } }, Date.now() - 5_000);
    await warning().waitFor({ timeout: 15_000 });
    await publish(QILU_CEMS, {
      a21026: { rtd: 0, flag: 'M' },
      a21002: { rtd: 0, flag: 'M' },
      a34013: { rtd: 0, flag: 'M' },
      a19001: { rtd: 0, flag: 'M' },
      a01012: { rtd: 0, flag: 'M' },
    });
    await expect.poll(() => group().getAttribute('data-count'), { timeout: 15_000 }).toBe('5');
    // Order: the warning first although the flags are newer.
    expect(await rows().first().getAttribute('data-mn')).toBe(CEMENT_NH3);
    expect(await page.locator(`[data-testid="alert-row"][data-mn="${QILU_CEMS}"]`).count()).toBe(0);
    const groupText = await group().innerText();
    expect(groupText).toContain('5 个因子');
    expect(groupText).toContain('不适用');
    await group().locator('[data-testid="group-toggle"]').click();
    await expect.poll(() => page.locator(`[data-testid="alert-row"][data-mn="${QILU_CEMS}"]`).count()).toBe(5);
    const limits = await page.locator(`[data-testid="alert-row"][data-mn="${QILU_CEMS}"] [data-testid="row-limit"]`).allInnerTexts();
    expect(limits.every((l) => l.trim() === '不适用')).toBe(true);
    const wall = await page.locator('[data-testid="alert-list"]').innerText();
    expect(wall).not.toMatch(/限值\s*0|0 °C|0 mg\/m³/);
    await page.screenshot({ path: join(ARTIFACTS, 'duty-wall-1920.png') });
  });

  it('times are not clipped at 1920 px, a cleared alert included', async () => {
    await publish(CEMENT_NH3, { a21001: { rtd: 5.1, flag: 'N' } });
    await expect.poll(() => warning().getAttribute('data-state')).toBe('cleared');
    const cells = await page.locator('[data-testid="cell-time"]').evaluateAll((els) =>
      els.map((el) => ({
        text: el.textContent ?? '',
        wide: el.scrollWidth <= el.clientWidth,
        tall: el.scrollHeight <= el.clientHeight,
        oneLineEach: [...el.children].every((c) => c.getClientRects().length === 1),
      })),
    );
    expect(cells.length).toBeGreaterThan(5);
    for (const c of cells) expect(c, c.text).toMatchObject({ wide: true, tall: true, oneLineEach: true });
  });

  it('the wall, the drawer and the history show no rule id, raw key, epoch number, UTC time or English sentence', async () => {
    expect(internalStrings(await page.locator('[data-testid="alert-list"]').innerText())).toEqual([]);
    expect(await warning().locator('[data-testid="row-rule"]').innerText()).toBe('瞬时值超标预警');
    await warning().click();
    const drawer = page.locator('[data-testid="alert-drawer"]');
    await drawer.waitFor();
    await expect.poll(() => drawer.locator('[data-testid="alert-history"] [data-testid="history-entry"]').count()).toBeGreaterThan(1);
    const text = await drawer.innerText();
    expect(internalStrings(text)).toEqual([]);
    expect(text).toContain('已折算基准氧含量');
    expect(text).toContain('监测值 9.6 mg/m³（限值 8 mg/m³）');
    expect(text).toContain('恢复至 5.1 mg/m³');
    await page.screenshot({ path: join(ARTIFACTS, 'duty-drawer-zh.png') });
    await page.keyboard.press('Escape');
    // A flag alert's drawer shows the flag, not a limit.
    await page.locator(`[data-testid="alert-row"][data-mn="${QILU_CEMS}"]`).first().click();
    const flagText = await drawer.innerText();
    expect(flagText).toContain('维护 (M)');
    expect(flagText).not.toContain('限值');
    expect(internalStrings(flagText)).toEqual([]);
    await page.keyboard.press('Escape');
  });

  it('assigns from the list of real users; "assigned to me" is in the URL and survives a reload', async () => {
    await warning().locator('[data-testid="act-assign"]').click();
    const dialog = page.locator('.el-dialog', { has: page.locator('[data-testid="action-submit"]') });
    await dialog.locator('[data-testid="assignee-select"]').click();
    const options = page.locator('.el-select-dropdown__item:visible');
    await expect.poll(() => options.count()).toBe(2);
    await options.filter({ hasText: '(officer)' }).click();
    await dialog.locator('[data-testid="action-submit"]').click();
    await expect.poll(() => warning().innerText()).toContain('处理人：officer');

    await page.locator('[data-testid="filter-mine"]').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('mine')).toBe('1');
    await expect.poll(() => rows().count()).toBe(1);
    await page.reload();
    await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
    await expect.poll(() => rows().count()).toBe(1);
    expect(await page.locator('[data-testid="filter-mine"]').getAttribute('class')).toContain('is-checked');
    await page.locator('[data-testid="filter-mine"]').click();
    await expect.poll(() => new URL(page.url()).searchParams.has('mine')).toBe(false);
  });

  it('bulk acknowledge: select every unacknowledged row, one note, all acknowledged', async () => {
    await page.locator('[data-testid="select-all"]').click();
    await expect.poll(() => page.locator('[data-testid="bulk-count"]').innerText()).toBe('已选 6 条');
    await page.locator('[data-testid="bulk-note"] input, input[data-testid="bulk-note"]').fill('交接班统一确认');
    await page.locator('[data-testid="bulk-acknowledge"]').click();
    await expect.poll(() => page.locator('[data-testid="alert-row"][data-acknowledged="false"]').count()).toBe(0);
    // The cleared warning closed when acknowledged; the flags stay open, acknowledged (the group
    // was collapsed again by the reload).
    await expect.poll(() => warning().count()).toBe(0);
    await group().locator('[data-testid="group-toggle"]').click();
    await expect.poll(() => page.locator(`[data-testid="alert-row"][data-mn="${QILU_CEMS}"][data-acknowledged="true"]`).count()).toBe(5);
  });

  it('resolving asks for a reason; without one nothing is closed', async () => {
    const flag = page.locator(`[data-testid="alert-row"][data-mn="${QILU_CEMS}"]`).first();
    const id = await flag.getAttribute('data-id');
    await flag.locator('[data-testid="act-resolve"]').click();
    const dialog = page.locator('.el-dialog', { has: page.locator('[data-testid="action-submit"]') });
    await dialog.locator('[data-testid="action-submit"]').click();
    await expect.poll(() => dialog.innerText()).toContain('必填');
    expect(await page.locator(`[data-testid="alert-row"][data-id="${id}"]`).getAttribute('data-closed')).toBe('false');
    await dialog.locator('textarea[name="text"]').fill('分析仪维护完成，数据恢复正常');
    await dialog.locator('[data-testid="action-submit"]').click();
    await expect.poll(() => page.locator(`[data-testid="alert-row"][data-id="${id}"]`).count()).toBe(0);
    const res = await page.request.get(`${t.baseUrl}/api/alerts/${id}`);
    const detail = (await res.json()) as { history: { kind: string; note: string | null }[] };
    expect(detail.history.at(-1)).toMatchObject({ kind: 'resolved', note: '分析仪维护完成，数据恢复正常' });
  });

  it('an offline source says "all factors" and "data transmission lost" in Chinese, its evidence in words', async () => {
    skew = 10 * 60_000;
    t.app.rules.tick();
    const offline = page.locator(`[data-testid="alert-row"][data-mn="${QILU_CEMS}"][data-rule="offline"]`);
    await offline.waitFor({ timeout: 15_000 });
    expect(await offline.locator('[data-testid="row-factor"]').innerText()).toBe('全部因子（数据传输）');
    expect(await offline.locator('[data-testid="row-rule"]').innerText()).toBe('数据传输中断');
    const rowText = await offline.innerText();
    expect(rowText).not.toContain('*');
    expect(rowText).toMatch(/\d+ 秒/);
    await offline.click();
    const drawer = page.locator('[data-testid="alert-drawer"]');
    await drawer.locator('[data-testid="alert-evidence"]').waitFor();
    const text = await drawer.innerText();
    expect(text).toContain('最后上报时间');
    expect(internalStrings(text)).toEqual([]);
    expect(internalStrings(await page.locator('[data-testid="alert-list"]').innerText())).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'duty-offline-zh.png') });
  });
});
