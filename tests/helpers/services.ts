/**
 * Starts real InfluxDB (influxd), Mosquitto, PostgreSQL and Redis processes on free loopback ports in
 * temp dirs, for the integration and end-to-end suites and the benchmark. A missing binary is an error that says
 * what to install — never a skipped test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface Service {
  url: string;
  port: number;
  process: ChildProcess;
  dir: string;
  stop(): Promise<void>;
  /** Stops the process (SIGTERM, or SIGKILL when `hard`) and keeps its data dir. */
  halt(hard?: boolean): Promise<void>;
  /** Starts it again on the same port and data. */
  resume(): Promise<void>;
}

/** A service process that can be halted and resumed on the same port and data dir. */
function restartable(url: string, port: number, dir: string, launch: () => Promise<ChildProcess>, first: ChildProcess): Service {
  const service: Service = {
    url,
    port,
    dir,
    process: first,
    stop: async () => (await stopProcess(service.process), rmSync(dir, { recursive: true, force: true })),
    halt: (hard = false) => stopProcess(service.process, hard ? 'SIGKILL' : 'SIGTERM'),
    resume: async () => {
      service.process = await launch();
    },
  };
  return service;
}

const BINARIES = {
  influxd: { paths: ['/usr/bin/influxd', '/usr/local/bin/influxd'], pkg: 'influxdb' },
  mosquitto: { paths: ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto'], pkg: 'mosquitto' },
  postgres: { paths: ['/usr/lib/postgresql/15/bin/postgres'], pkg: 'postgresql' },
  initdb: { paths: ['/usr/lib/postgresql/15/bin/initdb'], pkg: 'postgresql' },
  'redis-server': { paths: ['/usr/bin/redis-server', '/usr/local/bin/redis-server'], pkg: 'redis-server' },
} as const;

export function findBinary(name: keyof typeof BINARIES): string {
  const found = BINARIES[name].paths.find((p) => existsSync(p));
  if (!found) {
    throw new Error(`${name} is not installed: the tests need a real one (apt-get install ${BINARIES[name].pkg}); see .ci/run`);
  }
  return found;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function waitFor(
  check: () => Promise<boolean>,
  what: string,
  proc: ChildProcess,
  log: () => string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${what} exited with code ${proc.exitCode}:\n${log()}`);
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not become ready within ${timeoutMs} ms:\n${log()}`);
}

const canConnect = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = new Socket();
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => (s.destroy(), resolve(false)));
    s.connect(port, '127.0.0.1');
  });

function run(bin: string, args: string[], as?: { uid: number; gid: number }): { proc: ChildProcess; log: () => string } {
  const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], ...as });
  let out = '';
  const keep = (b: Buffer) => (out = (out + b.toString()).slice(-8_000));
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  return { proc, log: () => out };
}

async function stopProcess(proc: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  proc.kill(signal);
  const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export async function startInfluxd(httpPort?: number): Promise<Service> {
  const bin = findBinary('influxd');
  const dir = mkdtempSync(join(tmpdir(), 'o3-influxd-'));
  const [port, rpc] = [httpPort ?? (await freePort()), await freePort()];
  writeFileSync(
    join(dir, 'influxdb.conf'),
    `reporting-disabled = true
bind-address = "127.0.0.1:${rpc}"
[meta]
  dir = "${dir}/meta"
[data]
  dir = "${dir}/data"
  wal-dir = "${dir}/wal"
  query-log-enabled = false
  index-version = "inmem"
[coordinator]
  log-queries-after = "0s"
[http]
  enabled = true
  bind-address = "127.0.0.1:${port}"
  log-enabled = false
  max-body-size = 0
[logging]
  level = "warn"
[monitor]
  store-enabled = false
[continuous_queries]
  enabled = false
[subscriber]
  enabled = false
`,
  );
  const url = `http://127.0.0.1:${port}`;
  const ping = async () => {
    try {
      return (await fetch(`${url}/ping`)).status === 204;
    } catch {
      return false;
    }
  };
  const launch = async () => {
    const { proc, log } = run(bin, ['-config', join(dir, 'influxdb.conf')]);
    await waitFor(ping, 'influxd', proc, log);
    return proc;
  };
  return restartable(url, port, dir, launch, await launch());
}

/**
 * Mosquitto with the settings the product needs in production (README "Production"): a deep
 * per-client queue so a lagging ingest subscriber does not lose QoS 1 readings, and a bounded
 * in-flight window so the broker keeps the backlog in its queue (and a PINGRESP never waits
 * behind it) while ingest applies back-pressure.
 */
export async function startMosquitto(
  port?: number,
  opts: { maxQueuedMessages?: number; maxInflightMessages?: number; sysIntervalS?: number } = {},
): Promise<Service> {
  const bin = findBinary('mosquitto');
  const dir = mkdtempSync(join(tmpdir(), 'o3-mosquitto-'));
  // Started as root, mosquitto drops to its own user, which must be able to write its persistence file.
  chmodSync(dir, 0o777);
  const p = port ?? (await freePort());
  writeFileSync(
    join(dir, 'mosquitto.conf'),
    `listener ${p} 127.0.0.1
allow_anonymous true
persistence true
persistence_location ${dir}/
max_queued_messages ${opts.maxQueuedMessages ?? 1_000_000}
max_inflight_messages ${opts.maxInflightMessages ?? 1000}
${opts.sysIntervalS ? `sys_interval ${opts.sysIntervalS}\n` : ''}log_dest stderr
log_type error
log_type warning
`,
  );
  const launch = async () => {
    const { proc, log } = run(bin, ['-c', join(dir, 'mosquitto.conf')]);
    await waitFor(() => canConnect(p), 'mosquitto', proc, log);
    return proc;
  };
  return restartable(`mqtt://127.0.0.1:${p}`, p, dir, launch, await launch());
}

/** The uid and gid of a system user (from /etc/passwd), or null when there is none. */
function systemUser(name: string): { uid: number; gid: number } | null {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  return uid && gid ? { uid: Number(uid), gid: Number(gid) } : null;
}

async function exitOf(proc: ChildProcess, log: () => string, what: string): Promise<void> {
  const code = await new Promise<number | null>((r) => proc.once('exit', r));
  if (code !== 0) throw new Error(`${what} exited with code ${code}:\n${log()}`);
}

/**
 * PostgreSQL 15 (Debian's postgresql-15): `initdb` into a temp dir (UTF-8, C collation: text sorts by
 * code point as in SQLite; trust authentication on loopback and the socket in that dir only), then
 * `postgres` on a free loopback port, fsync off (test data need not survive a power cut). PostgreSQL
 * refuses to run as root: as root (here and in CI) it runs as the `postgres` system user the Debian
 * package creates. `url` names the `postgres` database as the `postgres` superuser; tests make their
 * own databases in it (tests/helpers/sql-engines.ts). Stopped by its pid: SIGINT (fast shutdown),
 * `halt(true)` SIGQUIT (immediate shutdown: no checkpoint, crash recovery on the next start).
 */
export async function startPostgres(port?: number): Promise<Service> {
  const [postgres, initdb] = [findBinary('postgres'), findBinary('initdb')];
  const dir = mkdtempSync(join(tmpdir(), 'o3-postgres-'));
  const data = join(dir, 'data');
  const as = process.getuid?.() === 0 ? systemUser('postgres') : null;
  if (process.getuid?.() === 0 && !as)
    throw new Error('no postgres system user to run PostgreSQL as (apt-get install postgresql); see .ci/run');
  mkdirSync(data, { mode: 0o700 });
  if (as) for (const d of [dir, data]) chownSync(d, as.uid, as.gid);
  const init = run(
    initdb,
    ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'],
    as ?? undefined,
  );
  await exitOf(init.proc, init.log, 'initdb');
  const p = port ?? (await freePort());
  const url = `postgres://postgres@127.0.0.1:${p}/postgres`;
  const ready = async () => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  const settings = ['listen_addresses=127.0.0.1', `port=${p}`, `unix_socket_directories=${dir}`, 'fsync=off', 'synchronous_commit=off'];
  const more = ['full_page_writes=off', 'max_connections=300', 'log_min_messages=warning', 'log_min_error_statement=panic'];
  const launch = async () => {
    const { proc, log } = run(postgres, ['-D', data, ...[...settings, ...more].flatMap((s) => ['-c', s])], as ?? undefined);
    await waitFor(ready, 'postgres', proc, log);
    return proc;
  };
  const service: Service = {
    url,
    port: p,
    dir,
    process: await launch(),
    stop: async () => (await stopProcess(service.process, 'SIGINT'), rmSync(dir, { recursive: true, force: true })),
    halt: (hard = false) => stopProcess(service.process, hard ? 'SIGQUIT' : 'SIGINT'),
    resume: async () => {
      service.process = await launch();
    },
  };
  return service;
}

/**
 * Redis (Debian redis-server) for the web tier's shared state (socket.io adapter, alert sequences):
 * loopback only, no persistence (no RDB snapshots, no AOF), its working dir a temp dir. A halt loses
 * everything it held, as a Redis restarted without persistence does.
 */
export async function startRedis(port?: number): Promise<Service> {
  const bin = findBinary('redis-server');
  const dir = mkdtempSync(join(tmpdir(), 'o3-redis-'));
  const p = port ?? (await freePort());
  writeFileSync(
    join(dir, 'redis.conf'),
    `bind 127.0.0.1
port ${p}
protected-mode yes
daemonize no
dir ${dir}
save ""
appendonly no
loglevel warning
logfile ""
`,
  );
  const launch = async () => {
    const { proc, log } = run(bin, [join(dir, 'redis.conf')]);
    await waitFor(() => canConnect(p), 'redis-server', proc, log);
    return proc;
  };
  return restartable(`redis://127.0.0.1:${p}`, p, dir, launch, await launch());
}
