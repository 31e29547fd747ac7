/**
 * Rectification cases over HTTP on the running app (issue 19 item 3, its "done means"): an officer
 * opens a case from an enterprise's alert (alerts of two enterprises are refused); the enterprise
 * sees its own case without the internal note, another enterprise sees nothing of it; the
 * enterprise's forbidden file types and an oversize file are refused with a clear code, a PDF is
 * stored and served only as a download; it may not accept or close; it submits its report; the
 * officer returns it, then accepts the second report requiring 3 clean days: close is refused while
 * a recurrence (a new exceeding reading on the case's source, judged from the alert store) is less
 * than 3 days old and allowed after (the app's clock is the test's); a case by hand whose deadline
 * passed is marked overdue once and its officer is emailed once (a real local SMTP server), however
 * often the ticker runs; every transition is in the audit trail.
 */
import ExcelJS from 'exceljs';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../server/domain/alert';
import type { AuditRecord } from '../../server/domain/audit';
import type { CasePage, CaseView } from '../../server/domain/case';
import { addDays, DAY_MS, HOUR_MS, localDate } from '../../server/domain/local-time';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { SmtpSink } from '../helpers/smtp-sink';
import { startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';
import { eventually, until } from '../helpers/wait';

const A_ENT = 'qilu-power';
const B_ENT = 'zichuan-cement';
const A_NH3 = '370300NH3000000000000101';
const B_NH3 = '370300NH3000000000000201';
const NOTE = '该企业去年两次超标，重点盯防';
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
const nh3 = (ts: number, rtd: number) => JSON.stringify({ cn: '2011', ts, factors: { a21001: { rtd, flag: 'N' } } });

describe('rectification cases: from an alert to the report, verification with clean days, closure; overdue notified once', () => {
  const smtp = new SmtpSink();
  let clock = Date.now();
  const T = clock;
  let t: TestApp;
  let officer: ApiSession;
  let a: ApiSession;
  let b: ApiSession;
  let logger: MqttClient;
  let aAlert: Alert;
  let bAlert: Alert;
  let caseId = 0;
  let pdfId = '';
  const today = () => localDate(clock, 480);
  /** Moves the app's clock; sessions older than their lifetime by it end, so sign in again. */
  const setClock = async (at: number) => {
    clock = at;
    [officer, a] = await Promise.all([t.signIn('officer'), t.signIn(A_ENT)]);
  };

  const alertOf = (s: ApiSession, mn: string) =>
    eventually(async () => (await s.call<{ items: Alert[] }>('GET', `/api/alerts?mn=${mn}`)).body.items[0], `an alert on ${mn}`);
  const upload = (s: ApiSession, id: number, name: string, body: Buffer | Uint8Array) =>
    s.fetch(`/api/cases/${id}/attachments?name=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body,
    });
  const move = (s: ApiSession, id: number, body: Record<string, unknown>) =>
    s.call<{ case: CaseView; error?: string; message?: string }>('POST', `/api/cases/${id}/transition`, body);

  beforeAll(async () => {
    await smtp.start();
    t = await startTestApp(
      { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_SECURITY: 'none', SMTP_FROM: 'o3-alerts@sthj.example.cn' },
      { now: () => clock },
    );
    [officer, a, b] = await Promise.all([t.signIn('officer'), t.signIn(A_ENT), t.signIn(B_ENT)]);
    logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: `cases-${Date.now()}`, ...t.mqttAuth, reconnectPeriod: 0 });
    await logger.publishAsync(dataTopic(A_NH3), nh3(clock - 2_000, 9.4), { qos: 1 });
    await logger.publishAsync(dataTopic(B_NH3), nh3(clock - 2_000, 9.8), { qos: 1 });
    [aAlert, bAlert] = await Promise.all([alertOf(officer, A_NH3), alertOf(officer, B_NH3)]);
    const me = await officer.call('PUT', '/api/notify-settings/me', {
      contacts: { email: 'officer@sthj.example.cn', phone: null },
      subscription: { enabled: false, minSeverity: 'critical', districts: [], kinds: [], rules: [], channels: ['email'], quietHours: null },
    });
    expect(me.status).toBe(200);
  });
  afterAll(async () => {
    await logger?.endAsync(true);
    await t?.stop();
    await smtp.close();
  });

  it('opens a case from one enterprise’s alerts only; the enterprise and sources are the alert’s', async () => {
    const body = {
      type: 'exceedance',
      officer: 'officer',
      deadline: { kind: 'date', date: addDays(today(), 10) },
      requirements: ['查明氨逃逸超标原因', '调整喷氨量并提交整改报告'],
      internalNote: NOTE,
    };
    const mixed = await officer.call<{ error: string }>('POST', '/api/cases', { ...body, alertIds: [aAlert.id, bAlert.id] });
    expect(mixed.status).toBe(400);
    expect(mixed.body.error).toBe('case_mixed_enterprises');
    expect((await officer.call('POST', '/api/cases', { ...body, alertIds: [aAlert.id], officer: A_ENT })).status).toBe(400);
    expect((await a.call('POST', '/api/cases', { ...body, alertIds: [aAlert.id] })).status).toBe(403);
    const made = await officer.call<{ case: CaseView }>('POST', '/api/cases', { ...body, alertIds: [aAlert.id] });
    expect(made.status).toBe(201);
    expect(made.body.case).toMatchObject({
      enterpriseId: A_ENT,
      sources: [A_NH3],
      rules: [aAlert.rule],
      alertIds: [aAlert.id],
      status: 'open',
      internalNote: NOTE,
      overdue: false,
      district: '临淄区',
    });
    caseId = made.body.case.id;
  });

  it('shows the enterprise its own case without the internal note, and nothing to another enterprise', async () => {
    const list = await a.call<CasePage>('GET', '/api/cases');
    expect(list.body.items.map((c) => c.id)).toEqual([caseId]);
    const one = await a.call<{ case: CaseView }>('GET', `/api/cases/${caseId}`);
    expect(one.body.case.internalNote).toBeNull();
    expect(JSON.stringify([list.body, one.body])).not.toContain('重点盯防');
    expect((await b.call('GET', `/api/cases/${caseId}`)).status).toBe(404);
    expect((await b.call<CasePage>('GET', '/api/cases')).body.items).toEqual([]);
    expect((await b.call<CasePage>('GET', `/api/cases?enterprise=${A_ENT}`)).body.items).toEqual([]);
    expect((await b.call('POST', `/api/cases/${caseId}/transition`, { action: 'submit', text: '冒充' })).status).toBe(404);
    expect((await upload(b, caseId, 'x.pdf', PDF)).status).toBe(404);
  });

  it('refuses forbidden types and an oversize file with a clear code; stores a PDF served only as a download', async () => {
    const refused = async (name: string, body: Buffer | Uint8Array, status: number, error: string) => {
      const res = await upload(a, caseId, name, body);
      expect(res.status, name).toBe(status);
      const answer = (await res.json()) as { error: string; message: string };
      expect(answer.error, name).toBe(error);
      expect(answer.message.length).toBeGreaterThan(0);
    };
    await refused('报告.html', Buffer.from('<html><script>alert(1)</script></html>'), 415, 'attachment_type_not_allowed');
    await refused('图.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 415, 'attachment_type_not_allowed');
    await refused('setup.pdf', Buffer.from('MZ\x90\x00\x03\x00', 'latin1'), 415, 'attachment_type_not_allowed');
    await refused('报告.html', PDF, 415, 'attachment_extension_mismatch');
    await refused('大文件.pdf', Buffer.concat([PDF, Buffer.alloc(10 * 1_048_576)]), 413, 'attachment_too_large');

    const res = await upload(a, caseId, '整改报告（第一版）.pdf', PDF);
    expect(res.status).toBe(201);
    const { attachment } = (await res.json()) as { attachment: { id: string; kind: string; size: number; sha256: string } };
    expect(attachment).toMatchObject({ kind: 'pdf', size: PDF.length });
    expect(attachment.sha256).toMatch(/^[0-9a-f]{64}$/);
    pdfId = attachment.id;

    const file = await officer.fetch(`/api/cases/${caseId}/attachments/${pdfId}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/octet-stream');
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.headers.get('content-security-policy')).toContain('sandbox');
    const disposition = file.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment; filename="[^"]*\.pdf"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1] as string)).toBe('整改报告（第一版）.pdf');
    expect(Buffer.from(await file.arrayBuffer()).equals(PDF)).toBe(true);
    expect((await b.fetch(`/api/cases/${caseId}/attachments/${pdfId}`)).status).toBe(404);
  });

  it('lets the enterprise submit, never accept or close; the officer returns, then accepts with 3 clean days', async () => {
    expect((await move(a, caseId, { action: 'close' })).status).toBe(403);
    expect((await move(a, caseId, { action: 'accept', cleanDays: 0 })).status).toBe(403);
    expect((await move(officer, caseId, { action: 'submit', text: '代交' })).status).toBe(403);
    const sent = await move(a, caseId, { action: 'submit', text: '已调整喷氨量，附整改报告' });
    expect(sent.status).toBe(200);
    expect(sent.body.case).toMatchObject({ status: 'submitted', report: { text: '已调整喷氨量，附整改报告', attachmentIds: [pdfId] } });
    const returned = await move(officer, caseId, { action: 'return', reason: '缺少第三方检测报告' });
    expect(returned.body.case.status).toBe('returned');
    expect((await a.call<{ case: CaseView }>('GET', `/api/cases/${caseId}`)).body.case.returnReason).toBe('缺少第三方检测报告');
    expect((await move(a, caseId, { action: 'submit', text: '补充第三方检测报告' })).body.case.status).toBe('submitted');
    const accepted = await move(officer, caseId, { action: 'accept', cleanDays: 3 });
    expect(accepted.body.case).toMatchObject({ status: 'verifying', cleanDays: 3, verifyingSince: clock });
    // The enterprise adds no material while the bureau verifies.
    expect((await upload(a, caseId, '再补.pdf', PDF)).status).toBe(409);
  });

  it('refuses to close while a recurrence is younger than the clean days, and closes after', async () => {
    await setClock(T + DAY_MS);
    await logger.publishAsync(dataTopic(A_NH3), nh3(clock - 1_000, 10.2), { qos: 1 });
    await until(
      async () => (await officer.call<{ alert: Alert }>('GET', `/api/alerts/${aAlert.id}`)).body.alert.lastSeenAt >= clock - 1_000,
      'the recurrence',
    );
    await setClock(T + 3 * DAY_MS + HOUR_MS);
    const early = await move(officer, caseId, { action: 'close' });
    expect(early.status).toBe(409);
    expect(early.body.error).toBe('case_not_clean');
    expect(early.body.message).toMatch(/recurred/);
    await setClock(T + 4 * DAY_MS + HOUR_MS);
    const closed = await move(officer, caseId, { action: 'close', note: '复核无复发，销号' });
    expect(closed.status).toBe(200);
    expect(closed.body.case).toMatchObject({ status: 'closed', closedBy: 'officer', overdue: false });
    expect((await move(officer, caseId, { action: 'reassign', officer: 'admin' })).status).toBe(409);
    const history = (await officer.call<{ case: CaseView }>('GET', `/api/cases/${caseId}`)).body.case.history.map((h) => h.event);
    expect(history).toEqual(['created', 'attached', 'submitted', 'returned', 'submitted', 'accepted', 'closed']);
  });

  it('marks a case overdue once and emails its officer once, however often the ticker runs', async () => {
    const made = await officer.call<{ case: CaseView }>('POST', '/api/cases', {
      type: 'transmission',
      enterpriseId: A_ENT,
      sources: [A_NH3],
      officer: 'officer',
      deadline: { kind: 'overhaul', latest: today() },
      requirements: ['恢复数据传输'],
    });
    expect(made.status).toBe(201);
    const id = made.body.case.id;
    expect(await t.app.casesOverdue()).toBe(0);
    await setClock(clock + DAY_MS);
    expect(await t.app.casesOverdue()).toBe(1);
    expect(await t.app.casesOverdue()).toBe(0);
    const mails = () => smtp.mails.filter((m) => m.to.includes('officer@sthj.example.cn'));
    await until(() => mails().length > 0, 'the overdue email');
    expect(mails()[0]?.subject).toContain('整改逾期');
    const overdue = await officer.call<CasePage>('GET', '/api/cases?overdue=true');
    expect(overdue.body.items.map((c) => [c.id, c.overdue])).toEqual([[id, true]]);
    expect((await officer.call<CasePage>('GET', '/api/cases?overdue=false')).body.items.map((c) => c.id)).toEqual([caseId]);
    // Moved to a new date, it may go overdue (and be notified) again; not before.
    expect((await move(officer, id, { action: 'reassign', deadline: { kind: 'date', date: addDays(today(), 1) } })).status).toBe(200);
    expect(await t.app.casesOverdue()).toBe(0);
    await t.app.casesOverdue();
    expect(mails()).toHaveLength(1);
  });

  it('exports the ledger as XLSX with Chinese headers and text intact, filtered, and the enterprise its own only', async () => {
    const res = await officer.fetch('/api/cases/ledger?format=xlsx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(decodeURIComponent((res.headers.get('content-disposition') ?? '').split("UTF-8''")[1] as string)).toMatch(
      /^整改台账-\d{4}-\d{2}-\d{2}\.xlsx$/,
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = wb.getWorksheet('整改台账');
    const rows = (ws?.getSheetValues() ?? [])
      .filter(Boolean)
      .map((r) => (r as unknown[]).slice(1).map((v) => (v === undefined ? '' : String(v))));
    expect(rows[0]?.slice(0, 4)).toEqual(['案件编号', '企业名称', '区县', '案件类型']);
    expect(rows).toHaveLength(3);
    const closed = rows.find((r) => r[0] === String(caseId));
    expect(closed).toEqual(
      expect.arrayContaining(['齐鲁示范热电有限公司', '超标排放', '已销号', '否', '1. 查明氨逃逸超标原因\n2. 调整喷氨量并提交整改报告']),
    );
    expect(rows.flat().join('|')).not.toContain('重点盯防');
    const json = await officer.call<{ items: CaseView[] }>('GET', '/api/cases/ledger?format=json&type=transmission');
    expect(json.body.items.map((c) => [c.type, c.overdue])).toEqual([['transmission', false]]);
    const other = await t.signIn(B_ENT); // the clock moved on: a fresh session
    expect((await other.call<{ items: CaseView[] }>('GET', '/api/cases/ledger?format=json')).body.items).toEqual([]);
  });

  it('audits every step, by whom, on the case', async () => {
    const admin = await t.signIn('admin');
    const audit = await admin.call<{ items: AuditRecord[] }>('GET', `/api/audit?target=case:${caseId}&limit=100`);
    const actions = audit.body.items.map((r) => `${r.action} ${r.username}`).sort();
    expect(actions).toEqual(
      [
        'case.created officer',
        'case.attachment_refused qilu-power',
        'case.attachment_refused qilu-power',
        'case.attachment_refused qilu-power',
        'case.attachment_refused qilu-power',
        'case.attachment_added qilu-power',
        'case.submitted qilu-power',
        'case.returned officer',
        'case.submitted qilu-power',
        'case.accepted officer',
        'case.closed officer',
      ].sort(),
    );
  });
});
