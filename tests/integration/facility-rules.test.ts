/**
 * Issue 16, the working-condition rules through the real app: a working-condition logger of a
 * registered enterprise sends its facilities' signals — over MQTT JSON through a real Mosquitto, and
 * as HJ 212 frames over TCP — and the duty officer's dashboard socket sees the alerts open (and
 * clear) with the facility in their evidence:
 * - the RTO's power below its running threshold while its production line runs for 5 min: treatment-off;
 * - its bypass valve reported open: bypass-open, critical, at once;
 * - over MQTT also the other signal rules from a boiler's logger and its unit's CEMS: start-order,
 *   fgr-closed, combustion-temp-low, flare-upset and reductant-stopped (NOx converted above its limit).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../server/domain/events';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { hjSignalLogger, qiluRegistry, QILU_CEMS, type FacilityFields, type HjSignalLogger } from '../helpers/facility-loggers';
import { ownMosquitto } from '../helpers/own-broker';
import { connectDashboard, nextEvent, startTestApp, type DashboardSocket, type TestApp } from '../helpers/test-app';

const broker = ownMosquitto();

const MQTT_LOGGER = '370300GKJK00000000000101';
const HJ_LOGGER = '370300GKJK00000000000102';
const HJ_PW = 'KQ7RW2M4HX9TB3NC6VJP8DZA';
/** A third logger: a boiler with FGR, its SCR (NOx from the unit's CEMS), an RTO and a flare. */
const PLANT_LOGGER = '370300GKJK00000000000103';
const CEMS = QILU_CEMS.mn;
const MIN = 60_000;

const pair = (mn: string, tag: string) => [
  { id: `qilu-${tag}-line`, mn, channel: '01', kind: 'production-line' as const, name: `${tag}号涂装线`, runningKw: 80 },
  {
    ...{ id: `qilu-${tag}-rto`, mn, channel: '02', kind: 'treatment' as const, name: `${tag}号RTO` },
    ...{ serves: `qilu-${tag}-line`, runningKw: 40, minTempC: 760 },
  },
];
const on = (channel: string, f: FacilityFields) => ({ mn: PLANT_LOGGER, channel, ...f });
/** A boiler with FGR, its SCR (NOx from the unit's CEMS), an RTO and a flare, on the third logger. */
const plant = [
  on('01', { id: 'qilu-boiler', kind: 'production-line', name: '3号燃气锅炉', runningA: 20 }),
  on('02', { id: 'qilu-boiler-scr', kind: 'treatment', name: '3号炉SCR', serves: 'qilu-boiler', outletMns: [CEMS] }),
  on('03', { id: 'qilu-boiler-rto', kind: 'treatment', name: '3号RTO', serves: 'qilu-boiler', runningKw: 40, minTempC: 760 }),
  on('04', { id: 'qilu-flare', kind: 'treatment', name: '火炬' }),
];
const LOGGERS = [
  { mn: MQTT_LOGGER, pw: 'M3TQ8VX2KD7RJ4NB9HCW6PZA' },
  { mn: HJ_LOGGER, pw: HJ_PW },
  { mn: PLANT_LOGGER, pw: 'W8NC3RT6JX2VQ9KM4PBD7HZA' },
];

describe('working-condition rules from a real logger to the dashboard', () => {
  let dir: string;
  let t: TestApp;
  let dashboard: DashboardSocket;
  const base = Math.floor(Date.now() / MIN) * MIN - 30 * MIN;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'o3-facility-'));
    t = await startTestApp({
      MQTT_URL: broker.url(),
      REGISTRY_FILE: qiluRegistry(dir, LOGGERS, [...pair(MQTT_LOGGER, '1'), ...pair(HJ_LOGGER, '2'), ...plant]),
    });
    dashboard = await connectDashboard(t.baseUrl);
  });
  afterAll(async () => {
    dashboard?.close();
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const opened = (mn: string, rule: string) =>
    nextEvent(dashboard, 'alert:opened', (e: AlertEvent) => e.alert.mn === mn && e.alert.rule === rule);

  describe('over MQTT JSON (Mosquitto)', () => {
    let logger: MqttClient;
    let published = 0;
    beforeAll(async () => {
      logger = await mqtt.connectAsync(broker.url(), { clientId: `gkjk-${Date.now()}` });
    });
    afterAll(async () => {
      await logger?.endAsync();
    });

    /** Publishes a real-time record and waits until the server has taken it. */
    async function send(ts: number, signals: Record<string, number>, mn = MQTT_LOGGER): Promise<void> {
      const factors = Object.fromEntries(Object.entries(signals).map(([code, rtd]) => [code, { rtd, flag: 'N' }]));
      const before = t.app.stats.accepted;
      await logger.publishAsync(dataTopic(mn), JSON.stringify({ cn: '2011', ts, factors }), { qos: 1 });
      published++;
      for (let spins = 0; t.app.stats.accepted <= before; spins++) {
        if (spins > 10_000) throw new Error(`the server did not take record ${published}`);
        await new Promise((r) => setTimeout(r, 1));
      }
    }

    it('the RTO off for 5 min under its running line → treatment-off, naming the RTO and the line; cleared when it runs', async () => {
      const off = opened(MQTT_LOGGER, 'treatment-off');
      for (let i = 0; i <= 5; i++) await send(base + i * MIN, { gkw01: 310, gkw02: 3.5 });
      const { alert } = await off;
      expect(alert).toMatchObject({
        enterpriseId: 'qilu-power',
        factor: 'gkw02',
        severity: 'major',
        value: 3.5,
        limit: 40,
        unit: 'kW',
        openedAt: base + 5 * MIN,
      });
      expect(alert.evidence).toMatchObject({
        facilityId: 'qilu-1-rto',
        facility: '1号RTO',
        line: '1号涂装线',
        lineRunning: true,
        linePowerKw: 310,
        since: base,
      });
      const cleared = nextEvent(dashboard, 'alert:cleared', (e) => e.alert.id === alert.id);
      await send(base + 6 * MIN, { gkw01: 310, gkw02: 62 });
      expect((await cleared).alert).toMatchObject({ state: 'cleared', clearedAt: base + 6 * MIN });
    });

    it('its bypass valve open → bypass-open, critical, at once; cleared once closed and sealed again', async () => {
      const open = opened(MQTT_LOGGER, 'bypass-open');
      await send(base + 7 * MIN, { gkw01: 310, gkw02: 62, gbv02: 1, gsl02: 0 });
      const { alert } = await open;
      expect(alert).toMatchObject({ factor: 'gbv02', severity: 'critical', value: 1, openedAt: base + 7 * MIN });
      expect(alert.evidence).toMatchObject({ facility: '1号RTO', valveOpen: true, sealBroken: false });
      const cleared = nextEvent(dashboard, 'alert:cleared', (e) => e.alert.id === alert.id);
      await send(base + 8 * MIN, { gkw01: 310, gkw02: 62, gbv02: 0, gsl02: 0 });
      expect((await cleared).alert.clearedAt).toBe(base + 8 * MIN);
    });
    it('a boiler starting 3 min after its RTO, firing with FGR closed, the RTO cold, the flare without assist gas and the SCR dry under NOx 80 → start-order, fgr-closed, combustion-temp-low, flare-upset, reductant-stopped', async () => {
      const seen = new Map<string, AlertEvent['alert']>();
      const listen = (e: AlertEvent) => void (e.alert.mn === PLANT_LOGGER && seen.set(e.alert.rule, e.alert));
      dashboard.on('alert:opened', listen);
      const p0 = base + 10 * MIN;
      for (let i = 0; i <= 13; i++) {
        const fired = i >= 3; // the boiler fires from minute 3
        await send(p0 + i * MIN, { a21002: fired ? 80 : 0, a19001: 6 }, CEMS);
        await send(
          p0 + i * MIN,
          {
            ...{ gia01: fired ? 45 : 2, gvp01: fired ? 2 : 40 },
            gqr02: fired ? 0 : 30,
            ...{ gkw03: 60, gtc03: fired ? 700 : 850 },
            ...{ gqf04: fired ? 150 : 0, gqa04: 0, gtc04: 900, gpf04: 1 },
          },
          PLANT_LOGGER,
        );
      }
      const rules = ['start-order', 'flare-upset', 'fgr-closed', 'combustion-temp-low', 'reductant-stopped'];
      for (let spins = 0; rules.some((r) => !seen.has(r)); spins++) {
        if (spins > 5_000) throw new Error(`opened only ${[...seen.keys()].join(', ')}`);
        await new Promise((r) => setTimeout(r, 2));
      }
      dashboard.off('alert:opened', listen);
      expect(seen.get('start-order')).toMatchObject({ factor: 'gkw03', value: 180, limit: 300, unit: 's', openedAt: p0 + 3 * MIN });
      expect(seen.get('start-order')?.evidence).toMatchObject({ facility: '3号RTO', line: '3号燃气锅炉', treatmentSince: p0 });
      expect(seen.get('flare-upset')).toMatchObject({ factor: 'gqf04', value: 150, openedAt: p0 + 5 * MIN });
      expect(seen.get('flare-upset')?.evidence).toMatchObject({ facility: '火炬', noAssist: true, tempLow: false, pilotOut: false });
      expect(seen.get('fgr-closed')).toMatchObject({ factor: 'gvp01', value: 2, limit: 5, unit: '%', openedAt: p0 + 8 * MIN });
      expect(seen.get('combustion-temp-low')).toMatchObject({
        factor: 'gtc03',
        value: 700,
        limit: 760,
        unit: '°C',
        openedAt: p0 + 8 * MIN,
      });
      expect(seen.get('reductant-stopped')).toMatchObject({ factor: 'gqr02', value: 0, openedAt: p0 + 13 * MIN });
      expect(seen.get('reductant-stopped')?.evidence).toMatchObject({ outletMn: CEMS, nox: 80, noxLimit: 50, lineRunning: true });
      expect(seen.has('treatment-off')).toBe(false); // the RTO ran throughout; the SCR has no power signal
    });
  });

  describe('over HJ 212 TCP (CN 2011 frames with signal codes)', () => {
    let logger: HjSignalLogger;
    beforeAll(async () => {
      logger = await hjSignalLogger(t.app.hj212Port as number, { mn: HJ_LOGGER, pw: HJ_PW });
    });
    afterAll(() => logger?.close());
    const send = (ts: number, signals: Record<string, number>) => logger.send(ts, signals);

    it('the RTO off for 5 min under its running line → treatment-off', async () => {
      const off = opened(HJ_LOGGER, 'treatment-off');
      for (let i = 0; i <= 5; i++) await send(base + i * MIN, { gkw01: 280, gkw02: 1.2 });
      const { alert } = await off;
      expect(alert).toMatchObject({ enterpriseId: 'qilu-power', factor: 'gkw02', value: 1.2, limit: 40, openedAt: base + 5 * MIN });
      expect(alert.evidence).toMatchObject({ facilityId: 'qilu-2-rto', facility: '2号RTO', line: '2号涂装线', lineRunning: true });
    });

    it('its bypass seal reported broken → bypass-open, critical, at once', async () => {
      const open = opened(HJ_LOGGER, 'bypass-open');
      await send(base + 6 * MIN, { gkw01: 280, gkw02: 55, gbv02: 0, gsl02: 1 });
      const { alert } = await open;
      expect(alert).toMatchObject({ factor: 'gbv02', severity: 'critical', openedAt: base + 6 * MIN });
      expect(alert.evidence).toMatchObject({ facility: '2号RTO', valveOpen: false, sealBroken: true });
    });
  });
});
