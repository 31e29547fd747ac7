/**
 * The rules' store shared by the processes of a cluster (issue 15), on a real PostgreSQL: an
 * override saved by one process is seen by another after reloadConfig(); a partition's source
 * state saved by worker A as it releases the partition is loaded by worker B as it acquires it
 * (the leases stand in as a small fake emitting acquired/released; the store is the real one); and
 * an upgraded state.db (the hand-written store's one snapshot) is restored and written out source
 * by source.
 */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { OwnershipEvents } from '../../server/cluster/ownership';
import { partitionOf } from '../../server/cluster/partitioning';
import type { Finding } from '../../server/domain/alert';
import { EventBus } from '../../server/domain/internal-events';
import type { Reading } from '../../server/domain/reading';
import { registrySchema, type Registry } from '../../server/domain/registry';
import { parseRulePack } from '../../server/domain/rule-pack';
import { createLogger } from '../../server/logger';
import { RegistryHolder } from '../../server/registry/registry-holder';
import { RuleBook } from '../../server/rules/rule-book';
import { RulesService } from '../../server/rules/rules-service';
import { LIMIT_PACK, MIN, S, T0, v } from '../../server/rules/test-kit';
import { openRuleStore, type KyselyRuleStore } from '../../server/storage/sql/rule-store';
import { sqlEngines, type FreshDatabase } from '../helpers/sql-engines';

const LOGGER = '211300GKJK00000000000001';
const PARTITIONS = 4;
const REGISTRY: Registry = registrySchema.parse({
  enterprises: [{ id: 'chem', name: '化工', district: '朝阳县' }],
  sources: [{ mn: LOGGER, enterpriseId: 'chem', name: '工况', kind: 'condition', lat: 41, lon: 120, intervalS: 60, pw: 'x' }],
  facilities: [
    { id: 'line', enterpriseId: 'chem', kind: 'production-line', name: '合成车间', mn: LOGGER, channel: '01', runningKw: 80 },
    { id: 'rto', enterpriseId: 'chem', kind: 'treatment', name: 'RTO', serves: 'line', mn: LOGGER, channel: '02', runningKw: 40 },
  ],
});

const signals = (ts: number, gkw02: number): Reading => ({
  mn: LOGGER,
  enterpriseId: 'chem',
  kind: 'condition',
  cn: '2011',
  ts,
  factors: { gkw01: v(300), gkw02: v(gkw02) },
});

/** A worker's leases as the rules see them: acquired/released, emitted by the test. */
class FakeLeases {
  readonly partitions = PARTITIONS;
  private readonly listeners: { [E in keyof OwnershipEvents]: OwnershipEvents[E][] } = { acquired: [], releasing: [], released: [] };
  readonly since = new Map<number, number>();

  on<E extends keyof OwnershipEvents>(event: E, listener: OwnershipEvents[E]): void {
    (this.listeners[event] as OwnershipEvents[E][]).push(listener);
  }

  async acquire(p: number, epoch: number): Promise<void> {
    this.since.set(p, T0);
    for (const l of this.listeners.acquired) await l(p, epoch);
  }

  async release(p: number): Promise<void> {
    this.since.delete(p);
    for (const l of this.listeners.released) await l(p, 'rebalance');
  }

  ownedSince(mn: string): number | null {
    return this.since.get(partitionOf(mn, PARTITIONS)) ?? null;
  }
}

interface Process {
  service: RulesService;
  store: KyselyRuleStore;
  book: RuleBook;
  sunk: Finding[];
}

describe('the rules over a shared store', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function database(engine = sqlEngines()[1]!): Promise<FreshDatabase> {
    const fresh = await engine.create();
    cleanup.push(() => fresh.remove());
    return fresh;
  }

  async function process(location: string, clock: { now: number }, leases?: FakeLeases): Promise<Process> {
    const store = await openRuleStore(location);
    const events = new EventBus();
    const book = new RuleBook(new RegistryHolder(REGISTRY, events), LIMIT_PACK, parseRulePack({}), () => clock.now);
    const sunk: Finding[] = [];
    const service = new RulesService({
      book,
      store,
      sink: { apply: (findings) => void sunk.push(...findings) },
      log: createLogger('silent'),
      now: () => clock.now,
      tickMs: 3_600_000,
      snapshotMs: 3_600_000,
      events,
      ...(leases ? { ownership: leases, partitions: leases } : {}),
    });
    await service.start();
    cleanup.push(async () => {
      await service.stop();
      await store.close();
    });
    return { service, store, book, sunk };
  }

  it('an override saved by one process is seen by another after reloadConfig; its removal too', async () => {
    const db = await database();
    const clock = { now: T0 };
    const a = await process(db.location, clock);
    const b = await process(db.location, clock);
    const override = { rules: { offline: { missedIntervals: 9 } } };
    await a.service.setOverride(LOGGER, override, 'admin');
    expect(b.book.overrideOf(LOGGER)).toBeUndefined();
    await b.service.reloadConfig();
    expect(b.book.overrideOf(LOGGER)).toEqual(a.book.overrideOf(LOGGER));
    expect(b.book.subject(LOGGER)?.params.offline.missedIntervals).toBe(9);
    await a.service.setPack({ offline: { missedIntervals: 7 } }, 'admin');
    await a.service.setOverride(LOGGER, null, 'admin');
    await b.service.reloadConfig();
    expect(b.book.overrideOf(LOGGER)).toBeUndefined();
    expect(b.book.subject(LOGGER)?.params.offline.missedIntervals).toBe(7);
  });

  it("worker A saves a partition's source state as it releases it; worker B loads it as it acquires it", async () => {
    const db = await database();
    const clock = { now: T0 };
    const p = partitionOf(LOGGER, PARTITIONS);
    const leasesA = new FakeLeases();
    const leasesB = new FakeLeases();
    const a = await process(db.location, clock, leasesA);
    const b = await process(db.location, clock, leasesB);
    await leasesA.acquire(p, 1);
    // The RTO stops while the line runs: treatment-off is raised on A.
    for (let i = 0; i <= 5; i++) {
      clock.now = T0 + i * MIN + S;
      a.service.onReading(signals(T0 + i * MIN, 2));
    }
    expect(a.sunk.map((f) => `${f.rule}:${f.type}`)).toEqual(['treatment-off:exceeded']);
    expect(b.service.facilityStates().get('line')?.running).toBeUndefined();
    await leasesA.release(p);
    expect(a.service.facilityStates().get('line')?.running).toBeUndefined(); // A forgot it
    await leasesB.acquire(p, 2);
    expect(b.service.facilityStates().get('rto')).toMatchObject({ running: false, since: T0 });
    // B knows the condition is raised: the RTO running again clears it on B, with no second opening.
    clock.now = T0 + 6 * MIN + S;
    b.service.onReading(signals(T0 + 6 * MIN, 60));
    expect(b.sunk.map((f) => `${f.rule}:${f.type}`)).toEqual(['treatment-off:normal']);
    await leasesB.release(p);
    const saved = await b.store.loadSourceStates([LOGGER]);
    expect(saved.get(LOGGER)).toMatchObject({ facility: { facilities: { rto: { running: true } } } });
    // A late write of A under the partition's old epoch cannot overwrite what B saved.
    expect(await a.store.saveSourceStates([{ mn: LOGGER, value: {}, epoch: 1 }], clock.now)).toBe(0);
  });

  it('an upgraded state.db: the one snapshot is restored, then written out source by source and dropped', async () => {
    const db = await database(sqlEngines()[0]);
    const clock = { now: T0 };
    const first = await process(db.location, clock);
    for (let i = 0; i <= 5; i++) {
      clock.now = T0 + i * MIN + S;
      first.service.onReading(signals(T0 + i * MIN, 2));
    }
    // What the hand-written store kept: the whole engine in one row (its facility part under facilityState).
    await first.service.stop();
    const rows = await first.store.loadSourceStates();
    const saved = rows.get(LOGGER) as { rule: unknown; facility: { logger: unknown; facilities: unknown } };
    const legacy = {
      version: 1,
      sources: { [LOGGER]: saved.rule },
      facilityState: { version: 1, facilities: saved.facility.facilities, loggers: { [LOGGER]: saved.facility.logger }, outlets: {} },
    };
    await first.store.deleteSourceStates([LOGGER]);
    const old = new Database(db.location);
    old.prepare('INSERT INTO rule_state (id, snapshot, saved_at) VALUES (1, ?, 1)').run(JSON.stringify(legacy));
    old.close();

    const second = await process(db.location, clock);
    expect(second.service.facilityStates().get('rto')).toMatchObject({ running: false, since: T0 });
    await second.service.save();
    expect(await second.store.loadLegacySnapshot()).toBeNull();
    expect((await second.store.loadSourceStates()).get(LOGGER)).toEqual(saved);
  });
});
