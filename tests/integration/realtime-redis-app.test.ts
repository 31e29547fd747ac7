/**
 * REDIS_URL on the real app: two apps (two web processes) given the same Redis share their
 * dashboards' events — a silence an officer creates on B reaches an officer's browser on A — and
 * their alert numbers (a snapshot on either starts from the same number). A Redis that cannot be
 * reached fails the start with an error instead of a web process that serves only its own sockets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/logger';
import { connectRealtimeRedis } from '../../server/realtime/realtime-redis';
import { freePort, startRedis, type Service } from '../helpers/services';
import { connectDashboard, nextEvent, startTestApp, type TestApp } from '../helpers/test-app';

describe('the app with REDIS_URL', () => {
  let redis: Service;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    redis = await startRedis();
    [a, b] = await Promise.all([startTestApp({ REDIS_URL: redis.url }), startTestApp({ REDIS_URL: redis.url })]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
  });

  it("an officer's change on B reaches the browser on A; both number alerts from Redis", async () => {
    const onA = await connectDashboard(a.baseUrl, await a.signIn('officer'));
    const snapshots = [a, b].map(async (t) => {
      const s = await connectDashboard(t.baseUrl, await t.signIn('officer'));
      return new Promise<number>((resolve) => {
        s.once('state:snapshot', (snap) => (resolve(snap.seq), s.disconnect()));
        s.emit('state:resync');
      });
    });
    const [seqA, seqB] = await Promise.all(snapshots);
    expect(seqA).toBe(seqB);
    // Redis numbers an audience from the current time (above what any browser holds after a Redis restart).
    expect(seqA).toBeGreaterThan(Date.UTC(2026, 0, 1));

    const seen = nextEvent(onA, 'silence:changed', (e) => e.silence.reason === '跨进程');
    const made = await (await b.signIn('officer')).call('POST', '/api/silences', { rule: 'limit', reason: '跨进程', durationMin: 5 });
    expect(made.status).toBe(201);
    expect((await seen).silence.createdBy).toBe('officer');
    onA.disconnect();
  });

  it('a Redis that does not answer fails the start', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    await expect(connectRealtimeRedis(url, { log: createLogger('silent') })).rejects.toThrow();
  });
});
