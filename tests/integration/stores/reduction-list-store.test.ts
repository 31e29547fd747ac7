/** The reduction-list store's contract on both engines: versions per enterprise and year, reads, summaries, acknowledgements, reminders. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReductionEntry } from '../../../server/domain/reduction-list';
import { openReductionListStore, type ReductionListStore } from '../../../server/storage/sql/reduction-list-store';
import { sqlEngines, type FreshDatabase } from '../../helpers/sql-engines';

const entry = (id: string, name: string): ReductionEntry => ({
  id,
  name,
  outletMns: ['88888880000001'],
  meterIds: [],
  measures: {
    yellow: { action: 'limit', limitToPct: 80, indicators: [], expectedKgH: { nox: 1.5 } },
    orange: {
      action: 'limit',
      limitToPct: 50,
      indicators: [{ kind: 'outlet-flow', mn: '88888880000001', maxM3h: 1000 }],
      expectedKgH: { nox: 3 },
    },
    red: { action: 'stop', window: { from: '22:00', to: '06:00' }, indicators: [], expectedKgH: { nox: 6, pm: 0.4 } },
  },
  responsible: { name: '张工', phone: '13800000000' },
});

describe.each(sqlEngines())('ReductionListStore on $name', (engine) => {
  let fresh: FreshDatabase;
  let opened: Awaited<ReturnType<typeof openReductionListStore>>;
  let store: ReductionListStore;
  beforeEach(async () => {
    fresh = await engine.create();
    opened = await openReductionListStore(fresh.location);
    store = opened.store;
  });
  afterEach(async () => {
    await opened.close();
    await fresh.remove();
  });

  it('migrates with its own history, once', async () => {
    expect(opened.migrated).toEqual(['0001-reduction-lists', '0002-reduction-reminders']);
    await opened.close();
    opened = await openReductionListStore(fresh.location);
    store = opened.store;
    expect(opened.migrated).toEqual([]);
  });

  it('files version n + 1 per enterprise and year, and reads the latest or a given version', async () => {
    const a = await store.save({ enterpriseId: 'ent-a', year: 2026, entries: [entry('e1', '1#线')], filedBy: 'officer', filedAt: 1000 });
    const b = await store.save({
      enterpriseId: 'ent-a',
      year: 2026,
      entries: [entry('e1', '1#线'), entry('e2', '喷涂工序')],
      filedBy: 'admin',
      filedAt: 2000,
    });
    const other = await store.save({ enterpriseId: 'ent-a', year: 2025, entries: [entry('e1', '旧线')], filedBy: 'officer', filedAt: 500 });
    const c = await store.save({ enterpriseId: 'ent-b', year: 2026, entries: [entry('e1', 'B线')], filedBy: 'officer', filedAt: 3000 });
    expect([a.version, b.version, other.version, c.version]).toEqual([1, 2, 1, 1]);
    expect(a).toEqual({ enterpriseId: 'ent-a', year: 2026, version: 1, filedAt: 1000, filedBy: 'officer', entries: [entry('e1', '1#线')] });
    expect(await store.get('ent-a', 2026)).toEqual(b);
    expect(await store.get('ent-a', 2026, 1)).toEqual(a);
    expect(await store.get('ent-a', 2026, 3)).toBeNull();
    expect(await store.get('ent-c', 2026)).toBeNull();
    expect(await store.versions('ent-a', 2026)).toEqual([
      { version: 1, filedAt: 1000, filedBy: 'officer', entries: 1 },
      { version: 2, filedAt: 2000, filedBy: 'admin', entries: 2 },
    ]);
    expect(await store.versions('ent-a', 2024)).toEqual([]);
  });

  it('summarises the latest version of every enterprise and year, with the acknowledgement of that version only', async () => {
    await store.save({ enterpriseId: 'ent-a', year: 2026, entries: [entry('e1', '1#线')], filedBy: 'officer', filedAt: 1000 });
    await store.acknowledge({ enterpriseId: 'ent-a', year: 2026, version: 1, username: 'ent-a-user', at: 1500 });
    await store.save({ enterpriseId: 'ent-a', year: 2025, entries: [entry('e1', '1#线')], filedBy: 'officer', filedAt: 900 });
    await store.save({ enterpriseId: 'ent-b', year: 2026, entries: [entry('e1', 'B线')], filedBy: 'officer', filedAt: 1100 });
    await store.acknowledge({ enterpriseId: 'ent-b', year: 2026, version: 1, username: 'ent-b-user', at: 1200 });
    await store.save({
      enterpriseId: 'ent-b',
      year: 2026,
      entries: [entry('e1', 'B线'), entry('e2', 'B2')],
      filedBy: 'officer',
      filedAt: 1300,
    });
    expect(await store.summaries()).toEqual([
      { enterpriseId: 'ent-a', year: 2025, version: 1, filedAt: 900, filedBy: 'officer', entries: 1, acknowledged: null },
      {
        enterpriseId: 'ent-a',
        year: 2026,
        version: 1,
        filedAt: 1000,
        filedBy: 'officer',
        entries: 1,
        acknowledged: { username: 'ent-a-user', at: 1500 },
      },
      // version 2 was filed after the acknowledgement of version 1: not acknowledged
      { enterpriseId: 'ent-b', year: 2026, version: 2, filedAt: 1300, filedBy: 'officer', entries: 2, acknowledged: null },
    ]);
  });

  it('acknowledges once per user and version: again keeps the first', async () => {
    await store.save({ enterpriseId: 'ent-a', year: 2026, entries: [entry('e1', '1#线')], filedBy: 'officer', filedAt: 1000 });
    const first = await store.acknowledge({ enterpriseId: 'ent-a', year: 2026, version: 1, username: 'u1', at: 2000 });
    const again = await store.acknowledge({ enterpriseId: 'ent-a', year: 2026, version: 1, username: 'u1', at: 3000 });
    expect(first).toEqual({ created: true, ack: { enterpriseId: 'ent-a', year: 2026, version: 1, username: 'u1', at: 2000 } });
    expect(again).toEqual({ created: false, ack: first.ack });
    await store.acknowledge({ enterpriseId: 'ent-a', year: 2026, version: 1, username: 'u2', at: 2500 });
    expect((await store.acknowledgements('ent-a', 2026)).map((a) => [a.username, a.at])).toEqual([
      ['u1', 2000],
      ['u2', 2500],
    ]);
    expect(await store.acknowledgements('ent-a', 2025)).toEqual([]);
  });

  it('records a reminder once per enterprise and year, and it survives a reopening', async () => {
    expect(await store.markReminded('ent-a', 2026, 1000)).toBe(true);
    expect(await store.markReminded('ent-a', 2026, 2000)).toBe(false);
    expect(await store.markReminded('ent-a', 2027, 3000)).toBe(true);
    expect(await store.markReminded('ent-b', 2026, 4000)).toBe(true);
    await opened.close();
    opened = await openReductionListStore(fresh.location);
    store = opened.store;
    expect(await store.markReminded('ent-a', 2026, 5000)).toBe(false);
    expect(await store.reminders(2026)).toEqual(
      new Map([
        ['ent-a', 1000],
        ['ent-b', 4000],
      ]),
    );
    expect(await store.reminders(2025)).toEqual(new Map());
  });
});
