/**
 * The cluster bus in the real app (server/app-cluster-bus.ts): two all-in-one processes with
 * DATABASE_URL and REDIS_URL. An alert opened by B's rules is in A's memory (A's dashboard snapshot
 * and source status come from memory, not from the store); an officer's acknowledgement on A is in
 * B's memory (B's snapshot shows it).
 */
import mqtt from 'mqtt';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../server/domain/events';
import { dataTopic } from '../../../server/domain/mqtt-contract';
import { startRedis, type Service } from '../../helpers/services';
import { freshPgDatabase } from '../../helpers/sql-engines';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { eventually } from '../../helpers/wait';

const CEMENT_NH3 = '370300NH3000000000000201'; // zichuan-cement, limit 8 mg/m³
const nh3 = (ts: number, rtd: number) => JSON.stringify({ cn: '2011', ts, factors: { a21001: { rtd, flag: 'N' } } });

/** What a dashboard that connects to `t` now is shown (built from that process's memory). */
async function snapshotOf(t: TestApp): Promise<Snapshot> {
  const { cookie } = await t.signIn('officer');
  const socket = io(t.baseUrl, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie } });
  try {
    return await new Promise<Snapshot>((resolve, reject) => {
      socket.once('state:snapshot', resolve);
      socket.once('connect_error', reject);
    });
  } finally {
    socket.disconnect();
  }
}

describe('two app processes joined by the cluster bus', () => {
  let redis: Service;
  let db: Awaited<ReturnType<typeof freshPgDatabase>>;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    [redis, db] = await Promise.all([startRedis(), freshPgDatabase()]);
    const env = { REDIS_URL: redis.url, DATABASE_URL: db.url };
    a = await startTestApp(env); // migrates and seeds the shared database
    b = await startTestApp(env);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.drop();
    await redis?.stop();
  });

  it('B’s new alert is in A’s memory; A’s acknowledgement is in B’s', async () => {
    // Latest values stay in the process that took the reading: A has a normal one, so its source
    // shows "exceeding" only once it knows of B's alert.
    const publish = async (t: TestApp, ts: number, rtd: number) => {
      const logger = await mqtt.connectAsync(t.app.mqttUrl, { clientId: `bus-app-${Date.now()}`, ...t.mqttAuth });
      await logger.publishAsync(dataTopic(CEMENT_NH3), nh3(ts, rtd), { qos: 1 });
      await logger.endAsync();
    };
    await publish(a, Date.now() - 60_000, 1.2);
    await eventually(
      async () => ((await snapshotOf(a)).sources.find((s) => s.mn === CEMENT_NH3)?.status === 'normal' ? true : undefined),
      'A’s normal reading',
    );
    await publish(b, Date.now() - 30_000, 9.6);

    const onA = await eventually(async () => {
      const snap = await snapshotOf(a);
      const alert = snap.alerts.find((x) => x.mn === CEMENT_NH3 && x.closedAt === null);
      return alert && snap.sources.find((s) => s.mn === CEMENT_NH3)?.status === 'exceeding' ? alert : undefined;
    }, 'B’s alert in A’s snapshot, its source exceeding');

    const officer = await a.signIn('officer');
    expect((await officer.call('POST', `/api/alerts/${onA.id}/acknowledge`, { note: '已联系' })).status).toBe(200);
    const onB = await eventually(async () => {
      const alert = (await snapshotOf(b)).alerts.find((x) => x.id === onA.id);
      return alert?.acknowledgedBy ? alert : undefined;
    }, 'the acknowledgement in B’s snapshot');
    expect(onB).toMatchObject({ acknowledgedBy: 'officer', mn: CEMENT_NH3 });
  });
});
