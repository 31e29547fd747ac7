/**
 * The working-condition strip (issue 16 item 5) on the real app, a real InfluxDB and the file's own
 * Mosquitto: a plant's production line and its SCR on channels 01 and 02 of its stack's logger send
 * minute data (power, current, reductant) and the stack its NOx; the strip answers them on one time
 * axis with the running thresholds and the NOx limit, narrowed to a source with `mn`, and an
 * enterprise user reads only its own enterprise's strip.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dataTopic, type LoggerMessage } from '../../server/domain/mqtt-contract';
import type { WorkingConditionStrip } from '../../server/domain/working-condition-strip';
import { TEST_REGISTRY_FILE } from '../helpers/fixtures';
import { ownMosquitto } from '../helpers/own-broker';
import { startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';

const broker = ownMosquitto();
const A_ENT = 'qilu-power';
const B_ENT = 'zichuan-cement';
const STACK = '370300CEMS00000000000101';
const SLIP = '370300NH3000000000000101';
const MIN = 60_000;
const START = Math.floor((Date.now() - 30 * MIN) / MIN) * MIN;

const FACILITIES = `
facilities:
  - { id: qilu-unit1, enterpriseId: qilu-power, kind: production-line, name: 1号机组, outletMns: [${STACK}], mn: ${STACK}, channel: "01", runningKw: 3000 }
  - { id: qilu-scr1, enterpriseId: qilu-power, kind: treatment, name: 1号机组SCR, technology: SCR, serves: qilu-unit1, outletMns: [${SLIP}, ${STACK}],
      mn: ${STACK}, channel: "02", runningKw: 30, runningA: 50, videoUrl: "https://video.example.cn/qilu/scr1" }
`;

describe('GET /api/enterprises/:id/working-condition', () => {
  let dir: string;
  let t: TestApp;
  let officer: ApiSession;
  let logger: MqttClient;
  const db = `wc_strip_${process.pid}_${Date.now()}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'o3-strip-'));
    const registryFile = join(dir, 'registry.yaml');
    writeFileSync(registryFile, `${readFileSync(TEST_REGISTRY_FILE, 'utf8').trimEnd()}\n${FACILITIES}`);
    t = await startTestApp({ MQTT_URL: broker.url(), INFLUX_URL: inject('influxUrl'), INFLUX_DB: db, REGISTRY_FILE: registryFile });
    officer = await t.signIn('officer');
    logger = await mqtt.connectAsync(broker.url(), { clientId: `strip-${Date.now()}` });
    // Ten minutes: the line runs at ~15 MW; the SCR's reductant stops from minute 5 while NOx rises.
    for (let m = 0; m < 10; m++) {
      const stopped = m >= 5;
      const message: LoggerMessage = {
        cn: '2051',
        ts: START + m * MIN,
        factors: {
          gkw01: { avg: 15000 + m, flag: 'N' },
          grs01: { avg: 1, flag: 'N' },
          gkw02: { avg: 150, flag: 'N' },
          gia02: { avg: 268, flag: 'N' },
          gqr02: { avg: stopped ? 0 : 180, flag: 'N' },
          a21002: { avg: stopped ? 80 : 30, zs: stopped ? 85 : 32, flag: 'N' },
          a01014: { avg: 6, flag: 'N' },
        },
      };
      await logger.publishAsync(dataTopic(STACK), JSON.stringify(message), { qos: 1 });
    }
    await until(async () => {
      const res = await officer.call<{ items: unknown[] }>(
        'GET',
        `/api/sources/${STACK}/series?factor=gqr02&cn=2051&from=${START}&to=${START + 10 * MIN}`,
      );
      return res.body.items.length === 10;
    }, 'the minutes stored');
  });
  afterAll(async () => {
    await logger?.endAsync();
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const strip = (session: ApiSession, ent: string, query = '') =>
    session.call<WorkingConditionStrip>('GET', `/api/enterprises/${ent}/working-condition?from=${START}&to=${START + 10 * MIN}${query}`);

  it('answers the line’s power, the SCR’s power, current and reductant, and the outlets’ emissions with thresholds, on one axis', async () => {
    const res = await strip(officer, A_ENT);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ enterpriseId: A_ENT, from: START, to: START + 10 * MIN, cn: '2051', findings: [] });
    const lane = (mn: string, code: string) => res.body.lanes.find((l) => l.mn === mn && l.code === code);
    expect(res.body.lanes.map((l) => `${l.group} ${l.code}`)).toEqual(
      expect.arrayContaining([
        'production gkw01',
        'treatment gkw02',
        'treatment gia02',
        'treatment gqr02',
        'emission a21002',
        'emission a21001',
      ]),
    );
    expect(res.body.lanes.some((l) => l.code === 'grs01')).toBe(false); // the running state shows as power under the threshold
    expect(lane(STACK, 'gkw01')).toMatchObject({
      group: 'production',
      facilityId: 'qilu-unit1',
      name: '1号机组',
      threshold: { kind: 'runningKw', value: 3000 },
    });
    expect(lane(STACK, 'gkw01')?.points).toHaveLength(10);
    expect(lane(STACK, 'gkw01')?.points[0]).toEqual({ ts: START, value: 15000 });
    expect(lane(STACK, 'gia02')).toMatchObject({
      threshold: { kind: 'runningA', value: 50 },
      videoUrl: 'https://video.example.cn/qilu/scr1',
    });
    expect(lane(STACK, 'gqr02')?.points.map((p) => p.value)).toEqual([180, 180, 180, 180, 180, 0, 0, 0, 0, 0]);
    // The outlet's NOx converted to its reference O2, against the rule book's limit.
    const nox = lane(STACK, 'a21002');
    expect(nox).toMatchObject({ group: 'emission', name: '1号机组烟囱', threshold: { kind: 'limit' } });
    expect(nox?.points.map((p) => p.value)).toEqual([32, 32, 32, 32, 32, 85, 85, 85, 85, 85]);
    expect(lane(SLIP, 'a21001')?.points).toEqual([]);
  });

  it('narrows to one source’s part with mn: the NH3 outlet shows its SCR, the line it serves and itself', async () => {
    const res = await strip(officer, A_ENT, `&mn=${SLIP}`);
    expect(res.status).toBe(200);
    expect(new Set(res.body.lanes.map((l) => l.facilityId ?? l.mn))).toEqual(new Set(['qilu-unit1', 'qilu-scr1', SLIP]));
  });

  it('hourly data for a long range; refuses an inverted or too long range, and an MN of another enterprise', async () => {
    const long = await officer.call<WorkingConditionStrip>(
      'GET',
      `/api/enterprises/${A_ENT}/working-condition?from=${START - 5 * 24 * 60 * MIN}&to=${START}`,
    );
    expect(long.body.cn).toBe('2061');
    expect((await officer.call('GET', `/api/enterprises/${A_ENT}/working-condition?from=${START}&to=${START - 1}`)).status).toBe(400);
    expect((await officer.call('GET', `/api/enterprises/${A_ENT}/working-condition?from=0&to=${START}`)).status).toBe(400);
    expect((await officer.call('GET', `/api/enterprises/${A_ENT}/working-condition?mn=370300CEMS00000000000201`)).status).toBe(404);
    expect((await officer.call('GET', '/api/enterprises/no-such/working-condition')).status).toBe(404);
  });

  it('an enterprise user reads its own strip, another enterprise’s is 404', async () => {
    const a = await t.signIn(A_ENT);
    expect((await strip(a, A_ENT)).status).toBe(200);
    expect((await strip(a, B_ENT)).status).toBe(404);
  });
});
