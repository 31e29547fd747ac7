/**
 * Emission-reduction lists over HTTP on the real app with an injected clock (issue 18): the coverage
 * report's standings from the bureau's local date, version numbering, the registry checks of an
 * entry's references, what applies for the enterprise's grade, an enterprise's own list only (404
 * for another's), acknowledgement (idempotent) and the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReductionEntry } from '../../server/domain/reduction-list';
import type { ReductionCoverageRow, ReductionListAnswer } from '../../server/domain/reduction-list-api';
import { startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';

const QILU = 'qilu-power';
const CEMENT = 'zichuan-cement';
const QILU_MN = '370300CEMS00000000000101';
/** 10:00 China time on a date. */
const at10 = (date: string) => Date.parse(`${date}T10:00:00+08:00`);

const line = (id = 'e1', facilityId = 'qilu-line1'): ReductionEntry => ({
  id,
  facilityId,
  name: '1#机组',
  process: '燃烧',
  outletMns: [QILU_MN],
  meterIds: ['qilu-meter1'],
  measures: {
    yellow: { action: 'limit', limitToPct: 80, indicators: [], expectedKgH: { nox: 2 } },
    orange: {
      action: 'limit',
      limitToPct: 50,
      indicators: [{ kind: 'outlet-flow', mn: QILU_MN, maxM3h: 150_000 }],
      expectedKgH: { nox: 5, so2: 2 },
    },
    red: { action: 'stop', indicators: [{ kind: 'line-power', facilityId: 'qilu-line1', maxKw: 50 }], expectedKgH: { nox: 10, so2: 4 } },
  },
  responsible: { name: '王工', phone: '13900000000' },
});

describe('reduction lists over REST', () => {
  let t: TestApp;
  let clock = at10('2026-08-10');
  let officer: ApiSession;
  let admin: ApiSession;
  let qilu: ApiSession;
  let cement: ApiSession;
  const coverage = async (query = '') =>
    (await officer.call<{ today: string; items: ReductionCoverageRow[] }>('GET', `/api/reduction-lists${query}`)).body;

  beforeAll(async () => {
    t = await startTestApp({}, { now: () => clock });
    [officer, admin, qilu, cement] = await Promise.all([t.signIn('officer'), t.signIn('admin'), t.signIn(QILU), t.signIn(CEMENT)]);
    const facilities = [
      { id: 'qilu-line1', enterpriseId: QILU, kind: 'production-line', name: '1#机组', outletMns: [QILU_MN] },
      { id: 'qilu-meter1', enterpriseId: QILU, kind: 'power-meter', name: '1#机组电表', serves: 'qilu-line1', meterNo: 'M-001' },
      { id: 'zc-kiln', enterpriseId: CEMENT, kind: 'production-line', name: '回转窑' },
    ];
    for (const f of facilities) expect((await admin.call('POST', '/api/facilities', f)).status).toBe(201);
    const graded = await admin.call('PATCH', `/api/enterprises/${QILU}`, { grade: 'B', gradeReason: '2026 年绩效评级' });
    expect(graded.status).toBe(200);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('files versions n + 1, answers what applies for the grade, and refuses references outside the enterprise', async () => {
    const first = await officer.call<ReductionListAnswer>('PUT', `/api/reduction-lists/${QILU}/2025`, { year: 2025, entries: [line()] });
    expect(first.status).toBe(201);
    expect(first.body.list).toMatchObject({ enterpriseId: QILU, year: 2025, version: 1, filedBy: 'officer', filedAt: clock });
    // B: one level lower — red applies orange's measure, yellow nothing.
    expect(first.body.grade).toBe('B');
    expect(first.body.applies.red[0]).toMatchObject({
      obligation: 'required',
      fromLevel: 'orange',
      measure: { action: 'limit', limitToPct: 50 },
    });
    expect(first.body.applies.yellow[0]).toMatchObject({ obligation: 'none', fromLevel: null });
    const second = await officer.call<ReductionListAnswer>('PUT', `/api/reduction-lists/${QILU}/2025`, {
      year: 2025,
      entries: [line(), line('e2', 'qilu-line1')],
    });
    expect(second.body.list.version).toBe(2);
    expect(second.body.versions.map((v) => [v.version, v.entries])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect((await officer.call<ReductionListAnswer>('GET', `/api/reduction-lists/${QILU}/2025?version=1`)).body.list.entries).toHaveLength(
      1,
    );
    expect((await officer.call('GET', `/api/reduction-lists/${QILU}/2025?version=3`)).status).toBe(404);

    const foreign = await officer.call<{ message: string }>('PUT', `/api/reduction-lists/${QILU}/2025`, {
      year: 2025,
      entries: [line('e1', 'zc-kiln')],
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.message).toContain('entries.0 (1#机组): facility "zc-kiln" is not a facility of this enterprise');
    const badMn = await officer.call<{ message: string }>('PUT', `/api/reduction-lists/${QILU}/2025`, {
      year: 2025,
      entries: [{ ...line(), outletMns: ['370300CEMS00000000000201'] }],
    });
    expect(badMn.body.message).toContain('outlet "370300CEMS00000000000201" is not a source of this enterprise');
    expect((await officer.call('PUT', `/api/reduction-lists/${QILU}/2025`, { year: 2026, entries: [line()] })).status).toBe(400);
    expect((await officer.call('PUT', `/api/reduction-lists/nowhere/2025`, { year: 2025, entries: [line()] })).status).toBe(404);
    // The schema: red may not keep more load than orange.
    const looser = line();
    looser.measures.red = { action: 'limit', limitToPct: 90, indicators: [], expectedKgH: {} };
    expect((await officer.call('PUT', `/api/reduction-lists/${QILU}/2025`, { year: 2025, entries: [looser] })).status).toBe(400);
    // Enterprises do not file; only the bureau does.
    expect((await qilu.call('PUT', `/api/reduction-lists/${QILU}/2025`, { year: 2025, entries: [line()] })).status).toBe(403);
  });

  it('reports coverage with standings from the local date: due in August, current once filed, outdated after 31 August', async () => {
    let report = await coverage();
    expect(report.today).toBe('2026-08-10');
    expect(report.items.map((r) => r.enterpriseId)).not.toContain('city-monitoring'); // ambient stations only: no air emissions
    expect(report.items).toHaveLength(9);
    expect(report.items.find((r) => r.enterpriseId === QILU)).toMatchObject({
      standing: 'due',
      year: 2025,
      version: 2,
      entries: 2,
      grade: 'B',
      district: '临淄区',
      acknowledged: null,
    });
    expect(report.items.find((r) => r.enterpriseId === CEMENT)).toMatchObject({
      standing: 'missing',
      year: null,
      version: null,
      entries: 0,
    });
    expect((await coverage('?standing=due')).items.map((r) => r.enterpriseId)).toEqual([QILU]);
    expect((await coverage('?district=临淄区')).items.map((r) => r.enterpriseId).sort()).toEqual(['jinhua-petrochem', QILU]);
    expect((await coverage('?year=2026')).items.find((r) => r.enterpriseId === QILU)).toMatchObject({
      standing: 'due',
      year: null,
      version: null,
    });

    const entries = [{ ...line(), facilityId: 'zc-kiln', meterIds: [], outletMns: ['370300CEMS00000000000201'] }];
    entries[0]!.measures.red.indicators = [];
    entries[0]!.measures.orange.indicators = [];
    expect((await officer.call('PUT', `/api/reduction-lists/${CEMENT}/2026`, { year: 2026, entries })).status).toBe(201);
    clock = at10('2026-09-02');
    [officer] = await Promise.all([t.signIn('officer')]);
    report = await coverage();
    expect(report.items.find((r) => r.enterpriseId === QILU)).toMatchObject({ standing: 'outdated', year: 2025 });
    expect(report.items.find((r) => r.enterpriseId === CEMENT)).toMatchObject({ standing: 'current', year: 2026, version: 1 });
    // Missing and outdated first.
    expect(report.items.findIndex((r) => r.enterpriseId === CEMENT)).toBe(report.items.length - 1);
  });

  it('an enterprise reads and acknowledges its own list only; the acknowledgement is idempotent and audited', async () => {
    [qilu, cement, admin] = await Promise.all([t.signIn(QILU), t.signIn(CEMENT), t.signIn('admin')]);
    expect((await qilu.call('GET', `/api/reduction-lists/${QILU}/2025`)).status).toBe(200);
    expect((await cement.call('GET', `/api/reduction-lists/${QILU}/2025`)).status).toBe(404);
    expect((await cement.call('GET', `/api/reduction-lists/${QILU}/2025/versions`)).status).toBe(404);
    expect((await cement.call('POST', `/api/reduction-lists/${QILU}/2025/acknowledge`)).status).toBe(404);
    const own = await cement.call<{ items: ReductionCoverageRow[] }>('GET', '/api/reduction-lists');
    expect(own.body.items.map((r) => r.enterpriseId)).toEqual([CEMENT]);
    expect((await officer.call('POST', `/api/reduction-lists/${QILU}/2025/acknowledge`)).status).toBe(403);

    const ack = await qilu.call<{ acknowledgement: { version: number; username: string; at: number } }>(
      'POST',
      `/api/reduction-lists/${QILU}/2025/acknowledge`,
    );
    expect(ack.status).toBe(200);
    expect(ack.body.acknowledgement).toEqual({ enterpriseId: QILU, year: 2025, version: 2, username: QILU, at: clock });
    clock += 60_000;
    const again = await qilu.call<{ acknowledgement: { at: number } }>('POST', `/api/reduction-lists/${QILU}/2025/acknowledge`);
    expect(again.body.acknowledgement.at).toBe(ack.body.acknowledgement.at);
    expect((await qilu.call('POST', `/api/reduction-lists/${QILU}/2024/acknowledge`)).status).toBe(404);
    const read = await qilu.call<ReductionListAnswer>('GET', `/api/reduction-lists/${QILU}/2025`);
    expect(read.body.acknowledgements.map((a) => a.username)).toEqual([QILU]);
    expect((await coverage()).items.find((r) => r.enterpriseId === QILU)?.acknowledged).toEqual({
      username: QILU,
      at: ack.body.acknowledgement.at,
    });

    type Audit = { items: { action: string; target: string; username: string; detail: Record<string, unknown> }[] };
    const filed = (await admin.call<Audit>('GET', '/api/audit?action=reductions.list_filed')).body.items;
    expect(filed.map((a) => [a.target, a.username, a.detail['version']])).toEqual([
      [`enterprise:${CEMENT}`, 'officer', 1],
      [`enterprise:${QILU}`, 'officer', 2],
      [`enterprise:${QILU}`, 'officer', 1],
    ]);
    const acks = (await admin.call<Audit>('GET', '/api/audit?action=reductions.list_acknowledged')).body.items;
    expect(acks.map((a) => [a.target, a.username, a.detail['version']])).toEqual([[`enterprise:${QILU}`, QILU, 2]]);
  });
});
