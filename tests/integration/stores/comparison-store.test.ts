/** The comparison-test store's contract on both engines: its own migration history, ids, figures kept as given, per-enterprise lists. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openComparisonStore, type NewComparison } from '../../../server/storage/sql/comparison-store';
import { openWarningStore } from '../../../server/storage/sql/warning-store';
import { sqlEngines, type FreshDatabase } from '../../helpers/sql-engines';

const test: NewComparison = {
  mn: '370300CEMS00000000000101',
  enterpriseId: 'qilu-power',
  factor: 'a21026',
  unit: 'mg/m³',
  from: 1_780_000_000_000,
  to: 1_780_003_600_000,
  referenceValues: [20.5, 21.5],
  referenceMean: 21,
  onlineMean: 27.25,
  onlineSamples: 120,
  errorKind: 'absolute',
  error: 6.25,
  allowed: 17,
  pass: true,
  note: '监测站 张三，HJ 57 定电位电解法',
  createdBy: 'officer',
  createdAt: 1_780_010_000_000,
};

describe.each(sqlEngines())('ComparisonStore on $name', (engine) => {
  let fresh: FreshDatabase;
  let opened: Awaited<ReturnType<typeof openComparisonStore>>;
  beforeEach(async () => {
    fresh = await engine.create();
    opened = await openComparisonStore(fresh.location);
  });
  afterEach(async () => {
    await opened.close();
    await fresh.remove();
  });

  it('migrates beside the other stores with its own history, once', async () => {
    expect(opened.migrated).toEqual(['0001-comparisons']);
    const warnings = await openWarningStore(fresh.location);
    expect(warnings.migrated).toEqual(['0001-warnings', '0002-notices']);
    await warnings.close();
    await opened.close();
    opened = await openComparisonStore(fresh.location);
    expect(opened.migrated).toEqual([]);
  });

  it('numbers tests 1, 2, … and gives them back as stored, newest first', async () => {
    const first = await opened.store.insert(test);
    const second = await opened.store.insert({
      ...test,
      pass: null,
      onlineMean: null,
      errorKind: null,
      error: null,
      allowed: null,
      note: null,
    });
    expect([first.id, second.id]).toEqual([1, 2]);
    expect(await opened.store.list()).toEqual([second, first]);
    expect(first).toEqual({ ...test, id: 1 });
  });

  it('lists one enterprise’s tests only when asked', async () => {
    await opened.store.insert(test);
    await opened.store.insert({ ...test, mn: '370300NH3000000000000201', enterpriseId: 'zichuan-cement' });
    expect((await opened.store.list({ enterpriseId: 'zichuan-cement' })).map((t) => t.enterpriseId)).toEqual(['zichuan-cement']);
    expect(await opened.store.list({ limit: 1 })).toHaveLength(1);
  });
});
