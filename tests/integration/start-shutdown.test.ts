/**
 * `npm start` as an operator runs it: the dashboard is built in a child process, so the process
 * that asked for it (the server, in `npm start`) never holds Vite's memory (it peaked at ~900 MB);
 * and scripts/start.ts, in its own Node process with simulators and a Mosquitto of the test's own,
 * stops on SIGTERM within a generous bound even when the broker is gone and the simulated loggers
 * cannot reconnect (it used to hang for ever, waiting for QoS 1 acknowledgements that could not
 * come). The build goes to a temp dir: the shared dist/client stays as the browser tests use it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startMosquitto, type Service } from '../helpers/services';
import { ROOT } from '../helpers/test-app';
import { until } from '../helpers/wait';

/** Vite alone peaks near 700 MB; the process asking for the build stays far below this. */
const MAX_CALLER_PEAK_MB = 300;
const STOP_BOUND_MS = 20_000;

/** Runs `code` (an ES module body) in a fresh Node process with tsx; resolves its exit code and output. */
function runModule(code: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  const args = ['--import', 'tsx', '--input-type=module', '-e', code];
  const proc = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  proc.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  return new Promise((res) => proc.once('exit', (exitCode) => res({ code: exitCode, out })));
}

describe('dashboard build', () => {
  it("runs in its own process: the caller never holds Vite's memory", async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'o3-client-'));
    try {
      const { code, out } = await runModule(
        `import { readFileSync } from 'node:fs';
         const { buildClient } = await import(${JSON.stringify(join(ROOT, 'scripts/client-build.ts'))});
         await buildClient(process.env.OUT_DIR);
         const kb = /^VmHWM:\\s+(\\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
         process.stdout.write('PEAK_MB=' + Number(kb) / 1024 + '\\n');`,
        { ...process.env, OUT_DIR: outDir },
      );
      expect(code, out).toBe(0);
      expect(existsSync(join(outDir, 'index.html'))).toBe(true);
      const peak = Number(/PEAK_MB=([\d.]+)/.exec(out)?.[1]);
      expect(peak).toBeGreaterThan(0);
      expect(peak).toBeLessThan(MAX_CALLER_PEAK_MB);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('npm start: shutdown', () => {
  let mosquitto: Service;
  let child: ChildProcess;
  let output = '';
  let dataDir: string;
  let exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  beforeAll(async () => {
    mosquitto = await startMosquitto();
    dataDir = mkdtempSync(join(tmpdir(), 'o3-start-'));
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const key of ['INFLUX_URL', 'SIMULATE', 'CONFIG_FILE']) delete env[key];
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
        O3_SKIP_CLIENT_BUILD: '1',
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
