/**
 * A response's effect report on the real app (issue 18 item 6; real Mosquitto and InfluxDB, the
 * app's clock driven through 2026-12-02 China time): an orange warning over 临淄区 from 10:00,
 * 齐鲁热电 (grade C: its orange measure, a limit to 50 % without indicators, expecting NOx 4, SO2 2,
 * PM 0.5 kg/h) and 金华石化 (grade B: one level lower, its yellow stop, expecting VOCs 3 kg/h instead
 * of its orange 5); hour records for the baseline days (30 Nov and 1 Dec) and the response's hours
 * (10:00 and 11:00), lifted at 12:05. The report's figures are computed by hand below.
 *
 * kg/h = mg/m³ × m³/s × 3600 × 10⁻⁶ = c × q × 0.0036.
 */
import ExcelJS from 'exceljs';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dataTopic, type LoggerMessage } from '../../server/domain/mqtt-contract';
import type { LevelMeasure, ReductionEntry } from '../../server/domain/reduction-list';
import type { ResponseEffect } from '../../server/domain/response-effect';
import type { ReductionResponse } from '../../server/domain/response';
import type { Warning } from '../../server/domain/warning';
import { registryDatabase } from '../../server/storage/sql/database';
import { openReductionListStore } from '../../server/storage/sql/reduction-list-store';
import { startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';
import { ownMosquitto } from '../helpers/own-broker';

const broker = ownMosquitto();

const H = 3_600_000;
const at = (local: string) => Date.parse(`${local}+08:00`);
const T10 = at('2026-12-02T10:00:00');
const GRACE = 300_000;
const QILU = '370300CEMS00000000000101'; // 齐鲁热电 1号机组烟囱
const JINHUA = '370300VOCS00000000000402'; // 金华石化 RTO出口

const n = (avg: number) => ({ avg, flag: 'N' as const });
const f = { avg: 0, flag: 'F' as const };
/** 齐鲁热电's hour: NOx, SO2, PM in mg/m³ and flow in m³/s. */
const qiluHour = (ts: number, nox: number, so2: number, pm: number, flow: number): [string, LoggerMessage] => [
  QILU,
  { cn: '2061', ts, factors: { a21002: n(nox), a21026: n(so2), a34013: n(pm), a00000: n(flow) } },
];
const jinhuaHour = (ts: number, vocs: number | 'stopped', flow = 10): [string, LoggerMessage] => [
  JINHUA,
  { cn: '2061', ts, factors: vocs === 'stopped' ? { a24088: f, a00000: f } : { a24088: n(vocs), a00000: n(flow) } },
];

const entry = (mn: string, measures: Partial<ReductionEntry['measures']>): ReductionEntry => {
  const none: LevelMeasure = { action: 'unchanged', indicators: [], expectedKgH: {} };
  return {
    id: 'e1',
    name: '1#生产线',
    outletMns: [mn],
    meterIds: [],
    measures: { yellow: none, orange: none, red: none, ...measures },
    responsible: { name: '王工', phone: '13900000000' },
  };
};

describe('a response’s effect report equals a hand computation', () => {
  let clock = at('2026-12-02T09:30:00');
  let t: TestApp;
  let ozone: ApiSession;
  let qilu: ApiSession;
  let logger: MqttClient;
  let warning: Warning;
  let response: ReductionResponse;

  async function publish(records: [string, LoggerMessage][]): Promise<void> {
    for (const [mn, msg] of records) await logger.publishAsync(dataTopic(mn), JSON.stringify(msg), { qos: 1 });
    for (const [mn, msg] of records)
      await until(
        async () => {
          const from = Number(msg.ts);
          const q = `factor=a00000&cn=2061&from=${from}&to=${from + H}`;
          return (await ozone.call<{ items: unknown[] }>('GET', `/api/sources/${mn}/series?${q}`)).body.items.length === 1;
        },
        `the hour record of ${mn} at ${new Date(Number(msg.ts)).toISOString()} stored`,
      );
  }
  const effectAs = async (who: ApiSession) => (await who.call<ResponseEffect>('GET', `/api/responses/${response.id}/effect`)).body;

  beforeAll(async () => {
    t = await startTestApp(
      { MQTT_URL: broker.url(), INFLUX_URL: inject('influxUrl'), INFLUX_DB: `response_effect_${Date.now()}` },
      { now: () => clock },
    );
    const admin = await t.signIn('admin');
    [ozone, qilu] = await Promise.all([t.signIn('ozone'), t.signIn('qilu-power')]);
    for (const [id, grade] of [
      ['qilu-power', 'C'],
      ['jinhua-petrochem', 'B'],
    ])
      expect((await admin.call('PATCH', `/api/enterprises/${id}`, { grade, gradeReason: '2026年绩效分级结果' })).status).toBe(200);
    const lists = await openReductionListStore(registryDatabase(t.config));
    const save = (enterpriseId: string, e: ReductionEntry) =>
      lists.store.save({ enterpriseId, year: 2026, entries: [e], filedBy: 'officer', filedAt: clock });
    await save(
      'qilu-power',
      entry(QILU, { orange: { action: 'limit', limitToPct: 50, indicators: [], expectedKgH: { nox: 4, so2: 2, pm: 0.5 } } }),
    );
    await save(
      'jinhua-petrochem',
      entry(JINHUA, {
        yellow: { action: 'stop', indicators: [], expectedKgH: { vocs: 3 } },
        orange: { action: 'stop', indicators: [], expectedKgH: { vocs: 5 } },
      }),
    );
    await lists.close();
    logger = await mqtt.connectAsync(broker.url(), { clientId: `response-effect-${Date.now()}` });
    // The baseline days. 齐鲁热电 at 50 m³/s (× 0.18): 10:00 NOx 18 and 21.6, SO2 9 and 5.4, PM 1.8 and 1.8;
    // 11:00 NOx 14.4, SO2 7.2, PM 3.6 both days. 09:00 on 2 Dec (90 kg/h) is not the same hour: it must not count.
    // 金华石化 at 10 m³/s (× 0.036): 10:00 VOCs 1.8 and 2.52; 11:00 2.16 on 30 Nov only.
    await publish([
      qiluHour(at('2026-11-30T10:00:00'), 100, 50, 10, 50),
      qiluHour(at('2026-12-01T10:00:00'), 120, 30, 10, 50),
      qiluHour(at('2026-11-30T11:00:00'), 80, 40, 20, 50),
      qiluHour(at('2026-12-01T11:00:00'), 80, 40, 20, 50),
      qiluHour(at('2026-12-02T09:00:00'), 500, 500, 500, 50),
      jinhuaHour(at('2026-11-30T10:00:00'), 50),
      jinhuaHour(at('2026-12-01T10:00:00'), 70),
      jinhuaHour(at('2026-11-30T11:00:00'), 60),
    ]);
  });
  afterAll(async () => {
    await logger?.endAsync();
    await t?.stop();
  });

  it('an orange warning starts the response; its hours are reported as they close', async () => {
    clock = T10;
    const issued = await ozone.call<{ warning: Warning }>('POST', '/api/warnings', {
      kind: 'heavy_pollution',
      level: 'orange',
      basis: 'city_notice',
      districts: ['临淄区'],
      startAt: T10,
      note: '内部：市指挥部口径',
    });
    expect(issued.status).toBe(201);
    warning = issued.body.warning;
    await until(async () => {
      const items = (await ozone.call<{ items: ReductionResponse[] }>('GET', `/api/responses?warningId=${warning.id}`)).body.items;
      if (items[0]) response = items[0];
      return items.length === 1;
    }, 'the response planned');
    expect((await qilu.call('POST', `/api/responses/${response.id}/acknowledge`)).status).toBe(200);
    // 10:00 齐鲁热电 at 40 m³/s (× 0.144): NOx 8.64, SO2 2.88, PM 0.72; 11:00 NOx 8.64, SO2 3.6, PM 1.44. 金华石化 stopped (flag F).
    // Each hour sent once it is over and before it closes (the verifier's timer may tick meanwhile).
    clock = T10 + H + 10_000;
    await publish([qiluHour(T10, 60, 20, 5, 40), jinhuaHour(T10, 'stopped')]);
    clock = T10 + 2 * H + 10_000;
    await publish([qiluHour(T10 + H, 60, 25, 10, 40), jinhuaHour(T10 + H, 'stopped')]);
    clock = T10 + 2 * H + GRACE + 1000;
    await t.app.responses.verifier.tick();
    const running = await effectAs(ozone);
    expect(running).toMatchObject({
      status: 'active',
      period: { from: T10, to: T10 + 2 * H },
      ambient: { available: false, reason: 'not-lifted' },
    });
  });

  it('once lifted: compliance, reductions achieved against expected per pollutant, the city’s sums, the ambient effect', async () => {
    expect((await ozone.call('POST', `/api/warnings/${warning.id}/lift`, {})).status).toBe(200);
    await until(async () => (await effectAs(ozone)).status === 'ended', 'the response ended');
    const e = await effectAs(ozone);
    expect(e.period).toEqual({ from: T10, to: T10 + 2 * H + GRACE + 1000 });
    const row = (id: string) => e.rows.find((r) => r.enterpriseId === id);
    const cut = (id: string, p: string) => row(id)?.reductions.find((x) => x.pollutant === p);
    // 齐鲁热电's limit is judged on NOx against 50 % of its baseline: 10:00 8.64 ≤ 9.9 passes, 11:00 8.64 > 7.2 fails.
    expect(row('qilu-power')).toMatchObject({ grade: 'C', acknowledged: true, required: 1, compliant: 0, failed: 1, unverified: 0 });
    expect(row('jinhua-petrochem')).toMatchObject({ grade: 'B', acknowledged: false, required: 1, compliant: 1, failed: 0 });
    // NOx: expected 4 kg/h × 2 h = 8 kg; baselines 10:00 (18 + 21.6) / 2 = 19.8, 11:00 14.4;
    // achieved (19.8 − 8.64) + (14.4 − 8.64) = 11.16 + 5.76 = 16.92 kg → 211.5 %.
    expect(cut('qilu-power', 'nox')).toEqual({
      pollutant: 'nox',
      expectedKg: 8,
      achievedKg: 16.92,
      outletHours: 2,
      measuredHours: 2,
      achievedPct: 211.5,
    });
    // SO2: 2 × 2 = 4 kg; baselines (9 + 5.4) / 2 = 7.2 and 7.2; (7.2 − 2.88) + (7.2 − 3.6) = 7.92 kg → 198 %.
    expect(cut('qilu-power', 'so2')).toMatchObject({ expectedKg: 4, achievedKg: 7.92, achievedPct: 198 });
    // PM: 0.5 × 2 = 1 kg; (1.8 − 0.72) + (3.6 − 1.44) = 3.24 kg → 324 %.
    expect(cut('qilu-power', 'pm')).toMatchObject({ expectedKg: 1, achievedKg: 3.24, achievedPct: 324 });
    expect(cut('qilu-power', 'vocs')).toMatchObject({ expectedKg: 0, achievedKg: null, measuredHours: 0 });
    // VOCs (B: yellow's 3 kg/h, not orange's 5): 3 × 2 = 6 kg; stopped, so the whole baseline:
    // 10:00 (1.8 + 2.52) / 2 = 2.16, 11:00 2.16 → 4.32 kg → 72 %.
    expect(cut('jinhua-petrochem', 'vocs')).toEqual({
      pollutant: 'vocs',
      expectedKg: 6,
      achievedKg: 4.32,
      outletHours: 2,
      measuredHours: 2,
      achievedPct: 72,
    });
    expect(cut('jinhua-petrochem', 'nox')).toMatchObject({ expectedKg: 0, achievedKg: null });
    const city = (p: string) => e.city?.reductions.find((x) => x.pollutant === p);
    expect([city('nox'), city('vocs')]).toMatchObject([
      { expectedKg: 8, achievedKg: 16.92, achievedPct: 211.5 },
      { expectedKg: 6, achievedKg: 4.32, achievedPct: 72 },
    ]);
    expect(e.totals).toMatchObject({ acknowledged: 1, required: 2, compliant: 1, failed: 1 });
    // The ambient effect is the warning effect report's (no AQI was observed here: its days have none).
    const warningEffect = (await ozone.call<{ days: unknown[]; heavyHoursTotal: number }>('GET', `/api/warnings/${warning.id}/effect`))
      .body;
    expect(e.ambient).toMatchObject({ available: true, days: warningEffect.days, heavyHoursTotal: warningEffect.heavyHoursTotal });
    expect(JSON.stringify(e)).not.toContain('内部');
  });

  it('the XLSX has Chinese headers with units; an enterprise gets its own row only, without the city or the ambient effect', async () => {
    const text = async (who: ApiSession) => {
      const res = await who.fetch(`/api/responses/${response.id}/effect?format=xlsx`);
      expect(res.headers.get('content-type')).toContain('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await res.arrayBuffer());
      const rows: string[] = [];
      wb.eachSheet((ws) => ws.eachRow((r) => void rows.push(`${ws.name}|${(r.values as unknown[]).slice(1).join('|')}`)));
      return rows;
    };
    const bureau = await text(ozone);
    expect(bureau).toContain('减排量|企业|污染物|预期削减量（kg）|实际削减量（kg）|完成率（%）|有监测数据的排口小时数|应核查的排口小时数');
    expect(bureau).toContain('减排量|齐鲁示范热电有限公司|氮氧化物（NOx）|8|16.92|211.5|2|2');
    expect(bureau).toContain('减排量|全市合计|挥发性有机物（VOCs）|6|4.32|72|2|4');
    expect(bureau.some((r) => r.startsWith('逐日AQI|'))).toBe(true);

    const own = await effectAs(qilu);
    expect(own.rows.map((r) => r.enterpriseId)).toEqual(['qilu-power']);
    expect([own.city, own.ambient]).toEqual([null, { available: false, reason: 'not-shown' }]);
    const mine = await text(qilu);
    expect(
      mine
        .filter((r) => r.startsWith('减排量|') && !r.startsWith('减排量|企业'))
        .every((r) => r.startsWith('减排量|齐鲁示范热电有限公司|')),
    ).toBe(true);
    expect(mine.join('\n')).not.toMatch(/金华|全市合计|逐日AQI|内部/);
    const outside = await t.signIn('zichuan-cement'); // 淄川区: not in the response
    expect((await outside.call('GET', `/api/responses/${response.id}/effect`)).status).toBe(404);
    expect((await outside.fetch(`/api/responses/${response.id}/effect?format=xlsx`)).status).toBe(404);
  });
});
