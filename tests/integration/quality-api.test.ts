/**
 * Data quality over HTTP on a real app (issue 19): November's effective transmission per source from
 * data in the telemetry store, with the stack height and O&M contractor an administrator filed,
 * ranked by district, per contractor, and the sources due a case; comparison tests judged by the
 * HJ 75 criteria against the online mean of the same period, audited; refusals with clear messages.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../server/domain/audit';
import type { ComparisonTest, TransmissionQuality } from '../../server/domain/quality';
import type { Reading } from '../../server/domain/reading';
import { SqliteTelemetryStore } from '../../server/storage/embedded/sqlite-telemetry-store';
import { startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';

const H = 3_600_000;
const QILU = '370300CEMS00000000000101'; // qilu-power, intervalS 30
const NOV29 = Date.parse('2026-11-29T00:00:00+08:00');
const NOW = Date.parse('2026-12-01T01:00:00+08:00');
const NOV_EXPECTED = 30 * 2880;

/** Two whole days of real-time data (Nov 29–30), every 30 s: SO2 20 mg/m³; hour 10 of Nov 30 flagged D. */
function qiluTwoDays(): Reading[] {
  return Array.from({ length: 2 * 2880 }, (_, i) => {
    const ts = NOV29 + i * 30_000;
    const fault = ts >= NOV29 + 34 * H && ts < NOV29 + 35 * H;
    return {
      mn: QILU,
      enterpriseId: 'qilu-power',
      kind: 'cems',
      cn: '2011',
      ts,
      factors: { a21026: { rtd: 20, flag: fault ? 'D' : 'N' } },
    };
  });
}

describe('data quality over HTTP', () => {
  let t: TestApp;
  let officer: ApiSession;
  let admin: ApiSession;
  beforeAll(async () => {
    t = await startTestApp({}, { now: () => NOW });
    const store = new SqliteTelemetryStore(join(t.config.dataDir, 'telemetry.db'));
    await store.init();
    await store.write(qiluTwoDays());
    await store.close();
    [officer, admin] = await Promise.all([t.signIn('officer'), t.signIn('admin')]);
    expect((await admin.call('PATCH', `/api/sources/${QILU}`, { stackHeightM: 120 })).status).toBe(200);
    expect((await admin.call('PATCH', '/api/enterprises/qilu-power', { omContractor: '齐鲁示范运维有限公司' })).status).toBe(200);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('November: effective transmission per source with stack height, ranked by district; contractors; cases due', async () => {
    const res = await officer.call<TransmissionQuality>('GET', '/api/quality/transmission?period=2026-11');
    expect(res.status).toBe(200);
    const q = res.body;
    expect(q).toMatchObject({ period: '2026-11', kind: 'month', complete: true, passRate: 0.9, elevatedStackM: 45 });
    expect(q.from).toBe(Date.parse('2026-11-01T00:00:00+08:00'));
    const qilu = q.sources.find((s) => s.mn === QILU)!;
    const valid = 2 * 2880 - 120; // the hour flagged D is received but not valid
    expect(qilu).toMatchObject({
      stackHeightM: 120,
      elevated: true,
      omContractor: '齐鲁示范运维有限公司',
      expected: NOV_EXPECTED,
      received: 2 * 2880,
      valid,
      pass: false,
      faultHours: 1,
    });
    expect(qilu.effectiveRate).toBeCloseTo(valid / NOV_EXPECTED, 4);
    // Ambient stations and treatment inlets are not judged; the best district (QILU's) ranks first.
    expect(q.sources.some((s) => s.kind === 'ambient')).toBe(false);
    expect(q.districts[0]).toMatchObject({ rank: 1, district: qilu.district });
    expect(q.sources[0]?.district).toBe(qilu.district);
    expect(q.contractors.find((c) => c.contractor === '齐鲁示范运维有限公司')).toMatchObject({
      faultHours: 1,
      failing: expect.any(Number),
    });
    // The period has ended: every source below 90 % is due a case, QILU among them.
    expect(q.caseDue.find((c) => c.mn === QILU)).toMatchObject({ reason: 'transmission', period: '2026-11', enterpriseId: 'qilu-power' });
    expect(q.caseDue.length).toBe(q.sources.length);
  });

  it('the product opens the transmission cases due for the last ended month itself, once per source', async () => {
    const due = (await officer.call<TransmissionQuality>('GET', '/api/quality/transmission?period=2026-11')).body.caseDue;
    expect(await t.app.autoCases()).toBe(due.length);
    const list = await officer.call<{
      items: { type: string; sources: string[]; officer: string; requirements: string[] }[];
      total: number;
    }>('GET', '/api/cases?type=transmission&limit=500');
    expect(list.body.total).toBe(due.length);
    const qilu = list.body.items.find((c) => c.sources.includes(QILU));
    expect(qilu?.officer).toBe('officer');
    expect(qilu?.requirements[0]).toMatch(/^2026-11 有效传输率 \d+\.\d%，低于 90%/);
    // Open cases are not opened again.
    expect(await t.app.autoCases()).toBe(0);
  });

  it('a quarter and the running month are accepted; a running month has no transmission case yet', async () => {
    const quarter = await officer.call<TransmissionQuality>('GET', '/api/quality/transmission?period=2026-Q4');
    expect(quarter.body).toMatchObject({ kind: 'quarter', complete: false });
    const december = await officer.call<TransmissionQuality>('GET', '/api/quality/transmission?period=2026-12');
    expect(december.body.caseDue.filter((c) => c.reason === 'transmission')).toEqual([]);
  });

  it.each(['2026-13', 'november', ''])('period %j → 400 with the expected form', async (period) => {
    const res = await officer.call<{ message: string }>('GET', `/api/quality/transmission?period=${period}`);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/YYYY-MM|YYYY-Qn/);
  });

  it('a comparison test: the online mean of the same hour against the reference, judged by HJ 75; listed and audited', async () => {
    const from = NOV29 + 36 * H;
    const ok = await officer.call<ComparisonTest>('POST', '/api/quality/comparisons', {
      mn: QILU,
      factor: 'a21026',
      from,
      to: from + H,
      referenceValues: [10, 12],
      note: '市监测站 手工监测',
    });
    expect(ok.status).toBe(201);
    // SO2 below 57 mg/m³: absolute error ≤ 17 mg/m³ (HJ 75-2017); 20 − 11 = 9.
    expect(ok.body).toMatchObject({
      mn: QILU,
      enterpriseId: 'qilu-power',
      unit: 'mg/m³',
      referenceMean: 11,
      onlineMean: 20,
      onlineSamples: 120,
      errorKind: 'absolute',
      error: 9,
      allowed: 17,
      pass: true,
      createdBy: 'officer',
    });
    const bad = await officer.call<ComparisonTest>('POST', '/api/quality/comparisons', {
      mn: QILU,
      factor: 'a21026',
      from,
      to: from + H,
      referenceValues: [50],
    });
    expect(bad.body).toMatchObject({ error: -30, allowed: 17, pass: false, note: null });
    // No online data in the period: kept, not judged.
    const empty = await officer.call<ComparisonTest>('POST', '/api/quality/comparisons', {
      mn: QILU,
      factor: 'a21026',
      from: NOV29 - 2 * H,
      to: NOV29 - H,
      referenceValues: [5],
    });
    expect(empty.body).toMatchObject({ onlineMean: null, onlineSamples: 0, pass: null });

    const list = await officer.call<{ items: ComparisonTest[]; criteria: Record<string, unknown[]> }>('GET', '/api/quality/comparisons');
    expect(list.body.items.map((i) => i.id)).toEqual([empty.body.id, bad.body.id, ok.body.id]);
    expect(list.body.criteria['a21026']).toHaveLength(4);
    expect(list.body).toMatchObject({ maxSpanH: 24 });

    const audit = await admin.call<{ items: AuditRecord[] }>('GET', '/api/audit?action=comparison_recorded');
    expect(audit.body.items).toHaveLength(3);
    expect(audit.body.items[0]).toMatchObject({ username: 'officer', action: 'comparison_recorded' });
  });

  it.each([
    ['to before from', { from: NOV29 + H, to: NOV29 }, 400, /from must be before to/],
    ['longer than comparison.maxSpanH', { from: NOV29, to: NOV29 + 25 * H }, 400, /at most 24 h/],
    ['a period not yet ended', { from: NOW - H, to: NOW + H }, 400, /must have ended/],
    ['no reference value', { referenceValues: [] }, 400, /referenceValues/],
    ['an unregistered source', { mn: '370300CEMS00000000009999' }, 404, /not registered/],
  ])('refused: %s', async (_n, change, status, message) => {
    const body = { mn: QILU, factor: 'a21026', from: NOV29, to: NOV29 + H, referenceValues: [10], ...change };
    const res = await officer.call<{ message: string }>('POST', '/api/quality/comparisons', body);
    expect(res.status).toBe(status);
    expect(res.body.message).toMatch(message);
  });

  it('the ozone centre reads the page but records no comparison test', async () => {
    const ozone = await t.signIn('ozone');
    expect((await ozone.call('GET', '/api/quality/transmission?period=2026-11')).status).toBe(200);
    const body = { mn: QILU, factor: 'a21026', from: NOV29, to: NOV29 + H, referenceValues: [10] };
    expect((await ozone.call('POST', '/api/quality/comparisons', body)).status).toBe(403);
  });
});
