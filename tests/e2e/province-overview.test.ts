/**
 * The sources overview of a province-sized registry in a real browser (issue 20): 2,500 generated
 * outlets (the bench's generator), 40 ammonia-slip ones sent an exceeding reading. The overview
 * takes its sources as compact points (GET /api/sources/points) and only the cards in view by MN,
 * its KPIs from the server's summary; its chips count every outlet and filter the cards; a reading
 * moves its outlet's card and counts without fetching the points again; the map clusters. In
 * Chinese: no raw key, epoch or English sentence.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchFleet, writeRegistry } from '../../bench/bench-registry';
import { ammoniaPayload, loadTemplates, render } from '../../bench/payloads';
import { buildClientIfStale } from '../../scripts/client-build';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { OVERVIEW_STATUSES } from '../../server/domain/source-status';
import { launchBrowser } from '../helpers/browser';
import { until } from '../helpers/wait';
import { startTestApp, type TestApp } from '../helpers/test-app';

const OUTLETS = 2500;
const EXCEEDING = 40;
const poll = expect.poll;
const EPOCH_RE = /(^|\D)\d{13}(\D|$)/;
/** Three Latin words in a row: an English sentence. */
const ENGLISH_RE = /[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}/;
/** A vue-i18n key shown raw (`overview.online`, `status.nodata`). */
const RAW_KEY_RE = /\b(overview|status|sources|common)\.[a-zA-Z]+/;

describe('the sources overview of a province', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let dir: string;
  const requests: string[] = [];
  const fleet = benchFleet(OUTLETS, 0, { intervalS: 3600 });
  const ammonia = fleet.load.filter((s) => s.kind === 'ammonia').slice(0, EXCEEDING);
  const first = fleet.load[0]!;
  /** When the ammonia outlets' exceeding readings were stamped (their alerts open then). */
  let sentAt = 0;

  const chipCount = async (status: string): Promise<number> =>
    Number(/(\d+)\s*$/.exec(await page.locator(`[data-testid="status-chip-${status}"]`).innerText())?.[1] ?? NaN);

  beforeAll(async () => {
    await buildClientIfStale();
    dir = mkdtempSync(join(tmpdir(), 'o3-province-overview-'));
    writeRegistry(join(dir, 'registry.yaml'), fleet.registry);
    t = await startTestApp({ REGISTRY_FILE: join(dir, 'registry.yaml') });
    const logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: 'o3-province-overview', ...t.mqttAuth });
    sentAt = Date.now() - 1_000;
    await Promise.all(ammonia.map((s) => logger.publishAsync(dataTopic(s.mn), ammoniaPayload(sentAt, 9.5), { qos: 1 })));
    await logger.endAsync();
    const officer = await t.signIn();
    const open = async () => (await officer.call<{ total: number }>('GET', '/api/alerts?open=true&limit=1')).body.total;
    await until(async () => (await open()) === EXCEEDING, `${EXCEEDING} open alerts`, 60_000);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1600, height: 950 }, locale: 'zh-CN' });
    page.on('request', (r) => requests.push(new URL(r.url()).pathname + new URL(r.url()).search));
    await page.context().addCookies([{ name: officer.cookie.split('=')[0]!, value: officer.cookie.split('=')[1]!, url: t.baseUrl }]);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('counts every outlet from the points and the summary, and fetches only the cards in view', async () => {
    await page.goto(`${t.baseUrl}/sources`);
    const cards = page.locator('[data-testid="source-card"]');
    await cards.first().waitFor();
    await poll(() => page.locator('[data-testid="kpi-online-value"]').innerText()).toBe(String(EXCEEDING));
    expect(await page.locator('[data-testid="kpi-online"]').innerText()).toContain('共 2,500 个');
    await poll(() => chipCount('exceeding')).toBe(EXCEEDING);
    const counts = await Promise.all(OVERVIEW_STATUSES.map(chipCount));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(OUTLETS);
    expect(await chipCount('nodata')).toBe(OUTLETS - EXCEEDING);

    expect(requests.filter((r) => r === '/api/sources/points')).toHaveLength(1);
    // Cards the dashboard's list does not hold yet come by MN, a screenful at most per request.
    const byMn = requests.filter((r) => r.startsWith('/api/sources?mn='));
    for (const r of byMn) expect(new URLSearchParams(r.split('?')[1]).get('mn')!.split(',').length).toBeLessThanOrEqual(200);
    expect(await cards.count()).toBeLessThan(OUTLETS / 10);
    // Nothing on the start path takes every source (no whole list), and the transmission figure is
    // one small answer computed by the server, not the per-source rows.
    await poll(() => requests.filter((r) => r.startsWith('/api/reports/transmission/rate?date=')).length).toBe(1);
    expect(requests.filter((r) => r === '/api/sources')).toEqual([]);
    expect(requests.filter((r) => r.startsWith('/api/reports/transmission?'))).toEqual([]);
    // Exceedances today: counted by the server (one alert at most in the answer), not read up to 1,000.
    const alertLists = requests.filter((r) => r.startsWith('/api/alerts?'));
    expect(alertLists.filter((r) => new URLSearchParams(r.split('?')[1]).get('limit') === '1000')).toEqual([]);
    const count = alertLists.filter((r) => new URLSearchParams(r.split('?')[1]).get('exceedance') === 'true');
    expect(count.length).toBeGreaterThan(0);
    for (const r of count) expect(new URLSearchParams(r.split('?')[1]).get('limit')).toBe('1');
    const midnight = new Date();
    midnight.setHours(0, 0, 0, 0);
    const today = sentAt >= midnight.getTime() ? EXCEEDING : 0;
    await poll(() => page.locator('[data-testid="kpi-exceedances"] .kpi__value').innerText()).toBe(String(today));

    const text = await page.locator('[data-testid="source-grid"]').innerText();
    const kpis = await page.locator('[data-testid="kpis"]').innerText();
    for (const shown of [text, kpis]) {
      expect(shown).not.toMatch(EPOCH_RE);
      expect(shown).not.toMatch(ENGLISH_RE);
      expect(shown).not.toMatch(RAW_KEY_RE);
    }
  });

  it('a status chip filters the cards to that status', async () => {
    await page.locator('[data-testid="status-chip-exceeding"]').click();
    await page.locator('[data-testid="status-chip-exceeding"][aria-pressed="true"]').waitFor();
    const cards = page.locator('[data-testid="source-card"]');
    await poll(() => cards.count()).toBe(EXCEEDING);
    expect(new Set(await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))))).toEqual(new Set(['exceeding']));
    expect(new Set(await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-mn'))))).toEqual(new Set(ammonia.map((s) => s.mn)));
    await page.locator('[data-testid="status-chip-exceeding"]').click();
    await page.locator('[data-testid="status-chip-exceeding"][aria-pressed="false"]').waitFor();
  });

  it('a reading moves its outlet’s card and the counts, without fetching the points again', async () => {
    const card = page.locator(`[data-testid="source-card"][data-mn="${first.mn}"]`);
    await card.waitFor();
    expect(await card.getAttribute('data-status')).toBe('nodata');
    const pointsBefore = requests.filter((r) => r === '/api/sources/points').length;
    const logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: 'o3-province-overview-2', ...t.mqttAuth });
    await logger.publishAsync(dataTopic(first.mn), render(loadTemplates('cems')[0]!, Date.now() - 500), { qos: 1 });
    await logger.endAsync();
    await poll(() => card.getAttribute('data-status'), { timeout: 15_000 }).toBe('normal');
    await poll(() => chipCount('nodata')).toBe(OUTLETS - EXCEEDING - 1);
    expect(await chipCount('normal')).toBe(1);
    expect(await card.locator('time').count()).toBe(1);
    expect(requests.filter((r) => r === '/api/sources/points')).toHaveLength(pointsBefore);
  });

  it('the map clusters the points (no second fetch of them)', async () => {
    const pointsBefore = requests.filter((r) => r === '/api/sources/points').length;
    await page.locator('[data-testid="overview-map"]').click();
    const canvas = page.locator('[data-testid="source-map"] [data-clustered="true"]');
    await poll(async () => Number(await canvas.getAttribute('data-marks'))).toBeGreaterThan(0);
    expect(Number(await canvas.getAttribute('data-marks'))).toBeLessThan(OUTLETS / 5);
    expect(requests.filter((r) => r === '/api/sources/points')).toHaveLength(pointsBefore);
  });
});
