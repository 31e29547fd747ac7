/**
 * `npm start` as an operator runs it (scripts/start.ts in its own Node process, simulators on, a
 * Mosquitto broker of the test's own): the dashboard is built in a child process, so the server
 * process never holds Vite's memory; and SIGTERM stops everything within a generous bound even
 * when the broker is gone and the simulated loggers cannot reconnect (it used to hang for ever,
 * waiting for QoS 1 acknowledgements that could not come).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startMosquitto, type Service } from '../helpers/services';
import { ROOT } from '../helpers/test-app';
import { until } from '../helpers/wait';

const INDEX = join(ROOT, 'dist/client/index.html');
/** Vite alone peaks near 700 MB; the server with 16 simulated loggers stays far below this. */
const MAX_SERVER_PEAK_MB = 450;
const STOP_BOUND_MS = 20_000;

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN) / 1024;
}

describe('npm start: dashboard build and shutdown', () => {
  let mosquitto: Service;
  let child: ChildProcess;
  let output = '';
  let dataDir: string;
  let exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  beforeAll(async () => {
    // An old dashboard build is stale: npm start must rebuild it before the server starts.
    if (existsSync(INDEX)) utimesSync(INDEX, new Date(0), new Date(0));
    mosquitto = await startMosquitto();
    dataDir = mkdtempSync(join(tmpdir(), 'o3-start-'));
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const key of ['INFLUX_URL', 'O3_SKIP_CLIENT_BUILD', 'SIMULATE', 'CONFIG_FILE']) delete env[key];
    child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: ROOT,
      env: {
        ...env,
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
        HJ212_PORT: String(await freePort()),
        MQTT_URL: mosquitto.url,
        DATA_DIR: dataDir,
        SIMULATE_INTERVAL_MS: '1000',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (b: Buffer) => (output = (output + b.toString()).slice(-200_000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    exit = new Promise((res) => child.once('exit', (code, signal) => res({ code, signal })));
    await until(() => output.includes('O3 Sentinel is running') || child.exitCode !== null, 'npm start to come up', 150_000);
    expect(child.exitCode, output).toBeNull();
  }, 180_000);

  afterAll(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await mosquitto.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('built the stale dashboard in another process: the server never held its memory', () => {
    expect(output).toContain('dashboard built into dist/client');
    expect(statSync(INDEX).mtimeMs).toBeGreaterThan(0);
    expect(peakRssMb(child.pid as number)).toBeLessThan(MAX_SERVER_PEAK_MB);
  });

  it('stops on SIGTERM within the bound while its simulated loggers cannot reconnect', async () => {
    await until(() => /"msg":"simulator fleet started"/.test(output), 'the simulators to start', 30_000);
    await mosquitto.halt(true);
    // Loggers notice, keep publishing into a connection that does not come back, and fail to reconnect.
    await until(() => /simulator connection error/.test(output), 'a failed reconnection', 30_000);
    const sentAt = Date.now();
    child.kill('SIGTERM');
    const bounded = await Promise.race([exit, new Promise<'hung'>((r) => setTimeout(() => r('hung'), STOP_BOUND_MS))]);
    expect(bounded, `npm start did not exit within ${STOP_BOUND_MS} ms of SIGTERM:\n${output.slice(-4000)}`).not.toBe('hung');
    expect(bounded).toEqual({ code: 0, signal: null });
    expect(Date.now() - sentAt).toBeLessThan(STOP_BOUND_MS);
    expect(output).toMatch(/"msg":"simulator fleet stopped"/);
  }, 90_000);
});
