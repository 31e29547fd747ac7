/**
 * A message the broker acknowledged and then dropped never reaches ingest: the server watches an
 * external Mosquitto's own count (`$SYS/broker/publish/messages/dropped`) and reports every rise
 * on /healthz, /metrics and as an error in its log. Here a real Mosquitto with a queue of 5 per
 * client drops what an offline persistent subscriber cannot queue.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMosquitto, type Service } from '../helpers/services';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';

interface Health {
  brokerDropped?: { brokerTotal: number | null; droppedSinceStart: number };
}

describe('broker drops', () => {
  let mosquitto: Service;
  let t: TestApp;
  let dir: string;
  const health = async () => (await (await fetch(`${t.baseUrl}/healthz`)).json()) as Health;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'o3-drops-'));
    mosquitto = await startMosquitto(undefined, { maxQueuedMessages: 5, sysIntervalS: 1 });
    t = await startTestApp({ MQTT_URL: mosquitto.url, LOG_LEVEL: 'info' }, { logFile: join(dir, 'server.log') });
  });
  afterAll(async () => {
    await t?.stop();
    await mosquitto?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts what the broker dropped while the server watched it, and says so in the log', async () => {
    await until(async () => (await health()).brokerDropped?.brokerTotal !== null, 'the broker reported its count', 10_000);
    expect((await health()).brokerDropped?.droppedSinceStart).toBe(0);

    // A persistent subscriber goes away; the broker queues 5 messages for it and drops the rest.
    const laggard = await mqtt.connectAsync(mosquitto.url, { clientId: `laggard-${process.pid}`, clean: false });
    await laggard.subscribeAsync('lag/#', { qos: 1 });
    await laggard.endAsync();
    const publisher = await mqtt.connectAsync(mosquitto.url, { clientId: `pub-${process.pid}` });
    for (let i = 0; i < 20; i++) await publisher.publishAsync('lag/x', `m${i}`, { qos: 1 });
    await publisher.endAsync();

    await until(async () => (await health()).brokerDropped?.droppedSinceStart === 15, 'the server saw 15 dropped', 10_000);
    const metrics = await (await fetch(`${t.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^o3s_broker_dropped_total 15$/m);
    const errors = readFileSync(join(dir, 'server.log'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"level":50') && l.includes('the broker dropped messages'));
    expect(errors).toHaveLength(1);
    expect(JSON.parse(errors[0]!)).toMatchObject({ dropped: 15, droppedSinceStart: 15 });
  });
});
