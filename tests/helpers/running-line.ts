/**
 * A line that keeps running through a heavy-pollution response (issue 18): 齐鲁热电 (临淄区) with its
 * 1号机组 as a production line on its CEMS logger's gkw01, a 2026 list whose measure at every level
 * is a stop (line power ≤ 50 kW), a warning issued over 临淄区, hour records published on the app's
 * embedded broker, and the verifier's tick. Shared by the grade-proposal suite and the browser test
 * of a non-compliance alert's evidence.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { expect } from 'vitest';
import { dataTopic, type LoggerMessage } from '../../server/domain/mqtt-contract';
import type { LevelMeasure, ReductionEntry } from '../../server/domain/reduction-list';
import type { Warning } from '../../server/domain/warning';
import { registryDatabase } from '../../server/storage/sql/database';
import { openReductionListStore } from '../../server/storage/sql/reduction-list-store';
import type { ApiSession, TestApp } from './test-app';
import { until } from './wait';

export const H = 3_600_000;
export const QILU = '370300CEMS00000000000101'; // 齐鲁热电 1号机组烟囱 (临淄区)
/** The rule pack's grace before an hour counts as closed, and a second more. */
export const CLOSED_AFTER = 300_000 + 1000;

const stop: LevelMeasure = {
  action: 'stop',
  indicators: [{ kind: 'line-power', facilityId: 'qilu-unit-1', maxKw: 50 }],
  expectedKgH: { nox: 6 },
};
const entry: ReductionEntry = {
  id: 'e1',
  name: '1号机组',
  facilityId: 'qilu-unit-1',
  outletMns: [QILU],
  meterIds: [],
  measures: { yellow: stop, orange: stop, red: stop },
  responsible: { name: '王工', phone: '13900000000' },
};

/** 齐鲁热电 at `grade`, its line registered and its 2026 list filed; a logger connected to the app's broker. */
export async function prepareRunningLine(t: TestApp, admin: ApiSession, grade: string, filedAt: number): Promise<MqttClient> {
  expect((await admin.call('PATCH', '/api/enterprises/qilu-power', { grade, gradeReason: '2026年绩效分级结果' })).status).toBe(200);
  const facility = {
    id: 'qilu-unit-1',
    enterpriseId: 'qilu-power',
    kind: 'production-line',
    name: '1号机组',
    outletMns: [QILU],
    mn: QILU,
    channel: '01',
  };
  expect((await admin.call('POST', '/api/facilities', facility)).status).toBe(201);
  const lists = await openReductionListStore(registryDatabase(t.config));
  await lists.store.save({ enterpriseId: 'qilu-power', year: 2026, entries: [entry], filedBy: 'officer', filedAt });
  await lists.close();
  return mqtt.connectAsync(t.app.mqttUrl, { clientId: `running-line-${Date.now()}`, ...t.mqttAuth, reconnectPeriod: 0 });
}

/** Issues a heavy-pollution warning over 临淄区 starting at `startAt`. */
export async function issueWarning(ozone: ApiSession, level: string, startAt: number): Promise<Warning> {
  const issued = await ozone.call<{ warning: Warning }>('POST', '/api/warnings', {
    kind: 'heavy_pollution',
    level,
    basis: 'city_notice',
    districts: ['临淄区'],
    startAt,
  });
  expect(issued.status).toBe(201);
  return issued.body.warning;
}

/** The line's hour record at `kw` (flow 50 m³/s), stored before it resolves. */
export async function sendHour(logger: MqttClient, reader: ApiSession, hour: number, kw: number): Promise<void> {
  const msg: LoggerMessage = { cn: '2061', ts: hour, factors: { gkw01: { avg: kw, flag: 'N' }, a00000: { avg: 50, flag: 'N' } } };
  await logger.publishAsync(dataTopic(QILU), JSON.stringify(msg), { qos: 1 });
  await until(async () => {
    const q = `factor=gkw01&cn=2061&from=${hour}&to=${hour + H}`;
    return (await reader.call<{ items: unknown[] }>('GET', `/api/sources/${QILU}/series?${q}`)).body.items.length === 1;
  }, `the hour record of ${QILU} stored`);
}
