/**
 * HJ 212 over MQTT through a real Mosquitto: raw frames on sentinel/v1/{mn}/hj212, the same codec
 * and rules as TCP, replies on sentinel/v1/{mn}/hj212/reply. The subscriber here does what the MQTT
 * ingest does for the hj212 topic (README wiring): hand each message to the HJ 212 handler and
 * publish its replies. The simulators speak HJ 212 over MQTT with faults injected.
 */
import { readFileSync } from 'node:fs';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { decodeFrame } from '../../server/domain/hj212/decode';
import { wrapSegment } from '../../server/domain/hj212/encode';
import { HJ212_TOPIC_FILTER, hj212ReplyTopic, hj212Topic } from '../../server/domain/hj212/mqtt-topics';
import { withEffectiveLimits } from '../../server/domain/limit-pack';
import { registrySchema } from '../../server/domain/registry';
import { startFleet } from '../../simulators/fleet';
import { hj212MqttConnector } from '../../simulators/hj212/connectors';
import { limitPack, startHj212Server, type Hj212TestServer } from '../helpers/hj212-harness';
import { TEST_REGISTRY_FILE } from '../helpers/fixtures';
import { until } from '../helpers/wait';
import { ownMosquitto } from '../helpers/own-broker';

const broker = ownMosquitto();

const registry = withEffectiveLimits(registrySchema.parse(parseYaml(readFileSync(TEST_REGISTRY_FILE, 'utf8'))), limitPack);
const NH3 = '370300NH3000000000000201';
const CEMS = '370300CEMS00000000000101';
const BASE = Math.floor(Date.now() / 60_000) * 60_000 - 30 * 60_000;

describe('HJ 212 over MQTT (real Mosquitto)', () => {
  let s: Hj212TestServer;
  let ingestClient: MqttClient;

  beforeAll(async () => {
    s = await startHj212Server({ registry });
    ingestClient = await mqtt.connectAsync(broker.url(), { clientId: `hj212-ingest-${Date.now()}`, clean: true });
    const handler = s.ingest.mqttHandler((topic, bytes) => void ingestClient.publish(topic, Buffer.from(bytes), { qos: 1 }));
    ingestClient.on('message', (topic, payload) => void handler.handle(topic, payload));
    await ingestClient.subscribeAsync(HJ212_TOPIC_FILTER, { qos: 1 });
  });
  afterAll(async () => {
    await ingestClient?.endAsync();
    await s?.stop();
  });

  it('the simulators’ HJ 212 loggers over MQTT, with faults: every reading lands, every upload answered', async () => {
    const sim = hj212MqttConnector({
      url: broker.url(),
      registry,
      faultRate: 0.5,
      faults: ['bad_crc', 'glued', 'legacy_codes', 'wrong_password', 'unknown_mn', 'split_packet'],
      seed: 3,
      replyTimeoutMs: 20_000,
    });
    const fleet = await startFleet({
      url: broker.url(),
      registry,
      intervalMs: 5_000,
      scenario: 'normal',
      seed: 3,
      autoStart: false,
      connect: sim.connect,
      clientIdPrefix: `hj212-sim-${Date.now()}-`,
    });
    try {
      for (let k = 0; k < 3; k++) await fleet.round(BASE + k * 5_000);
      const uploads = registry.sources.length * 3;
      expect(fleet.counters).toEqual({ published: uploads, failed: 0 });
      await until(() => s.readings.length >= uploads, 'every reading durable');
      const landed = new Set(s.readings.map((r) => `${r.mn}|${r.ts}`));
      for (const source of registry.sources) for (let k = 0; k < 3; k++) expect(landed.has(`${source.mn}|${BASE + k * 5_000}`)).toBe(true);
      const { faults } = sim.counters;
      expect(s.ingest.stats.rejected).toMatchObject({
        bad_crc: faults.bad_crc,
        unknown_mn: faults.unknown_mn,
        bad_password: expect.any(Number),
      });
      // Every source has a password: each wrong one is refused with QnRtn=3.
      expect(s.ingest.stats.replies.refusals).toBe(faults.unknown_mn + s.ingest.stats.rejected.bad_password);
      // Every simulated logger that sent as the unknown MN hears that MN's refusals: at least one each.
      expect(sim.counters.refusals).toBeGreaterThanOrEqual(s.ingest.stats.replies.refusals);
      expect(s.ingest.stats.replies.sent).toBe(s.ingest.stats.replies.requested);
    } finally {
      await fleet.stop();
    }
  });

  it('refuses a frame whose MN is not the topic’s, and answers it on the topic’s reply topic', async () => {
    const logger = await mqtt.connectAsync(broker.url(), { clientId: `hj212-logger-${Date.now()}` });
    const replies: string[] = [];
    logger.on('message', (_t, p) => replies.push(p.toString()));
    await logger.subscribeAsync(hj212ReplyTopic(NH3), { qos: 1 });
    const before = s.ingest.stats.rejected.mn_mismatch;
    const frame = wrapSegment(`QN=20260701100000999;ST=31;CN=2011;PW=123456;MN=${CEMS};Flag=5;CP=&&DataTime=20260701100000;a21002-Rtd=1&&`);
    await logger.publishAsync(hj212Topic(NH3), Buffer.from(frame), { qos: 1 });
    await until(() => replies.length === 1, 'the refusal');
    expect(decodeFrame(replies[0]!)).toMatchObject({
      ok: true,
      frame: { cn: '9011', qn: '20260701100000999', cp: { params: { QnRtn: '4' } } },
    });
    expect(s.ingest.stats.rejected.mn_mismatch - before).toBe(1);
    const archived = await s.archive.query({ mn: CEMS, from: Date.now() - 60_000, to: Date.now() + 1, limit: 100 });
    expect(archived.filter((r) => r.verdict === 'mn_mismatch')).toMatchObject([{ transport: 'mqtt', peer: hj212Topic(NH3) }]);
    await logger.endAsync();
  });
});
