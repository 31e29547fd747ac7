/**
 * The rules service with the facility engine beside the rule engine (issue 16): the same readings go
 * through both, facility findings reach the same sink, the facility state is saved with the rule
 * state (with the source its findings name) and restored at the next start, and facilityStates() reads it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Finding } from '../domain/alert';
import { EventBus } from '../domain/internal-events';
import type { Reading } from '../domain/reading';
import { registrySchema, type Registry } from '../domain/registry';
import { parseRulePack } from '../domain/rule-pack';
import { createLogger } from '../logger';
import { RegistryHolder } from '../registry/registry-holder';
import { openRuleStore } from '../storage/sql/rule-store';
import { RuleBook } from './rule-book';
import { RulesService, TICK_SLICE } from './rules-service';
import { LIMIT_PACK, MIN, S, T0, v } from './test-kit';

const LOGGER = '211300GKJK00000000000001';
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

describe('RulesService with the facility engine', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  async function start(
    file: string,
    clock: { now: number },
    sunk: { findings: Finding[]; enterpriseId: string }[],
    ownership?: { ownedSince(mn: string): number | null },
    registered: Registry = REGISTRY,
  ) {
    const store = await openRuleStore(file);
    const events = new EventBus();
    const registry = new RegistryHolder(registered, events);
    const service = new RulesService({
      book: new RuleBook(registry, LIMIT_PACK, parseRulePack({}), () => clock.now),
      store,
      sink: { apply: (findings, enterpriseId) => sunk.push({ findings: [...findings], enterpriseId }) },
      log: createLogger('silent'),
      now: () => clock.now,
      tickMs: 3_600_000,
      snapshotMs: 3_600_000,
      events,
      ...(ownership ? { ownership } : {}),
    });
    await service.start();
    return { service, store, registry };
  }

  it('findings reach the sink; a restart restores the raised condition, so the RTO running again clears it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'o3-rules-'));
    dirs.push(dir);
    const file = join(dir, 'state.db');
    const clock = { now: T0 };
    const sunk: { findings: Finding[]; enterpriseId: string }[] = [];
    const first = await start(file, clock, sunk);
    for (let i = 0; i <= 5; i++) {
      clock.now = T0 + i * MIN + S;
      first.service.onReading(signals(T0 + i * MIN, 2));
    }
    const raised = sunk.flatMap((s) => s.findings.map((f) => `${s.enterpriseId}:${f.rule}:${f.factor}:${f.type}`));
    expect(raised).toEqual(['chem:treatment-off:gkw02:exceeded']);
    expect(first.service.facilityStates().get('rto')).toMatchObject({ running: false, since: T0, latest: { gkw: { value: 2 } } });
    await first.service.stop();
    await first.store.close();

    sunk.length = 0;
    const second = await start(file, clock, sunk);
    expect(second.service.facilityStates().get('line')).toMatchObject({ running: true, since: T0 });
    clock.now = T0 + 6 * MIN + S;
    second.service.onReading(signals(T0 + 6 * MIN, 60));
    expect(sunk.flatMap((s) => s.findings.map((f) => `${f.rule}:${f.type}`))).toEqual(['treatment-off:normal']);
    await second.service.stop();
    await second.store.close();
  });

  it.each([
    ['every source (one process)', undefined, ['offline:exceeded']],
    ['an ingest worker that owns the logger', { ownedSince: () => T0 }, ['offline:exceeded']],
    ['an ingest worker that does not', { ownedSince: () => null }, []],
  ])('the tick judges the sources of %s', async (_, ownership, expected) => {
    const dir = mkdtempSync(join(tmpdir(), 'o3-rules-'));
    dirs.push(dir);
    const clock = { now: T0 };
    const sunk: { findings: Finding[]; enterpriseId: string }[] = [];
    const { service, store } = await start(join(dir, 'state.db'), clock, sunk, ownership);
    clock.now = T0 + 60 * MIN; // the logger never reported: offline long since
    service.tick();
    expect(sunk.flatMap((x) => x.findings.filter((f) => f.rule === 'offline').map((f) => `${f.rule}:${f.type}`))).toEqual(expected);
    await service.stop();
    await store.close();
  });

  it('a province’s tick judges its sources a slice per turn of the event loop, every one once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'o3-rules-'));
    dirs.push(dir);
    const n = 2 * TICK_SLICE + 1;
    const mn = (i: number) => `2113000000000000${String(i).padStart(8, '0')}`;
    const many = registrySchema.parse({
      enterprises: REGISTRY.enterprises,
      sources: Array.from({ length: n }, (_, i) => ({ ...REGISTRY.sources[0]!, mn: mn(i), name: `工况${i}` })),
    });
    const clock = { now: T0 };
    const sunk: { findings: Finding[]; enterpriseId: string }[] = [];
    const { service, store } = await start(join(dir, 'state.db'), clock, sunk, undefined, many);
    clock.now = T0 + 60 * MIN; // none ever reported: offline long since
    const offline = () => sunk.flatMap((x) => x.findings.filter((f) => f.rule === 'offline' && f.type === 'exceeded').map((f) => f.mn));
    const ticking = service.tick();
    expect(offline()).toHaveLength(TICK_SLICE); // the first slice before the event loop's turn
    await ticking;
    expect(new Set(offline()).size).toBe(n);
    expect(offline()).toHaveLength(n);
    await service.stop();
    await store.close();
  });

  it('a facility removed from the registry is forgotten', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'o3-rules-'));
    dirs.push(dir);
    const clock = { now: T0 };
    const { service, store, registry } = await start(join(dir, 'state.db'), clock, []);
    service.onReading(signals(T0, 2));
    expect([...service.facilityStates().keys()]).toEqual(['line', 'rto']);
    registry.replace({ ...REGISTRY, facilities: REGISTRY.facilities?.filter((f) => f.id !== 'rto') }, 'admin');
    expect([...service.facilityStates().keys()]).toEqual(['line']);
    await service.save();
    const saved = (await store.loadSourceStates([LOGGER])).get(LOGGER) as { facility: { facilities: Record<string, unknown> } };
    expect(Object.keys(saved.facility.facilities)).toEqual(['line']);
    await service.stop();
    await store.close();
  });
});
