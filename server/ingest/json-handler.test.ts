import { describe, expect, it } from 'vitest';
import { DEADLETTER_TOPIC, dataTopic } from '../domain/mqtt-contract';
import type { Reading } from '../domain/reading';
import { sourceSchema } from '../domain/registry';
import { createLogger } from '../logger';
import { IngestStats } from './ingest-stats';
import { JsonMessageHandler } from './json-handler';
import { MqttDeadLetters } from './mqtt-dead-letters';

const MN = '370300NH3000000000000201';
const source = sourceSchema.parse({ mn: MN, enterpriseId: 'zichuan-cement', name: 'n', kind: 'ammonia', lat: 36, lon: 118 });
const NOW = Date.parse('2026-07-01T10:05:00+08:00');
const body = (rtd: unknown) => Buffer.from(JSON.stringify({ cn: '2011', ts: NOW - 60_000, factors: { a21001: { rtd, flag: 'N' } } }));

function setup() {
  const stats = new IngestStats();
  const published: { topic: string; letter: Record<string, unknown> }[] = [];
  const deadLetters = new MqttDeadLetters({
    publish: (topic, payload) => void published.push({ topic, letter: JSON.parse(payload.toString()) as Record<string, unknown> }),
    stats,
    log: createLogger('silent'),
    maxPayloadBytes: 4096,
    now: () => NOW,
  });
  const readings: Reading[] = [];
  const handler = new JsonMessageHandler(
    { maxPayloadBytes: 4096, maxFutureSkewMs: 300_000 },
    {
      lookup: (mn) => (mn === MN ? source : undefined),
      sink: { accept: async (r) => void readings.push(r), ready: () => null },
      stats,
      deadLetters,
      now: () => NOW,
    },
  );
  return { stats, published, deadLetters, readings, handler };
}

describe('the JSON handler and the dead-letter port', () => {
  it('hands a good message to the sink and returns its durability for the PUBACK', async () => {
    const { handler, readings, stats, published } = setup();
    const durable = handler.handle(dataTopic(MN), body(3.2));
    expect(durable).toBeInstanceOf(Promise);
    await durable;
    expect(readings.map((r) => r.mn)).toEqual([MN]);
    expect(stats.accepted).toBe(1);
    expect(published).toEqual([]);
  });

  it('takes any topic and refuses what it cannot decode: counted, and republished on the dead-letter topic', () => {
    const { handler, stats, published, deadLetters } = setup();
    expect(handler.matches()).toBe(true);
    expect(handler.handle('sentinel/v1/x/other', body(3.2))).toBeNull();
    expect(handler.handle(dataTopic(MN), body('high'))).toBeNull();
    expect(stats.rejected).toMatchObject({ bad_topic: 1, invalid_payload: 1 });
    expect(published.map((p) => [p.topic, p.letter.reason, p.letter.topic])).toEqual([
      [DEADLETTER_TOPIC, 'bad_topic', 'sentinel/v1/x/other'],
      [DEADLETTER_TOPIC, 'invalid_payload', dataTopic(MN)],
    ]);
    deadLetters.stop();
  });

  it('dead-letters a reading the store refused as store_refused on its data topic', () => {
    const { stats, published, deadLetters } = setup();
    const reading = { mn: MN, cn: '2011', ts: NOW, factors: {} } as unknown as Reading;
    deadLetters.storeRefused(reading, 'field type conflict');
    expect(stats.rejected.store_refused).toBe(1);
    const mnOf = (payload: unknown) => (JSON.parse(payload as string) as Reading).mn;
    const letters = published.map((p) => [p.letter.reason, p.letter.topic, p.letter.detail, mnOf(p.letter.payload)]);
    expect(letters).toEqual([['store_refused', dataTopic(MN), 'field type conflict', MN]]);
    deadLetters.stop();
  });
});
