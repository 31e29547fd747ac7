/**
 * The dashboard as a person gets it from the server under test: the initial JavaScript (gzip) that
 * index.html loads before anything else, and the time from navigation to the first alert row
 * rendered, in headless Chromium (page loads after the latency run, so alerts exist).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchBrowser } from '../../tests/helpers/browser';
import { distribution, type Distribution } from '../stats';

export interface ClientResult {
  initialJsGzipKb: number;
  initialJsFiles: string[];
  firstAlertMs: Distribution;
}

/** Scripts and module preloads named by the built index.html: what loads before the app runs. */
export function initialJs(clientDir: string): { files: string[]; gzipBytes: number } {
  const html = readFileSync(join(clientDir, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1] as string);
  const gzipBytes = files.reduce((sum, f) => sum + gzipSync(readFileSync(join(clientDir, f))).length, 0);
  return { files, gzipBytes };
}

export async function runClient(baseUrl: string, cookie: string, clientDir: string, loads: number): Promise<ClientResult> {
  const { files, gzipBytes } = initialJs(clientDir);
  const browser = await launchBrowser();
  const times: number[] = [];
  try {
    for (let i = 0; i < loads; i++) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      const [name, value] = cookie.split('=') as [string, string];
      await page.context().addCookies([{ name, value, url: baseUrl }]);
      await page.goto(baseUrl, { waitUntil: 'commit' });
      await page.locator('[data-testid="alert-row"]').first().waitFor({ timeout: 30_000 });
      // performance.now() counts from the navigation's start.
      times.push(await page.evaluate(() => performance.now()));
      await page.close();
    }
  } finally {
    await browser.close();
  }
  return { initialJsGzipKb: Math.round(gzipBytes / 102.4) / 10, initialJsFiles: files, firstAlertMs: distribution(times) };
}
