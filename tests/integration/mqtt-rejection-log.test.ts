/**
 * A flood of bad MQTT messages through the real app (embedded broker, a logger's own credentials):
 * every one is counted, but the log gets the first few per reason and a summary with the count of
 * the rest, not one line each.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';

const MN = '370300NH3000000000000201';
const FLOOD = 300;

interface LogLine {
  msg: string;
  reason?: string;
  logged?: number;
  notLogged?: number;
}

describe('rejected MQTT messages in the log', () => {
  let t: TestApp;
  let logger: MqttClient;
  const dir = mkdtempSync(join(tmpdir(), 'o3-rejlog-'));
  const logFile = join(dir, 'server.log');
  let stopped = false;

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'info' }, { logFile });
    const source = t.config.registry.sources.find((s) => s.mn === MN);
    logger = await mqtt.connectAsync(t.app.mqttUrl, { username: MN, password: source?.mqttPassword, clientId: MN });
  });

  afterAll(async () => {
    if (!stopped) {
      await logger?.endAsync();
      await t?.stop();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs a few lines per reason and sums up the rest, while counting every one', async () => {
    for (let i = 0; i < FLOOD; i++) {
      await logger.publishAsync(dataTopic(MN), `{not json ${i}`, { qos: 1 });
      await logger.publishAsync(dataTopic(MN), JSON.stringify({ cn: '2011', ts: Date.now(), factors: {}, extra: i }), { qos: 1 });
    }
    type Health = { ingest: { rejected: Record<string, number> } };
    const rejected = async () => ((await (await fetch(`${t.baseUrl}/healthz`)).json()) as Health).ingest.rejected;
    await until(
      async () => {
        const r = await rejected();
        return r.invalid_json === FLOOD && r.invalid_payload === FLOOD;
      },
      'every bad message counted',
      60_000,
    );
    stopped = true;
    await logger.endAsync();
    await t.stop(); // writes the summaries of the intervals still open

    const lines = readFileSync(logFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as LogLine);
    for (const reason of ['invalid_json', 'invalid_payload']) {
      const full = lines.filter((l) => l.msg === 'message rejected' && l.reason === reason);
      const summaries = lines.filter((l) => l.msg === 'message rejected: not logged' && l.reason === reason);
      // The flood may span more than one 10 s interval: at most 5 full lines and a summary each.
      expect(full.length).toBeGreaterThanOrEqual(5);
      expect(full.length + summaries.length).toBeLessThanOrEqual(6 * Math.ceil(full.length / 5));
      expect(full.length).toBeLessThan(30);
      expect(summaries.length).toBeGreaterThan(0);
      expect(full.length + summaries.reduce((n, l) => n + (l.notLogged ?? 0), 0)).toBe(FLOOD);
    }
  });
});
