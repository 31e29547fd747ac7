/**
 * The cluster bus (issue 15, server/cluster/cluster-bus.ts): two processes' stages — registry, alert
 * service with its suppressions, rules — over one real PostgreSQL, each with its own event bus,
 * joined by the bus over one real Redis. A change made on one reaches the other's memory: an
 * acknowledgement (the owner's next write then plans on it without losing a race), a silence, a new
 * source (judged there), a rule override, a revoked identity. Redis restarted: what changed while
 * it was down is read again from the store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertService } from '../../../server/alerts/alert-service';
import { reloadOnAcquire, startClusterBus, type ClusterBus } from '../../../server/cluster/cluster-bus';
import { PgPartitionLeases } from '../../../server/cluster/partition-leases';
import { loadConfig } from '../../../server/config';
import type { LatestValues } from '../../../server/domain/events';
import { EventBus } from '../../../server/domain/internal-events';
import type { IdentityRevoked } from '../../../server/domain/principal';
import type { Reading } from '../../../server/domain/reading';
import { createLogger } from '../../../server/logger';
import { startRegistry, type RegistryModule } from '../../../server/registry/registry-module';
import { startRules, type RulesModule } from '../../../server/rules/rules-module';
import { openAlertState, type AlertState } from '../../../server/storage/sql/alert-store';
import { exceeded } from '../../helpers/findings';
import { TEST_DISTRICTS_FILE, TEST_REGISTRY_FILE } from '../../helpers/fixtures';
import { startRedis, type Service } from '../../helpers/services';
import { freshPgDatabase } from '../../helpers/sql-engines';
import { ROOT } from '../../helpers/test-app';
import { until } from '../../helpers/wait';

const log = createLogger('silent');
const ADMIN = { username: 'system' } as const;
const NEW_MN = '370300NH3000000000009901';

/** One process's stages: what app.ts builds for them, with the bus between them and the others. */
interface Proc {
  events: EventBus;
  alerts: AlertService;
  registry: RegistryModule;
  rules: RulesModule;
  bus: ClusterBus;
  revoked: IdentityRevoked[];
  latest: LatestValues[];
  stop(): Promise<void>;
}

describe('the cluster bus over Redis and PostgreSQL', () => {
  let redis: Service;
  let db: Awaited<ReturnType<typeof freshPgDatabase>>;
  let a: Proc;
  let b: Proc;
  const states: AlertState[] = [];

  async function proc(): Promise<Proc> {
    const dataDir = mkdtempSync(join(tmpdir(), 'o3-bus-'));
    const env = { DATA_DIR: dataDir, REGISTRY_FILE: TEST_REGISTRY_FILE, MAP_BOUNDARY_FILE: TEST_DISTRICTS_FILE, LOG_LEVEL: 'silent' };
    const config = loadConfig({ ...env, DATABASE_URL: db.url, REDIS_URL: redis.url }, ROOT);
    const events = new EventBus();
    const registry = await startRegistry(config, { events, log, now: Date.now });
    const state = await openAlertState(db.url);
    states.push(state);
    const alerts = new AlertService(state, log, { events });
    await alerts.reloadAll();
    const rules = await startRules(config, { registry: registry.view, sink: alerts, events, log, now: Date.now });
    await rules.judge();
    const revoked: IdentityRevoked[] = [];
    const latest: LatestValues[] = [];
    const members = {
      latest: (lv: LatestValues) => void latest.push(lv),
      alerts,
      registry: { version: () => registry.view.version(), follow: () => registry.admin.follow() },
      rules: rules.service,
      revokeHere: (e: IdentityRevoked) => void revoked.push(e),
    };
    const bus = await startClusterBus({ redisUrl: redis.url, databaseUrl: db.url, latestEveryMs: 100 }, { events, members, log });
    if (!bus) throw new Error('the bus should start with a Redis URL and a database');
    return {
      events,
      alerts,
      registry,
      rules,
      bus,
      revoked,
      latest,
      async stop() {
        await bus.stop();
        await alerts.settled();
        await rules.stop();
        await registry.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }

  beforeAll(async () => {
    [redis, db] = await Promise.all([startRedis(), freshPgDatabase()]);
    a = await proc(); // seeds the registry
    b = await proc();
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    for (const s of states) await s.close();
    await db?.drop();
    await redis?.stop();
  });

  it('an acknowledgement on A is in the owner B’s memory: B’s next finding for that key writes without losing a race', async () => {
    const t0 = Date.now();
    b.alerts.apply([exceeded(t0, 9)], 'e1');
    await b.alerts.settled();
    const [opened] = b.alerts.openAlerts();
    await until(() => a.alerts.openAlerts().some((x) => x.id === opened!.id), 'the new alert in A’s memory');

    expect(await a.alerts.acknowledge(opened!.id, 'li', 'on it')).toMatchObject({ ok: true });
    await until(() => b.alerts.openAlerts().find((x) => x.id === opened!.id)?.acknowledgedBy === 'li', 'the acknowledgement in B’s memory');
    const lostBefore = b.alerts.races.lost;
    b.alerts.apply([exceeded(t0 + 1_000, 12)], 'e1');
    await b.alerts.settled();
    expect(b.alerts.races.lost - lostBefore).toBe(0);
    const stored = await b.alerts.get(opened!.id);
    expect(stored).toMatchObject({ acknowledgedBy: 'li', count: 2, peak: 12 });
    // A hears of B's write too: both memories hold the stored alert.
    await until(() => a.alerts.openAlerts().find((x) => x.id === opened!.id)?.count === 2, 'B’s peak in A’s memory');
    expect(a.alerts.openAlerts().find((x) => x.id === opened!.id)).toEqual(stored);
  });

  it('a silence made on A suppresses B’s new alert of that key', async () => {
    const key = { mn: 'M2', factor: 'a21026', rule: 'limit' };
    const silence = await a.alerts.suppressions.createSilence({ ...key, reason: '检修', endsAt: Date.now() + 3_600_000 }, 'li');
    await until(() => b.alerts.suppressions.facts().silences.some((s) => s.id === silence.id), 'the silence in B’s memory');
    b.alerts.apply([exceeded(Date.now(), 99, key)], 'e1');
    await b.alerts.settled();
    expect(b.alerts.openAlerts().find((x) => x.mn === 'M2')).toMatchObject({ suppressed: 'silence' });
  });

  it('a source added on A is judged on B, and a rule override set on A is B’s', async () => {
    const source = {
      mn: NEW_MN,
      enterpriseId: 'qilu-power',
      name: '2号机组SCR出口',
      kind: 'ammonia',
      lat: 36.8269,
      lon: 118.3047,
      intervalS: 30,
    };
    await a.registry.admin.createSource(source as never, ADMIN);
    await until(() => b.registry.view.current().sources.some((s) => s.mn === NEW_MN), 'the new source in B’s registry');
    expect(b.registry.view.version()).toBe(a.registry.view.version());
    const reading: Reading = {
      mn: NEW_MN,
      enterpriseId: 'qilu-power',
      kind: 'ammonia',
      cn: '2011',
      ts: Date.now(),
      factors: { a21001: { rtd: 50, flag: 'N' } },
    };
    b.rules.service.onReading(reading);
    await b.alerts.settled();
    expect(b.alerts.openAlerts().filter((x) => x.mn === NEW_MN).length).toBeGreaterThan(0);

    await a.rules.service.setOverride(NEW_MN, { rules: { o2Conversion: { measuredCap: 18 } } }, 'admin');
    await until(() => b.rules.book.overrideOf(NEW_MN) !== undefined, 'A’s override in B’s rule book');
    expect(b.rules.book.overrideOf(NEW_MN)).toEqual(a.rules.book.overrideOf(NEW_MN));
    expect(b.rules.book.conversionOf(NEW_MN).o2Cap).toBe(18);
  });

  it('the latest values of the readings one process took reach the other, a source’s newest per period, in one message', async () => {
    const sentBefore = a.bus.stats.sent;
    const at = Date.now();
    const lv = (mn: string, ts: number, rtd: number): LatestValues => ({ mn, cn: '2011', ts, factors: { a21026: { rtd, flag: 'N' } } });
    a.events.emit('reading:latest', lv('M1', at, 1));
    a.events.emit('reading:latest', lv('M1', at + 30_000, 2)); // M1's newer one replaces it
    a.events.emit('reading:latest', lv('M2', at, 3));
    await until(() => b.latest.length === 2, 'A’s latest values on B');
    expect(b.latest).toEqual([lv('M1', at + 30_000, 2), lv('M2', at, 3)]);
    expect(a.bus.stats.sent - sentBefore).toBe(1);
    expect(a.latest).toEqual([]); // not its own
  });

  it('a revoked identity reaches the other process; its own changes are not taken back from Redis', async () => {
    const heardBefore = a.bus.stats.received;
    const e: IdentityRevoked = { userId: 7, reason: 'disabled', at: Date.now() };
    a.events.emit('user:revoked', e);
    await until(() => b.revoked.length === 1, 'the revocation on B');
    expect(b.revoked[0]).toEqual(e);
    expect(a.revoked).toEqual([]);
    expect(a.bus.stats.received).toBe(heardBefore);
  });

  it('a worker that takes partitions reads their alerts as stored before it judges them (one read for the partitions of one check)', async () => {
    const worker = new AlertService(states[0]!, log);
    await worker.reloadAll();
    const other = new AlertService(states[0]!, log); // the previous owner, heard by no bus
    other.apply([exceeded(Date.now(), 9, { mn: 'M4' })], 'e1');
    await other.settled();
    expect(worker.openAlerts().some((x) => x.mn === 'M4')).toBe(false);
    let reloads = 0;
    const counted = { reloadAll: () => (reloads++, worker.reloadAll()) };
    const leases = new PgPartitionLeases({ url: db.url, partitions: 4, worker: 'w-bus', recheckMs: 60_000 }, log);
    reloadOnAcquire(leases, counted);
    await leases.start(); // its first check takes all four partitions, listeners awaited
    try {
      expect(leases.held().size).toBe(4);
      expect(reloads).toBe(1);
      expect(worker.openAlerts().some((x) => x.mn === 'M4')).toBe(true);
    } finally {
      await leases.stop();
    }
  });

  it('Redis restarted: what another writer changed while it was down is read again from the store', async () => {
    // A third writer without a bus: its changes reach no one but through the store.
    const quiet = new AlertService(states[0]!, log);
    await quiet.reloadAll();
    const t0 = Date.now();
    quiet.apply([exceeded(t0, 9, { mn: 'M3' })], 'e1');
    await quiet.settled();
    const [m3] = quiet.openAlerts().filter((x) => x.mn === 'M3');
    const resyncs = b.bus.stats.resyncs;
    await redis.halt();
    expect(await quiet.acknowledge(m3!.id, 'wang')).toMatchObject({ ok: true });
    expect(b.alerts.openAlerts().find((x) => x.id === m3!.id)?.acknowledgedBy ?? null).toBeNull();
    await redis.resume();
    await until(() => b.bus.stats.resyncs > resyncs, 'B reads again after the reconnect', 30_000);
    await until(() => b.alerts.openAlerts().find((x) => x.id === m3!.id)?.acknowledgedBy === 'wang', 'the acknowledgement in B’s memory');
  });
});
