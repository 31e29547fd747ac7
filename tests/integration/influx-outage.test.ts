/**
 * Every write survives InfluxDB trouble: HTTP 500s from the server (the failure that makes the
 * `influx` npm client bench its only host for 10 s and drop writes), and a server that is not up
 * yet. Real influxd; the 500s come from a real HTTP proxy in front of it.
 */
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import mqtt from 'mqtt';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { dataTopic } from '../../server/domain/mqtt-contract';
import type { Reading } from '../../server/domain/reading';
import { createLogger } from '../../server/logger';
import { BatchWriter } from '../../server/storage/batch-writer';
import { InfluxTelemetryStore } from '../../server/storage/influx/influx-telemetry-store';
import { influxRetentionOf } from '../../server/storage/influx/influx-retention';
import { startInfluxProxy } from '../helpers/influx-proxy';
import { freePort, startInfluxd } from '../helpers/services';
import { startTestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';
import { ownMosquitto } from '../helpers/own-broker';

const broker = ownMosquitto();

const log = createLogger('silent');
const MN = '370300NH3000000000000201';
const T0 = Date.parse('2026-07-01T10:00:00+08:00');
const readings = (n: number, from = 0): Reading[] =>
  Array.from({ length: n }, (_, i) => ({
    mn: MN,
    enterpriseId: 'zichuan-cement',
    kind: 'ammonia',
    cn: '2011',
    ts: T0 + (from + i) * 1000,
    factors: { a21001: { rtd: i % 10, flag: 'N' } },
  }));

async function count(store: InfluxTelemetryStore): Promise<number> {
  const [series = []] = await store.http.query(`SELECT count(a21001_rtd) FROM telemetry WHERE mn = '${MN}'`);
  return (series[0]?.values[0]?.[1] as number | undefined) ?? 0;
}

describe('BatchWriter on InfluxDB trouble', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('retries through HTTP 500s and loses no reading', async () => {
    const db = `outage500_${Date.now()}`;
    const proxy = await startInfluxProxy(inject('influxUrl'));
    proxy.refuse(3);
    cleanup.push(() => proxy.close());
    const store = new InfluxTelemetryStore({ url: proxy.url, db, timeoutMs: 5_000, createDb: true });
    await store.init();
    const writer = new BatchWriter(store, { batchSize: 100, flushIntervalMs: 10, retryMinMs: 10, retryMaxMs: 50 }, log);
    await Promise.all(readings(1000).map((r) => writer.write(r)));
    expect(proxy.writes.refused).toBe(3);
    expect(writer.stats).toMatchObject({ written: 1000, retries: 3, refused: 0, buffered: 0 });
    expect(await count(store)).toBe(1000);
  });

  it('holds readings while InfluxDB is down and writes them once it is up', async () => {
    const port = await freePort();
    const store = new InfluxTelemetryStore({ url: `http://127.0.0.1:${port}`, db: 'late', timeoutMs: 2_000, createDb: true });
    const writer = new BatchWriter(store, { batchSize: 50, flushIntervalMs: 10, retryMinMs: 20, retryMaxMs: 200 }, log);
    const done = Promise.all(readings(500).map((r) => writer.write(r)));
    while (writer.stats.retries < 3) await new Promise((r) => setTimeout(r, 20));
    const influx = await startInfluxd(port);
    cleanup.push(() => influx.stop());
    await store.init();
    await done;
    expect(writer.stats).toMatchObject({ written: 500, refused: 0, buffered: 0 });
    expect(await count(store)).toBe(500);
  });

  it('the server starts while InfluxDB is down: /readyz answers 503, then 200 once it is up', async () => {
    // The port stays ours until influxd takes it (a bare free port could go to another test's server
    // meanwhile, which would answer the ping): connections to it are cut at once, as to a dead store.
    const holder = createNetServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    const t = await startTestApp({
      INFLUX_URL: `http://127.0.0.1:${port}`,
      INFLUX_DB: 'ready',
      MQTT_URL: broker.url(),
      INGEST_MAX_PAST_AGE_H: '0', // readings of a fixed day in July
    });
    cleanup.push(() => t.stop());
    const ready = async () => {
      const res = await fetch(`${t.baseUrl}/readyz`);
      return { status: res.status, body: await res.json() };
    };
    expect(await ready()).toEqual({ status: 503, body: { ready: false, store: 'down', broker: 'connected' } });
    const logger = await mqtt.connectAsync(broker.url());
    await logger.publishAsync(dataTopic(MN), JSON.stringify({ cn: '2011', ts: T0, factors: { a21001: { rtd: 4.2, flag: 'N' } } }), {
      qos: 1,
    });
    await logger.endAsync();
    await new Promise((resolve) => holder.close(resolve));
    const influx = await startInfluxd(port);
    cleanup.push(() => influx.stop());
    expect(await ready()).toEqual({ status: 200, body: { ready: true, store: 'up', broker: 'connected' } });
    // The database is created by the background retry; the reading taken while it was down lands.
    const retention = influxRetentionOf(t.config.retention);
    const store = new InfluxTelemetryStore({ url: `http://127.0.0.1:${port}`, db: 'ready', timeoutMs: 2_000, createDb: false, retention });
    const stored = async () =>
      (await store.series({ mn: MN, cn: '2011', factor: 'a21001', from: T0, to: T0 + 1 }).catch(() => [])).length > 0;
    await until(stored, 'the reading taken during the outage', 20_000);
  });
});
