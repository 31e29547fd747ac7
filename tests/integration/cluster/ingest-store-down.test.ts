/**
 * An ingest worker (`--role ingest`) whose InfluxDB refuses every write (a proxy answering HTTP 500,
 * as an overloaded or failing InfluxDB does), on the run's real PostgreSQL, a Mosquitto of this file
 * and the real InfluxDB behind the proxy. A worker acknowledges a reading to the broker only once
 * InfluxDB has it, and keeps no spool: while the store refuses, its PUBACKs are held, it stops taking
 * messages at `ingest.maxBufferedReadings` (the intake's `ready()`), and the broker keeps the rest in
 * the partitions' sessions. When the store comes back, every reading published is stored once, in
 * order. A worker killed while its store refused leaves nothing behind: a new worker on a fresh data
 * dir gets every reading it had taken, from the broker.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { partitionOf } from '../../../server/cluster/partitioning';
import { dataTopic } from '../../../server/domain/mqtt-contract';
import { InfluxHttp } from '../../../server/storage/influx/influx-http';
import { telemetryOf } from '../../../server/storage/influx/influx-retention';
import { TEST_DISTRICTS_FILE } from '../../helpers/fixtures';
import { startInfluxProxy, type InfluxProxy } from '../../helpers/influx-proxy';
import { IngestWorkerProcess } from '../../helpers/ingest-workers';
import { freePort, startMosquitto, type Service } from '../../helpers/services';
import { freshPgDatabase } from '../../helpers/sql-engines';
import { until } from '../../helpers/wait';

const PARTITIONS = 4;
const SOURCES = Array.from({ length: 20 }, (_, i) => ({
  mn: `370300CEMS0000000000${String(i + 101).padStart(4, '0')}`,
  enterpriseId: 'store-down-test',
  name: `排口${i + 1}`,
  kind: 'cems',
  lat: 36.8,
  lon: 118.05,
  intervalS: 30,
  pw: `STOREDOWNPW${String(i + 1).padStart(4, '0')}`,
}));
/** Readings a worker holds in memory before its intake stops taking (INGEST_MAX_BUFFERED, the least allowed). */
const MAX_BUFFERED = 100;

describe('an ingest worker whose InfluxDB refuses writes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'o3-store-down-'));
  const db = `o3_store_down_${process.pid}_${Date.now()}`;
  const T0 = Math.floor(Date.now() / 1000) * 1000 - 10 * 60_000;
  let database: Awaited<ReturnType<typeof freshPgDatabase>>;
  let broker: Service;
  let proxy: InfluxProxy;
  let influx: InfluxHttp;
  let publisher: MqttClient;
  let env: Record<string, string>;
  const workers: IngestWorkerProcess[] = [];
  let round = 0;

  const worker = async (name: string) => {
    const w = new IngestWorkerProcess(name, await freePort(), { ...env, DATA_DIR: join(dir, name) });
    workers.push(w);
    await w.ready();
    await until(() => w.held().size === PARTITIONS, `${name} holds every partition`, 30_000);
    return w;
  };
  /** Rounds up to `last`: one reading of every source at T0 + round s, each acknowledged by the broker. */
  const publishUntil = async (last: number) => {
    while (round < last) {
      const ts = T0 + ++round * 1000;
      const body = JSON.stringify({ cn: '2011', ts, factors: { a21026: { rtd: round, flag: 'N' } } });
      await Promise.all(SOURCES.map((s) => publisher.publishAsync(dataTopic(s.mn), body, { qos: 1 })));
    }
  };
  /** The instants stored per source, oldest first. */
  const stored = async () => {
    const [series = []] = await influx.query(`SELECT a21026_rtd, mn FROM ${telemetryOf('2011')} WHERE time >= ${T0}ms`);
    const byMn = new Map<string, number[]>();
    for (const s of series)
      for (const [time, , mn] of s.values) byMn.set(mn as string, [...(byMn.get(mn as string) ?? []), time as number]);
    return byMn;
  };
  const count = async () => [...(await stored()).values()].reduce((n, l) => n + l.length, 0);
  /** Every source has each round up to `last` once, and nothing else. */
  const expectStoredOnce = async (last: number) => {
    const inStore = await stored();
    const rounds = Array.from({ length: last }, (_, i) => T0 + (i + 1) * 1000);
    for (const s of SOURCES) expect([...(inStore.get(s.mn) ?? [])].sort((x, y) => x - y)).toEqual(rounds);
  };
  /** What the worker took while its store refused: bounded by MAX_BUFFERED, one more per partition session. */
  const expectHeldBack = async (w: IngestWorkerProcess, takenBefore: number) => {
    await until(
      async () => {
        const h = await w.health();
        return h.writer.retries >= 3 && h.ingest.backpressureWaits > 0;
      },
      'the writer retrying and the intake paused',
      60_000,
    );
    const h = await w.health();
    expect(h.ingest.accepted - takenBefore).toBeGreaterThanOrEqual(MAX_BUFFERED);
    expect(h.ingest.accepted - takenBefore).toBeLessThanOrEqual(MAX_BUFFERED + PARTITIONS);
    expect(h.writer.buffered).toBe(h.ingest.accepted - takenBefore);
    expect(h.spool.depth).toBe(0); // an ingest worker keeps no spool
  };

  beforeAll(async () => {
    database = await freshPgDatabase();
    const registryFile = join(dir, 'registry.yaml');
    writeFileSync(
      registryFile,
      JSON.stringify({ enterprises: [{ id: 'store-down-test', name: '存储故障测试企业', district: '张店区' }], sources: SOURCES }),
    );
    broker = await startMosquitto();
    proxy = await startInfluxProxy(inject('influxUrl'));
    influx = new InfluxHttp({ url: inject('influxUrl'), db, timeoutMs: 5_000 });
    env = {
      DATABASE_URL: database.url,
      MQTT_URL: broker.url,
      CLUSTER_USERNAME_PER_PARTITION: 'false', // this file's Mosquitto is anonymous
      INFLUX_URL: proxy.url,
      INFLUX_DB: db,
      INFLUX_FLUSH_MS: '20',
      INGEST_MAX_BUFFERED: String(MAX_BUFFERED),
      CLUSTER_PARTITIONS: String(PARTITIONS),
      HOST: '127.0.0.1',
      HJ212_ENABLED: 'false',
      REGISTRY_FILE: registryFile,
      MAP_BOUNDARY_FILE: TEST_DISTRICTS_FILE,
      RETENTION_REALTIME_DAYS: '3650',
      RETENTION_MINUTE_DAYS: '3650',
    };
    publisher = await mqtt.connectAsync(broker.url, { clean: true, reconnectPeriod: 0 });
  }, 60_000);
  afterAll(async () => {
    await publisher?.endAsync();
    await Promise.all(workers.map((w) => w.stop()));
    await proxy?.close();
    await broker?.stop();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the sources cover every partition (the test needs them)', () => {
    expect(new Set(SOURCES.map((s) => partitionOf(s.mn, PARTITIONS))).size).toBe(PARTITIONS);
  });

  it('holds its PUBACKs and stops taking while the store refuses; nothing is lost when it comes back', async () => {
    const w = await worker('w1');
    await publishUntil(5);
    await until(async () => (await count()) === 5 * SOURCES.length, 'the first rounds stored', 30_000);
    const takenBefore = (await w.health()).ingest.accepted;

    proxy.refuse(true);
    await publishUntil(30); // 500 more, every one acknowledged by the broker
    await expectHeldBack(w, takenBefore);
    expect(await count()).toBe(5 * SOURCES.length); // none of them written

    proxy.refuse(false);
    await until(async () => (await count()) === 30 * SOURCES.length, 'every reading stored once the store is back', 60_000);
    await expectStoredOnce(30);
    for (const ts of w.readings().values()) expect(ts).toEqual([...ts].sort((x, y) => x - y));
  }, 180_000);

  it('a worker killed while its store refused leaves nothing behind: the next one gets it from the broker', async () => {
    const [first] = workers;
    const takenBefore = (await first!.health()).ingest.accepted;
    proxy.refuse(true);
    await publishUntil(50);
    await expectHeldBack(first!, takenBefore);
    await first!.kill();

    proxy.refuse(false);
    const next = await worker('w2'); // a fresh data dir: nothing of the first worker's
    await until(async () => (await count()) === 50 * SOURCES.length, 'every reading stored by the next worker', 60_000);
    await expectStoredOnce(50);
    // It got the readings the first worker had taken (and never acknowledged) again, in order.
    const retaken = (mn: string) => (first!.readings().get(mn) ?? []).filter((ts) => ts > T0 + 30_000);
    for (const s of SOURCES) {
      const theirs = next.readings().get(s.mn) ?? [];
      expect(theirs).toEqual([...theirs].sort((x, y) => x - y));
      for (const ts of retaken(s.mn)) expect(theirs).toContain(ts);
    }
  }, 180_000);
});
