/**
 * The rule store's contract on both engines (issue 15): the pack and overrides set and removed,
 * source states saved and loaded by MN, a write under an older partition epoch refused; and a
 * `state.db` written by the hand-written store (before issue 15) adopted with its pack, overrides
 * and whole-engine snapshot, which the rules service writes out source by source.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRuleStore, type KyselyRuleStore } from '../../../server/storage/sql/rule-store';
import { sqlEngines, type FreshDatabase } from '../../helpers/sql-engines';

describe.each(sqlEngines())('RuleStore on $name', (engine) => {
  let fresh: FreshDatabase;
  let store: KyselyRuleStore;
  beforeEach(async () => {
    fresh = await engine.create();
    store = await openRuleStore(fresh.location);
  });
  afterEach(async () => {
    await store.close();
    await fresh.remove();
  });

  it('keeps one pack (null: back to the file) and overrides by MN', async () => {
    expect(await store.loadPack()).toBeNull();
    await store.savePack({ offline: { afterS: 600 } }, 'admin', 10);
    await store.savePack({ offline: { afterS: 900 } }, 'li', 20);
    expect(await store.loadPack()).toEqual({ value: { offline: { afterS: 900 } }, updatedBy: 'li', updatedAt: 20 });
    await store.savePack(null, 'li', 30);
    expect(await store.loadPack()).toBeNull();
    await store.saveOverride('M2', { limits: {} }, 'li', 5);
    await store.saveOverride('M1', { rules: { a: 1 } }, 'li', 6);
    await store.saveOverride('M1', { rules: { a: 2 } }, 'wang', 7);
    expect(await store.loadOverrides()).toEqual([
      { mn: 'M1', value: { rules: { a: 2 } }, updatedBy: 'wang', updatedAt: 7 },
      { mn: 'M2', value: { limits: {} }, updatedBy: 'li', updatedAt: 5 },
    ]);
    await store.saveOverride('M2', null, 'li', 8);
    expect((await store.loadOverrides()).map((o) => o.mn)).toEqual(['M1']);
  });

  it('saves source states by MN, loads some or all, deletes removed ones', async () => {
    expect(await store.saveSourceStates([], 1)).toBe(0);
    expect(
      await store.saveSourceStates(
        [
          { mn: 'A', value: { n: 1 }, epoch: 0 },
          { mn: 'B', value: { n: 2 }, epoch: 0 },
        ],
        1,
      ),
    ).toBe(2);
    expect(await store.saveSourceStates([{ mn: 'A', value: { n: 3 }, epoch: 0 }], 2)).toBe(1);
    expect(await store.loadSourceStates(['A', 'C'])).toEqual(new Map([['A', { n: 3 }]]));
    expect(await store.loadSourceStates()).toEqual(
      new Map<string, unknown>([
        ['A', { n: 3 }],
        ['B', { n: 2 }],
      ]),
    );
    const many = Array.from({ length: 1200 }, (_, i) => ({ mn: `S${i}`, value: { i }, epoch: 0 }));
    expect(await store.saveSourceStates(many, 3)).toBe(1200);
    expect((await store.loadSourceStates(many.map((m) => m.mn))).size).toBe(1200);
    await store.deleteSourceStates(['A', ...many.map((m) => m.mn)]);
    expect([...(await store.loadSourceStates()).keys()]).toEqual(['B']);
  });

  it('refuses a write under an older epoch than the row was written with (a worker that lost the partition)', async () => {
    await store.saveSourceStates([{ mn: 'A', value: { by: 'w1' }, epoch: 3 }], 1);
    expect(await store.saveSourceStates([{ mn: 'A', value: { by: 'w2' }, epoch: 4 }], 2)).toBe(1);
    expect(await store.saveSourceStates([{ mn: 'A', value: { by: 'w1 late' }, epoch: 3 }], 3)).toBe(0);
    expect(await store.loadSourceStates(['A'])).toEqual(new Map([['A', { by: 'w2' }]]));
    expect(await store.saveSourceStates([{ mn: 'A', value: { by: 'one process' }, epoch: 0 }], 4)).toBe(1);
    expect(await store.loadSourceStates(['A'])).toEqual(new Map([['A', { by: 'one process' }]]));
  });

  it('has no snapshot of the previous version on a fresh database', async () => {
    expect(await store.loadLegacySnapshot()).toBeNull();
  });
});

/** The hand-written store's tables as its last version created them (server/storage/embedded/sqlite-rule-store.ts before issue 15). */
function writeOldRuleTables(file: string, snapshot: unknown): void {
  const old = new Database(file);
  old.exec(`
    CREATE TABLE IF NOT EXISTS rule_state (id INTEGER PRIMARY KEY CHECK (id = 1), snapshot TEXT NOT NULL, saved_at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS rule_pack (id INTEGER PRIMARY KEY CHECK (id = 1), value TEXT NOT NULL, updated_by TEXT NOT NULL, updated_at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS rule_overrides (mn TEXT PRIMARY KEY, value TEXT NOT NULL, updated_by TEXT NOT NULL, updated_at INTEGER NOT NULL);
  `);
  old.prepare('INSERT INTO rule_state (id, snapshot, saved_at) VALUES (1, ?, 5)').run(JSON.stringify(snapshot));
  old.prepare(`INSERT INTO rule_pack VALUES (1, '{"offline":{"afterS":900}}', 'admin', 6)`).run();
  old.prepare(`INSERT INTO rule_overrides VALUES ('M1', '{"limits":{}}', 'li', 7)`).run();
  old.close();
}

describe('RuleStore on a state.db of the hand-written store', () => {
  let fresh: FreshDatabase;
  beforeEach(async () => {
    fresh = await sqlEngines()[0]!.create();
  });
  afterEach(() => fresh.remove());

  it('adopts its pack, overrides and snapshot', async () => {
    writeOldRuleTables(fresh.location, { version: 1, sources: {} });
    const store = await openRuleStore(fresh.location);
    try {
      expect(await store.loadPack()).toEqual({ value: { offline: { afterS: 900 } }, updatedBy: 'admin', updatedAt: 6 });
      expect(await store.loadOverrides()).toEqual([{ mn: 'M1', value: { limits: {} }, updatedBy: 'li', updatedAt: 7 }]);
      expect(await store.loadLegacySnapshot()).toEqual({ version: 1, sources: {} });
      await store.dropLegacySnapshot();
      expect(await store.loadLegacySnapshot()).toBeNull();
    } finally {
      await store.close();
    }
  });
});
