/**
 * A local cluster of the product on real engines (issue 15 item 5), for `npm run cluster:local`
 * and the cluster test suite (tests/cluster/): PostgreSQL, Redis, InfluxDB and a Mosquitto secured
 * as `npm run broker:credentials -- --partitions` makes it (loggers, the ingest user, a partition
 * user per partition, the gateways' users, the generated ACL) on free loopback ports in temp dirs
 * (tests/helpers/services.ts), then the product's processes in their roles
 * (tests/helpers/product-process.ts): web ×N behind a round-robin TCP balancer
 * (tests/helpers/tcp-balancer.ts), ingest workers ×N owning the partitions, HJ 212 gateways ×N.
 * Plain code, no test runner inside: the script and the tests share it.
 *
 * The web processes get no MQTT_URL and no HJ 212 listener: they take no readings (the web role
 * of the finished design has no intake; until it lands, `--role web` runs the whole app, and
 * given MQTT_URL it would read every source with the ingest user beside the workers). Their
 * embedded broker (MQTT_PORT 0) stays empty.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { maxPacketBytes } from '../../server/broker/packet-size-guard';
import { loadConfig } from '../../server/config';
import type { Registry } from '../../server/domain/registry';
import { bundledServer, ProductProcess, ROOT, type ProductProcessOptions } from './product-process';
import { startSecuredMosquitto, type SecuredMosquitto } from './secured-mosquitto';
import { freePort, startInfluxd, startPostgres, startRedis, type Service } from './services';
import { startTcpBalancer, type TcpBalancer } from './tcp-balancer';
import { until } from './wait';

export interface LocalClusterOptions {
  web?: number;
  ingest?: number;
  gateways?: number;
  /** cluster.partitions (default the product's 64). */
  partitions?: number;
  /** The registry the first process seeds into PostgreSQL (default config/registry.yaml, the demo). */
  registryFile?: string;
  /** The district outlines of that registry (default the config's). */
  mapBoundaryFile?: string;
  /** Log level of every process (default warn; ingest workers at trace list every reading they take). */
  logLevel?: string;
  ingestLogLevel?: string;
  /** More environment for every process (the config's variables). */
  env?: Record<string, string>;
  /** Bundle the server (default) or run it under tsx. */
  bundle?: boolean;
  /** The balancer's port (default a free one). */
  balancerPort?: number;
  echo?: ProductProcessOptions['echo'];
  /** Told each step as it starts. */
  progress?: (step: string) => void;
}

export interface MqttUser {
  username: string;
  password: string;
}

export interface LocalCluster {
  dir: string;
  registry: Registry;
  partitions: number;
  postgres: Service;
  /** The cluster's database (DATABASE_URL of every process). */
  databaseUrl: string;
  redis: Service;
  influx: Service;
  influxDb: string;
  broker: SecuredMosquitto;
  /** The ingest user (may read and publish every topic: the simulators can use it). */
  ingestUser: MqttUser;
  gatewayUsers: MqttUser[];
  web: ProductProcess[];
  ingest: ProductProcess[];
  gateways: ProductProcess[];
  /** HJ 212 port of each gateway (loggers connect there). */
  hj212Ports: number[];
  balancer: TcpBalancer;
  /** Every process, for printing and stopping. */
  processes(): ProductProcess[];
  /** Waits until the live ingest workers hold every partition between them. */
  partitionsSettled(ms?: number): Promise<void>;
  stop(): Promise<void>;
}

const secret = () => randomBytes(12).toString('hex');
const INFLUX_DB = 'o3s';

type Stoppable = { stop(): Promise<void> };

/** Partitions an ingest worker holds, by its /healthz. */
export async function ownedPartitions(worker: ProductProcess): Promise<number> {
  const res = await fetch(`${worker.baseUrl}/healthz`).catch(() => null);
  if (!res || res.status !== 200) return 0;
  const body = (await res.json()) as { partitions?: { owned: number } };
  return body.partitions?.owned ?? 0;
}

async function createDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

interface Engines {
  postgres: Service;
  databaseUrl: string;
  redis: Service;
  influx: Service;
  broker: SecuredMosquitto;
  ingestUser: MqttUser;
  gatewayUsers: MqttUser[];
}

/** PostgreSQL (with the cluster's database), Redis, InfluxDB and the secured Mosquitto, side by side. */
async function startEngines(registry: Registry, partitions: number, gateways: number, started: Stoppable[]): Promise<Engines> {
  const ingestUser = { username: 'o3s-ingest', password: secret() };
  const gatewayUsers = Array.from({ length: gateways }, (_, i) => ({ username: `gw-${i + 1}`, password: secret() }));
  const engines = await Promise.allSettled([
    startPostgres(),
    startRedis(),
    startInfluxd(),
    startSecuredMosquitto(registry.sources, ingestUser, maxPacketBytes(65_536), gatewayUsers, partitions),
  ]);
  for (const e of engines) if (e.status === 'fulfilled') started.push(e.value);
  const failed = engines.find((e) => e.status === 'rejected');
  if (failed) throw failed.reason;
  const [postgres, redis, influx, broker] = engines.map((e) => (e as PromiseFulfilledResult<unknown>).value) as [
    Service,
    Service,
    Service,
    SecuredMosquitto,
  ];
  const databaseUrl = await createDatabase(postgres.url, 'o3s');
  return { postgres, databaseUrl, redis, influx, broker, ingestUser, gatewayUsers };
}

/** What each role is given (besides its name, port and data dir). */
function roleEnvironments(e: Engines, opts: LocalClusterOptions, files: Record<string, string>, partitions: number) {
  const shared = {
    HOST: '127.0.0.1',
    DATABASE_URL: e.databaseUrl,
    INFLUX_URL: e.influx.url,
    INFLUX_DB: INFLUX_DB,
    CLUSTER_PARTITIONS: String(partitions),
    LOG_LEVEL: opts.logLevel ?? 'warn',
    SIMULATE: 'false',
    AUTH_DEMO_ACCOUNTS: 'true',
    INTERNAL_MQTT_PASSWORD: secret(),
    ...files,
    ...opts.env,
  };
  return {
    web: { ...shared, REDIS_URL: e.redis.url, MQTT_PORT: '0', HJ212_ENABLED: 'false' },
    ingest: {
      ...shared,
      MQTT_URL: e.broker.url,
      MQTT_USERNAME: e.ingestUser.username,
      MQTT_PASSWORD: e.ingestUser.password,
      REDIS_URL: e.redis.url,
      HJ212_ENABLED: 'false',
      ...(opts.ingestLogLevel ? { LOG_LEVEL: opts.ingestLogLevel } : {}),
    },
    gateway: (user: MqttUser, hj212Port: number) => ({
      ...shared,
      MQTT_URL: e.broker.url,
      MQTT_USERNAME: user.username,
      MQTT_PASSWORD: user.password,
      HJ212_PORT: String(hj212Port),
      HJ212_HOST: '127.0.0.1',
    }),
  };
}

/** Until the live workers hold every partition between them, none above its fair share. */
async function partitionsSettled(ingest: readonly ProductProcess[], partitions: number, ms = 60_000): Promise<void> {
  await until(
    async () => {
      const live = ingest.filter((w) => w.alive);
      const held = await Promise.all(live.map(ownedPartitions));
      const share = Math.ceil(partitions / Math.max(1, live.length));
      return held.reduce((a, b) => a + b, 0) === partitions && held.every((h) => h <= share);
    },
    `the ingest workers to share the ${partitions} partitions`,
    ms,
  );
}

export async function startLocalCluster(opts: LocalClusterOptions = {}): Promise<LocalCluster> {
  const say = opts.progress ?? (() => undefined);
  const [webCount, ingestCount, gatewayCount] = [opts.web ?? 2, opts.ingest ?? 2, opts.gateways ?? 1];
  const partitions = opts.partitions ?? 64;
  const dir = mkdtempSync(join(tmpdir(), 'o3-cluster-'));
  const started: Stoppable[] = [];
  const stop = async () => {
    for (let s = started.pop(); s; s = started.pop()) await s.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const files: Record<string, string> = {
      ...(opts.registryFile ? { REGISTRY_FILE: opts.registryFile } : {}),
      ...(opts.mapBoundaryFile ? { MAP_BOUNDARY_FILE: opts.mapBoundaryFile } : {}),
    };
    const { registry } = loadConfig(files, ROOT);
    const bundle = opts.bundle === false ? undefined : (say('bundling the server (dist/server/main.mjs)'), await bundledServer());
    say('starting PostgreSQL, Redis, InfluxDB and Mosquitto');
    const engines = await startEngines(registry, partitions, gatewayCount, started);
    const envs = roleEnvironments(engines, opts, files, partitions);

    const processes: ProductProcess[] = [];
    const spawnRole = async (name: string, role: ProductProcessOptions['role'], env: Record<string, string>) => {
      mkdirSync(join(dir, name), { recursive: true });
      const p = new ProductProcess(name, {
        role,
        httpPort: await freePort(),
        env: { ...env, DATA_DIR: join(dir, name) },
        ...(bundle ? { bundle } : {}),
        ...(opts.echo ? { echo: opts.echo } : {}),
      });
      processes.push(p);
      started.push(p);
      return p;
    };
    // The first web process alone: it migrates the database and seeds the registry and the accounts.
    say('starting web-1 (it migrates and seeds the database)');
    const web = [await spawnRole('web-1', 'web', envs.web)];
    await web[0]!.ready();
    say(`starting ${webCount - 1} more web, ${ingestCount} ingest and ${gatewayCount} gateway process(es)`);
    for (let i = 2; i <= webCount; i++) web.push(await spawnRole(`web-${i}`, 'web', envs.web));
    const ingest: ProductProcess[] = [];
    for (let i = 1; i <= ingestCount; i++) ingest.push(await spawnRole(`ingest-${i}`, 'ingest', envs.ingest));
    const gateways: ProductProcess[] = [];
    const hj212Ports: number[] = [];
    for (const [i, user] of engines.gatewayUsers.entries()) {
      hj212Ports.push(await freePort());
      gateways.push(await spawnRole(`gateway-${i + 1}`, 'gateway', envs.gateway(user, hj212Ports[i]!)));
    }
    await Promise.all(processes.map((p) => p.ready()));
    const balancer = await startTcpBalancer(
      web.map((w) => w.httpPort),
      opts.balancerPort,
    );
    started.push(balancer);
    say('waiting for the ingest workers to share the partitions');
    await partitionsSettled(ingest, partitions);
    return {
      ...engines,
      dir,
      registry,
      partitions,
      influxDb: INFLUX_DB,
      web,
      ingest,
      gateways,
      hj212Ports,
      balancer,
      processes: () => [...processes],
      partitionsSettled: (ms) => partitionsSettled(ingest, partitions, ms),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
