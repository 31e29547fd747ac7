/**
 * A heavy-pollution warning's response on the real app (issue 18 items 3, 4; real Mosquitto,
 * InfluxDB and the app's clock driven through 2026-12-02 China time):
 * - an orange warning over 临淄区 resolves the lists of a grade-B enterprise (齐鲁热电: its yellow
 *   measure, a limit) and a grade-C one (金华石化: its orange measure, a stop) differently; each
 *   sees only its own part and acknowledges it (audited), staff see both and the city's check; a
 *   level change re-plans it (the history keeps each level);
 * - hour records over MQTT: 金华石化's line keeps running (800 kW against ≤ 50 kW) — after two
 *   closed hours one evaluation opens a measure-noncompliance alert that reaches the duty socket;
 *   齐鲁热电 keeps its flow under the indicator and raises nothing;
 * - after a restart the judged hours, the streak and the open alert stand;
 * - lifting the warning ends the response, clears its alert, and later hours raise nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AlertPage } from '../../server/domain/alert';
import type { AlertEvent } from '../../server/domain/events';
import { dataTopic, type LoggerMessage } from '../../server/domain/mqtt-contract';
import type { ReductionEntry } from '../../server/domain/reduction-list';
import type { ReductionResponse } from '../../server/domain/response';
import type { Warning } from '../../server/domain/warning';
import type { EffectCompliance } from '../../server/domain/warning-effect';
import { registryDatabase } from '../../server/storage/sql/database';
import { openReductionListStore } from '../../server/storage/sql/reduction-list-store';
import {
  connectDashboard,
  nextEvent,
  signIn,
  startTestApp,
  type ApiSession,
  type DashboardSocket,
  type TestApp,
} from '../helpers/test-app';
import { until } from '../helpers/wait';
import { ownMosquitto } from '../helpers/own-broker';

const broker = ownMosquitto();

const H = 3_600_000;
const T10 = Date.parse('2026-12-02T10:00:00+08:00');
const GRACE = 300_000;
const QILU = '370300CEMS00000000000101'; // 齐鲁热电 1号机组烟囱 (临淄区)
const JINHUA = '370300VOCS00000000000402'; // 金华石化 RTO出口 (临淄区)

const entry = (id: string, name: string, facilityId: string, mn: string, orange: ReductionEntry['measures']['orange']): ReductionEntry => ({
  id,
  name,
  facilityId,
  outletMns: [mn],
  meterIds: [],
  measures: {
    yellow: { action: 'limit', limitToPct: 70, indicators: [{ kind: 'outlet-flow', mn, maxM3h: 300_000 }], expectedKgH: { nox: 2 } },
    orange,
    red: { action: 'stop', indicators: [{ kind: 'line-power', facilityId, maxKw: 50 }], expectedKgH: { nox: 8, vocs: 4 } },
  },
  responsible: { name: '王工', phone: '13900000000' },
});

describe('a warning’s response and its verification', () => {
  let clock = Date.parse('2026-12-02T09:30:00+08:00');
  let t: TestApp;
  let admin: ApiSession;
  let ozone: ApiSession;
  let officer: ApiSession;
  let qilu: ApiSession;
  let jinhua: ApiSession;
  let staffSocket: DashboardSocket;
  let jinhuaSocket: DashboardSocket;
  const jinhuaPushed: ReductionResponse[] = [];
  let logger: MqttClient;
  let warning: Warning;
  let response: ReductionResponse;

  /** The hour records of one hour: 金华石化's line at `jinhuaKw`, 齐鲁热电's flow at 50 m³/s (180,000 m³/h). */
  async function sendHour(hour: number, jinhuaKw: number): Promise<void> {
    clock = hour + H + 10_000; // the hour is over, not yet closed (its grace runs)
    const records: [string, LoggerMessage][] = [
      [JINHUA, { cn: '2061', ts: hour, factors: { gkw01: { avg: jinhuaKw, flag: 'N' }, a00000: { avg: 12, flag: 'N' } } }],
      [QILU, { cn: '2061', ts: hour, factors: { gkw01: { avg: 90_000, flag: 'N' }, a00000: { avg: 50, flag: 'N' } } }],
    ];
    for (const [mn, msg] of records) await logger.publishAsync(dataTopic(mn), JSON.stringify(msg), { qos: 1 });
    for (const mn of [JINHUA, QILU])
      await until(async () => {
        const q = `factor=a00000&cn=2061&from=${hour}&to=${hour + H}`;
        return (await officer.call<{ items: unknown[] }>('GET', `/api/sources/${mn}/series?${q}`)).body.items.length === 1;
      }, `the hour record of ${mn} stored`);
  }

  const measureAlerts = async () => (await officer.call<AlertPage>('GET', '/api/alerts?rule=measure-noncompliance&limit=100')).body.items;

  // Kept across the restart below (the test removes it).
  const dataDir = mkdtempSync(join(tmpdir(), 'o3-responses-'));
  const influxDb = `responses_${Date.now()}`;
  const env = () => ({ MQTT_URL: broker.url(), INFLUX_URL: inject('influxUrl'), INFLUX_DB: influxDb });

  beforeAll(async () => {
    t = await startTestApp(env(), { now: () => clock, dataDir });
    [admin, ozone, officer] = await Promise.all([t.signIn('admin'), t.signIn('ozone'), t.signIn('officer')]);
    for (const [id, grade] of [
      ['qilu-power', 'B'],
      ['jinhua-petrochem', 'C'],
    ])
      expect((await admin.call('PATCH', `/api/enterprises/${id}`, { grade, gradeReason: '2026年绩效分级结果' })).status).toBe(200);
    for (const [id, enterpriseId, name, mn] of [
      ['qilu-unit-1', 'qilu-power', '1号机组', QILU],
      ['jinhua-line-1', 'jinhua-petrochem', '1#裂解装置', JINHUA],
    ])
      expect(
        (
          await admin.call('POST', '/api/facilities', {
            id,
            enterpriseId,
            kind: 'production-line',
            name,
            outletMns: [mn],
            mn,
            channel: '01',
          })
        ).status,
      ).toBe(201);
    // Both lists filed for 2026 (current until 2027-08-31): the orange measure is a stop of the line, yellow a flow limit.
    const lists = await openReductionListStore(registryDatabase(t.config));
    const stopAt = (facilityId: string) => ({
      action: 'stop' as const,
      indicators: [{ kind: 'line-power' as const, facilityId, maxKw: 50 }],
      expectedKgH: { nox: 6, vocs: 3 },
    });
    await lists.store.save({
      enterpriseId: 'qilu-power',
      year: 2026,
      entries: [entry('e1', '1号机组', 'qilu-unit-1', QILU, stopAt('qilu-unit-1'))],
      filedBy: 'officer',
      filedAt: clock,
    });
    await lists.store.save({
      enterpriseId: 'jinhua-petrochem',
      year: 2026,
      entries: [entry('e1', '1#裂解装置', 'jinhua-line-1', JINHUA, stopAt('jinhua-line-1'))],
      filedBy: 'officer',
      filedAt: clock,
    });
    await lists.close();
    const password = 'jinhua-petrochem-given-2026';
    expect(
      (
        await admin.call('POST', '/api/users', {
          username: 'jinhua-petrochem',
          role: 'enterprise',
          enterpriseId: 'jinhua-petrochem',
          password,
        })
      ).status,
    ).toBe(201);
    jinhua = await signIn(t.baseUrl, 'jinhua-petrochem', password);
    qilu = await t.signIn('qilu-power');
    staffSocket = await connectDashboard(t.baseUrl, officer);
    jinhuaSocket = await connectDashboard(t.baseUrl, jinhua);
    jinhuaSocket.on('response:changed', (e) => jinhuaPushed.push(e.response));
    logger = await mqtt.connectAsync(broker.url(), { clientId: `responses-${Date.now()}` });
  });
  afterAll(async () => {
    staffSocket?.close();
    jinhuaSocket?.close();
    await logger?.endAsync();
    await t?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('an orange warning resolves the grade-B and grade-C lists differently; each enterprise sees its own part', async () => {
    clock = T10; // issued to start now: in force at once
    const issued = await ozone.call<{ warning: Warning }>('POST', '/api/warnings', {
      kind: 'heavy_pollution',
      level: 'orange',
      basis: 'city_notice',
      districts: ['临淄区'],
      startAt: T10,
    });
    expect(issued.status).toBe(201);
    warning = issued.body.warning;
    let items: ReductionResponse[] = [];
    await until(async () => {
      items = (await officer.call<{ items: ReductionResponse[] }>('GET', `/api/responses?warningId=${warning.id}`)).body.items;
      return items.length === 1;
    }, 'the response planned');
    response = items[0] as ReductionResponse;
    expect(response).toMatchObject({ level: 'orange', status: 'active', startAt: T10, withoutList: [] });
    const parts = Object.fromEntries(response.enterprises.map((e) => [e.enterpriseId, e]));
    expect(Object.keys(parts)).toEqual(['jinhua-petrochem', 'qilu-power']);
    // C: the orange measure as listed, a stop; B: one level lower, yellow's flow limit.
    expect(parts['jinhua-petrochem']?.measures[0]).toMatchObject({
      obligation: 'required',
      fromLevel: 'orange',
      policy: 'as-listed',
      measure: { action: 'stop' },
    });
    expect(parts['qilu-power']?.measures[0]).toMatchObject({
      obligation: 'required',
      fromLevel: 'yellow',
      policy: 'one-level-lower',
      measure: { action: 'limit', limitToPct: 70 },
    });
    // The city's check: NOx 6 (stop) + 2 (limit) kg/h against 9,800 t/a (1,118.7 kg/h) → 0.7 % of the 20 % target.
    expect(response.city.find((c) => c.pollutant === 'nox')).toMatchObject({ expectedKgH: 8, sharePct: 0.7, targetPct: 20, pass: false });

    const own = (await jinhua.call<{ items: ReductionResponse[] }>('GET', '/api/responses')).body.items;
    expect(own.map((r) => r.enterprises.map((e) => e.enterpriseId))).toEqual([['jinhua-petrochem']]);
    expect(own[0]?.city).toEqual([]);
    const one = await qilu.call<{ response: ReductionResponse }>('GET', `/api/responses/${response.id}`);
    expect(one.body.response.enterprises.map((e) => e.enterpriseId)).toEqual(['qilu-power']);
  });

  it('a level change re-plans the response (B at red takes orange’s stop), the history keeps each level', async () => {
    const get = async () => (await officer.call<{ response: ReductionResponse }>('GET', `/api/responses/${response.id}`)).body.response;
    const { version } = (await ozone.call<{ warning: Warning }>('GET', `/api/warnings/${warning.id}`)).body.warning;
    const up = await ozone.call<{ warning: Warning }>('PATCH', `/api/warnings/${warning.id}`, { version, level: 'red' });
    expect(up.status).toBe(200);
    await until(async () => (await get()).level === 'red', 're-planned at red');
    const qiluAtRed = (await get()).enterprises.find((e) => e.enterpriseId === 'qilu-power');
    expect(qiluAtRed?.measures[0]).toMatchObject({ fromLevel: 'orange', measure: { action: 'stop' } });
    const down = await ozone.call('PATCH', `/api/warnings/${warning.id}`, { version: up.body.warning.version, level: 'orange' });
    expect(down.status).toBe(200);
    await until(async () => (await get()).level === 'orange', 're-planned at orange');
    expect((await get()).history.map((h) => [h.event, h.level])).toEqual([
      ['started', 'orange'],
      ['replanned', 'red'],
      ['replanned', 'orange'],
    ]);
  });

  it('an enterprise acknowledges its measures (audited); staff cannot acknowledge for it', async () => {
    expect((await officer.call('POST', `/api/responses/${response.id}/acknowledge`)).status).toBe(403);
    const ack = await qilu.call<{ ack: { username: string; at: number } }>('POST', `/api/responses/${response.id}/acknowledge`);
    expect(ack.status).toBe(200);
    expect(ack.body.ack).toEqual({ username: 'qilu-power', at: clock });
    const all = (await officer.call<{ response: ReductionResponse }>('GET', `/api/responses/${response.id}`)).body.response;
    expect(all.enterprises.map((e) => [e.enterpriseId, e.acknowledged?.username ?? null])).toEqual([
      ['jinhua-petrochem', null],
      ['qilu-power', 'qilu-power'],
    ]);
    const audit = (await admin.call<{ items: { action: string; username: string }[] }>('GET', '/api/audit?action=response_acknowledged'))
      .body.items;
    expect(audit.map((a) => [a.action, a.username])).toEqual([['response_acknowledged', 'qilu-power']]);
  });

  it('a line that keeps running raises a measure-noncompliance alert on the wall after two closed hours; the compliant one does not', async () => {
    await sendHour(T10, 800);
    clock = T10 + H + GRACE + 1000; // hour 10 closed: one failed hour is not yet a non-compliance
    await t.app.responses.verifier.tick();
    expect(await measureAlerts()).toEqual([]);
    await sendHour(T10 + H, 820);
    clock = T10 + 2 * H + GRACE + 1000;
    const opened = nextEvent(staffSocket, 'alert:opened', (e: AlertEvent) => e.alert.rule === 'measure-noncompliance');
    await t.app.responses.verifier.tick(); // one evaluation
    const { alert } = await opened;
    expect(alert).toMatchObject({
      mn: JINHUA,
      factor: 'gkw01',
      enterpriseId: 'jinhua-petrochem',
      severity: 'major',
      value: 820,
      limit: 50,
      unit: 'kW',
    });
    expect(alert.evidence).toMatchObject({
      entry: '1#裂解装置',
      measure: '停产',
      level: 'Ⅱ级（橙色）',
      firstHour: T10,
      lastHour: T10 + H,
      failedHours: 2,
    });
    expect((await measureAlerts()).map((a) => a.enterpriseId)).toEqual(['jinhua-petrochem']);
    const r = (await officer.call<{ response: ReductionResponse }>('GET', `/api/responses/${response.id}`)).body.response;
    const v = Object.fromEntries(r.enterprises.map((e) => [e.enterpriseId, e.verification[0]]));
    expect(v['jinhua-petrochem']).toMatchObject({ judged: 2, passed: 0, failed: 2, nodata: 0, streak: 2 });
    expect(v['qilu-power']).toMatchObject({ judged: 2, passed: 2, failed: 0, nodata: 0, streak: 0 });
    expect(v['qilu-power']?.lastChecks).toEqual([
      { what: 'outlet-flow', subject: QILU, observed: 180_000, allowed: 300_000, verdict: 'pass' },
    ]);
    // 金华石化's socket got its own part only.
    await until(() => jinhuaPushed.some((p) => p.enterprises[0]?.verification[0]?.failed === 2), 'the verification pushed to 金华石化');
    expect(jinhuaPushed.every((p) => p.enterprises.length === 1 && p.enterprises[0]?.enterpriseId === 'jinhua-petrochem')).toBe(true);
  });

  it('after a restart the judged hours and the streak stand; closed hours are not judged again', async () => {
    const before = (await officer.call<{ response: ReductionResponse }>('GET', `/api/responses/${response.id}`)).body.response;
    await t.stop();
    t = await startTestApp(env(), { now: () => clock, dataDir });
    [ozone, officer] = await Promise.all([t.signIn('ozone'), t.signIn('officer')]);
    await t.app.responses.verifier.tick();
    const after = (await officer.call<{ response: ReductionResponse }>('GET', `/api/responses/${response.id}`)).body.response;
    expect(after).toMatchObject({ status: 'active', level: 'orange', judgedUntil: before.judgedUntil, history: before.history });
    expect(after.enterprises.map((e) => e.verification)).toEqual(before.enterprises.map((e) => e.verification));
    const alerts = await measureAlerts();
    expect(alerts.map((a) => [a.enterpriseId, a.state])).toEqual([['jinhua-petrochem', 'active']]);
  });

  it('lifting the warning ends the response and clears its alert; later hours raise nothing', async () => {
    expect((await ozone.call('POST', `/api/warnings/${warning.id}/lift`, {})).status).toBe(200);
    await until(async () => {
      const r = (await officer.call<{ response: ReductionResponse }>('GET', `/api/responses/${response.id}`)).body.response;
      return r.status === 'ended' && r.endAt === clock;
    }, 'the response ended');
    await until(async () => (await measureAlerts()).every((a) => a.state !== 'active'), 'the alert cleared');
    await sendHour(T10 + 2 * H, 900);
    clock = T10 + 3 * H + GRACE + 1000;
    await t.app.responses.verifier.tick();
    const alerts = await measureAlerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.state).not.toBe('active');
    const r = (await officer.call<{ response: ReductionResponse }>('GET', `/api/responses/${response.id}`)).body.response;
    expect(r.enterprises.find((e) => e.enterpriseId === 'jinhua-petrochem')?.verification[0]?.judged).toBe(2);
  });

  it('the lifted warning’s effect report carries the response’s compliance (issue 17 meets 18)', async () => {
    const effect = (await ozone.call<{ compliance: EffectCompliance }>('GET', `/api/warnings/${warning.id}/effect`)).body.compliance;
    if (!effect.available) throw new Error('the effect report has no compliance');
    expect(effect.responseId).toBe(response.id);
    const row = (id: string) => effect.rows.find((e) => e.enterpriseId === id);
    expect(row('qilu-power')).toMatchObject({
      grade: 'B',
      listed: true,
      acknowledged: true,
      required: 1,
      compliant: 1,
      failed: 0,
      unverified: 0,
    });
    expect(row('jinhua-petrochem')).toMatchObject({ grade: 'C', listed: true, required: 1, compliant: 0, failed: 1, unverified: 0 });
    expect(effect.totals).toMatchObject({ required: effect.rows.reduce((n, e) => n + e.required, 0), compliant: 1, failed: 1 });
  });
});
