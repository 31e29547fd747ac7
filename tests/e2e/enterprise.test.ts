/**
 * An enterprise user (zichuan-cement) in a real browser: sees its own outlets only, its alert
 * arrives live without acknowledge/resolve buttons, explains it (a comment the drawer shows), and
 * declares a maintenance window with the form checking as they type, and reads its working-condition
 * strip (issue 16) — its kiln's power, its SNCR and its stack on one axis — on its page and on the
 * stack's page. Screenshots in tests/artifacts/.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { buildClientIfStale } from '../../scripts/client-build';
import { launchBrowser } from '../helpers/browser';
import { TEST_REGISTRY_FILE } from '../helpers/fixtures';
import { ROOT, startTestApp, type TestApp } from '../helpers/test-app';

const ARTIFACTS = join(ROOT, 'tests/artifacts');
const CEMENT_NH3 = '370300NH3000000000000201';
const ENTERPRISE = 'zichuan-cement';
const CEMENT_STACK = '370300CEMS00000000000201';
/** The cement plant's kiln and SNCR, their signals on channels 01 and 02 of the stack's logger. */
const FACILITIES = `
facilities:
  - { id: zichuan-kiln, enterpriseId: zichuan-cement, kind: production-line, name: 回转窑, outletMns: [${CEMENT_STACK}], mn: ${CEMENT_STACK}, channel: "01", runningKw: 500 }
  - { id: zichuan-sncr, enterpriseId: zichuan-cement, kind: treatment, name: 窑尾SNCR, technology: SNCR, serves: zichuan-kiln, outletMns: [${CEMENT_STACK}],
      mn: ${CEMENT_STACK}, channel: "02", runningKw: 20, videoUrl: "https://video.example.cn/zichuan/sncr" }
`;

/** `YYYY-MM-DD HH:mm:ss` in the browser's (= this machine's) local time, as the date picker reads it. */
const local = (ms: number): string => {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
};

describe('enterprise: own outlets, explain, maintenance', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let dir: string;
  const row = () => page.locator(`[data-testid="alert-row"][data-mn="${CEMENT_NH3}"]`);

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildClientIfStale();
    dir = mkdtempSync(join(tmpdir(), 'o3-e2e-enterprise-'));
    const registryFile = join(dir, 'registry.yaml');
    writeFileSync(registryFile, `${readFileSync(TEST_REGISTRY_FILE, 'utf8').trimEnd()}\n${FACILITIES}`);
    t = await startTestApp({ REGISTRY_FILE: registryFile });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('signs in, lands on its own page and sees only its own sources', async () => {
    await page.goto(t.baseUrl);
    await page.locator('input[name="username"]').fill(ENTERPRISE);
    await page.locator('input[name="password"]').fill(`${ENTERPRISE}-demo-2026`);
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/enterprise');
    const own = t.config.registry.sources
      .filter((s) => s.enterpriseId === ENTERPRISE)
      .map((s) => s.mn)
      .sort();
    await expect.poll(() => page.locator('[data-testid="source-card"]').count()).toBe(own.length);
    const shown = await page.locator('[data-testid="source-card"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-mn')));
    expect(shown.sort()).toEqual(own);
    // The wall is not theirs: asking for it lands them back on their own page.
    await page.goto(`${t.baseUrl}/wall`);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/enterprise');
    expect(await page.locator('[data-testid="nav-wall"]').count()).toBe(0);
  });

  it('its alert arrives live, with "explain" and without acknowledge or resolve', async () => {
    await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
    const source = t.config.registry.sources.find((x) => x.mn === CEMENT_NH3);
    const logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: CEMENT_NH3, username: CEMENT_NH3, password: source?.mqttPassword });
    await logger.publishAsync(
      dataTopic(CEMENT_NH3),
      JSON.stringify({ cn: '2011', ts: Date.now() - 1000, factors: { a21001: { rtd: 9.6, flag: 'N' } } }),
      {
        qos: 1,
      },
    );
    await logger.endAsync();
    await row().waitFor({ timeout: 15_000 });
    expect(await row().locator('[data-testid="act-explain"]').count()).toBe(1);
    expect(await page.locator('[data-testid="act-acknowledge"], [data-testid="act-resolve"]').count()).toBe(0);
  });

  it('explains the alert; the explanation shows in the drawer', async () => {
    const text = 'SNCR 喷枪堵塞，已安排更换，预计 2 小时内恢复';
    await row().locator('[data-testid="act-explain"]').click();
    const dialog = page.locator('.el-dialog');
    await dialog.waitFor();
    // Sending nothing is refused next to the field, without a request.
    await page.locator('[data-testid="action-submit"]').click();
    await expect.poll(() => dialog.innerText()).toContain('必填');
    await dialog.locator('textarea').fill(text);
    await page.locator('[data-testid="action-submit"]').click();
    await dialog.waitFor({ state: 'hidden' });
    await row().click();
    const drawer = page.locator('[data-testid="alert-drawer"]');
    await expect.poll(() => drawer.locator('[data-testid="alert-comments"]').innerText()).toContain(text);
    expect(await drawer.locator('[data-testid="drawer-acknowledge"], [data-testid="drawer-resolve"]').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'enterprise-explained.png') });
    await page.keyboard.press('Escape');
  });

  it('declares maintenance: checked as typed, nothing typed is lost, then listed', async () => {
    const form = page.locator('[data-testid="maintenance-form"]');
    const reason = form.locator('textarea[name="reason"]');
    await reason.fill('窑尾 SNCR 检修');
    await reason.fill('');
    await expect.poll(() => form.innerText()).toContain('必填');
    await reason.fill('窑尾 SNCR 检修');
    const [fromInput, toInput] = [form.locator('input').nth(1), form.locator('input').nth(2)];
    const from = Date.now() + 60 * 60_000;
    await fromInput.fill(local(from));
    await fromInput.press('Enter');
    await toInput.fill(local(from - 30 * 60_000));
    await toInput.press('Enter');
    await page.keyboard.press('Escape');
    await expect.poll(() => form.innerText()).toContain('结束时间须晚于开始时间');
    expect(await reason.inputValue()).toBe('窑尾 SNCR 检修');
    await page.screenshot({ path: join(ARTIFACTS, 'enterprise-maintenance-invalid.png') });
    await toInput.fill(local(from + 4 * 60 * 60_000));
    await toInput.press('Enter');
    await page.keyboard.press('Escape');
    await expect.poll(() => form.innerText()).not.toContain('结束时间须晚于开始时间');
    await form.locator('[data-testid="m-submit"]').click();
    const listed = page.locator('[data-testid="maintenance-window"]');
    await expect.poll(() => listed.count()).toBe(1);
    expect(await listed.innerText()).toContain('窑尾 SNCR 检修');
    const windows = await (
      await t.signIn('officer')
    ).call<{ items: { enterpriseId: string; reason: string }[] }>('GET', '/api/maintenance');
    expect(windows.body.items.map((w) => [w.enterpriseId, w.reason])).toEqual([[ENTERPRISE, '窑尾 SNCR 检修']]);
    await page.screenshot({ path: join(ARTIFACTS, 'enterprise-maintenance-declared.png'), fullPage: true });
  });

  it('reads its working-condition strip: kiln power, SNCR and stack on one axis, on its page and on the stack’s page', async () => {
    const source = t.config.registry.sources.find((x) => x.mn === CEMENT_STACK);
    const logger = await mqtt.connectAsync(t.app.mqttUrl, {
      clientId: CEMENT_STACK,
      username: CEMENT_STACK,
      password: source?.mqttPassword,
    });
    const start = Math.floor(Date.now() / 60_000) * 60_000 - 20 * 60_000;
    for (let m = 0; m < 15; m++) {
      const sncrOff = m >= 8;
      const factors = {
        gkw01: { avg: 2400, flag: 'N' },
        gkw02: { avg: sncrOff ? 2 : 85, flag: 'N' },
        gia02: { avg: sncrOff ? 0 : 150, flag: 'N' },
        gqr02: { avg: sncrOff ? 0 : 320, flag: 'N' },
        a21002: { avg: sncrOff ? 260 : 120, zs: sncrOff ? 280 : 130, flag: 'N' },
      };
      await logger.publishAsync(dataTopic(CEMENT_STACK), JSON.stringify({ cn: '2051', ts: start + m * 60_000, factors }), { qos: 1 });
    }
    await logger.endAsync();
    await page.goto(`${t.baseUrl}/enterprise`);
    const strip = page.locator('[data-testid="wc-strip"]');
    await strip.waitFor();
    // Production (kW), treatment (kW, A, kg/h) and the stack's NOx: 5 lanes of 15 minutes each.
    await expect
      .poll(async () => {
        await strip.locator('[data-testid="wc-preset-1h"]').click();
        return Number(await strip.getAttribute('data-points'));
      })
      .toBeGreaterThanOrEqual(5 * 15);
    expect(Number(await strip.getAttribute('data-lanes'))).toBeGreaterThanOrEqual(5);
    expect(await strip.locator('[data-testid="wc-strip-chart"] canvas').count()).toBeGreaterThan(0);
    expect(await strip.locator('[data-testid="wc-video"]').getAttribute('href')).toBe('https://video.example.cn/zichuan/sncr');
    // The SNCR off for 6 minutes under a running kiln: the facility engine's treatment-off finding is listed on the strip.
    await expect
      .poll(async () => {
        await strip.locator('[data-testid="wc-preset-1h"]').click();
        return strip.innerText();
      })
      .toContain('治理设施未运行（生产设施运行中） · 窑尾SNCR');
    const text = await strip.innerText();
    expect(text).toContain('窑尾SNCR 视频');
    expect(text).not.toMatch(/gkw|gqr|a21002|zichuan/);
    await strip.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'enterprise-working-condition.png'), fullPage: true });

    await page.goto(`${t.baseUrl}/sources/${CEMENT_STACK}`);
    await page.getByRole('tab', { name: '工况联动' }).click();
    const onSource = page.locator('[data-testid="wc-strip"]');
    await expect.poll(async () => Number(await onSource.getAttribute('data-lanes'))).toBeGreaterThanOrEqual(5);
    await page.screenshot({ path: join(ARTIFACTS, 'source-working-condition.png'), fullPage: true });
  });
});
