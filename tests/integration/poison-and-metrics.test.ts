/**
 * Poison and observability on the real services: a reading InfluxDB refuses for good (a field
 * type conflict) is isolated from its batch and dead-lettered while the rest of the batch is
 * stored; /metrics shows ingest, rejections by reason, refusals and the spool.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEADLETTER_TOPIC, dataTopic } from '../../server/domain/mqtt-contract';
import { InfluxHttp } from '../../server/storage/influx/influx-http';
import { RETENTION_POLICIES, telemetryOf } from '../../server/storage/influx/influx-retention';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { eventually, until } from '../helpers/wait';
import { ownMosquitto } from '../helpers/own-broker';

const broker = ownMosquitto();

const MN = '370300NH3000000000000701';
const T0 = Date.parse('2026-07-02T10:00:00+08:00');

describe('poison readings and /metrics', () => {
  let t: TestApp;
  let logger: MqttClient;
  let watcher: MqttClient;
  let influx: InfluxHttp;
  const letters: { reason: string; detail: string; payload?: string }[] = [];
  const db = `poison_${Date.now()}`;

  beforeAll(async () => {
    influx = new InfluxHttp({ url: inject('influxUrl'), db, timeoutMs: 5_000 });
    t = await startTestApp({
      MQTT_URL: broker.url(),
      INFLUX_URL: inject('influxUrl'),
      INFLUX_DB: db,
      INFLUX_FLUSH_MS: '300',
      METRICS_TOKEN: 'scrape-me',
      INGEST_MAX_PAST_AGE_H: '0',
    }); // readings of a fixed day in July
    // Someone wrote a99999 as text: InfluxDB now refuses numbers in that field (per shard).
    const res = await fetch(`${inject('influxUrl')}/write?db=${db}&rp=${RETENTION_POLICIES['2011']}&precision=ms`, {
      method: 'POST',
      body: `telemetry,mn=OTHER a99999_rtd="text" ${T0 - 1000}`,
    });
    expect(res.status).toBe(204);
    watcher = await mqtt.connectAsync(broker.url());
    await watcher.subscribeAsync(DEADLETTER_TOPIC, { qos: 1 });
    watcher.on('message', (_t, p) => letters.push(JSON.parse(p.toString())));
    logger = await mqtt.connectAsync(broker.url(), { clientId: `poison-${Date.now()}` });
  });
  afterAll(async () => {
    await logger?.endAsync();
    await watcher?.endAsync();
    await t?.stop();
  });

  const scrape = async (token = 'scrape-me') => fetch(`${t.baseUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });

  it('isolates the poison reading, stores the rest of its batch and dead-letters it', async () => {
    const reading = (i: number, factors: object) => JSON.stringify({ cn: '2011', ts: T0 + i * 1000, factors });
    // One batch (300 ms flush): five good readings around one poison reading.
    for (let i = 0; i < 6; i++) {
      const factors = i === 3 ? { a99999: { rtd: 1.5, flag: 'N' } } : { a21001: { rtd: 2 + i / 10, flag: 'N' } };
      await logger.publishAsync(dataTopic(MN), reading(i, factors), { qos: 1 });
    }
    await logger.publishAsync(dataTopic(MN), '{not json', { qos: 1 });
    await until(() => letters.some((l) => l.reason === 'store_refused'), 'the poison reading dead-lettered');
    const poison = letters.find((l) => l.reason === 'store_refused');
    expect(poison?.detail).toMatch(/field type conflict/);
    expect(JSON.parse(poison?.payload ?? '{}')).toMatchObject({ mn: MN, ts: T0 + 3000 });
    const stored = await eventually(async () => {
      const [series = []] = await influx.query(`SELECT count(a21001_rtd) FROM ${telemetryOf('2011')} WHERE mn = '${MN}'`);
      const n = Number(series[0]?.values[0]?.[1] ?? 0);
      return n === 5 ? n : undefined;
    }, 'the five good readings stored');
    expect(stored).toBe(5);
  });

  it('/metrics reports ingest, rejections by reason, refusals and the spool, to the scraper holding the token', async () => {
    expect((await scrape('wrong')).status).toBe(401);
    const res = await scrape();
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    const value = (series: string) => Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('o3s_ingest_accepted_total')).toBe(6);
    expect(value('o3s_ingest_rejected_total{transport="mqtt",reason="invalid_json"}')).toBe(1);
    expect(value('o3s_ingest_rejected_total{transport="mqtt",reason="store_refused"}')).toBe(1);
    expect(value('o3s_store_refused_total')).toBe(1);
    expect(value('o3s_store_written_total')).toBe(5);
    expect(value('o3s_spool_depth')).toBe(0);
    expect(value('o3s_broker_connected')).toBe(1);
    expect(text).toMatch(/^o3s_store_write_duration_seconds_count \d+$/m);
    expect(text).toMatch(/^o3s_process_resident_memory_bytes \d+$/m);
    // The hourly rollup (the readings above are late: their hour closed long ago).
    for (const name of ['hours_written_total', 'hours_from_raw_total', 'late_recomputes_total', 'memory_entries', 'late_queued'])
      expect(text).toMatch(new RegExp(`^o3s_rollup_${name} \\d+$`, 'm'));
  });
});
