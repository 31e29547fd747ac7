/**
 * A rectification case in two real browsers (issue 19 item 3): the duty officer has opened a case
 * for zichuan-cement (over REST, from its alert); the enterprise finds it under 整改任务, is refused
 * an HTML file with a clear Chinese message, deletes a file sent by mistake (after a confirmation),
 * uploads its PDF report and submits its explanation; the
 * officer's 整改案件 page shows the case 待受理 with the report and the file (live), and accepts it.
 * Both download the case's evidence package (下载证据包) from the page: the officer's with the
 * internal note, the enterprise's without it. Screenshots in tests/artifacts/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClientIfStale } from '../../scripts/client-build';
import type { Alert } from '../../server/domain/alert';
import type { CaseView } from '../../server/domain/case';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { launchBrowser } from '../helpers/browser';
import { ROOT, startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';
import { eventually } from '../helpers/wait';

const ARTIFACTS = join(ROOT, 'tests/artifacts');
const ENTERPRISE = 'zichuan-cement';
const CEMENT_NH3 = '370300NH3000000000000201';
const REPORT = '已更换SCR催化剂并调整喷氨量，氨逃逸恢复正常';
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');

describe('a rectification report: uploaded by the enterprise in its portal, seen by the officer', () => {
  let t: TestApp;
  let browser: Browser;
  let ent: Page;
  let officer: Page;
  let api: ApiSession;
  let made: CaseView;

  const signIn = async (page: Page, username: string, password: string) => {
    await page.goto(t.baseUrl);
    await page.locator('input[name="username"]').fill(username);
    await page.locator('input[name="password"]').fill(password);
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
  };

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildClientIfStale();
    t = await startTestApp();
    api = await t.signIn('officer');
    const source = t.config.registry.sources.find((x) => x.mn === CEMENT_NH3);
    const logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: CEMENT_NH3, username: CEMENT_NH3, password: source?.mqttPassword });
    const reading = { cn: '2011', ts: Date.now() - 1000, factors: { a21001: { rtd: 9.6, flag: 'N' } } };
    await logger.publishAsync(dataTopic(CEMENT_NH3), JSON.stringify(reading), { qos: 1 });
    await logger.endAsync();
    const alert = await eventually(
      async () => (await api.call<{ items: Alert[] }>('GET', `/api/alerts?mn=${CEMENT_NH3}`)).body.items[0],
      'the cement works’ alert',
    );
    const due = new Date(Date.now() + 8 * 3_600_000 + 10 * 86_400_000).toISOString().slice(0, 10);
    const res = await api.call<{ case: CaseView }>('POST', '/api/cases', {
      type: 'exceedance',
      alertIds: [alert.id],
      officer: 'officer',
      deadline: { kind: 'date', date: due },
      requirements: ['查明氨逃逸超标原因', '提交整改报告及第三方检测报告'],
      internalNote: '内部：该企业本年第二次超标',
    });
    expect(res.status).toBe(201);
    made = res.body.case;
    browser = await launchBrowser();
    ent = await (await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' })).newPage();
    officer = await (await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' })).newPage();
    await signIn(ent, ENTERPRISE, `${ENTERPRISE}-demo-2026`);
    await signIn(officer, 'officer', 'officer-demo-2026');
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('the enterprise is refused an HTML file, uploads its PDF and submits its report', async () => {
    await ent.locator('[data-testid="nav-caseTasks"]').click();
    await ent.locator(`[data-testid="case-row-${made.id}"]`).click();
    const detail = ent.locator('[data-testid="case-detail"]');
    await detail.waitFor();
    await expect.poll(() => detail.textContent()).toContain('查明氨逃逸超标原因');
    expect(await detail.textContent()).not.toContain('内部');
    // The officer in charge by display name, not by the account's username.
    expect(await detail.textContent()).toContain('负责人值班人员 Duty officer');
    expect(await detail.textContent()).not.toContain('账号');

    const upload = ent.locator('[data-testid="case-upload"]');
    await upload.setInputFiles({ name: '说明.html', mimeType: 'text/html', buffer: Buffer.from('<html><script>alert(1)</script></html>') });
    await expect.poll(() => ent.locator('[data-testid="case-upload-error"]').textContent()).toContain('不支持该文件类型');
    await upload.setInputFiles({ name: '错传的文件.pdf', mimeType: 'application/pdf', buffer: PDF });
    await expect.poll(() => ent.locator('[data-testid="case-attachment"]').allTextContents()).toEqual(['错传的文件.pdf']);
    // A file sent by mistake is deleted before the report goes, after a confirmation.
    await ent.locator('[data-testid="case-file-delete"]').click();
    const confirm = ent.locator('.case-file-confirm');
    await expect.poll(() => confirm.textContent()).toContain('确定删除“错传的文件.pdf”');
    await confirm.locator('.el-button--primary').click();
    await expect.poll(() => ent.locator('[data-testid="case-attachment"]').count()).toBe(0);
    await upload.setInputFiles({ name: '整改报告.pdf', mimeType: 'application/pdf', buffer: PDF });
    await expect.poll(() => ent.locator('[data-testid="case-attachment"]').allTextContents()).toEqual(['整改报告.pdf']);

    await ent.locator('[data-testid="case-actions"] textarea').fill(REPORT);
    await ent.locator('[data-testid="case-submit"]').click();
    await expect.poll(() => ent.locator('[data-testid="case-status"]').textContent()).toBe('待受理');
    // Once submitted, the report's file stays: no delete button.
    expect(await ent.locator('[data-testid="case-file-delete"]').count()).toBe(0);
    await ent.screenshot({ path: join(ARTIFACTS, 'case-report-enterprise.png') });
  });

  it('the officer sees the report and its file on 整改案件, and accepts it', async () => {
    await officer.locator('[data-testid="nav-cases"]').click();
    const row = officer.locator(`[data-testid="case-row-${made.id}"]`);
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('待受理');
    await row.click();
    const detail = officer.locator('[data-testid="case-detail"]');
    await expect.poll(() => detail.locator('[data-testid="case-report"]').textContent()).toContain(REPORT);
    expect(await detail.locator('[data-testid="case-attachment"]').allTextContents()).toEqual(['整改报告.pdf']);
    expect(await detail.textContent()).toContain('内部：该企业本年第二次超标');
    expect(await detail.textContent()).toContain('值班人员 Duty officer（账号 officer）');
    await officer.locator('[data-testid="case-accept"]').click();
    await expect.poll(() => officer.locator('[data-testid="case-status"]').textContent()).toBe('验证中');
    await officer.screenshot({ path: join(ARTIFACTS, 'case-report-officer.png') });
    const stored = await api.call<{ case: CaseView }>('GET', `/api/cases/${made.id}`);
    expect(stored.body.case).toMatchObject({ status: 'verifying', report: { text: REPORT } });
  });

  it('the case page downloads its evidence package: the officer’s with the internal note, the enterprise’s without', async () => {
    const download = async (page: Page): Promise<Record<string, Uint8Array>> => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="case-evidence"]').click()]);
      expect(file.suggestedFilename()).toMatch(/\.zip$/);
      return unzipSync(new Uint8Array(readFileSync(await file.path())));
    };
    const bureau = await download(officer);
    expect(Object.keys(bureau)).toEqual(expect.arrayContaining(['case.html', 'case.json', 'manifest.json', 'attachments/整改报告.pdf']));
    expect(strFromU8(bureau['case.html'] as Uint8Array)).toContain('该企业本年第二次超标');
    const own = await download(ent);
    expect(Object.keys(own)).toEqual(expect.arrayContaining(['case.html', 'manifest.json', 'attachments/整改报告.pdf']));
    expect(strFromU8(own['case.html'] as Uint8Array)).not.toContain('该企业本年第二次超标');
    expect(strFromU8(own['case.html'] as Uint8Array)).toContain(REPORT);
  });
});
