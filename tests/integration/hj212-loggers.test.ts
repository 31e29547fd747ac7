/**
 * A thousand simulated HJ 212 loggers connected at once over real TCP, driven by the existing fleet
 * and kind generators through the HJ 212 connector, with faults injected (bad CRC, split chunks,
 * glued frames, legacy codes, wrong password, unknown MN, split uploads): every reading lands in the
 * real pipeline and store, every requested 9014 is sent and received, every fault is refused with
 * its reason. (`npm run bench`-style figures for 60 s: bench/hj212-loggers.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../../simulators/fleet';
import { bulkRegistry } from '../../simulators/hj212/bulk-registry';
import { hj212TcpConnector, type Hj212Connector } from '../../simulators/hj212/connectors';
import { startHj212Server, type Hj212TestServer } from '../helpers/hj212-harness';
import { until } from '../helpers/wait';

const LOGGERS = 1000;
const registry = bulkRegistry(LOGGERS, { pw: 'pw1000' });
/** Two hours ago at :10; rounds at :10:50, :10:55 and :11:00 — the last also closes the minute, so
 * each logger then sends its CN 2051 together with its CN 2011 on the same connection. */
const BASE = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000 + 10 * 60_000;
const ROUNDS = [BASE + 50_000, BASE + 55_000, BASE + 60_000];

describe(`${LOGGERS} HJ 212 loggers at once over TCP`, () => {
  let s: Hj212TestServer;
  let sim: Hj212Connector;
  let fleet: Fleet;

  beforeAll(async () => {
    s = await startHj212Server({ registry, pipeline: true, maxConnections: 2 * LOGGERS });
    sim = hj212TcpConnector({ host: '127.0.0.1', port: s.port, registry, faultRate: 0.3, seed: 1000, replyTimeoutMs: 30_000 });
    fleet = await startFleet({
      url: `hj212://127.0.0.1:${s.port}`,
      registry,
      intervalMs: 5_000,
      scenario: 'normal',
      seed: 1000,
      autoStart: false,
      connect: sim.connect,
    });
  });
  afterAll(async () => {
    await fleet?.stop();
    await s?.stop();
  });

  it('all connect; every reading lands; every requested reply is sent and received; every fault is refused', async () => {
    await until(() => s.ingest.stats.connections.open === LOGGERS, `${LOGGERS} connections open`);
    for (const at of ROUNDS) await fleet.round(at);

    const uploads = LOGGERS * (ROUNDS.length + 1);
    expect(fleet.counters).toEqual({ published: uploads, failed: 0 });
    expect(sim.counters).toMatchObject({ uploads, timeouts: 0, badReplies: 0 });
    await until(() => s.readings.length === uploads, 'every reading durable');
    const landed = new Set(s.readings.map((r) => `${r.mn}|${r.cn}|${r.ts}`));
    for (const source of registry.sources) {
      for (const at of ROUNDS) expect(landed.has(`${source.mn}|2011|${at}`)).toBe(true);
      expect(landed.has(`${source.mn}|2051|${BASE}`)).toBe(true);
    }

    const { faults } = sim.counters;
    expect(Object.values(faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(uploads * 0.2);
    expect(Object.values(faults).every((n) => n > 0)).toBe(true);
    const stats = s.ingest.stats.snapshot();
    expect(stats.readings).toBe(uploads);
    expect(stats.replies.sent).toBe(stats.replies.requested);
    expect(stats.replies.dropped).toBe(0);
    expect(sim.counters.dataReplies).toBe(stats.replies.sent);
    expect(stats.rejected).toMatchObject({ bad_crc: faults.bad_crc, bad_password: faults.wrong_password, unknown_mn: faults.unknown_mn });
    expect(s.ingest.stats.rejectedTotal).toBe(faults.bad_crc + faults.wrong_password + faults.unknown_mn);
    expect(sim.counters.refusals).toBe(faults.wrong_password + faults.unknown_mn);
    expect(stats.connections).toMatchObject({ open: LOGGERS, total: LOGGERS, idleTimeouts: 0 });
    expect(s.ingest.status.all().filter((st) => st.connected)).toHaveLength(LOGGERS);
  }, 120_000);
});
