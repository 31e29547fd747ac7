/**
 * Fuzz: 100,000 mutated frames interleaved with 100,000 valid ones, over 8 real TCP connections in
 * random chunk sizes. Nothing crashes, no connection is dropped, every valid frame's reading lands
 * and gets its 9014, every refusal is counted under a reason of the closed set, and the stream
 * verdicts equal those of each mutated frame decoded on its own (the pure decoder as the oracle).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HJ212_REJECTION_REASONS } from '../../server/ingest/hj212/rejections';
import { bulkMn, bulkRegistry } from '../../simulators/hj212/bulk-registry';
import { createRng } from '../../simulators/random';
import { rawLogger, startHj212Server, type Hj212TestServer } from '../helpers/hj212-harness';
import { until } from '../helpers/wait';
import { pick, plan, VALID_BASE } from '../helpers/hj212-mutations';

const CONNECTIONS = 8;
const MUTATED_PER_CONNECTION = Number(process.env.HJ212_FUZZ_PER_CONNECTION ?? 12_500);
const registry = bulkRegistry(CONNECTIONS, { pw: '123456' });

describe('HJ 212 fuzz over TCP', () => {
  let s: Hj212TestServer;
  beforeAll(async () => {
    s = await startHj212Server({ registry, splitTimeoutMs: 60_000, idleTimeoutMs: 300_000 });
  });
  afterAll(async () => s?.stop());

  it(`${CONNECTIONS * MUTATED_PER_CONNECTION} mutated frames among as many valid ones: no crash, all valid land, every refusal counted`, async () => {
    const rng = createRng(212);
    const plans = Array.from({ length: CONNECTIONS }, (_, c) => plan(c, MUTATED_PER_CONNECTION, registry, rng));
    const loggers = await Promise.all(plans.map(() => rawLogger(s.port)));
    await Promise.all(
      plans.map(async (p, c) => {
        const logger = loggers[c]!;
        for (let at = 0; at < p.stream.length;) {
          const size = 1 + pick(rng, 4096);
          await logger.write(p.stream.subarray(at, at + size));
          at += size;
        }
      }),
    );
    const expected = { accepted: 0, readings: 0, rejected: {} as Record<string, number> };
    for (const p of plans) {
      expected.accepted += p.validQns.length + p.oracle.accepted;
      expected.readings += p.validQns.length + p.oracle.readings;
      for (const [r, n] of Object.entries(p.oracle.rejected)) expected.rejected[r] = (expected.rejected[r] ?? 0) + n;
    }
    const expectedRejected = Object.values(expected.rejected).reduce((a, b) => a + b, 0);
    await until(() => s.ingest.stats.received === expected.accepted + expectedRejected, 'every frame handled', 120_000).catch(
      (err: Error) => {
        throw new Error(`${err.message}: ${JSON.stringify({ expected, stats: s.ingest.stats.snapshot() })}`);
      },
    );
    await until(() => s.readings.length === expected.readings, 'every reading durable', 60_000);

    // Every valid frame landed, and was answered with its 9014.
    const landed = new Set(s.readings.map((r) => `${r.mn}|${r.ts}`));
    plans.forEach((p, c) => p.validQns.forEach((_, i) => expect(landed.has(`${bulkMn(c)}|${VALID_BASE + i * 1000}`)).toBe(true)));
    await Promise.all(
      plans.map(async (p, c) => {
        const want = new Set(p.validQns);
        await until(
          () => loggers[c]!.replies.filter((d) => d.ok && d.frame.cn === '9014' && want.has(d.frame.qn ?? '')).length === want.size,
          `the 9014s of connection ${c}`,
          30_000,
        );
      }),
    );

    // Counted exactly as the pure decoder judges each mutated frame alone, under the closed set of reasons.
    const stats = s.ingest.stats.snapshot();
    expect(stats.accepted).toBe(expected.accepted);
    expect(stats.readings).toBe(expected.readings);
    expect(Object.fromEntries(Object.entries(stats.rejected).filter(([, n]) => n > 0))).toEqual(expected.rejected);
    expect(Object.keys(stats.rejected).sort()).toEqual([...HJ212_REJECTION_REASONS].sort());
    expect(s.ingest.stats.rejectedTotal).toBeGreaterThanOrEqual(CONNECTIONS * MUTATED_PER_CONNECTION * 0.7);
    expect(stats.replies.sent).toBe(stats.replies.requested);

    // No connection was dropped.
    expect(loggers.every((l) => !l.closed())).toBe(true);
    expect(s.ingest.stats.connections.open).toBe(CONNECTIONS);
    await Promise.all(loggers.map((l) => l.close()));
  }, 240_000);
});
