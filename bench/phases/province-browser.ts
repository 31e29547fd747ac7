/**
 * The province's pages in headless Chromium, signed in as the duty officer, while the steady load
 * runs (reading batches arrive over the socket all along). "Interactive" means, concretely:
 *   overview (/sources): the first source card is rendered AND a click on the "normal" status chip
 *     has been handled (the chip pressed, the cards filtered to normal ones);
 *   wall (/wall): the first alert row is rendered AND a click on it has opened its detail drawer.
 * Each is timed from the navigation's start (performance.now() in the page) to that moment. Then
 * the page's JS heap after a garbage collection (CDP Runtime.getHeapUsage) and how many rows and
 * cards are in the DOM (the lists are windowed). The map: from the switch to its points drawn.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { launchBrowser } from '../../tests/helpers/browser';
import { distribution, type Distribution } from '../stats';

export interface PageFigures {
  interactiveMs: Distribution;
  /**
   * The page's main-thread busy time until interactive (CDP Performance TaskDuration), ms: what
   * the page itself costs, less dependent than the wall-clock time on a busy shared machine.
   */
  busyMs: Distribution;
  heapMb: number;
  /** Rows (wall) or cards (overview) in the DOM. */
  domItems: number;
}

/** Which pages are opened (`--province-pages`); the map goes with the overview. */
export type ProvincePages = 'all' | 'overview' | 'wall';

export interface PagesResult {
  /** null: not opened (`--province-pages`). */
  overview: PageFigures | null;
  wall: PageFigures | null;
  /** Switch to the map → its points drawn (clustered), ms; the marks drawn (null with the overview). */
  map: { ms: Distribution; marks: number } | null;
}

const TIMEOUT = 60_000;

async function heapMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return Math.round(usedSize / 1_048_576);
}

/**
 * `PROVINCE_PROFILE_DIR=dir`: each load also writes the page's CPU profile (`<page>-<n>.cpuprofile`,
 * CDP Profiler, summarised by `npx tsx bench/profile-summary.ts file…`) and its network waterfall
 * (`<page>-<n>.network.json`: each request's start and end from the navigation, its size).
 */
const PROFILE_DIR = process.env.PROVINCE_PROFILE_DIR;

interface Recorder {
  stop: (label: string) => Promise<void>;
}

async function record(cdp: CDPSession): Promise<Recorder> {
  const requests = new Map<string, { url: string; start: number; end?: number; bytes?: number; status?: number }>();
  let t0 = NaN;
  cdp.on('Network.requestWillBeSent', (e) => {
    if (Number.isNaN(t0)) t0 = e.timestamp;
    requests.set(e.requestId, { url: e.request.url, start: e.timestamp });
  });
  cdp.on('Network.responseReceived', (e) => {
    const r = requests.get(e.requestId);
    if (r) r.status = e.response.status;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = requests.get(e.requestId);
    if (r) Object.assign(r, { end: e.timestamp, bytes: e.encodedDataLength });
  });
  await cdp.send('Network.enable');
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
  return {
    stop: async (label) => {
      const { profile } = await cdp.send('Profiler.stop');
      mkdirSync(PROFILE_DIR!, { recursive: true });
      writeFileSync(join(PROFILE_DIR!, `${label}.cpuprofile`), JSON.stringify(profile));
      const ms = (t: number | undefined) => (t === undefined ? null : Math.round((t - t0) * 1000));
      const list = [...requests.values()].map((r) => ({
        url: r.url.replace(/^https?:\/\/[^/]+/, ''),
        status: r.status,
        startMs: ms(r.start),
        endMs: ms(r.end),
        kb: r.bytes === undefined ? null : Math.round(r.bytes / 1024),
      }));
      writeFileSync(join(PROFILE_DIR!, `${label}.network.json`), JSON.stringify(list, null, 1));
    },
  };
}

async function open(
  browser: Browser,
  baseUrl: string,
  cookie: string,
  path: string,
): Promise<{ page: Page; busyMs: () => Promise<number>; recorder: Recorder | null }> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 950 }, locale: 'zh-CN' });
  const [name, value] = cookie.split('=') as [string, string];
  await page.context().addCookies([{ name, value, url: baseUrl }]);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const recorder = PROFILE_DIR ? await record(cdp) : null;
  await page.goto(`${baseUrl}${path}`, { waitUntil: 'commit' });
  const busyMs = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return 1000 * (metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN);
  };
  return { page, busyMs, recorder };
}

async function overview(page: Page): Promise<number> {
  await page.locator('[data-testid="source-card"]').first().waitFor({ timeout: TIMEOUT });
  await page.locator('[data-testid="status-chip-normal"]').click({ timeout: TIMEOUT });
  await page.locator('[data-testid="status-chip-normal"][aria-pressed="true"]').waitFor({ timeout: TIMEOUT });
  await page.locator('[data-testid="source-card"][data-status="normal"]').first().waitFor({ timeout: TIMEOUT });
  return page.evaluate(() => performance.now());
}

async function wall(page: Page): Promise<number> {
  const row = page.locator('[data-testid="alert-row"]').first();
  await row.waitFor({ timeout: TIMEOUT });
  await row.click({ timeout: TIMEOUT });
  await page.locator('[data-testid="alert-drawer"]').waitFor({ timeout: TIMEOUT });
  return page.evaluate(() => performance.now());
}

async function map(page: Page): Promise<{ ms: number; marks: number }> {
  const t0 = await page.evaluate(() => performance.now());
  await page.locator('[data-testid="overview-map"]').click();
  const canvas = page.locator('[data-testid="source-map"] [data-marks]:not([data-marks="0"])');
  await canvas.waitFor({ timeout: TIMEOUT });
  const marks = Number(await canvas.getAttribute('data-marks'));
  return { ms: (await page.evaluate(() => performance.now())) - t0, marks };
}

async function figures(
  browser: Browser,
  baseUrl: string,
  cookie: string,
  path: string,
  loads: number,
  interactive: (p: Page) => Promise<number>,
  items: string,
): Promise<{ figures: PageFigures; last: Page }> {
  const times: number[] = [];
  const busy: number[] = [];
  let last: Page | undefined;
  for (let i = 0; i < loads; i++) {
    await last?.close();
    const opened = await open(browser, baseUrl, cookie, path);
    last = opened.page;
    try {
      times.push(await interactive(last));
      busy.push(await opened.busyMs());
    } finally {
      // A load that timed out is written too (`…-failed`): what the page was waiting for.
      await opened.recorder?.stop(`${path.slice(1)}-${i + 1}${times.length === i + 1 ? '' : '-failed'}`);
    }
  }
  const page = last!;
  return {
    figures: {
      interactiveMs: distribution(times),
      busyMs: distribution(busy),
      heapMb: await heapMb(page),
      domItems: await page.locator(items).count(),
    },
    last: page,
  };
}

export async function measurePages(baseUrl: string, cookie: string, loads: number, which: ProvincePages = 'all'): Promise<PagesResult> {
  const browser = await launchBrowser();
  try {
    let wallFigures: PageFigures | null = null;
    if (which !== 'overview') {
      const w = await figures(browser, baseUrl, cookie, '/wall', loads, wall, '[data-testid="alert-row"]');
      await w.last.close();
      wallFigures = w.figures;
    }
    if (which === 'wall') return { overview: null, wall: wallFigures, map: null };
    const o = await figures(browser, baseUrl, cookie, '/sources', loads, overview, '[data-testid="source-card"]');
    const drawn = await map(o.last);
    return { overview: o.figures, wall: wallFigures, map: { ms: distribution([drawn.ms]), marks: drawn.marks } };
  } finally {
    await browser.close();
  }
}
