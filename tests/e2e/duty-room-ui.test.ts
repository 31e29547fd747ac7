/**
 * What a new officer and the ozone centre hit in their first hour (issue 12), in headless
 * Chromium against the real app: the sign-in page's language switch is legible in both themes; a
 * maintenance-flagged value is grey with its flag's name, never red; a stack's values say measured
 * (实测) and converted (折算); a bypass shows its state even when the latest reading has no bypass
 * flow; the trend chart's y-axis reaches the limit line when every value is below it; the ozone
 * page says "no forecast" (neutral) when there is none; the ozone centre reads the alert wall
 * without any action. Screenshots in tests/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataTopic } from '../../server/domain/mqtt-contract';
import type { FactorValue } from '../../server/domain/reading';
import { buildClientIfStale } from '../../scripts/client-build';
import { launchBrowser } from '../helpers/browser';
import { ROOT, startTestApp, type TestApp } from '../helpers/test-app';

const ARTIFACTS = join(ROOT, 'tests/artifacts');
const POWER_CEMS = '370300CEMS00000000000101';
const CEMENT_CEMS = '370300CEMS00000000000201';
const CEMENT_NH3 = '370300NH3000000000000201';
const RED = 'rgb(200, 30, 30)'; // --st-exceeding (light theme)
/** expect.poll with room for a real browser on a busy machine. */
const poll = <T>(probe: () => T | Promise<T>) => expect.poll(probe, { timeout: 15_000 });
const THEME_STORAGE_KEY = 'o3-sentinel.theme'; // client/src/stores/theme.ts

async function signIn(ctx: BrowserContext, baseUrl: string, user: string): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(baseUrl);
  await page.locator('input[name="username"]').fill(user);
  await page.locator('input[name="password"]').fill(`${user}-demo-2026`);
  await page.locator('button[type="submit"]').click();
  await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
  return page;
}

/** The browser globals the page functions use (this project compiles its tests without the DOM library). */
interface PageNode {
  parentElement: PageNode | null;
}
interface Win {
  getComputedStyle(el: unknown): { color: string; backgroundColor: string; getPropertyValue(name: string): string };
  document: { documentElement: unknown };
}

/** WCAG contrast ratio of an element's text against the first opaque background behind it. */
function contrastOf(page: Page, selector: string): Promise<number> {
  return page.locator(selector).evaluate((el) => {
    const rgba = (c: string): number[] => {
      // Chromium may answer rgb(), rgba() or color(srgb r g b / a) (for color-mix).
      const srgb = /color\(srgb ([\d.]+) ([\d.]+) ([\d.]+)(?: \/ ([\d.]+))?\)/.exec(c);
      if (srgb) return [Number(srgb[1]) * 255, Number(srgb[2]) * 255, Number(srgb[3]) * 255, srgb[4] === undefined ? 1 : Number(srgb[4])];
      const m = c.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0, 0];
      return [m[0] ?? 0, m[1] ?? 0, m[2] ?? 0, m[3] ?? 1];
    };
    let bg: number[] = [255, 255, 255, 0];
    const win = globalThis as unknown as Win;
    for (let node: PageNode | null = el as unknown as PageNode; node; node = node.parentElement) {
      bg = rgba(win.getComputedStyle(node).backgroundColor);
      if ((bg[3] ?? 0) > 0.5) break;
    }
    const lum = ([r, g, b]: number[]) => {
      const ch = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * ch(r ?? 0) + 0.7152 * ch(g ?? 0) + 0.0722 * ch(b ?? 0);
    };
    const [a, b] = [lum(rgba(win.getComputedStyle(el).color)), lum(bg)];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  });
}

describe('duty-room details in headless Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  const context = async (init?: string): Promise<BrowserContext> => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    if (init) await ctx.addInitScript(init);
    contexts.push(ctx);
    return ctx;
  };

  async function publish(mn: string, readings: { ts: number; factors: Record<string, FactorValue> }[]): Promise<void> {
    const source = t.config.registry.sources.find((s) => s.mn === mn);
    const logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: mn, username: mn, password: source?.mqttPassword });
    for (const r of readings) await logger.publishAsync(dataTopic(mn), JSON.stringify({ cn: '2011', ...r }), { qos: 1 });
    await logger.endAsync();
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildClientIfStale();
    t = await startTestApp();
    browser = await launchBrowser();
    const now = Date.now();
    // The power plant's CEMS in maintenance: NOx flagged M (a maintenance-flag alert), SO2 valid.
    await publish(POWER_CEMS, [
      {
        ts: now - 20_000,
        factors: { a21002: { rtd: 80, zs: 95, flag: 'M' }, a21026: { rtd: 10.5, zs: 12.3, flag: 'N' }, a19001: { rtd: 9.1, flag: 'N' } },
      },
    ]);
    // The cement kiln opens its bypass, then reports without the bypass flow.
    await publish(CEMENT_CEMS, [
      { ts: now - 20_000, factors: { abp01: { rtd: 0.6, flag: 'N' }, a21002: { rtd: 30, flag: 'N' } } },
      { ts: now - 10_000, factors: { a21002: { rtd: 31, flag: 'N' } } },
    ]);
    // Ammonia slip well below its 8 mg/m³ limit for the last few minutes.
    const slip = Array.from({ length: 6 }, (_, i) => ({
      ts: now - (6 - i) * 30_000,
      factors: { a21001: { rtd: 1.8 + i / 10, flag: 'N' as const } },
    }));
    await publish(CEMENT_NH3, slip);
  }, 180_000);

  afterAll(async () => {
    for (const ctx of contexts) await ctx.close();
    await browser?.close();
    await t?.stop();
  });

  it('the sign-in page language switch is legible in the light and the dark theme', async () => {
    const light = await (await context()).newPage();
    await light.goto(t.baseUrl);
    await light.locator('[data-testid="lang-switch"]').waitFor();
    expect(await contrastOf(light, '[data-testid="lang-switch"]')).toBeGreaterThanOrEqual(4.5);
    await light.screenshot({ path: join(ARTIFACTS, 'login-light.png') });

    const dark = await (await context(`localStorage.setItem('${THEME_STORAGE_KEY}', 'dark')`)).newPage();
    await dark.goto(t.baseUrl);
    await dark.locator('[data-testid="lang-switch"]').waitFor();
    expect(await dark.locator('html').getAttribute('class')).toContain('dark');
    expect(await contrastOf(dark, '[data-testid="lang-switch"]')).toBeGreaterThanOrEqual(4.5);
    expect(await contrastOf(dark, '.login__head h1')).toBeGreaterThanOrEqual(4.5);
    await dark.screenshot({ path: join(ARTIFACTS, 'login-dark.png') });
  });

  it('source cards: a flagged value is grey with its flag, values say measured and converted, a bypass shows its state', async () => {
    const page = await signIn(await context(), t.baseUrl, 'officer');
    await page.locator('[data-testid="nav-sources"]').click();
    const power = page.locator(`[data-testid="source-card"][data-mn="${POWER_CEMS}"]`);
    const nox = power.locator('[data-factor="a21002"]');
    await poll(() => nox.getAttribute('data-flag')).toBe('M');
    // The maintenance-flag alert is open on NOx, and still the value is not shown as an exceedance.
    await poll(async () =>
      (await t.signIn()).call<{ total: number }>('GET', `/api/alerts?mn=${POWER_CEMS}&rule=maintenance-flag`),
    ).toMatchObject({ body: { total: 1 } });
    await poll(() => nox.getAttribute('data-tone')).toBe('flagged');
    const measured = nox.locator('[data-value="measured"]');
    const noxColour = await measured.evaluate((el) => (globalThis as unknown as Win).getComputedStyle(el).color);
    expect(noxColour).not.toBe(RED);
    expect(await nox.innerText()).toContain('维护');

    const so2 = power.locator('[data-factor="a21026"]');
    expect(await so2.locator('[data-value="measured"]').innerText()).toMatch(/实测\s*10\.5/);
    expect(await so2.locator('[data-value="converted"]').innerText()).toMatch(/折算\s*12\.3/);
    expect(await power.locator('[data-factor="a19001"]').innerText()).not.toContain('实测'); // O2 is not converted

    const bypass = page.locator(`[data-testid="source-card"][data-mn="${CEMENT_CEMS}"] [data-testid="bypass-state"]`);
    await poll(() => bypass.getAttribute('data-open')).toBe('true');
    expect(await bypass.innerText()).toMatch(/旁路\s*开启\s*0\.6\s*m³\/s/);
    await page.screenshot({ path: join(ARTIFACTS, 'source-cards-flags-bypass.png'), fullPage: true });
  });

  it('the trend chart reaches the limit line although every value is below it', async () => {
    const page = await signIn(await context(), t.baseUrl, 'officer');
    await page.goto(`${t.baseUrl}/sources/${CEMENT_NH3}?factor=a21001`);
    const chart = page.locator('[data-testid="series-chart"]');
    await poll(() => chart.getAttribute('data-points')).toBe('6');
    await poll(() => chart.getAttribute('data-limits-in-view')).toBe('true');
    await page.screenshot({ path: join(ARTIFACTS, 'trend-limit-in-view.png') });
  });

  it('the ozone centre: "no forecast" without forecasts, and the alert wall to read, without actions', async () => {
    const page = await signIn(await context(), t.baseUrl, 'ozone');
    const warning = page.locator('[data-testid="ozone-warning"]');
    await poll(() => warning.getAttribute('data-level')).toBe('noForecast');
    const level = page.locator('[data-testid="ozone-warning-level"]');
    expect(await level.innerText()).toBe('暂无预报');
    // Not the green of "no warning" (--st-normal, #1f8a4c in the light theme).
    expect(await level.evaluate((el) => (globalThis as unknown as Win).getComputedStyle(el).backgroundColor)).not.toBe('rgb(31, 138, 76)');
    await page.screenshot({ path: join(ARTIFACTS, 'ozone-no-forecast.png') });

    await page.locator('[data-testid="nav-wall"]').click();
    const rows = page.locator('[data-testid="alert-row"]');
    await poll(() => rows.count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="alert-row"] [data-testid^="act-"]').count()).toBe(0);
    await rows.first().click();
    await page.locator('[data-testid="alert-drawer"]').waitFor();
    expect(await page.locator('[data-testid="alert-drawer"] [data-testid^="drawer-"]').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'ozone-reads-wall.png') });
  });

  it('数据质量: districts ranked, failing sources marked, contractors, the comparison form and the credit ranking, no MN or epoch in the Chinese page', async () => {
    const page = await signIn(await context(), t.baseUrl, 'officer');
    await page.locator('[data-testid="nav-quality"]').click();
    const rows = page.locator('[data-testid="quality-source-row"]');
    await poll(() => rows.count()).toBeGreaterThan(0);
    await poll(() => page.locator('[data-testid="quality-district-row"]').count()).toBeGreaterThan(0);
    // Last month: nothing was sent, every source fails and is marked.
    expect(await page.locator('[data-testid="quality-source-row"][data-pass="true"]').count()).toBe(0);
    await page.locator('[data-testid="quality-contractors"]').waitFor();
    await page.locator('[data-testid="comparison-form"]').waitFor();
    await poll(() => page.locator('[data-testid="scorecard-row"]').count()).toBeGreaterThan(0);
    const text = await page.locator('[data-testid="quality-view"]').innerText();
    expect(text).toContain('企业信用评分排名');
    expect(text).toContain('应急措施未落实');
    expect(text).not.toMatch(/\b3703\d{20}\b/); // an MN
    expect(text).not.toMatch(/\b1\d{12}\b/); // an epoch in ms
    expect(text).toContain('有效传输率');
    await page.screenshot({ path: join(ARTIFACTS, 'quality-page.png'), fullPage: true });
  });
});
