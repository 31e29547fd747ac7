/**
 * A province-sized registry in a real browser (issue 20): 1,200 generated outlets (the bench's
 * generator), 300 of them ammonia slip, each sent one exceeding reading through the broker, so the
 * wall holds 300 open alerts. The wall renders only the rows in view, and scrolling it down shows
 * every alert once, down to the last; the sources grid is windowed likewise, and the map clusters.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchFleet, writeRegistry } from '../../bench/bench-registry';
import { ammoniaPayload } from '../../bench/payloads';
import { buildClientIfStale } from '../../scripts/client-build';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { launchBrowser } from '../helpers/browser';
import { scrollWallToEnd } from '../helpers/wall-scroll';
import { until } from '../helpers/wait';
import { startTestApp, type TestApp } from '../helpers/test-app';

const OUTLETS = 1200;
const poll = expect.poll;

describe('a province-sized registry in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let dir: string;
  const fleet = benchFleet(OUTLETS, 0, { intervalS: 3600 });
  const ammonia = fleet.load.filter((s) => s.kind === 'ammonia');

  beforeAll(async () => {
    await buildClientIfStale();
    dir = mkdtempSync(join(tmpdir(), 'o3-province-e2e-'));
    writeRegistry(join(dir, 'registry.yaml'), fleet.registry);
    t = await startTestApp({ REGISTRY_FILE: join(dir, 'registry.yaml') });
    const logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: 'o3-province-e2e', ...t.mqttAuth });
    const ts = Date.now() - 1_000;
    await Promise.all(ammonia.map((s) => logger.publishAsync(dataTopic(s.mn), ammoniaPayload(ts, 9.5), { qos: 1 })));
    await logger.endAsync();
    const officer = await t.signIn();
    const open = async () => (await officer.call<{ total: number }>('GET', '/api/alerts?open=true&limit=1')).body.total;
    await until(async () => (await open()) === ammonia.length, `${ammonia.length} open alerts`, 60_000);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1600, height: 950 }, locale: 'zh-CN' });
    await page.context().addCookies([{ name: officer.cookie.split('=')[0]!, value: officer.cookie.split('=')[1]!, url: t.baseUrl }]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the wall renders only the rows in view, and scrolling down shows every alert once, to the last', async () => {
    await page.goto(`${t.baseUrl}/wall`);
    const rows = page.locator('[data-testid="alert-row"]');
    await rows.first().waitFor();
    await poll(() => page.locator('[data-testid="wall-count"]').innerText()).toContain(String(ammonia.length));
    const inDom = await rows.count();
    expect(inDom).toBeGreaterThan(0);
    expect(inDom).toBeLessThan(ammonia.length / 5);
    const seen = await scrollWallToEnd(page);
    const mns = new Set(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-mn'))));
    expect(seen.size).toBe(ammonia.length);
    expect(mns.size).toBeGreaterThan(0);
    expect(await rows.count()).toBeLessThan(ammonia.length / 5);
  });

  it('the sources grid renders only the cards in view; the map clusters its points', async () => {
    await page.goto(`${t.baseUrl}/sources`);
    const cards = page.locator('[data-testid="source-card"]');
    await cards.first().waitFor();
    const rowsOfCards = Number(await page.locator('[data-testid="source-scroller"]').getAttribute('data-rows'));
    expect(rowsOfCards).toBeGreaterThan(100);
    expect(await cards.count()).toBeLessThan(OUTLETS / 5);
    await page.locator('[data-testid="overview-map"]').click();
    const canvas = page.locator('[data-testid="source-map"] [data-clustered="true"]');
    await poll(async () => Number(await canvas.getAttribute('data-marks'))).toBeGreaterThan(0);
    expect(Number(await canvas.getAttribute('data-marks'))).toBeLessThan(OUTLETS);
  });
});
