/**
 * The facility record store's contract (issue 16 item 2), on both engines: adsorbent replacements
 * and each facility's latest, yearly start/stop plans filed and changed against their version,
 * start/stop events stored once and counted, each line's latest event, the adsorbent watch.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFacilityRecordStore, type FacilityRecordStore } from '../../../server/storage/sql/facility-record-store';
import { sqlEngines, type FreshDatabase } from '../../helpers/sql-engines';

const T0 = Date.parse('2027-03-01T02:00:00Z');
const H = 3_600_000;

describe.each(sqlEngines())('FacilityRecordStore on $name', (engine) => {
  let fresh: FreshDatabase;
  let opened: Awaited<ReturnType<typeof openFacilityRecordStore>>;
  let store: FacilityRecordStore;
  beforeEach(async () => {
    fresh = await engine.create();
    opened = await openFacilityRecordStore(fresh.location);
    store = opened.store;
  });
  afterEach(async () => {
    await opened.close();
    await fresh.remove();
  });

  it('migrates with its own history, once', async () => {
    expect(opened.migrated).toEqual(['0001-facility-records']);
    await opened.close();
    opened = await openFacilityRecordStore(fresh.location);
    store = opened.store;
    expect(opened.migrated).toEqual([]);
  });

  it('keeps replacements (kg to the gram), latest first, and each facility’s latest date', async () => {
    const base = { enterpriseId: 'qilu-power', note: null, loggedBy: 'qilu', loggedAt: T0 };
    await store.addReplacement({ ...base, facilityId: 'ac1', date: '2027-01-10', amountKg: 1200.5 });
    const later = await store.addReplacement({ ...base, facilityId: 'ac1', date: '2027-02-20', amountKg: 800, note: '整箱更换' });
    await store.addReplacement({ ...base, facilityId: 'ac2', date: '2026-12-01', amountKg: 0.125 });
    const list = await store.replacements('ac1');
    expect(list.map((r) => [r.date, r.amountKg, r.note])).toEqual([
      ['2027-02-20', 800, '整箱更换'],
      ['2027-01-10', 1200.5, null],
    ]);
    expect(list[0]).toEqual(later);
    expect(await store.lastReplacementDates()).toEqual(
      new Map([
        ['ac1', '2027-02-20'],
        ['ac2', '2026-12-01'],
      ]),
    );
    expect((await store.replacements('ac2'))[0]?.amountKg).toBe(0.125);
  });

  it('files a plan, replaces its entries with the next version, refuses a stale version', async () => {
    const entries = [{ facilityId: 'line1', kind: 'stop' as const, date: '2027-06-01', note: '年度检修' }];
    expect(await store.plan('qilu-power', 2027)).toBeNull();
    const first = await store.putPlan({ enterpriseId: 'qilu-power', year: 2027, entries, by: 'qilu', at: T0, expectedVersion: 0 });
    expect(first.before).toBeNull();
    expect(first.after).toMatchObject({ version: 1, filedBy: 'qilu', filedAt: T0, entries });
    const more = [...entries, { facilityId: 'line1', kind: 'start' as const, date: '2027-06-10' }];
    const second = await store.putPlan({
      enterpriseId: 'qilu-power',
      year: 2027,
      entries: more,
      by: 'officer',
      at: T0 + H,
      expectedVersion: 1,
    });
    expect(second.before?.version).toBe(1);
    expect(await store.plan('qilu-power', 2027)).toEqual({
      ...second.after,
      filedAt: T0,
      filedBy: 'qilu',
      updatedBy: 'officer',
      updatedAt: T0 + H,
      version: 2,
    });
    await expect(
      store.putPlan({ enterpriseId: 'qilu-power', year: 2027, entries, by: 'qilu', at: T0, expectedVersion: 1 }),
    ).rejects.toMatchObject({
      status: 409,
    });
    await store.putPlan({ enterpriseId: 'zichuan-cement', year: 2027, entries: [], by: 'zc', at: T0 });
    await store.putPlan({ enterpriseId: 'zichuan-cement', year: 2026, entries: [], by: 'zc', at: T0 });
    expect((await store.plans(2027)).map((p) => p.enterpriseId)).toEqual(['qilu-power', 'zichuan-cement']);
  });

  it('stores an event once, lists a period, and knows each line’s latest event', async () => {
    const e = { enterpriseId: 'qilu-power', facilityId: 'line1', kind: 'stop' as const, at: T0, inSeason: false, planned: false };
    expect(await store.recordEvent(e)).toMatchObject(e);
    expect(await store.recordEvent(e)).toBeNull();
    await store.recordEvent({ ...e, kind: 'start', at: T0 + H, inSeason: true, planned: true });
    await store.recordEvent({ ...e, facilityId: 'line2', at: T0 + 2 * H });
    await store.recordEvent({ ...e, enterpriseId: 'zichuan-cement', facilityId: 'kiln', at: T0 + 3 * H });
    const all = await store.events({ from: T0, to: T0 + 10 * H, limit: 100 });
    expect(all.map((x) => [x.facilityId, x.kind])).toEqual([
      ['line1', 'stop'],
      ['line1', 'start'],
      ['line2', 'stop'],
      ['kiln', 'stop'],
    ]);
    expect((await store.events({ enterpriseId: 'qilu-power', from: T0 + H, to: T0 + 3 * H, limit: 100 })).map((x) => x.at)).toEqual([
      T0 + H,
      T0 + 2 * H,
    ]);
    expect(await store.lastEvents()).toEqual(
      new Map([
        ['line1', { kind: 'start', at: T0 + H }],
        ['line2', { kind: 'stop', at: T0 + 2 * H }],
        ['kiln', { kind: 'stop', at: T0 + 3 * H }],
      ]),
    );
  });

  it('keeps the adsorbent watch: first seen stays, the raised due date changes', async () => {
    await store.putWatch('ac1', '2027-01-01', null);
    await store.putWatch('ac1', '2027-02-01', '2027-01-31');
    expect(await store.watches()).toEqual(new Map([['ac1', { firstSeen: '2027-01-01', raisedDue: '2027-01-31' }]]));
  });
});
