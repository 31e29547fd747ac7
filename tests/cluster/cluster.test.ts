/**
 * The cluster suite (issue 15, `npm run test:cluster`): one local cluster for the whole file
 * (tests/helpers/local-cluster.ts, what `npm run cluster:local` starts) — real PostgreSQL, Redis,
 * InfluxDB and a Mosquitto secured with the generated users and ACL; 2 web, 2 ingest and 1 HJ 212
 * gateway processes of the bundled server; the web processes behind a round-robin balancer — and
 * dashboards' sockets (socket.io-client, as the dashboard connects). In order, since each leaves
 * the cluster as the next expects it:
 * a. a reading of a source owned by worker B opens an alert seen on a socket of web process A;
 * b. a web process restarted: its sockets reconnect (through the balancer, to the other) and
 *    replay from their last number, no gap, no snapshot;
 * c. an HJ 212 logger through the gateway gets its 9014 only once the broker holds the frame: none
 *    while the broker is down, then it, and the reading is stored; web process A lists every frame
 *    the gateway heard (the accepted ones archived by their ingest worker, a refused one by the
 *    gateway, all in the shared PostgreSQL archive);
 * d. worker B SIGKILLed under a paced QoS 1 load: every reading the broker acknowledged is stored
 *    once (without starting B again), each worker took each source's readings in order, no source
 *    has two alerts for its one condition, and B's partitions move within 10 s (printed);
 * e. under a paced QoS 1 load worker B joins (A gives half its partitions up) and then A stops
 *    gracefully (SIGTERM): each partition is drained before it moves, so every acknowledged reading
 *    is stored once and judged once (A judged each source's first readings, B the rest, in order).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partitionOf } from '../../server/cluster/partitioning';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { InfluxHttp } from '../../server/storage/influx/influx-http';
import {
  alertsInStore,
  breaks,
  dashboard,
  FACTOR,
  hj212Upload,
  LIMIT_RULE,
  LOADED,
  metricValue,
  PROBES,
  storedInstants,
  writeClusterRegistry,
  type RecordedDashboard,
} from '../helpers/cluster-suite';
import { rawLogger } from '../helpers/hj212-harness';
import { startLocalCluster, type LocalCluster } from '../helpers/local-cluster';
import { SteadyLoad } from '../helpers/steady-load';
import { signIn } from '../helpers/test-app';
import { TEST_DISTRICTS_FILE } from '../helpers/fixtures';
import { until } from '../helpers/wait';
import mqtt from 'mqtt';

const PARTITIONS = 8;
const passwordOf = (mn: string) => [...PROBES, ...LOADED].find((s) => s.mn === mn)?.mqttPassword as string;
/** First arrivals, in arrival order (a redelivery repeats an instant the worker already took). */
const firstArrivals = (ts: number[]) => ts.filter((t, i) => ts.indexOf(t) === i);

describe('a local cluster: 2 web, 2 ingest, 1 HJ 212 gateway on PostgreSQL, Redis, Mosquitto, InfluxDB', () => {
  const dir = mkdtempSync(join(tmpdir(), 'o3-cluster-suite-'));
  let cluster: LocalCluster;
  let influx: InfluxHttp;
  let cookie: string;
  const sockets: RecordedDashboard[] = [];
  /** Each phase's readings carry instants of their own. */
  let clock = Math.floor(Date.now() / 1000) * 1000 - 40 * 60_000;

  /** Publishes one reading of `mn` as its logger (QoS 1: resolves on the broker's PUBACK). */
  const publish = async (mn: string, rtd: number) => {
    const at = (clock += 1000);
    const client = await mqtt.connectAsync(cluster.broker.url, {
      clientId: `probe-${mn}`,
      username: mn,
      password: passwordOf(mn),
      reconnectPeriod: 0,
    });
    await client.publishAsync(dataTopic(mn), JSON.stringify({ cn: '2011', ts: at, factors: { [FACTOR]: { rtd, flag: 'N' } } }), { qos: 1 });
    await client.endAsync();
    return at;
  };
  const owner = (mn: string) => cluster.ingest.find((w) => w.held().has(partitionOf(mn, PARTITIONS)));
  /** A paced QoS 1 load over the load group, every source's readings at t0, t0 + 1 s, … */
  const loadFrom = (t0: number, everyMs: number, prefix: string) =>
    SteadyLoad.start(
      cluster.broker.url,
      LOADED.map((s) => ({ mn: s.mn, factor: FACTOR, value: (i) => 9 + (i % 10) / 10 })),
      everyMs,
      t0,
      { password: passwordOf, clientId: (mn) => `${prefix}-${mn}` },
    );
  /** `rounds` more readings of every loaded source. */
  const rounds = async (load: SteadyLoad, n: number, what: string) => {
    const at = load.total;
    await until(() => load.total >= at + LOADED.length * n, what, 60_000);
  };
  /** The instants the load published for `mn`. */
  const published = (load: SteadyLoad, t0: number, mn: string) => Array.from({ length: load.published.get(mn)! }, (_, i) => t0 + i * 1000);

  /** Every reading the broker acknowledged is in InfluxDB, once; each worker took each source's readings in order; one alert each. */
  const expectStoredOnceInOrder = async (load: SteadyLoad, t0: number, phase: string) => {
    const total = LOADED.reduce((n, s) => n + load.published.get(s.mn)!, 0);
    const count = async () => {
      const byMn = await storedInstants(influx, t0);
      return LOADED.reduce((n, s) => n + (byMn.get(s.mn)?.length ?? 0), 0);
    };
    // Waited for, then compared source by source (a shortfall then names the source and the instants).
    const landed = await until(async () => (await count()) >= total, `every acknowledged reading stored (${total})`, 60_000).then(
      () => true,
      () => false,
    );
    const stored = await storedInstants(influx, t0);
    console.info(`${phase}: ${total} readings acknowledged, all stored: ${landed}`);
    for (const s of LOADED)
      expect(
        [...(stored.get(s.mn) ?? [])].sort((x, y) => x - y),
        s.mn,
      ).toEqual(published(load, t0, s.mn));
    for (const w of cluster.ingest)
      for (const ts of w.readings().values()) expect(firstArrivals(ts)).toEqual([...firstArrivals(ts)].sort((x, y) => x - y));
    // One alert per source for its one condition (the value never went back under the limit).
    const alerts = (await alertsInStore(cluster.databaseUrl, LIMIT_RULE)).filter((r) => LOADED.some((s) => s.mn === r.mn));
    for (const s of LOADED)
      expect(
        alerts.filter((r) => r.mn === s.mn && r.factor === FACTOR),
        s.mn,
      ).toHaveLength(1);
    expect(alerts.every((r) => r.closed_at === null)).toBe(true);
  };

  beforeAll(async () => {
    const started = Date.now();
    cluster = await startLocalCluster({
      partitions: PARTITIONS,
      registryFile: writeClusterRegistry(dir),
      mapBoundaryFile: TEST_DISTRICTS_FILE,
      ingestLogLevel: 'trace',
      env: {
        AUTH_FORCE_PASSWORD_CHANGE: 'false',
        // The product's default: a partition given up holds a few readings taken and not yet written (e).
        INFLUX_FLUSH_MS: '200',
        GATEWAY_REGISTRY_POLL_S: '1',
        HJ212_PASSWORD_GUESSES_PER_MIN: '0',
        // The readings carry instants of the last hour: keep them whatever the retention.
        RETENTION_REALTIME_DAYS: '3650',
        RETENTION_MINUTE_DAYS: '3650',
      },
    });
    console.info(`cluster up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    influx = new InfluxHttp({ url: cluster.influx.url, db: cluster.influxDb, timeoutMs: 10_000 });
    // Signed in on web B: the session is in PostgreSQL, good on every web process.
    cookie = (await signIn(cluster.web[1]!.baseUrl, 'officer', 'officer-demo-2026')).cookie;
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the load group covers every partition and each worker holds half of them', async () => {
    expect(new Set(LOADED.map((s) => partitionOf(s.mn, PARTITIONS))).size).toBe(PARTITIONS);
    // Their logs say so too (read from their pipes, which may trail their /healthz a little).
    await until(() => cluster.ingest.every((w) => w.held().size === PARTITIONS / 2), 'each worker’s log: half the partitions', 10_000);
  });

  it('a: a reading of a source worker B owns opens an alert on a socket of web process A', async () => {
    const [a, b] = [cluster.web[0]!, cluster.ingest[1]!];
    const onA = await dashboard(a.baseUrl, cookie);
    sockets.push(onA);
    const probe = PROBES.find((s) => owner(s.mn) === b);
    expect(probe, 'a probe source in worker B’s partitions').toBeDefined();
    await publish(probe!.mn, 9.6);
    await until(() => onA.opened.includes(probe!.mn), 'the alert on the socket of web A', 20_000);
    // Stored in PostgreSQL by its owner (the alert service writes behind its announcement).
    await until(
      async () => (await alertsInStore(cluster.databaseUrl, LIMIT_RULE)).some((r) => r.mn === probe!.mn),
      'the alert in the store',
    );
    // Its latest values reach web A's source list too (the cluster bus), though A took no reading.
    const latestOnA = async () => {
      const res = await fetch(`${a.baseUrl}/api/sources?mn=${probe!.mn}`, { headers: { cookie } });
      const body = (await res.json()) as { items: { mn: string; latest: { factors: Record<string, { rtd?: number }> } | null }[] };
      return body.items[0]?.latest?.factors[FACTOR]?.rtd;
    };
    await until(async () => (await latestOnA()) === 9.6, 'B’s reading in web A’s source list', 20_000);
  });

  it('b: a web process restarted — its sockets reconnect to the other and replay from their last number, no gap', async () => {
    const [a, b] = [cluster.web[0]!, cluster.web[1]!];
    const watcher = await dashboard(b.baseUrl, cookie);
    const pages = await Promise.all(Array.from({ length: 6 }, () => dashboard(cluster.balancer.url, cookie)));
    sockets.push(watcher, ...pages);
    // A steady stream of alert changes from the workers: every reading over the limit updates its alert.
    const streamed = PROBES.slice(0, 4);
    const load = await SteadyLoad.start(
      cluster.broker.url,
      streamed.map((s) => ({ mn: s.mn, factor: FACTOR, value: (i) => 9 + (i % 10) / 10 })),
      100,
      (clock += 1000),
      { password: passwordOf, clientId: (mn) => `stream-${mn}` },
    );
    await until(() => watcher.seqs.length >= 10, 'the stream to reach the dashboards', 30_000);
    const handedToB = cluster.balancer.handed.get(b.httpPort) ?? 0;
    const before = pages.map((p) => ({ disconnects: p.disconnects.length }));
    await a.restart();
    await until(() => pages.every((p) => p.socket.connected), 'every page connected again', 30_000);
    const seen = watcher.seqs.length;
    await until(() => watcher.seqs.length >= seen + 10, 'more changes after the reconnect', 30_000);
    await load.stop();
    await load.close();
    const last = watcher.seqs.at(-1)!;
    await until(() => pages.every((p) => p.last() === last), 'every page to reach the last change', 20_000);

    const moved = pages.filter((p, i) => p.disconnects.length > before[i]!.disconnects);
    console.info(`web restart: ${moved.length} of ${pages.length} pages were on the restarted process`);
    expect(moved.length).toBeGreaterThan(0);
    // They came back while A was down: through the balancer, to B.
    expect((cluster.balancer.handed.get(b.httpPort) ?? 0) - handedToB).toBeGreaterThanOrEqual(moved.length);
    for (const p of moved) {
      expect(p.disconnects).not.toContain('io server disconnect');
      // One snapshot (the first connect); the reconnect resumed from the number the page held.
      expect(p.snapshots).toHaveLength(1);
      expect(breaks(p.snapshots[0]!, p.seqs)).toEqual([]);
    }
    for (const p of [watcher, ...pages]) expect(breaks(p.snapshots[0]!, p.seqs)).toEqual([]);
  });

  it('c: an HJ 212 logger through the gateway gets its 9014 only once the broker holds the frame; web A lists its frames', async () => {
    const gateway = cluster.gateways[0]!;
    const since = Date.now();
    const src = PROBES[7]!;
    const logger = await rawLogger(cluster.hj212Ports[0]!);
    const answered = () => logger.replies.filter((r) => r.ok && r.frame.cn === '9014').map((r) => (r.ok ? r.frame.qn : ''));
    const stored = async (at: number) => ((await storedInstants(influx, at)).get(src.mn) ?? []).includes(at);

    const first = hj212Upload(src, (clock += 1000), 3.1);
    const firstAt = clock;
    await logger.write(first.frame);
    await logger.waitReplies(1, 20_000);
    expect(answered()).toEqual([first.qn]);
    await until(() => stored(firstAt), 'the first reading in InfluxDB', 20_000);

    await cluster.broker.halt();
    await until(async () => metricValue(await gateway.metrics(), 'o3s_broker_connected') === 0, 'the gateway to lose the broker');
    const held = hj212Upload(src, (clock += 1000), 4.2);
    const heldAt = clock;
    await logger.write(held.frame);
    // The gateway took the frame and owes its 9014 until the broker's PUBACK, which cannot come.
    await until(async () => metricValue(await gateway.metrics(), 'o3s_gateway_pending') === 1, 'the frame to wait for the broker');
    expect(answered()).toEqual([first.qn]);

    await cluster.broker.resume();
    await logger.waitReplies(2, 30_000);
    expect(answered()).toEqual([first.qn, held.qn]);
    await until(() => stored(heldAt), 'the held reading in InfluxDB', 30_000);

    // A refused frame: answered 9011 by the gateway, which archives it itself.
    const refused = hj212Upload({ mn: src.mn, pw: 'WRONGPASSWORD00000000000' }, (clock += 1000), 5.3);
    await logger.write(refused.frame);
    await logger.waitReplies(3, 20_000);
    await logger.close();
    // Every frame the gateway heard is in the archive a web process reads, oldest first, once: a frame
    // the broker delivers again (its PUBACK lost as the broker stopped) is not archived twice.
    const onWebA = async () => {
      const res = await fetch(`${cluster.web[0]!.baseUrl}/api/sources/${src.mn}/frames?from=${since}`, { headers: { cookie } });
      const { items } = (await res.json()) as { items: { verdict: string; frame?: string }[] };
      return items.map((f) => [f.verdict, /QN=(\d+)/.exec(f.frame ?? '')?.[1]]);
    };
    await until(async () => (await onWebA()).length >= 3, 'the gateway’s frames listed on web A', 20_000);
    expect(await onWebA()).toEqual([
      ['accepted', first.qn],
      ['accepted', held.qn],
      ['bad_password', refused.qn],
    ]);
  });

  it('d: worker B SIGKILLed mid-load — every acknowledged reading stored once, in order, one alert per condition, partitions moved within 10 s', async () => {
    const [survivor, b] = [cluster.ingest[0]!, cluster.ingest[1]!];
    await until(
      () => cluster.ingest.every((w) => w.held().size === PARTITIONS / 2),
      'the partitions shared again after the broker restart',
      30_000,
    );
    const theirs = [...b.held()];
    const t0 = (clock += 1000);
    const load = await loadFrom(t0, 15, 'load');
    // Every source's alert opened before the kill: the new owner must carry it on, not open another.
    await until(
      async () => {
        const alerted = new Set((await alertsInStore(cluster.databaseUrl, LIMIT_RULE)).map((r) => r.mn));
        return LOADED.every((s) => alerted.has(s.mn));
      },
      'every loaded source’s alert',
      60_000,
    );
    const killedAt = Date.now();
    await b.kill();
    await until(() => survivor.held().size === PARTITIONS, 'the survivor to hold every partition', 30_000);
    const takeoverMs = survivor.lastAcquiredAt() - killedAt;
    console.info(`SIGKILL → the survivor holds worker B's ${theirs.length} partitions after ${takeoverMs} ms`);
    expect(takeoverMs).toBeLessThanOrEqual(10_000);
    await rounds(load, 10, 'ten more rounds after the kill');
    await load.stop();
    await load.close();
    clock = t0 + Math.max(...load.published.values()) * 1000;
    await expectStoredOnceInOrder(load, t0, 'worker death');
  });

  it('e: worker B joins under load, then worker A stops gracefully — each partition drained: every acknowledged reading stored once and judged once, in order', async () => {
    const [a, b] = [cluster.ingest[0]!, cluster.ingest[1]!];
    expect(a.held().size).toBe(PARTITIONS);
    const logged = a.partitionLog().length;
    const t0 = (clock += 1000);
    const load = await loadFrom(t0, 10, 'drain');
    await rounds(load, 2, 'two rounds on worker A alone');
    await b.restart(); // B joins: A gives half its partitions up, drained
    await cluster.partitionsSettled(30_000);
    await rounds(load, 3, 'three rounds on A and B');
    const stopping = Date.now();
    await a.stop(120_000); // SIGTERM: A drains the rest and lets them go (slow only on a crowded machine)
    console.info(`SIGTERM → worker A drained its ${PARTITIONS / 2} partitions and exited after ${Date.now() - stopping} ms`);
    await until(() => b.held().size === PARTITIONS, 'worker B to hold every partition', 30_000);
    await rounds(load, 2, 'two rounds on B alone');
    await load.stop();
    await load.close();
    clock = t0 + Math.max(...load.published.values()) * 1000;
    await expectStoredOnceInOrder(load, t0, 'hand-overs');
    // Judged once: A judged each source's first readings in order, B the rest in order, none twice.
    const since = (w: typeof a, mn: string) => (w.judged().get(mn) ?? []).filter((t) => t >= t0);
    for (const s of LOADED) expect([...since(a, s.mn), ...since(b, s.mn)], s.mn).toEqual(published(load, t0, s.mn));
    // Each partition A gave up (half as B joined, half at its stop) was drained, none closed at once.
    const drains = a
      .partitionLog()
      .slice(logged)
      .filter((m) => m.includes('drained'));
    expect(drains).toEqual(Array.from({ length: PARTITIONS }, () => 'partition drained'));
  });
});
