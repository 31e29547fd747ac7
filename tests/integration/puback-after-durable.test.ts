/**
 * The ingest acknowledges a QoS 1 message only once the reading is durable, on a real Mosquitto:
 * it takes the next messages meanwhile (group commit), acknowledgements go out in order, and what
 * it has not acknowledged — not yet durable, or a hand-off that failed — the broker delivers again
 * on the ingest's next connection. (The sink stands in for the spool so the test can hold it.)
 * The guard of server/ingest/mqtt-puback-hold.ts, which patches mqtt.js's private _sendPacket.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataTopic } from '../../server/domain/mqtt-contract';
import type { Reading } from '../../server/domain/reading';
import { loadConfig } from '../../server/config';
import { IngestStats } from '../../server/ingest/ingest-stats';
import { JsonMessageHandler } from '../../server/ingest/json-handler';
import { MqttDeadLetters } from '../../server/ingest/mqtt-dead-letters';
import { MqttTransport } from '../../server/ingest/mqtt-transport';
import type { ReadingSink } from '../../server/ingest/reading-sink';
import { createLogger } from '../../server/logger';
import { SourceDirectory } from '../../server/sources/source-directory';
import { RegistryHolder } from '../../server/registry/registry-holder';
import { EventBus } from '../../server/domain/internal-events';
import { ROOT } from '../helpers/test-app';
import { TEST_REGISTRY_FILE } from '../helpers/fixtures';
import { until } from '../helpers/wait';
import { ownMosquitto } from '../helpers/own-broker';

const broker = ownMosquitto();

const MN = '370300NH3000000000000201';
const body = (ts: number) => JSON.stringify({ cn: '2011', ts, factors: { a21001: { rtd: 3.1, flag: 'N' } } });

/** A hand-off the test settles by hand: what the pipeline's spool/store would do. */
class ManualSink implements ReadingSink {
  readonly handed: { reading: Reading; resolve: () => void; reject: (e: Error) => void }[] = [];
  accept(reading: Reading): Promise<void> {
    return new Promise((resolve, reject) => this.handed.push({ reading, resolve, reject }));
  }
  ready(): null {
    return null;
  }
}

describe('PUBACK only after durable hand-off', () => {
  const sink = new ManualSink();
  let ingest: MqttTransport;
  let logger: MqttClient;
  const T0 = Date.parse('2026-07-03T10:00:00+08:00');

  beforeAll(async () => {
    const directory = new SourceDirectory(
      new RegistryHolder(loadConfig({ REGISTRY_FILE: TEST_REGISTRY_FILE }, ROOT).registry, new EventBus()),
    );
    const log = createLogger('silent');
    const stats = new IngestStats();
    const transport = new MqttTransport({ url: broker.url(), clientId: `puback-${Date.now()}` }, log);
    ingest = transport;
    const deadLetters = new MqttDeadLetters({ publish: (t, p) => transport.publish(t, p), stats, log, maxPayloadBytes: 65536 });
    const json = new JsonMessageHandler(
      { maxPayloadBytes: 65536, maxFutureSkewMs: 300_000 },
      { lookup: (mn) => directory.get(mn), sink, stats, deadLetters },
    );
    await ingest.start({ handlers: [json], ready: () => sink.ready() });
    logger = await mqtt.connectAsync(broker.url(), { clientId: `puback-logger-${Date.now()}` });
  });
  afterAll(async () => {
    await logger?.endAsync();
    await ingest?.stop();
  });

  /** Drops the ingest's connection: what it has not acknowledged, the broker delivers again. */
  const dropConnection = () => (ingest as unknown as { client: MqttClient }).client.stream.destroy();

  it('holds each PUBACK until its reading is durable, and in order: unacknowledged ones come again', async () => {
    for (const i of [0, 1, 2]) await logger.publishAsync(dataTopic(MN), body(T0 + i * 1000), { qos: 1 });
    await until(() => sink.handed.length === 3, 'three readings handed over'); // mqtt.js went on without waiting
    sink.handed[1]!.resolve(); // durable, but its PUBACK waits behind the first one's
    await new Promise((r) => setTimeout(r, 200));
    dropConnection();
    await until(() => sink.handed.length === 6, 'the three delivered again after the reconnect', 20_000);
    expect(sink.handed.slice(3).map((h) => h.reading.ts)).toEqual([T0, T0 + 1000, T0 + 2000]);
    for (const h of sink.handed) h.resolve();
    await until(() => ingest.connected, 'connected');
    await new Promise((r) => setTimeout(r, 300)); // the PUBACKs go out
    dropConnection(); // all acknowledged now: nothing comes again
    await new Promise((r) => setTimeout(r, 3_000));
    expect(sink.handed).toHaveLength(6);
  });

  it('a hand-off that fails gets no PUBACK; the broker delivers the message again', async () => {
    const before = sink.handed.length;
    const publish = logger.publishAsync(dataTopic(MN), body(T0 + 10_000), { qos: 1 });
    await until(() => sink.handed.length === before + 1, 'the reading handed over');
    sink.handed[before]!.reject(new Error('disk refused the spool write'));
    await until(() => sink.handed.length === before + 2, 'the same message delivered again', 20_000);
    expect(sink.handed[before + 1]!.reading.ts).toBe(T0 + 10_000);
    sink.handed[before + 1]!.resolve();
    await publish;
  });
});
