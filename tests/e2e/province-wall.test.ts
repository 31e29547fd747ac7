/**
 * The wall of a province in a real browser (issue 20): 2,400 generated outlets, 600 of them ammonia
 * slip, each sent one exceeding reading, so the staff audience has more open alerts than a snapshot
 * carries (SNAPSHOT_ALERTS_MAX). The wall shows the first page at once, loads the rest from the
 * server as it is scrolled (every alert once, to the last), and a change made elsewhere updates its
 * row and the count without the list being loaded again.
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
import { SNAPSHOT_ALERTS_MAX } from '../../server/realtime/realtime-module';
import { launchBrowser } from '../helpers/browser';
import { scrollWallToEnd } from '../helpers/wall-scroll';
import { until } from '../helpers/wait';
import { startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';

const OUTLETS = 2400;
const poll = expect.poll;

describe('a province’s wall pages its alerts from the server', () => {
  let t: TestApp;
  let officer: ApiSession;
  let browser: Browser;
  let page: Page;
  let dir: string;
  const fleet = benchFleet(OUTLETS, 0, { intervalS: 3600 });
  const ammonia = fleet.load.filter((s) => s.kind === 'ammonia');
  /** The first pages the wall asked for (a full reload asks for offset 0 again). */
  const firstPages: string[] = [];

  beforeAll(async () => {
    expect(ammonia.length).toBeGreaterThan(SNAPSHOT_ALERTS_MAX);
    await buildClientIfStale();
    dir = mkdtempSync(join(tmpdir(), 'o3-province-wall-'));
    writeRegistry(join(dir, 'registry.yaml'), fleet.registry);
    t = await startTestApp({ REGISTRY_FILE: join(dir, 'registry.yaml') });
    const logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: 'o3-province-wall', ...t.mqttAuth });
    const ts = Date.now() - 1_000;
    for (let i = 0; i < ammonia.length; i += 200)
      await Promise.all(ammonia.slice(i, i + 200).map((s) => logger.publishAsync(dataTopic(s.mn), ammoniaPayload(ts, 9.5), { qos: 1 })));
    await logger.endAsync();
    officer = await t.signIn();
    const open = async () => (await officer.call<{ total: number }>('GET', '/api/alerts?open=true&limit=1')).body.total;
    await until(async () => (await open()) >= ammonia.length, `${ammonia.length} open alerts`, 120_000);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1600, height: 950 }, locale: 'zh-CN' });
    const [name, value] = officer.cookie.split('=') as [string, string];
    await page.context().addCookies([{ name, value, url: t.baseUrl }]);
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname === '/api/alerts' && url.searchParams.get('offset') === '0' && url.searchParams.get('limit') !== '1')
        firstPages.push(url.search);
    });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the first rows, and scrolling loads the rest from the server: every alert once, to the last', async () => {
    await page.goto(`${t.baseUrl}/wall`);
    const rows = page.locator('[data-testid="alert-row"]');
    await rows.first().waitFor();
    const total = await open(officer);
    await poll(() => page.locator('[data-testid="wall-count"]').innerText()).toBe(`显示 ${total} / ${total} 条`);
    expect(await rows.count()).toBeLessThan(100);
    const seen = await scrollWallToEnd(page);
    expect(seen.size).toBe(total);
    expect(await rows.count()).toBeLessThan(100);
  }, 240_000);

  it('an alert acknowledged elsewhere leaves the “unacknowledged” wall and the count drops, without the list being loaded again', async () => {
    await page.goto(`${t.baseUrl}/wall?unacked=1`);
    const rows = page.locator('[data-testid="alert-row"]');
    await rows.first().waitFor();
    const before = await open(officer, '&acknowledged=false');
    await poll(() => page.locator('[data-testid="wall-count"]').innerText()).toContain(`显示 ${before} /`);
    const id = Number(await rows.first().getAttribute('data-id'));
    const loads = firstPages.length;
    const ack = await officer.call('POST', `/api/alerts/${id}/acknowledge`, { note: '已电话联系企业' });
    expect(ack.status).toBe(200);
    await poll(() => page.locator(`[data-testid="alert-row"][data-id="${id}"]`).count()).toBe(0);
    await poll(() => page.locator('[data-testid="wall-count"]').innerText()).toContain(`显示 ${before - 1} /`);
    expect(firstPages.length).toBe(loads);
    // The Chinese wall shows no raw rule id or epoch in its rows.
    const text = await rows.first().innerText();
    expect(text).not.toMatch(/\blimit\b|\d{13}/);
  }, 120_000);

  it('takes no whole source list to start: a row’s source and enterprise come by MN; the enterprise filter fetches the list when opened', async () => {
    const seen: string[] = [];
    page.on('request', (r) => seen.push(new URL(r.url()).pathname + new URL(r.url()).search));
    await page.goto(`${t.baseUrl}/wall`);
    const row = page.locator('[data-testid="alert-row"]').first();
    await row.waitFor();
    const mn = (await row.getAttribute('data-mn'))!;
    const source = fleet.registry.sources.find((s) => s.mn === mn)!;
    const enterprise = fleet.registry.enterprises.find((e) => e.id === source.enterpriseId)!;
    await poll(() => row.locator('.who__source').innerText()).toBe(source.name);
    await poll(() => row.innerText()).toContain(enterprise.name);
    await row.click();
    const drawer = page.locator('[data-testid="alert-drawer"]');
    await drawer.waitFor();
    await poll(() => drawer.innerText()).toContain(source.name);
    // Not the 2,400 outlets' list: the sources shown, by MN, a screenful at most per request.
    expect(seen.filter((r) => r === '/api/sources')).toEqual([]);
    const byMn = seen.filter((r) => r.startsWith('/api/sources?mn='));
    expect(byMn.length).toBeGreaterThan(0);
    for (const r of byMn) expect(new URLSearchParams(r.split('?')[1]).get('mn')!.split(',').length).toBeLessThanOrEqual(200);
    expect(seen.filter((r) => r.startsWith('/api/reports/transmission'))).toEqual([]);
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    // Every enterprise is an option: the whole list, fetched now and once.
    await page.locator('[data-testid="filter-enterprise"]').click();
    await poll(() => seen.filter((r) => r === '/api/sources').length).toBe(1);
    await page.locator('[data-testid="filter-enterprise"] input').fill(enterprise.name);
    await page.locator('.el-select-dropdown__item', { hasText: enterprise.name }).first().waitFor();
  }, 120_000);
});

async function open(s: ApiSession, extra = ''): Promise<number> {
  return (await s.call<{ total: number }>('GET', `/api/alerts?open=true&limit=1${extra}`)).body.total;
}
