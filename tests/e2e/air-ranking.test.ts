/**
 * The air-quality tab of the ozone centre in a real browser: two stations publish the last complete
 * hour of the six pollutants over MQTT with their own credentials; the officer sees them ranked by
 * hourly AQI (HJ 633), worst first, with the level colour and the primary pollutant in words, and the
 * station without data last; the map shows each station in its level's colour (grey without data) and
 * the trend chart the city's hourly AQI. The assessment tab (评估) shows the city's figures against the targets,
 * the districts, the autumn–winter path and the monthly bulletin in Chinese words with units, its
 * Excel export and print. Screenshots in tests/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../server/domain/local-time';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { buildClientIfStale } from '../../scripts/client-build';
import { launchBrowser } from '../helpers/browser';
import { ROOT, startTestApp, type TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';

const ARTIFACTS = join(ROOT, 'tests/artifacts');
const HOUR = 3_600_000;
const PARK = '370300AQS000000000001001'; // 人民公园站
const LINZI = '370300AQS000000000001002'; // 临淄大化站
const n = (avg: number) => ({ avg, flag: 'N' });
/**
 * 人民公园站: PM2.5 130 → 150 + 50 × 15/35 = 171.4 → 172 (中度污染, primary PM2.5).
 * 临淄大化站: O3 250 → 100 + 50 × 50/100 = 125 (轻度污染, primary O3 1-h); PM2.5 40 → 57.
 */
const HOURS = {
  [PARK]: { a21026: n(10), a21004: n(40), a34002: n(150), a34004: n(130), a21005: n(1), a05024: n(20) },
  [LINZI]: { a21026: n(8), a21004: n(20), a34002: n(60), a34004: n(40), a21005: n(0.5), a05024: n(250) },
};

describe('air quality: stations ranked by AQI', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildClientIfStale();
    t = await startTestApp();
    const lastHour = Math.floor(Date.now() / HOUR) * HOUR - HOUR;
    for (const [mn, factors] of Object.entries(HOURS)) {
      const source = t.config.registry.sources.find((s) => s.mn === mn);
      const logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: mn, username: mn, password: source?.mqttPassword });
      await logger.publishAsync(dataTopic(mn), JSON.stringify({ cn: '2061', ts: lastHour, factors }), { qos: 1 });
      await logger.endAsync();
    }
    const officer = await t.signIn('officer');
    // The last hour's local date (between 00:00 and 01:00 China time, yesterday's), as the page asks.
    const day = localDate(lastHour, 480);
    await until(async () => {
      const { body } = await officer.call<{ rows: { id: string; aqi: number | null }[] }>(
        'GET',
        `/api/air/aqi?scope=station&interval=hour&from=${day}&to=${day}`,
      );
      return body.rows.filter((r) => r.aqi !== null).length === 2;
    }, 'both stations stored');
    browser = await launchBrowser();
    const ctx = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    page = await ctx.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('ranks the stations by the latest hourly AQI with level and primary pollutant in words', async () => {
    await page.goto(t.baseUrl);
    await page.locator('input[name="username"]').fill('officer');
    await page.locator('input[name="password"]').fill('officer-demo-2026');
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
    await page.goto(`${t.baseUrl}/ozone`);
    await page.getByRole('tab', { name: '空气质量' }).click();
    const rows = page.locator('[data-testid="air-station"]');
    await expect.poll(() => rows.count()).toBe(3);
    await expect.poll(() => rows.nth(0).innerText()).toContain('人民公园站');
    const first = rows.nth(0);
    expect(await first.locator('[data-testid="aqi-badge"]').innerText()).toContain('172');
    expect(await first.locator('[data-testid="aqi-badge"]').innerText()).toContain('中度污染');
    expect(await first.locator('[data-testid="aqi-badge"]').getAttribute('data-level')).toBe('4');
    expect(await first.locator('[data-testid="air-primary"]').innerText()).toBe('细颗粒物');
    const second = rows.nth(1);
    expect(await second.innerText()).toContain('临淄大化站');
    expect(await second.locator('[data-testid="aqi-badge"]').innerText()).toContain('125');
    expect(await second.locator('[data-testid="air-primary"]').innerText()).toBe('臭氧（1 小时）');
    expect(await rows.nth(2).innerText()).toContain('周村东站');
    expect(await rows.nth(2).locator('[data-testid="aqi-badge"]').count()).toBe(0);
    // The Chinese page shows no MN and no English.
    const text = await page.locator('[data-testid="air-ranking"]').innerText();
    expect(text).not.toContain(PARK);
    expect(text).not.toMatch(/Lightly|Moderately|Primary|pm25/);
    await page.screenshot({ path: join(ARTIFACTS, 'air-ranking.png'), fullPage: true });
  });

  it('the map colours each station by its latest hourly AQI level, grey without data; the trend draws the city', async () => {
    const map = page.locator('[data-testid="air-map"][data-state="ready"]');
    await map.locator('canvas').first().waitFor();
    const point = (name: string) => map.locator(`[data-testid="air-map-point"][data-name="${name}"]`);
    await expect.poll(() => point('人民公园站').getAttribute('data-level')).toBe('4');
    expect(await point('人民公园站').getAttribute('data-colour')).toBe('#FF0000'); // 中度污染
    expect(await point('临淄大化站').getAttribute('data-level')).toBe('3');
    expect(await point('临淄大化站').getAttribute('data-colour')).toBe('#FF7E00'); // 轻度污染
    expect(await point('周村东站').getAttribute('data-level')).toBe('none');
    expect(await point('周村东站').textContent()).toContain('无数据');
    // All three drawn inside the canvas (the view fits the districts), one series per level (legend: 优 … 严重污染, 无数据).
    await expect.poll(() => map.locator('[role="img"]').getAttribute('data-markers')).toBe('3');
    // Hovering a station names it, its AQI, level and primary pollutant in words.
    const box = await map.locator('[role="img"]').boundingBox();
    const [x, y] = await Promise.all([point('人民公园站').getAttribute('data-x'), point('人民公园站').getAttribute('data-y')]);
    await page.mouse.move((box?.x ?? 0) + Number(x), (box?.y ?? 0) + Number(y));
    const tip = map.locator('[role="img"] > div').filter({ hasText: '人民公园站' });
    await expect.poll(() => tip.count()).toBe(1);
    expect(await tip.innerText()).toMatch(/AQI 172 中度污染[\s\S]*首要污染物：细颗粒物/);
    const trend = page.locator('[data-testid="air-trend"]');
    await expect.poll(async () => Number(await trend.getAttribute('data-city-points'))).toBeGreaterThan(0);
    expect(Number(await trend.getAttribute('data-lines'))).toBeGreaterThanOrEqual(2); // the city and its districts
    await trend.locator('canvas').first().waitFor();
    expect(await trend.innerText()).toContain('近 3 天逐时');
    await trend.getByText('近 30 天逐日').click();
    await expect.poll(() => trend.locator('[role="alert"]').count()).toBe(0);
    for (const panel of [map, trend]) {
      const text = await panel.innerText();
      expect(text).not.toMatch(/air\.|noData|Lightly|Moderately|No data/);
      expect(text).not.toContain(PARK);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'air-map-trend.png'), fullPage: true });
    // The English page words the map and the trend in English.
    await page.locator('[data-testid="lang-switch"]').click();
    await expect.poll(() => trend.innerText()).toContain('AQI of the city and the districts');
    expect(await trend.innerText()).toContain('Last 30 days, daily');
    expect(await point('周村东站').textContent()).toContain('No data');
    expect(await map.innerText()).toContain('grey: no data');
    await page.locator('[data-testid="lang-switch"]').click();
    await expect.poll(() => trend.innerText()).toContain('全市及各区县 AQI 趋势');
  });

  it('the assessment tab: targets, districts, required path, bulletin with export and print, all in words', async () => {
    await page.getByRole('tab', { name: '评估' }).click();
    const city = page.locator('[data-testid="assessment-city"]');
    await city.waitFor();
    expect(await city.innerText()).toContain('优良天数比例');
    expect(await city.locator('[data-testid="assessment-check-goodDays"]').innerText()).toContain('≥ 85 %');
    expect(await city.locator('[data-testid="assessment-check-heavyDays"]').innerText()).toContain('≤ 0.65 %');
    expect(await city.locator('[data-testid="assessment-check-pm25"]').innerText()).toContain('≤ 60 µg/m³');
    expect(await city.locator('[data-testid="assessment-check-co"]').innerText()).toContain('mg/m³');
    await expect.poll(() => page.locator('[data-testid="assessment-district"]').count()).toBe(3);
    await page.locator('[data-testid="assessment-path"]').waitFor();
    const rows = page.locator('[data-testid="bulletin-row"]');
    await expect.poll(() => rows.count()).toBe(4); // three districts and the city
    expect(await rows.nth(3).innerText()).toContain('全市');
    const href = await page.locator('[data-testid="bulletin-xlsx"]').getAttribute('href');
    expect(href).toMatch(/^\/api\/air\/bulletin\?month=\d{4}-\d{2}&format=xlsx&lang=zh$/);
    const xlsx = await page.evaluate(async (url) => (await fetch(url)).headers.get('content-type'), href as string);
    expect(xlsx).toContain('spreadsheetml');
    expect(await page.locator('[data-testid="bulletin-print"]').isEnabled()).toBe(true);
    const text = await page.locator('[data-testid="assessment-panel"]').innerText();
    expect(text).not.toMatch(/assessment\.|goodDays|heavyDays|pm25Required|autumn-winter|Behind|Target|valid days/);
    expect(text).not.toContain(PARK);
    await page.screenshot({ path: join(ARTIFACTS, 'air-assessment.png'), fullPage: true });
  });
});
