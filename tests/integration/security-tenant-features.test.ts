/**
 * Tenant isolation of the control features on the real app (see tests/helpers/tenant-suite.ts):
 * warnings, responses' effect reports, rectification cases, reduction lists, scorecards, evidence
 * packages and pre-notices — enterprise A sees only what covers or concerns it, never an internal
 * note, over REST and its dashboard's socket, and changes nothing of the bureau's.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../server/domain/alert';
import type { CaseView } from '../../server/domain/case';
import type { PreNotice } from '../../server/domain/prenotice';
import type { Warning } from '../../server/domain/warning';
import { A_ENT, B_ENT, today, tenantSuite } from '../helpers/tenant-suite';
import { connectDashboard, nextEvent, type ApiSession, type TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';

describe('tenant isolation: warnings, responses, cases, reduction lists and pre-notices', () => {
  let t: TestApp, a: ApiSession, officer: ApiSession, admin: ApiSession, ozone: ApiSession, bAlert: Alert;
  const { seenByA } = tenantSuite('features', (app) => ({ t, a, officer, admin, ozone, bAlert } = app));

  it('warnings (issue 17): A sees only those covering its district, without the note; it cannot issue, change, lift or cancel', async () => {
    const issue = (districts: string[], note: string) =>
      ozone.call<{ warning: Warning }>('POST', '/api/warnings', {
        kind: 'heavy_pollution',
        level: 'orange',
        basis: 'city_notice',
        districts,
        startAt: Date.now() - 1_000,
        note,
      });
    const aSocket = await connectDashboard(t.baseUrl, a);
    const pushed: Warning[] = [];
    aSocket.on('warning:changed', (e) => pushed.push(e.warning));
    const mine = (await issue(['临淄区', '张店区'], '内部：仅限局内')).body.warning; // A (qilu-power) is in 临淄区
    const other = (await issue(['淄川区'], '内部：淄川')).body.warning; // B's district only
    const list = (await a.call<{ items: Warning[] }>('GET', '/api/warnings')).body.items;
    expect(list.map((w) => w.id)).toEqual([mine.id]);
    expect(list[0]).toMatchObject({ level: 'orange', status: 'in_force', note: null, history: [], issuedBy: '' });
    expect((await a.call('GET', `/api/warnings/${mine.id}`)).status).toBe(200);
    expect((await a.call('GET', `/api/warnings/${other.id}`)).status).toBe(404);
    expect((await a.call('GET', '/api/warnings/proposals')).status).toBe(403);
    const attempts: [string, string, unknown][] = [
      ['POST', '/api/warnings', { kind: 'ozone', level: 'red', basis: 'own_forecast', districts: ['临淄区'], startAt: Date.now() }],
      ['PATCH', `/api/warnings/${mine.id}`, { version: mine.version, level: 'yellow' }],
      ['POST', `/api/warnings/${mine.id}/lift`, {}],
      ['POST', `/api/warnings/${mine.id}/cancel`, {}],
    ];
    for (const [method, path, body] of attempts) {
      for (const who of [a, officer]) expect({ path, status: (await who.call(method, path, body)).status }).toEqual({ path, status: 403 });
    }
    // Live: A's dashboard got the one covering its district (without the note) and nothing of the other.
    await until(() => pushed.some((w) => w.id === mine.id), 'the warning covering A pushed to A');
    const lifted = nextEvent(aSocket, 'warning:changed', (e) => e.warning.id === mine.id && e.warning.status === 'lifted');
    expect((await ozone.call('POST', `/api/warnings/${other.id}/lift`, {})).status).toBe(200);
    expect((await ozone.call('POST', `/api/warnings/${mine.id}/lift`, {})).status).toBe(200);
    await lifted;
    expect(pushed.every((w) => w.id === mine.id && w.note === null && w.history.length === 0)).toBe(true);
    const snapshot = new Promise<{ items: Warning[] }>((res) => aSocket.once('warnings:snapshot', res));
    aSocket.emit('state:resync');
    expect((await snapshot).items).toEqual([]);
    aSocket.close();
    expect(seenByA.join('\n')).not.toContain('内部');
  });

  it('responses’ effect reports (issue 18): A gets its own row of the response covering it — no city sums, no ambient effect, no note; B’s is 404', async () => {
    type Effect = { rows: { enterpriseId: string }[]; city: unknown; ambient: { available: boolean } };
    const all = (await officer.call<{ items: { id: number; districts: string[] }[] }>('GET', '/api/responses')).body.items;
    const mine = all.find((r) => r.districts.includes('临淄区')) as { id: number };
    const theirs = all.find((r) => r.districts.join() === '淄川区') as { id: number };
    const staff = (await officer.call<Effect>('GET', `/api/responses/${mine.id}/effect`)).body;
    expect(staff.rows.length).toBeGreaterThan(1);
    const own = await a.call<Effect>('GET', `/api/responses/${mine.id}/effect`);
    expect(own.status).toBe(200);
    expect(own.body.rows.map((r) => r.enterpriseId)).toEqual([A_ENT]);
    expect([own.body.city, own.body.ambient.available]).toEqual([null, false]);
    const sheet = await a.fetch(`/api/responses/${mine.id}/effect?format=xlsx`);
    expect(sheet.status).toBe(200);
    for (const path of [`/api/responses/${theirs.id}/effect`, `/api/responses/${theirs.id}/effect?format=xlsx`])
      expect({ path, status: (await a.fetch(path)).status }).toEqual({ path, status: 404 });
    const seen = seenByA.join('\n');
    expect(seen).not.toContain('内部');
    expect(seen).not.toContain('淄川建材水泥');
    expect(seen).not.toContain('全市合计');
  });

  it('rectification cases (issue 19): A sees only its own, without the internal note, and only submits its report', async () => {
    const open = (alertIds: number[], enterpriseId: string | undefined, note: string) =>
      officer.call<{ case: CaseView }>('POST', '/api/cases', {
        type: 'exceedance',
        ...(enterpriseId ? { enterpriseId } : {}),
        alertIds,
        officer: 'officer',
        deadline: { kind: 'date', date: today },
        requirements: ['整改'],
        internalNote: note,
      });
    const aSocket = await connectDashboard(t.baseUrl, a);
    const pushed: CaseView[] = [];
    aSocket.on('case:changed', (e) => pushed.push(e.case as CaseView));
    const theirs = (await open([bAlert.id], undefined, '内部：乙企业案件')).body.case;
    const mine = (await open([], A_ENT, '内部：甲企业案件')).body.case;
    expect(theirs.enterpriseId).toBe(B_ENT);
    const list = (await a.call<{ items: CaseView[] }>('GET', '/api/cases')).body.items;
    expect(list.map((c) => c.id)).toEqual([mine.id]);
    expect(list[0]?.internalNote).toBeNull();
    expect((await a.call('GET', `/api/cases?enterprise=${B_ENT}`)).body).toMatchObject({ items: [], total: 0 });
    // The ledger (as its workbook's text): A's own case only, never B's enterprise nor an internal note.
    const ledger = await a.fetch('/api/cases/ledger?format=xlsx');
    expect(ledger.status).toBe(200);
    expect(seenByA.at(-1)).toContain(String(mine.id));
    expect(seenByA.at(-1)).not.toContain('淄川建材水泥');
    const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
    const upload = (id: number) =>
      a.fetch(`/api/cases/${id}/attachments?name=r.pdf`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: pdf,
      });
    expect((await upload(theirs.id)).status).toBe(404);
    const staffFile = await officer.fetch(`/api/cases/${theirs.id}/attachments?name=r.pdf`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: pdf,
    });
    const { attachment } = (await staffFile.json()) as { attachment: { id: string } };
    const theirFile = await a.fetch(`/api/cases/${theirs.id}/attachments/${attachment.id}`);
    seenByA.push(await theirFile.text());
    expect(theirFile.status).toBe(404);
    for (const [method, path, body] of [
      ['GET', `/api/cases/${theirs.id}`, undefined],
      ['POST', `/api/cases/${theirs.id}/transition`, { action: 'submit', text: '冒充乙企业' }],
    ] as const)
      expect({ path, status: (await a.call(method, path, body)).status }).toEqual({ path, status: 404 });
    const staffOnly: [string, string, unknown][] = [
      [
        'POST',
        '/api/cases',
        { type: 'other', enterpriseId: A_ENT, officer: 'officer', deadline: { kind: 'date', date: today }, requirements: ['x'] },
      ],
      ['POST', `/api/cases/${mine.id}/transition`, { action: 'accept', cleanDays: 0 }],
      ['POST', `/api/cases/${mine.id}/transition`, { action: 'close' }],
      ['POST', `/api/cases/${mine.id}/transition`, { action: 'return', reason: '自行退回' }],
      ['POST', `/api/cases/${mine.id}/transition`, { action: 'reassign', officer: 'admin' }],
    ];
    for (const [method, path, body] of staffOnly)
      expect({ path, status: (await a.call(method, path, body)).status }).toEqual({ path, status: 403 });
    // The ozone centre reads cases but neither moves them nor answers for an enterprise.
    expect((await ozone.call('POST', `/api/cases/${mine.id}/transition`, { action: 'close' })).status).toBe(403);
    expect((await ozone.call('POST', `/api/cases/${mine.id}/transition`, { action: 'submit', text: 'x' })).status).toBe(403);
    const sent = await a.call<{ case: CaseView }>('POST', `/api/cases/${mine.id}/transition`, { action: 'submit', text: '已整改' });
    expect(sent.body.case).toMatchObject({ status: 'submitted', internalNote: null });
    // Live: A's dashboard got its own case (without the note), nothing of B's.
    await until(() => pushed.some((c) => c.id === mine.id && c.status === 'submitted'), 'A’s case pushed to A');
    expect(pushed.every((c) => c.enterpriseId === A_ENT && c.internalNote === null)).toBe(true);
    aSocket.close();
    expect(seenByA.join('\n')).not.toContain('内部');
  });

  it('reduction lists, responses, scorecards and evidence packages (issues 18, 19): A reads none of B’s', async () => {
    const keep = { action: 'limit', limitToPct: 80, indicators: [], expectedKgH: { nox: 1 } };
    const year = Number(today.slice(0, 4));
    const list = {
      year,
      entries: [
        {
          id: 'e1',
          name: '1#窑',
          measures: { yellow: keep, orange: keep, red: { action: 'stop', indicators: [], expectedKgH: { nox: 2 } } },
          responsible: { name: '王工', phone: '13700000000' },
        },
      ],
    };
    expect((await officer.call('PUT', `/api/reduction-lists/${B_ENT}/${year}`, list)).status).toBe(201);
    expect((await a.call('GET', `/api/reduction-lists/${B_ENT}/${year}`)).status).toBe(404);
    expect((await a.call('GET', `/api/reduction-lists/${B_ENT}/${year}/versions`)).status).toBe(404);
    expect((await a.call('PUT', `/api/reduction-lists/${A_ENT}/${year}`, list)).status).toBe(403); // the bureau files lists
    expect((await a.call('POST', `/api/reduction-lists/${B_ENT}/${year}/acknowledge`)).status).toBe(404);
    const coverage = await a.call<{ items: { enterpriseId: string }[] }>('GET', '/api/reduction-lists');
    expect(coverage.body.items.every((r) => r.enterpriseId === A_ENT)).toBe(true);
    const responses = await a.call<{ items: { enterprises: { enterpriseId: string }[] }[] }>('GET', '/api/responses');
    expect(responses.body.items.every((r) => r.enterprises.every((e) => e.enterpriseId === A_ENT))).toBe(true);
    expect((await a.call('GET', `/api/enterprises/${B_ENT}/scorecard?period=${year}`)).status).toBe(404);
    expect((await a.call('GET', `/api/enterprises/${A_ENT}/scorecard?period=${year}`)).status).toBe(200);
    expect((await a.call('GET', `/api/quality/scorecards?period=${year}`)).status).toBe(403);
    const theirs = await officer.call<{ case: CaseView }>('POST', '/api/cases', {
      type: 'exceedance',
      enterpriseId: B_ENT,
      alertIds: [],
      officer: 'officer',
      deadline: { kind: 'date', date: today },
      requirements: ['整改'],
      internalNote: '内部：乙企业证据',
    });
    expect(theirs.status).toBe(201);
    expect((await a.fetch(`/api/cases/${theirs.body.case.id}/evidence.zip`)).status).toBe(404);
  });

  it('pre-notices and acknowledgements (issue 17): A sees and acknowledges only what is addressed to it', async () => {
    // A (临淄区) and B (淄川区) in continuous-process industries: chemicals and cement.
    for (const [id, code, name] of [
      [A_ENT, 'C2614', '有机化学原料制造'],
      [B_ENT, 'C3011', '水泥制造'],
    ])
      expect((await admin.call('PATCH', `/api/enterprises/${id}`, { industry: { code, name } })).status).toBe(200);
    const aSocket = await connectDashboard(t.baseUrl, a);
    const pushed: PreNotice[] = [];
    aSocket.on('prenotice:changed', (e) => pushed.push(e.preNotice));
    const issue = async (districts: string[]) =>
      (await ozone.call<{ preNotice: PreNotice }>('POST', '/api/pre-notices', { districts, level: 'orange', from: today, to: today })).body
        .preNotice;
    const bOnly = await issue(['淄川区']);
    const both = await issue(['临淄区', '淄川区']);
    expect(both.recipients.map((r) => r.enterpriseId).sort()).toEqual([A_ENT, B_ENT].sort());
    await until(() => pushed.length > 0, 'the pre-notice addressed to A pushed');
    expect(pushed.map((p) => [p.id, p.recipients.map((r) => r.enterpriseId)])).toEqual([[both.id, [A_ENT]]]);
    const list = (await a.call<{ items: PreNotice[] }>('GET', '/api/pre-notices')).body.items;
    expect(list.map((p) => [p.id, p.issuedBy, p.recipients.map((r) => r.enterpriseId)])).toEqual([[both.id, '', [A_ENT]]]);
    expect((await a.call('POST', `/api/pre-notices/${bOnly.id}/acknowledge`)).status).toBe(404);
    const acked = await a.call<{ preNotice: PreNotice }>('POST', `/api/pre-notices/${both.id}/acknowledge`);
    expect(acked.body.preNotice.recipients.map((r) => [r.enterpriseId, r.acknowledgedBy])).toEqual([[A_ENT, A_ENT]]);
    expect((await a.call('GET', '/api/pre-notices/proposal')).status).toBe(403);
    expect((await a.call('POST', '/api/pre-notices', { districts: ['临淄区'] })).status).toBe(403);
    // Warnings' notices: A acknowledges one covering its district only, and sees its own entry only.
    const warn = async (districts: string[]) =>
      (
        await ozone.call<{ warning: Warning }>('POST', '/api/warnings', {
          kind: 'heavy_pollution',
          level: 'yellow',
          basis: 'city_notice',
          districts,
          startAt: Date.now() + 86_400_000,
        })
      ).body.warning;
    const other = await warn(['淄川区']);
    const mine = await warn(['临淄区', '淄川区']);
    expect((await a.call('POST', `/api/warnings/${other.id}/acknowledge`)).status).toBe(404);
    expect((await a.call('GET', `/api/warnings/${other.id}/acknowledgements`)).status).toBe(404);
    expect((await a.call('POST', `/api/warnings/${mine.id}/acknowledge`)).status).toBe(200);
    const acks = (await a.call<{ items: { enterpriseId: string }[] }>('GET', `/api/warnings/${mine.id}/acknowledgements`)).body.items;
    expect(acks.map((r) => r.enterpriseId)).toEqual([A_ENT]);
    expect(
      (await officer.call<{ items: unknown[] }>('GET', `/api/warnings/${mine.id}/acknowledgements`)).body.items.length,
    ).toBeGreaterThan(1);
    expect((await a.call('GET', `/api/warnings/${mine.id}/effect`)).status).toBe(403);
    for (const w of [other, mine]) expect((await ozone.call('POST', `/api/warnings/${w.id}/cancel`, {})).status).toBe(200);
    aSocket.close();
  });
});
