import { describe, expect, it } from 'vitest';
import { decodeScanned } from '../../server/domain/hj212/decode';
import { encodeFrame } from '../../server/domain/hj212/encode';
import { FrameScanner } from '../../server/domain/hj212/stream-scanner';
import { dataTopic } from '../../server/domain/mqtt-contract';
import { createRng } from '../random';
import { testRegistry } from '../test-registry';
import { emptySimCounters, Hj212Publisher, type Hj212Link } from './hj212-publisher';
import { ReplyTracker } from './reply-tracker';

const registry = testRegistry();
const source = registry.sources[0]!;
const message = (ts: string, cn = '2011') =>
  JSON.stringify({ cn, ts, factors: { a21026: { rtd: 1, flag: 'N' }, a21002: { rtd: 2, flag: 'N' } } });

/** A link into a tiny server made of the domain codec: it answers every acked frame with a 9014. */
function loopback(tracker: ReplyTracker) {
  const scanner = new FrameScanner();
  const frames: string[] = [];
  const link: Hj212Link = {
    async write(_mn, bytes) {
      for (const e of scanner.push(bytes)) {
        const d = decodeScanned(e);
        frames.push(d.ok ? `${d.frame.cn}:${d.frame.cp.params.DataTime}` : d.reason);
        if (d.ok && ((d.frame.flag ?? 0) & 1) === 1) {
          const reply = encodeFrame({ qn: d.frame.qn, st: '91', cn: '9014', mn: d.frame.mn, flag: 4, cp: { params: {}, factors: [] } });
          setTimeout(() => tracker.receive(reply), 1);
        }
      }
      await new Promise((r) => setImmediate(r));
    },
    close: async () => undefined,
  };
  return { link, frames };
}

describe('Hj212Publisher', () => {
  it('uploads sent at once never interleave, even cut into chunks, and each resolves on its 9014', async () => {
    const counters = emptySimCounters();
    const tracker = new ReplyTracker(counters);
    const { link, frames } = loopback(tracker);
    const p = new Hj212Publisher(link, tracker, counters, {
      lookup: () => source,
      rng: createRng(1),
      faultRate: 1,
      faults: ['split_chunks'],
    });
    await Promise.all([
      p.publish(dataTopic(source.mn), message('2026-07-01T10:00:00+08:00')),
      p.publish(dataTopic(source.mn), message('2026-07-01T09:59:00+08:00', '2051')),
      p.publish(dataTopic(source.mn), message('2026-07-01T09:00:00+08:00', '2061')),
    ]);
    expect(frames).toEqual(['2011:20260701100000', '2051:20260701095900', '2061:20260701090000']);
    expect(counters).toMatchObject({ uploads: 3, dataReplies: 3, timeouts: 0, faults: { split_chunks: 3 } });
    expect(counters.writes).toBeGreaterThan(3);
  });

  it('an upload whose 9014 never comes fails its publish and counts a timeout', async () => {
    const counters = emptySimCounters();
    const tracker = new ReplyTracker(counters);
    const silent: Hj212Link = { write: async () => undefined, close: async () => undefined };
    const p = new Hj212Publisher(silent, tracker, counters, { lookup: () => source, rng: createRng(1), replyTimeoutMs: 20 });
    await expect(p.publish(dataTopic(source.mn), message('2026-07-01T10:00:00+08:00'))).rejects.toThrow(/no 9014 for QN/);
    expect(counters.timeouts).toBe(1);
  });
});
