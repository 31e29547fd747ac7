/**
 * A rectification case's evidence package on the running app (PLANS H3; issue 19): a logger sends
 * an exceeding HJ 212 frame over TCP, the officer opens a case from its alert with an internal note
 * and comments internally on the alert, the enterprise comments visibly and uploads a PDF. The
 * officer's ZIP (unzipped here) holds the summary with the note, the case, the alert and its whole
 * history, the source's series and raw frame (password masked), the PDF byte for byte, the audit
 * trail with IPs and a manifest of all of it; the enterprise's holds the same evidence without the
 * internal note, the internal comment and IPs; another enterprise gets 404; each download is audited.
 */
import { connect } from 'node:net';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../server/domain/alert';
import type { AuditRecord } from '../../server/domain/audit';
import type { CaseView } from '../../server/domain/case';
import { encodeFrameText } from '../../server/domain/hj212/encode';
import { formatHjTime, formatQn } from '../../server/domain/hj212/hj-time';
import { addDays, localDate } from '../../server/domain/local-time';
import { startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';
import { eventually } from '../helpers/wait';

const A_ENT = 'qilu-power';
const B_ENT = 'zichuan-cement';
const A_NH3 = '370300NH3000000000000101';
const NOTE = '该企业去年两次超标，重点盯防';
const INTERNAL = '内部：疑似人为调低喷氨';
const VISIBLE = '企业说明：喷氨泵故障已更换';
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

describe('a case’s evidence package: everything for the bureau, the enterprise’s own without internal notes', () => {
  let t: TestApp;
  let officer: ApiSession;
  let a: ApiSession;
  let b: ApiSession;
  let alert: Alert;
  let caseId = 0;
  let pw = '';
  const at = Math.floor(Date.now() / 1000) * 1000 - 2_000;

  const download = async (s: ApiSession, id = caseId) => {
    const res = await s.fetch(`/api/cases/${id}/evidence.zip`);
    return { res, files: res.status === 200 ? unzipSync(new Uint8Array(await res.arrayBuffer())) : {} };
  };
  const text = (files: Record<string, Uint8Array>, path: string): string => {
    const bytes = files[path];
    expect(bytes, path).toBeDefined();
    return utf8.decode(bytes);
  };

  beforeAll(async () => {
    t = await startTestApp();
    [officer, a, b] = await Promise.all([t.signIn('officer'), t.signIn(A_ENT), t.signIn(B_ENT)]);
    pw = t.config.registry.sources.find((s) => s.mn === A_NH3)?.pw ?? '';
    const frame = encodeFrameText({
      qn: formatQn(at),
      st: '31',
      cn: '2011',
      pw,
      mn: A_NH3,
      flag: 4,
      cp: { params: { DataTime: formatHjTime(at) }, factors: [{ code: 'a21001', fields: { Rtd: '9.6', Flag: 'N' } }] },
    });
    const socket = connect(t.app.hj212Port as number, '127.0.0.1');
    await new Promise<void>((res) => socket.once('connect', res));
    socket.write(frame);
    alert = await eventually(
      async () => (await officer.call<{ items: Alert[] }>('GET', `/api/alerts?mn=${A_NH3}`)).body.items[0],
      'the alert of the frame',
    );
    socket.destroy();
    const made = await officer.call<{ case: CaseView }>('POST', '/api/cases', {
      type: 'exceedance',
      alertIds: [alert.id],
      officer: 'officer',
      deadline: { kind: 'date', date: addDays(localDate(Date.now(), 480), 10) },
      requirements: ['查明氨逃逸超标原因'],
      internalNote: NOTE,
    });
    expect(made.status).toBe(201);
    caseId = made.body.case.id;
    expect((await officer.call('POST', `/api/alerts/${alert.id}/comment`, { text: INTERNAL, internal: true })).status).toBe(201);
    expect((await a.call('POST', `/api/alerts/${alert.id}/comment`, { text: VISIBLE })).status).toBe(201);
    const up = await a.fetch(`/api/cases/${caseId}/attachments?name=${encodeURIComponent('整改报告.pdf')}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: PDF,
    });
    expect(up.status).toBe(201);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('gives the bureau every part: summary, case, alerts and history, series, raw frames, attachment, audit, manifest', async () => {
    const { res, files } = await download(officer);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('证据包'));

    const html = text(files, 'case.html');
    expect(html).toContain('齐鲁');
    expect(html).toContain(NOTE);
    expect(html).toContain('查明氨逃逸超标原因');
    expect(html).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    expect(JSON.parse(text(files, 'case.json')).case).toMatchObject({ id: caseId, internalNote: NOTE, enterpriseId: A_ENT });

    const alerts = text(files, 'alerts.csv');
    expect(alerts.startsWith('\uFEFF报警编号,')).toBe(true);
    expect(alerts).toContain(`${alert.id},`);
    expect(alerts).toContain('氨');
    const history = text(files, 'alert-history.csv');
    expect(history).toContain(INTERNAL);
    expect(history).toContain(VISIBLE);
    expect(history).toContain('产生');

    const series = text(files, `series/${A_NH3}.csv`);
    expect(series.startsWith('\uFEFF时间,数据类型,因子编码,因子名称,监测值')).toBe(true);
    const local = new Date(at + 480 * 60_000).toISOString().slice(0, 19).replace('T', ' ');
    expect(series).toContain(`${local},实时数据,a21001,氨（氨逃逸）,9.6,,mg/m³,N,正常`);

    const frames = text(files, `frames/${A_NH3}.csv`);
    expect(frames).toContain(`MN=${A_NH3}`);
    expect(frames).toContain('PW=***');
    if (pw !== '') expect(frames).not.toContain(`PW=${pw}`);

    expect(Buffer.from(files['attachments/整改报告.pdf'] ?? []).equals(PDF)).toBe(true);
    const audit = text(files, 'audit.csv');
    expect(audit).toContain('新建整改案件');
    expect(audit).toContain('上传整改材料');
    expect(audit.split('\r\n')[0]).toContain('IP 地址');

    const manifest = JSON.parse(text(files, 'manifest.json')) as {
      copy: string;
      files: { path: string; rows: number | null; truncated: boolean }[];
    };
    expect(manifest.copy).toBe('bureau');
    expect(manifest.files.map((f) => f.path).sort()).toEqual(
      Object.keys(files)
        .filter((p) => p !== 'manifest.json')
        .sort(),
    );
    expect(manifest.files.find((f) => f.path === `series/${A_NH3}.csv`)).toMatchObject({ rows: 1, truncated: false });
  });

  it('gives the enterprise its own case’s package without the internal note, internal comments or IPs', async () => {
    const { res, files } = await download(a);
    expect(res.status).toBe(200);
    const all = Object.values(files)
      .map((f) => utf8.decode(f))
      .join('\n');
    expect(all).not.toContain(NOTE);
    expect(all).not.toContain('重点盯防');
    expect(all).not.toContain(INTERNAL);
    expect(text(files, 'alert-history.csv')).toContain(VISIBLE);
    expect(text(files, 'case.html')).toContain('企业版本');
    expect(JSON.parse(text(files, 'case.json')).case.internalNote).toBeNull();
    expect(text(files, 'audit.csv').split('\r\n')[0]).not.toContain('IP');
    expect(Buffer.from(files['attachments/整改报告.pdf'] ?? []).equals(PDF)).toBe(true);
    expect(JSON.parse(text(files, 'manifest.json')).copy).toBe('enterprise');
  });

  it('answers another enterprise and an unknown case with 404', async () => {
    expect((await download(b)).res.status).toBe(404);
    expect((await download(officer, caseId + 1000)).res.status).toBe(404);
  });

  it('audits each download with the copy it was', async () => {
    const admin = await t.signIn('admin');
    const records = await eventually(async () => {
      const r = await admin.call<{ items: AuditRecord[] }>('GET', `/api/audit?action=case.evidence_exported&target=case:${caseId}`);
      return r.body.items.length >= 2 ? r.body.items : undefined;
    }, 'two evidence downloads audited');
    expect(records.map((r) => r.detail?.['copy']).sort()).toEqual(['bureau', 'enterprise']);
    expect(records.find((r) => r.detail?.['copy'] === 'bureau')).toMatchObject({ username: 'officer', detail: { seriesRows: 1 } });
  });
});
