/**
 * The keeper saves a province's changed sources in batches (issue 20): one store call of at most
 * SAVE_BATCH sources each, every source saved, and the saved states read back as they were.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRulePack } from '../domain/rule-pack';
import { createLogger } from '../logger';
import { openRuleStore, type KyselyRuleStore } from '../storage/sql/rule-store';
import { FacilityEngine } from './facility-engine';
import { RuleEngine, type RuleSubject } from './rule-engine';
import { SAVE_BATCH, SourceStateKeeper } from './source-state-keeper';
import { CEMS, reading, S, source, subject, T0, v } from './test-kit';

const dirs: string[] = [];
const stores: KyselyRuleStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function keeperOf(n: number) {
  const dir = mkdtempSync(join(tmpdir(), 'o3-keeper-'));
  dirs.push(dir);
  const store = await openRuleStore(join(dir, 'state.db'));
  stores.push(store);
  const sizes: number[] = [];
  const counting = Object.assign(Object.create(store) as KyselyRuleStore, {
    saveSourceStates: (rows: Parameters<KyselyRuleStore['saveSourceStates']>[0], at: number) => {
      sizes.push(rows.length);
      return store.saveSourceStates(rows, at);
    },
  });
  const subjects = new Map<string, RuleSubject>(
    Array.from({ length: n }, (_, i) => {
      const s = source({ ...CEMS, mn: `MN${String(i).padStart(12, '0')}` });
      return [s.mn, subject(s)];
    }),
  );
  const engine = new RuleEngine(parseRulePack({}), (mn) => subjects.get(mn), T0, subjects.keys());
  const facilities = new FacilityEngine({ facilities: () => [], subject: (mn) => subjects.get(mn) });
  const keeper = new SourceStateKeeper({
    store: counting,
    engine,
    facilities,
    mns: () => [...subjects.keys()],
    log: createLogger('silent'),
    now: () => T0,
  });
  await keeper.start();
  return { keeper, engine, store, sizes, mns: [...subjects.keys()] };
}

describe('SourceStateKeeper: saves in batches', () => {
  it.each([
    [1, [1]],
    [SAVE_BATCH, [SAVE_BATCH]],
    [2 * SAVE_BATCH + 7, [SAVE_BATCH, SAVE_BATCH, 7]],
  ])('%i changed sources → store calls of %j', async (n, calls) => {
    const { keeper, engine, store, sizes, mns } = await keeperOf(n);
    for (const [i, mn] of mns.entries()) engine.onReading(reading({ ...CEMS, mn }, '2011', T0 + i * S, { a21026: v(i) }), T0 + i * S);
    await keeper.saveChanged();
    expect(sizes).toEqual(calls);
    const saved = await store.loadSourceStates();
    expect([...saved.keys()].sort()).toEqual(mns);
    expect(saved.get(mns.at(-1)!)).toMatchObject({ rule: { lastSeenAt: T0 + (n - 1) * S } });
    // Nothing changed since: the next save writes nothing.
    sizes.length = 0;
    await keeper.saveChanged();
    expect(sizes).toEqual([]);
  });
});
