/**
 * Working-condition feeds (issue 16) on real services: a condition logger over HJ 212 TCP (CN 2021
 * equipment state and signal codes, answered 9014) and over MQTT JSON through a real Mosquitto,
 * landing in a real InfluxDB; a dust logger's signal refused; and the grid company's power data
 * imported over HTTP — dry run, land, read back from InfluxDB, import again without duplicates —
 * refused for an enterprise user, with row errors for a malformed file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { encodeFrameText } from '../../server/domain/hj212/encode';
import { formatHjTime, formatQn } from '../../server/domain/hj212/hj-time';
import { DEADLETTER_TOPIC, dataTopic } from '../../server/domain/mqtt-contract';
import { InfluxHttp } from '../../server/storage/influx/influx-http';
import type { DataKind } from '../../server/domain/reading';
import { telemetryOf } from '../../server/storage/influx/influx-retention';
import { ownMosquitto } from '../helpers/own-broker';
import { startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';
import { eventually } from '../helpers/wait';
import { WC, workingConditionRegistry } from '../helpers/working-condition-registry';

const broker = ownMosquitto();
const { logger: LOGGER, loggerPw: LOGGER_PW, dust: DUST, meter: METER } = WC;
const db = `wcfeeds_${Date.now()}`;
const QUARTER = 15 * 60_000;

describe('working-condition feeds into InfluxDB (issue 16)', () => {
  let t: TestApp;
  let dir: string;
  let influx: InfluxHttp;
  let logger: MqttClient;
  let officer: ApiSession;
  const deadLetters: { reason: string; detail: string; topic: string }[] = [];
  /** The stored values of a field of the logger's series, by time. */
  const stored = async (field: string, cn: DataKind): Promise<[number, number][]> => {
    const [series = []] = await influx.query(
      `SELECT ${field} FROM ${telemetryOf(cn)} WHERE mn = '${LOGGER}' AND cn = '${cn}' AND ${field} > -1 ORDER BY time`,
      'GET',
    );
    return (series[0]?.values ?? []).map((v) => [v[0] as number, v[1] as number]);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'o3-wc-'));
    t = await startTestApp({
      REGISTRY_FILE: workingConditionRegistry(dir),
      MQTT_URL: broker.url(),
      INFLUX_URL: inject('influxUrl'),
      INFLUX_DB: db,
    });
    influx = new InfluxHttp({ url: inject('influxUrl'), db, timeoutMs: 5_000 });
    logger = await mqtt.connectAsync(broker.url(), { clientId: `wc-logger-${Date.now()}` });
    const watcher = await mqtt.connectAsync(broker.url());
    await watcher.subscribeAsync(DEADLETTER_TOPIC, { qos: 1 });
    watcher.on('message', (_topic, payload) => deadLetters.push(JSON.parse(payload.toString())));
    officer = await t.signIn('officer');
    return () => watcher.endAsync();
  });
  afterAll(async () => {
    await logger?.endAsync();
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('HJ 212 over TCP: CN 2021 equipment state and signal codes land as the logger’s samples, each answered 9014', async () => {
    const at = Math.floor(Date.now() / 1000) * 1000 - 5_000;
    const frame = (qn: string, cn: string, factors: { code: string; fields: Record<string, string> }[]) =>
      encodeFrameText({ qn, st: '31', cn, pw: LOGGER_PW, mn: LOGGER, flag: 5, cp: { params: { DataTime: formatHjTime(at) }, factors } });
    const qnState = formatQn(at);
    const qnData = formatQn(at + 1);
    const socket = connect(t.app.hj212Port as number, '127.0.0.1');
    const replies = new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (b) => {
        text += b.toString('utf8');
        if ((text.match(/CN=9014/g) ?? []).length >= 2) resolve(text);
      });
    });
    socket.write(
      frame(qnState, '2021', [
        { code: 'SB1', fields: { RS: '1' } },
        { code: 'SB2', fields: { RS: '0' } },
      ]),
    );
    socket.write(
      frame(qnData, '2011', [
        { code: 'gkw01', fields: { Rtd: '412.5', Flag: 'N' } },
        { code: 'gtc02', fields: { Rtd: '735', Flag: 'N' } },
      ]),
    );
    const text = await replies;
    socket.destroy();
    expect(text).toContain(`QN=${qnState}`);
    expect(text).toContain(`QN=${qnData}`);
    expect(await eventually(async () => (await stored('grs01_rtd', '2011')).find(([ts]) => ts === at), 'grs01 in InfluxDB')).toEqual([
      at,
      1,
    ]);
    expect((await stored('grs02_rtd', '2011')).find(([ts]) => ts === at)).toEqual([at, 0]);
    expect((await stored('gkw01_rtd', '2011')).find(([ts]) => ts === at)).toEqual([at, 412.5]);
    expect((await stored('gtc02_rtd', '2011')).find(([ts]) => ts === at)).toEqual([at, 735]);
  });

  it('MQTT JSON through Mosquitto: a condition logger’s signals land; a dust logger’s signal is dead-lettered with the reason', async () => {
    const at = Date.now() - 60_000;
    const body = { cn: '2051', ts: at, factors: { gkw02: { avg: 55.5, cou: 0.925 }, gqr02: { avg: 12 } } };
    await logger.publishAsync(dataTopic(LOGGER), JSON.stringify(body), { qos: 1 });
    expect(await eventually(async () => (await stored('gkw02_avg', '2051')).find(([ts]) => ts === at), 'gkw02 in InfluxDB')).toEqual([
      at,
      55.5,
    ]);
    expect((await stored('gkw02_cou', '2051')).find(([ts]) => ts === at)).toEqual([at, 0.925]);

    await logger.publishAsync(dataTopic(DUST), JSON.stringify({ cn: '2011', ts: at, factors: { gkw01: { rtd: 3 } } }), { qos: 1 });
    const refused = await eventually(async () => deadLetters.find((d) => d.topic === dataTopic(DUST)), 'the dead letter');
    expect(refused).toMatchObject({ reason: 'invalid_payload' });
    expect(refused.detail).toMatch(/no facility names channel 01/);

    // Once the registry names channel 01 of the dust logger (a fog cannon's power), its signal is taken, without a restart.
    const admin = await t.signIn('admin');
    const cannon = { id: 'wc-fog-cannon', enterpriseId: 'wc-site', kind: 'treatment', name: '雾炮', mn: DUST, channel: '01' };
    expect((await admin.call('POST', '/api/facilities', cannon)).status).toBe(201);
    const later = at + 60_000;
    await logger.publishAsync(dataTopic(DUST), JSON.stringify({ cn: '2011', ts: later, factors: { gkw01: { rtd: 3 } } }), { qos: 1 });
    const [series = []] = await eventually(async () => {
      const r = await influx.query(`SELECT gkw01_rtd FROM ${telemetryOf('2011')} WHERE mn = '${DUST}' AND time = ${later}ms`, 'GET');
      return r[0]?.[0]?.values.length ? r : undefined;
    }, 'the dust logger’s signal in InfluxDB');
    expect(series[0]?.values[0]?.[1]).toBe(3);
  });

  describe('the power-data import', () => {
    const day = Math.floor((Date.now() - 2 * 86_400_000) / QUARTER) * QUARTER;
    const local = (ts: number) => new Date(ts + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
    const file = ['电表编号,时间,电量(kWh)', ...[0, 1, 2, 3].map((i) => `${METER},${local(day + i * QUARTER)},${10 + i}`)].join('\n');
    const upload = (session: ApiSession, dryRun: boolean, body: string) =>
      session.fetch(`/api/power-imports?dryRun=${dryRun}`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body });

    it('a dry run previews and writes nothing; the import lands the meter’s power; again, it duplicates nothing', async () => {
      const dry = await upload(officer, true, file);
      expect(dry.status).toBe(200);
      expect(await dry.json()).toMatchObject({
        dryRun: true,
        applied: false,
        rows: 4,
        accepted: 4,
        intervals: 4,
        from: day,
        to: day + 3 * QUARTER,
        meters: [{ meterNo: METER, facilityId: 'wc-meter', mn: LOGGER, code: 'gkw03', rows: 4 }],
        errors: [],
        written: 0,
      });
      expect(await stored('gkw03_avg', '2051')).toEqual([]);

      const land = await upload(officer, false, file);
      expect(await land.json()).toMatchObject({ dryRun: false, applied: true, written: 4 });
      const want = [0, 1, 2, 3].map((i) => [day + i * QUARTER, (10 + i) * 4]);
      expect(
        await eventually(
          async () => ((await stored('gkw03_avg', '2051')).length === 4 ? stored('gkw03_avg', '2051') : undefined),
          'the import',
        ),
      ).toEqual(want);
      expect((await stored('gkw03_cou', '2051')).map(([, v]) => v)).toEqual([10, 11, 12, 13]);

      expect(await (await upload(officer, false, file)).json()).toMatchObject({ applied: true, written: 4 });
      await new Promise((r) => setTimeout(r, 300)); // the writer flushes within INFLUX_FLUSH_MS (20 ms)
      const [series = []] = await influx.query(
        `SELECT COUNT(gkw03_avg) FROM ${telemetryOf('2051')} WHERE mn = '${LOGGER}' AND cn = '2051'`,
        'GET',
      );
      expect(series[0]?.values[0]?.[1]).toBe(4);

      const audit = await (
        await t.signIn('admin')
      ).call<{ items: { action: string; detail: Record<string, unknown> }[] }>('GET', '/api/audit?action=power.import_applied');
      expect(audit.body.items).toHaveLength(2);
      expect(audit.body.items[0]?.detail).toMatchObject({ rows: 4, accepted: 4, intervals: 4, from: local(day) });
    });

    it('is refused to an enterprise user (403)', async () => {
      const res = await upload(await t.signIn('qilu-power'), true, file);
      expect(res.status).toBe(403);
    });

    it('a malformed file gives row errors with codes; a file without the header is refused whole', async () => {
      const bad = [
        '电表编号,时间,电量(kWh)',
        `${METER},${local(day)},abc`,
        `${WC.bareMeter},${local(day)},1`,
        `9999,${local(day)},1`,
        `${METER},not a time,1`,
        `${METER},${local(day + 7 * 60_000)},1`,
      ].join('\n');
      const res = await upload(officer, true, bad);
      const body = (await res.json()) as {
        errors: { row: number; code: string; reason: string }[];
        accepted: number;
        unknownMeters: string[];
      };
      expect(body.errors.map((e) => [e.row, e.code])).toEqual([
        [2, 'bad_energy'],
        [3, 'meter_without_logger'],
        [4, 'unknown_meter'],
        [5, 'bad_time'],
        [6, 'not_quarter_hour'],
      ]);
      expect(body).toMatchObject({ accepted: 0, unknownMeters: ['9999'] });
      const whole = await upload(officer, true, 'a,b\n1,2');
      expect(whole.status).toBe(400);
      expect(await whole.json()).toMatchObject({ error: 'bad_file' });
    });
  });
});
