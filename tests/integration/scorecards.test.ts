/**
 * Enterprises' credit scorecards on the running app (信用评价, PLANS H5; issue 19), against data the
 * test sends with the app's clock on 2026-07-01 10:00: qilu-power's CEMS sends a converted SO2 that
 * does not follow from O2 (a zs-mismatch: suspected falsification), its ammonia logger sends two
 * hourly means over the limit and a normal third (a limit-hour exceedance of two hours), and an
 * officer opens a case whose deadline has passed (open and overdue). The card counts exactly that,
 * its transmission is the data-quality page's figures of its outlets together, and a year's card
 * holds the month's; the ranking (emitting enterprises only) puts it last; the XLSX sheet reads back with its Chinese intact;
 * an enterprise reads its own card only and not the ranking.
 */
import ExcelJS from 'exceljs';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../server/domain/alert';
import type { TransmissionQuality } from '../../server/domain/quality';
import type { Scorecard } from '../../server/domain/scorecard';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';
import { eventually } from '../helpers/wait';

const A_ENT = 'qilu-power';
const B_ENT = 'zichuan-cement';
const CEMS = '370300CEMS00000000000101';
const A_NH3 = '370300NH3000000000000101';
const DAY = Date.parse('2026-07-01T00:00:00+08:00');
const S = 1000;
const H = 3_600_000;

describe('credit scorecards: per enterprise and ranked, from the alerts, transmission and cases of the period', () => {
  const clock = { now: DAY + 10 * H };
  let t: TestApp;
  let officer: ApiSession;
  let a: ApiSession;
  let logger: MqttClient;
  let hourAlert: Alert;

  const card = (s: ApiSession, id: string, period: string) =>
    s.call<Scorecard & { error?: string }>('GET', `/api/enterprises/${id}/scorecard?period=${period}`);
  const alertsOf = async (mn: string, rule: string) =>
    (await officer.call<{ items: Alert[] }>('GET', `/api/alerts?mn=${mn}&rule=${rule}`)).body.items;

  beforeAll(async () => {
    t = await startTestApp({}, { now: () => clock.now });
    [officer, a] = await Promise.all([t.signIn('officer'), t.signIn(A_ENT)]);
    logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: `scorecards-${Date.now()}`, ...t.mqttAuth, reconnectPeriod: 0 });
    const send = (mn: string, cn: string, ts: number, factors: Record<string, Record<string, number | string>>) =>
      logger.publishAsync(dataTopic(mn), JSON.stringify({ cn, ts, factors }), { qos: 1 });
    // Two hourly NH3 means over the 8 mg/m³ limit (06:00, 07:00), then a normal hour (08:00).
    for (const [h, avg] of [
      [6, 12],
      [7, 12],
      [8, 1],
    ] as const)
      await send(A_NH3, '2061', DAY + h * H, { a21001: { avg, flag: 'N' } });
    // SO2 20 mg/m³ at O2 10 %: converted 27.27, the logger says 20 (zs-mismatch after 6 samples).
    for (let i = 0; i < 8; i++)
      await send(CEMS, '2011', DAY + 9 * H + i * 30 * S, {
        a21026: { rtd: 20, zs: 20, flag: 'N' },
        a19001: { rtd: 10, flag: 'N' },
        a00000: { rtd: 80, flag: 'N' },
      });
    const [zs] = await eventually(async () => {
      const items = await alertsOf(CEMS, 'zs-mismatch');
      return items.length > 0 ? items : undefined;
    }, 'the zs-mismatch alert');
    hourAlert = await eventually(async () => (await alertsOf(A_NH3, 'limit-hour'))[0], 'the limit-hour alert');
    await eventually(async () => ((await alertsOf(A_NH3, 'limit-hour'))[0]?.clearedAt ? true : undefined), 'the hour alert cleared');
    hourAlert = (await alertsOf(A_NH3, 'limit-hour'))[0] as Alert;
    const made = await officer.call('POST', '/api/cases', {
      type: 'falsification',
      alertIds: [zs?.id],
      officer: 'officer',
      deadline: { kind: 'date', date: '2026-06-30' },
      requirements: ['说明折算值计算方法'],
    });
    expect(made.status).toBe(201);
  });
  afterAll(async () => {
    await logger?.endAsync(true);
    await t?.stop();
  });

  it('counts the month’s alerts by type, hours over the limit, falsification and cases', async () => {
    expect(hourAlert).toMatchObject({ openedAt: DAY + 6 * H, clearedAt: DAY + 8 * H });
    const res = await card(officer, A_ENT, '2026-07');
    expect(res.status).toBe(200);
    const c = res.body;
    expect(c).toMatchObject({ enterpriseId: A_ENT, period: '2026-07', kind: 'month', complete: false });
    expect(c.alerts.byRule).toEqual(
      expect.arrayContaining([
        { rule: 'limit-hour', count: 1 },
        { rule: 'zs-mismatch', count: 1 },
      ]),
    );
    expect(c.exceedance).toEqual({ alerts: 1, hours: 2 });
    expect(c.falsification).toEqual({ alerts: 1, byRule: [{ rule: 'zs-mismatch', count: 1 }] });
    expect(c.cases).toEqual({ opened: 1, closed: 0, open: 1, overdue: 1 });
    expect(c.measures).toEqual({ noncompliance: 0 });
  });

  it('takes the transmission from the data-quality figures of the enterprise’s outlets, together', async () => {
    const q = (await officer.call<TransmissionQuality>('GET', '/api/quality/transmission?period=2026-07')).body;
    const mine = q.sources.filter((s) => s.enterpriseId === A_ENT && s.expected > 0);
    const sum = mine.reduce((n, s) => ({ e: n.e + s.expected, r: n.r + s.received, v: n.v + s.valid }), { e: 0, r: 0, v: 0 });
    const rate = Math.round(Math.min(1, sum.r / sum.e) * (sum.r > 0 ? sum.v / sum.r : 0) * 10_000) / 10_000;
    const c = (await card(officer, A_ENT, '2026-07')).body;
    expect(c.transmission).toMatchObject({ outlets: mine.length, effectiveRate: rate, failing: mine.filter((s) => !s.pass).length });
    expect(mine.length).toBeGreaterThan(0);
  });

  it('a year’s card holds the month’s figures; a bad period is refused', async () => {
    const year = (await card(officer, A_ENT, '2026')).body;
    expect(year).toMatchObject({ kind: 'year', exceedance: { alerts: 1, hours: 2 }, falsification: { alerts: 1 } });
    const bad = await card(officer, A_ENT, '2026-13');
    expect(bad.status).toBe(400);
  });

  it('ranks every enterprise, the cleanest first; the XLSX reads back in Chinese', async () => {
    const list = (await officer.call<{ items: Scorecard[] }>('GET', '/api/quality/scorecards?period=2026-07')).body.items;
    const emitting = new Set(t.config.registry.sources.filter((s) => s.kind !== 'ambient').map((s) => s.enterpriseId));
    expect(new Set(list.map((c) => c.enterpriseId))).toEqual(emitting);
    expect(t.config.registry.enterprises.length).toBeGreaterThan(emitting.size); // an operator of ambient stations only is not ranked
    const qilu = list.find((c) => c.enterpriseId === A_ENT) as Scorecard;
    const cement = list.find((c) => c.enterpriseId === B_ENT) as Scorecard;
    expect(qilu.rank).toBe(Math.max(...list.map((c) => c.rank ?? 0)));
    expect(cement.rank).toBeLessThan(qilu.rank as number);

    const res = await officer.fetch('/api/quality/scorecards?period=2026-07&format=xlsx');
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = wb.getWorksheet('信用评分卡');
    expect(ws?.getRow(1).getCell(1).value).toBe('企业环境信用评分卡 · 2026年7月（排名 1 为记录最好）');
    expect(ws?.getRow(2).getCell(2).value).toBe('企业名称');
    const rows = (ws?.getSheetValues() ?? []).slice(3) as unknown[][];
    const row = rows.find((r) => r[2] === qilu.enterpriseName) as unknown[];
    expect(row.slice(1, 9)).toEqual([
      qilu.rank,
      qilu.enterpriseName,
      qilu.district,
      qilu.alerts.total,
      1,
      2,
      qilu.alerts.byCategory.earlyWarning,
      1,
    ]);
    expect(row[18]).toBe(0); // 应急措施未落实（次）
  });

  it('lets an enterprise read its own card only, and not the ranking', async () => {
    expect((await card(a, A_ENT, '2026-07')).body.falsification.alerts).toBe(1);
    expect((await card(a, B_ENT, '2026-07')).status).toBe(404);
    expect((await a.call('GET', '/api/quality/scorecards?period=2026-07')).status).toBe(403);
    expect((await card(officer, 'no-such-enterprise', '2026-07')).status).toBe(404);
  });
});
