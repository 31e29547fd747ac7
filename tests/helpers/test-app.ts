/** Starts the real app for a test: real config loading, temp data dir, free ports, silent logs. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { startApp, startWeb, type RunningApp, type RunningWeb } from '../../server/app';
import { loadConfig, type AppConfig } from '../../server/config';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/domain/events';
import { pino } from 'pino';
import { createLogger } from '../../server/logger';
import { demoAccounts } from '../../server/auth/demo-accounts';
import { TEST_DISTRICTS_FILE, TEST_REGISTRY_FILE } from './fixtures';

export const ROOT = resolve(import.meta.dirname, '../..');
const TEST_INTERNAL_PASSWORD = 'internal-test-secret';

export interface TestApp<A extends RunningWeb = RunningApp> {
  app: A;
  config: AppConfig;
  baseUrl: string;
  /** Credentials of the server's own MQTT identity on the embedded broker (may publish anywhere). */
  mqttAuth: { username: string; password: string };
  /** Signs in as a demo account (default: the duty officer) and returns its session. */
  signIn(username?: string): Promise<ApiSession>;
  stop(): Promise<void>;
}

/** A signed-in user's session: its cookie, and fetch with it (and the app's Origin, as a browser sends). */
export interface ApiSession {
  cookie: string;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** JSON request; resolves status and parsed body. */
  call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

const passwordOf = (username: string): string => {
  const demo = demoAccounts([
    { id: 'qilu-power', name: '' },
    { id: 'zichuan-cement', name: '' },
  ]).find((a) => a.username === username);
  if (!demo) throw new Error(`no demo account "${username}"`);
  return demo.password;
};

/** Signs in over the real login route. */
export async function signIn(baseUrl: string, username: string, password = passwordOf(username)): Promise<ApiSession> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${username} failed: HTTP ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const session: ApiSession = {
    cookie,
    fetch: (path, init = {}) =>
      fetch(`${baseUrl}${path}`, {
        ...init,
        headers: { cookie, origin: baseUrl, ...(init.headers as Record<string, string> | undefined) },
      }),
    async call(method, path, body) {
      const res = await session.fetch(path, {
        method,
        ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : {}) as never };
    },
  };
  return session;
}

/** `logFile`: the server's log lines go there (at LOG_LEVEL, default silent) for the test to read.
 * `now`: the app's clock (tests replaying a day drive it). `dataDir`: reuse one (a restart); the
 * caller then removes it. */
export interface TestAppOptions {
  logFile?: string;
  now?: () => number;
  dataDir?: string;
}

/** env: any of the config's environment overrides (INFLUX_URL, MQTT_URL, …); the registry is the tests'
 * fixture (tests/fixtures/registry-zibo.yaml) and its district outlines unless REGISTRY_FILE and
 * MAP_BOUNDARY_FILE name others. */
export function startTestApp(env: Record<string, string> = {}, opts: TestAppOptions = {}): Promise<TestApp> {
  return startTestRole(startApp, env, opts);
}

/** A `--role web` process (server/app.ts startWeb): `env` must give it DATABASE_URL, REDIS_URL and INFLUX_URL. */
export function startTestWeb(env: Record<string, string>, opts: TestAppOptions = {}): Promise<TestApp<RunningWeb>> {
  return startTestRole(startWeb, { ...env, ROLE: 'web' }, opts);
}

async function startTestRole<A extends RunningWeb>(
  start: (config: AppConfig, log: ReturnType<typeof createLogger>, now?: () => number) => Promise<A>,
  env: Record<string, string>,
  opts: TestAppOptions,
): Promise<TestApp<A>> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'o3-app-'));
  const config = loadConfig(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      MQTT_PORT: '0',
      HJ212_PORT: '0',
      DATA_DIR: dataDir,
      REGISTRY_FILE: TEST_REGISTRY_FILE,
      MAP_BOUNDARY_FILE: TEST_DISTRICTS_FILE,
      LOG_LEVEL: 'silent',
      INFLUX_FLUSH_MS: '20',
      REALTIME_BATCH_MS: '100',
      MQTT_CLIENT_ID: `o3-test-${process.pid}-${Date.now()}`,
      AUTH_DEMO_ACCOUNTS: 'true',
      // The suites sign in as demo accounts and as users an administrator created, to test other
      // things: with the forced password change on, each would first have to replace its password.
      // The forced change has its own suites (password-change, the tenant suite, e2e), which turn it on.
      AUTH_FORCE_PASSWORD_CHANGE: 'false',
      INTERNAL_MQTT_PASSWORD: TEST_INTERNAL_PASSWORD,
      // InfluxDB's retention policies expire points by the real clock, and the suites replay fixed
      // days of 2026 on their own clocks: keep them (tests/integration/retention.test.ts sets its own).
      RETENTION_REALTIME_DAYS: '3650',
      RETENTION_MINUTE_DAYS: '3650',
      ...env,
    },
    ROOT,
  );
  const log = createLogger(config.log.level, false, opts.logFile ? pino.destination({ dest: opts.logFile, sync: true }) : undefined);
  const app = await start(config, log, opts.now);
  const baseUrl = `http://127.0.0.1:${app.httpPort}`;
  return {
    app,
    config,
    baseUrl,
    mqttAuth: { username: config.mqtt.username || 'o3s-ingest', password: TEST_INTERNAL_PASSWORD },
    signIn: (username = 'officer') => signIn(baseUrl, username),
    async stop() {
      await app.stop();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type DashboardSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A dashboard socket signed in with `session` (the officer's when not given). */
export async function connectDashboard(baseUrl: string, session?: ApiSession): Promise<DashboardSocket> {
  const cookie = (session ?? (await signIn(baseUrl, 'officer'))).cookie;
  const socket: DashboardSocket = io(baseUrl, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie } });
  await new Promise<void>((res, rej) => {
    socket.once('state:snapshot', () => res());
    socket.once('connect_error', rej);
  });
  return socket;
}

/** Resolves with the first event for which `match` holds; rejects after `ms`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: DashboardSocket,
  event: E,
  match: (...args: Parameters<ServerToClientEvents[E]>) => boolean,
  ms = 15_000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (socket.off(event, handler as never), reject(new Error(`no matching ${event} within ${ms} ms`))), ms);
    const handler = (...args: Parameters<ServerToClientEvents[E]>) => {
      if (!match(...args)) return;
      clearTimeout(timer);
      socket.off(event, handler as never);
      resolve(args[0]);
    };
    socket.on(event, handler as never);
  });
}
