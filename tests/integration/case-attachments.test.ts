/**
 * Deleting a case's attachment over HTTP on the running app (issue 19 item 3): the enterprise deletes
 * its material while it has not submitted it (the file leaves the disk, the download answers 404, the
 * history and the audit trail record it); once submitted, a file stays (409), and after a return only
 * what was added since goes; a party never deletes the other's file (403); another enterprise gets
 * 404 for the case and the file; the bureau deletes its own files until the case is closed.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../server/domain/audit';
import type { CaseAttachment, CaseView } from '../../server/domain/case';
import { addDays, localDate } from '../../server/domain/local-time';
import { startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';

const A_ENT = 'qilu-power';
const B_ENT = 'zichuan-cement';
const A_NH3 = '370300NH3000000000000101';
const B_NH3 = '370300NH3000000000000201';
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');

describe('deleting a case’s attachments: by its party, while the case allows, scoped, audited, off the disk', () => {
  let clock = Date.parse('2026-07-01T09:00:00+08:00');
  let t: TestApp;
  let officer: ApiSession;
  let a: ApiSession;
  let b: ApiSession;
  let caseId = 0;
  let bCaseId = 0;
  const files = () => readdirSync(join(t.config.dataDir, 'case-attachments'));
  /** Each request a millisecond later: "uploaded after the report" is judged on the app's clock. */
  const tick = () => (clock += 1);

  const upload = async (s: ApiSession, id: number, name: string): Promise<CaseAttachment> => {
    tick();
    const res = await s.fetch(`/api/cases/${id}/attachments?name=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: PDF,
    });
    expect(res.status, name).toBe(201);
    return ((await res.json()) as { attachment: CaseAttachment }).attachment;
  };
  const del = async (s: ApiSession, id: number, attachmentId: string) => {
    tick();
    const res = await s.fetch(`/api/cases/${id}/attachments/${attachmentId}`, { method: 'DELETE' });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as { error?: string; message?: string } };
  };
  const move = (s: ApiSession, id: number, body: Record<string, unknown>) => {
    tick();
    return s.call<{ case: CaseView }>('POST', `/api/cases/${id}/transition`, body);
  };
  const caseOf = async (s: ApiSession, id: number) => (await s.call<{ case: CaseView }>('GET', `/api/cases/${id}`)).body.case;
  const open = async (enterpriseId: string, mn: string) => {
    const made = await officer.call<{ case: CaseView }>('POST', '/api/cases', {
      type: 'facility',
      enterpriseId,
      sources: [mn],
      officer: 'officer',
      deadline: { kind: 'date', date: addDays(localDate(clock, 480), 10) },
      requirements: ['检修脱硝设施'],
    });
    expect(made.status).toBe(201);
    return made.body.case.id;
  };

  beforeAll(async () => {
    t = await startTestApp({}, { now: () => clock });
    [officer, a, b] = await Promise.all([t.signIn('officer'), t.signIn(A_ENT), t.signIn(B_ENT)]);
    caseId = await open(A_ENT, A_NH3);
    bCaseId = await open(B_ENT, B_NH3);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('lets the enterprise delete material it has not submitted: gone from the case, the disk and the download', async () => {
    const keep = await upload(a, caseId, '整改方案.pdf');
    const wrong = await upload(a, caseId, '传错了.pdf');
    expect(files()).toHaveLength(2);
    expect((await del(a, caseId, wrong.id)).status).toBe(204);
    expect(files()).toHaveLength(1);
    expect((await officer.fetch(`/api/cases/${caseId}/attachments/${wrong.id}`)).status).toBe(404);
    expect((await del(a, caseId, wrong.id)).status).toBe(404);
    const c = await caseOf(officer, caseId);
    expect(c.attachments.map((x) => x.id)).toEqual([keep.id]);
    expect(c.history.at(-1)).toMatchObject({ event: 'detached', by: A_ENT, detail: { name: '传错了.pdf', size: PDF.length } });
  });

  it('answers 404 across enterprises, and 403 for the other party’s file', async () => {
    const [own] = (await caseOf(a, caseId)).attachments;
    expect((await del(b, caseId, own!.id)).status).toBe(404);
    expect((await del(b, bCaseId, own!.id)).status).toBe(404);
    expect((await del(a, bCaseId, own!.id)).status).toBe(404);
    const refused = await del(officer, caseId, own!.id);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/only the enterprise/);
    const notice = await upload(officer, caseId, '整改通知书.pdf');
    expect((await del(a, caseId, notice.id)).status).toBe(403);
    expect((await del(officer, caseId, notice.id)).status).toBe(204);
  });

  it('keeps what was submitted; after a return only what was added since may go', async () => {
    const [submitted] = (await caseOf(a, caseId)).attachments;
    expect((await move(a, caseId, { action: 'submit', text: '已检修' })).status).toBe(200);
    const late = await del(a, caseId, submitted!.id);
    expect(late.status).toBe(409);
    expect(late.body.error).toBe('attachment_submitted');
    expect((await move(officer, caseId, { action: 'return', reason: '缺少检修记录' })).status).toBe(200);
    expect((await del(a, caseId, submitted!.id)).body.error).toBe('attachment_submitted');
    const added = await upload(a, caseId, '检修记录.pdf');
    expect((await del(a, caseId, added.id)).status).toBe(204);
  });

  it('lets the bureau delete its own files until the case is closed', async () => {
    const memo = await upload(officer, caseId, '现场核查记录.pdf');
    expect((await move(a, caseId, { action: 'submit', text: '补充检修记录' })).status).toBe(200);
    expect((await move(officer, caseId, { action: 'accept', cleanDays: 0 })).status).toBe(200);
    expect((await move(officer, caseId, { action: 'close' })).status).toBe(200);
    const closed = await del(officer, caseId, memo.id);
    expect(closed.status).toBe(409);
    expect(closed.body.error).toBe('case_closed');
    expect((await caseOf(officer, caseId)).attachments.map((x) => x.name)).toEqual(['整改方案.pdf', '现场核查记录.pdf']);
  });

  it('audits every delete, by whom, with the file’s name and hash', async () => {
    const admin = await t.signIn('admin');
    const audit = await admin.call<{ items: AuditRecord[] }>('GET', `/api/audit?target=case:${caseId}&limit=100`);
    const deleted = audit.body.items.filter((r) => r.action === 'case.attachment_deleted');
    expect(deleted.map((r) => [r.username, r.detail?.['name']]).sort()).toEqual(
      [
        [A_ENT, '传错了.pdf'],
        ['officer', '整改通知书.pdf'],
        [A_ENT, '检修记录.pdf'],
      ].sort(),
    );
    expect(deleted.every((r) => /^[0-9a-f]{64}$/.test(String(r.detail?.['sha256'])))).toBe(true);
  });
});
