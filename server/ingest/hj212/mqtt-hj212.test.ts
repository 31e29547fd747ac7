import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../domain/hj212/decode';
import { wrapSegment } from '../../domain/hj212/encode';
import { sourceSchema } from '../../domain/registry';
import { createLogger } from '../../logger';
import { openRawArchive } from '../../storage/sql/raw-frame-archive';
import type { Reading } from '../../domain/reading';
import { Hj212Ingest } from './hj212-ingest';

const MN = '370300NH3000000000000201';
const source = sourceSchema.parse({ mn: MN, enterpriseId: 'zichuan-cement', name: 'n', kind: 'ammonia', lat: 36, lon: 118, pw: 'pw-0001' });
const NOW = Date.parse('2026-07-01T10:05:00+08:00');
const lookup = (mn: string) => (mn === MN ? source : undefined);
const frame = (qn: string, mn = MN) =>
  wrapSegment(`QN=${qn};ST=31;CN=2011;PW=pw-0001;MN=${mn};Flag=5;CP=&&DataTime=20260701100000;a21001-Rtd=3.2&&`);
const glue = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const topic = `sentinel/v1/${MN}/hj212`;

describe('HJ 212 over MQTT', () => {
  it('the handler stores, archives and publishes the 9014 on the reply topic', async () => {
    const readings: Reading[] = [];
    const archive = await openRawArchive(':memory:', createLogger('silent'), { flushIntervalMs: 1 });
    const ingest = new Hj212Ingest(
      { tcp: null, maxPayloadBytes: 2048, utcOffsetMinutes: 480, maxFutureSkewMs: 300_000, splitTimeoutMs: 1000, replyRefusals: true },
      {
        lookup,
        sink: { accept: async (r) => void readings.push(r), ready: () => null },
        archive,
        log: createLogger('silent'),
        now: () => NOW,
      },
    );
    const published: [string, string][] = [];
    const handler = ingest.mqttHandler((t, p) => published.push([t, new TextDecoder().decode(p)]));
    expect([topic, `sentinel/v1/${MN}/data`, `sentinel/v1/${MN}/hj212/reply`].map((t) => handler.matches(t))).toEqual([true, false, false]);
    await handler.handle(topic, glue(frame('1'), frame('2')));
    await handler.handle(`sentinel/v1/x/hj212/extra`, frame('3'));
    expect(readings).toHaveLength(2);
    expect(
      published.map(([t, p]) => {
        const d = decodeFrame(p);
        return [t, d.ok && `${d.frame.cn} QN=${d.frame.qn}`];
      }),
    ).toEqual([
      [`sentinel/v1/${MN}/hj212/reply`, '9014 QN=1'],
      [`sentinel/v1/${MN}/hj212/reply`, '9014 QN=2'],
    ]);
    expect(ingest.stats.rejected.bad_topic).toBe(1);
    const rows = await archive.query({ mn: MN, from: 0, to: NOW + 1, limit: 10 });
    expect(rows.map((r) => [r.transport, r.peer, r.verdict])).toEqual([
      ['mqtt', topic, 'accepted'],
      ['mqtt', topic, 'accepted'],
      ['mqtt', 'sentinel/v1/x/hj212/extra', 'bad_topic'], // under the MN the frame claims
    ]);
    await archive.close();
  });
});
