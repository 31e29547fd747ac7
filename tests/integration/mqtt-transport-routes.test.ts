/**
 * The server's MQTT client is a pure transport, on a real Mosquitto: it subscribes to its handlers'
 * filters and hands each message to the first handler that takes the topic (the HJ 212 handler
 * before the JSON catch-all, as app.ts orders them); replies go out through `publish`.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HJ212_TOPIC_FILTER, hj212ReplyTopic, hj212Topic, mnFromHj212Topic } from '../../server/domain/hj212/mqtt-topics';
import { DATA_TOPIC_FILTER, dataTopic } from '../../server/domain/mqtt-contract';
import { MqttTransport, type TopicHandler } from '../../server/ingest/mqtt-transport';
import { createLogger } from '../../server/logger';
import { until } from '../helpers/wait';
import { ownMosquitto } from '../helpers/own-broker';

const broker = ownMosquitto();

const MN = '370300NH3000000000000201';

class Recorder implements TopicHandler {
  readonly seen: string[] = [];
  constructor(
    readonly filter: string,
    private readonly takes: (topic: string) => boolean,
  ) {}
  matches(topic: string): boolean {
    return this.takes(topic);
  }
  handle(topic: string, payload: Buffer): null {
    this.seen.push(`${topic} ${payload.toString()}`);
    return null;
  }
}

describe('MqttTransport dispatches by topic', () => {
  const hj212 = new Recorder(HJ212_TOPIC_FILTER, (t) => mnFromHj212Topic(t) !== undefined);
  const json = new Recorder(DATA_TOPIC_FILTER, () => true);
  let transport: MqttTransport;
  let logger: MqttClient;
  let waits = 0;

  beforeAll(async () => {
    transport = new MqttTransport({ url: broker.url(), clientId: `routes-${Date.now()}` }, createLogger('silent'));
    await transport.start({ handlers: [hj212, json], ready: () => null, onWait: () => void waits++ });
    logger = await mqtt.connectAsync(broker.url(), { clientId: `routes-logger-${Date.now()}` });
  });
  afterAll(async () => {
    await logger?.endAsync();
    await transport?.stop();
  });

  it('hands HJ 212 topics to the HJ 212 handler and data topics to the JSON one; publish reaches the broker', async () => {
    await logger.subscribeAsync(hj212ReplyTopic(MN), { qos: 1 });
    const replies: string[] = [];
    logger.on('message', (topic, payload) => replies.push(`${topic} ${payload.toString()}`));
    await logger.publishAsync(hj212Topic(MN), 'frame', { qos: 1 });
    await logger.publishAsync(dataTopic(MN), 'json', { qos: 1 });
    await logger.publishAsync('sentinel/v1/other', 'stray', { qos: 1 }); // subscribed by neither filter
    await until(() => hj212.seen.length === 1 && json.seen.length === 1, 'both messages handled');
    expect(hj212.seen).toEqual([`${hj212Topic(MN)} frame`]);
    expect(json.seen).toEqual([`${dataTopic(MN)} json`]);
    expect(transport.connected).toBe(true);
    transport.publish(hj212ReplyTopic(MN), 'reply');
    await until(() => replies.length === 1, 'the reply');
    expect(replies).toEqual([`${hj212ReplyTopic(MN)} reply`]);
    expect(waits).toBe(0);
  });
});
