/**
 * Issue 16, the working-condition rules over the real HJ 212 TCP listener (CN 2011 frames with their
 * CRC, each answered 9014) for the rules facility-rules.test.ts drives over MQTT JSON: a boiler
 * plant's condition logger and its unit's CEMS send 14 minutes of frames, and the duty officer's
 * dashboard socket sees start-order (先启后停), fgr-closed, combustion-temp-low, flare-upset and
 * reductant-stopped open on the upset facilities. Beside each upset facility, a look-alike on the
 * same logger that must raise nothing: an RTO started 6 min before its boiler, a standby boiler's
 * closed FGR valve, a cold RTO whose fan is off, a flare burning its gas with assist steam, and a
 * dry SCR of a boiler that does not fire, under the same NOx.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../server/domain/alert';
import type { AlertEvent } from '../../server/domain/events';
import { hjSignalLogger, qiluRegistry, QILU_CEMS, type FacilityFields, type HjSignalLogger } from '../helpers/facility-loggers';
import { connectDashboard, startTestApp, type DashboardSocket, type TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';

const PLANT = { mn: '370300GKJK00000000000104', pw: 'R6VD2KQ9MX4TB7NC3WJP8HZA' };
const MIN = 60_000;

const on = (channel: string, f: FacilityFields) => ({ mn: PLANT.mn, channel, ...f });
const boiler = (channel: string, id: string, name: string) => on(channel, { id, kind: 'production-line', name, runningA: 20 });
const rto = (channel: string, id: string, serves: string) =>
  on(channel, { id, kind: 'treatment', name: `${id} RTO`, serves, runningKw: 40, minTempC: 760 });
const scr = (channel: string, id: string, serves: string) =>
  on(channel, { id, kind: 'treatment', name: `${id} SCR`, serves, outletMns: [QILU_CEMS.mn] });
/** A: the upset boiler's facilities; B: a boiler started in order with a working flare; C: a standby boiler. */
const FACILITIES = [
  ...[boiler('01', 'a-boiler', 'A炉'), scr('02', 'a-scr', 'a-boiler'), rto('03', 'a-rto', 'a-boiler')],
  on('04', { id: 'a-flare', kind: 'treatment', name: 'A火炬' }),
  ...[boiler('11', 'b-boiler', 'B炉'), rto('13', 'b-rto', 'b-boiler')],
  on('14', { id: 'b-flare', kind: 'treatment', name: 'B火炬' }),
  ...[boiler('21', 'c-boiler', 'C炉'), scr('22', 'c-scr', 'c-boiler'), rto('23', 'c-rto', 'c-boiler')],
];

/** The plant's frame at minute i: A fires from minute 3, B from minute 6 (its RTO ran from 0), C never. */
function plantAt(i: number): Record<string, number> {
  const a = i >= 3;
  const b = i >= 6;
  return {
    ...{ gia01: a ? 45 : 2, gvp01: a ? 2 : 40, gqr02: a ? 0 : 30, gkw03: 60, gtc03: a ? 700 : 850 },
    ...{ gqf04: a ? 150 : 0, gqa04: 0, gtc04: 900, gpf04: 1 },
    ...{ gia11: b ? 45 : 2, gvp11: 40, gkw13: 60, gtc13: 850 },
    ...{ gqf14: a ? 150 : 0, gqa14: 80, gtc14: 900, gpf14: 1 },
    ...{ gia21: 2, gvp21: 0, gqr22: 0, gkw23: 5, gtc23: 300 },
  };
}

describe('working-condition rules over HJ 212 TCP, with look-alikes that raise nothing', () => {
  let dir: string;
  let t: TestApp;
  let dashboard: DashboardSocket;
  let plant: HjSignalLogger;
  let cems: HjSignalLogger;
  const opened = new Map<string, Alert>();
  const p0 = Math.floor(Date.now() / MIN) * MIN - 30 * MIN;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'o3-facility-tcp-'));
    t = await startTestApp({ REGISTRY_FILE: qiluRegistry(dir, [PLANT], FACILITIES) });
    dashboard = await connectDashboard(t.baseUrl);
    dashboard.on('alert:opened', (e: AlertEvent) => void (e.alert.mn === PLANT.mn && opened.set(e.alert.rule, e.alert)));
    plant = await hjSignalLogger(t.app.hj212Port as number, PLANT);
    cems = await hjSignalLogger(t.app.hj212Port as number, QILU_CEMS);
    for (let i = 0; i <= 13; i++) {
      await cems.send(p0 + i * MIN, { a21002: i >= 3 ? 80 : 0, a19001: 6 });
      await plant.send(p0 + i * MIN, plantAt(i));
    }
    const rules = ['start-order', 'fgr-closed', 'combustion-temp-low', 'flare-upset', 'reductant-stopped'];
    await until(() => rules.every((r) => opened.has(r)), `alerts ${rules.join(', ')} (opened: ${[...opened.keys()].join(', ')})`);
  });
  afterAll(async () => {
    plant?.close();
    cems?.close();
    dashboard?.close();
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    [
      'start-order',
      { factor: 'gkw03', value: 180, limit: 300, unit: 's', openedAt: p0 + 3 * MIN },
      { facilityId: 'a-rto', treatmentSince: p0 },
    ],
    ['fgr-closed', { factor: 'gvp01', value: 2, limit: 5, unit: '%', openedAt: p0 + 8 * MIN }, { facilityId: 'a-boiler', valvePct: 2 }],
    ['combustion-temp-low', { factor: 'gtc03', value: 700, limit: 760, openedAt: p0 + 8 * MIN }, { facilityId: 'a-rto', powerKw: 60 }],
    ['flare-upset', { factor: 'gqf04', value: 150, openedAt: p0 + 5 * MIN }, { facilityId: 'a-flare', noAssist: true, tempLow: false }],
    ['reductant-stopped', { factor: 'gqr02', value: 0, openedAt: p0 + 13 * MIN }, { facilityId: 'a-scr', nox: 80, noxLimit: 50 }],
  ])('%s opens on the upset facility, on the dashboard socket', (rule, alert, evidence) => {
    expect(opened.get(rule)).toMatchObject({ enterpriseId: 'qilu-power', ...alert });
    expect(opened.get(rule)?.evidence).toMatchObject(evidence);
  });

  it('the look-alikes raise nothing: every facility-rule alert of the plant is one of the five on A', async () => {
    const officer = await t.signIn('officer');
    const { body } = await officer.call<{ items: Alert[] }>('GET', `/api/alerts?mn=${PLANT.mn}`);
    const raised = body.items.map((a) => [a.rule, a.factor, a.evidence?.facilityId]).sort();
    expect(raised).toEqual([
      ['combustion-temp-low', 'gtc03', 'a-rto'],
      ['fgr-closed', 'gvp01', 'a-boiler'],
      ['flare-upset', 'gqf04', 'a-flare'],
      ['reductant-stopped', 'gqr02', 'a-scr'],
      ['start-order', 'gkw03', 'a-rto'],
    ]);
  });
});
