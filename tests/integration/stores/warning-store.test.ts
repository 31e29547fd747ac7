/** The warning store's contract on both engines: its own migration history beside the registry's, ids, history, version checks. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NoticeRecipient } from '../../../server/domain/prenotice';
import type { WarningHistoryEntry } from '../../../server/domain/warning';
import { openNotifyTargetStore } from '../../../server/storage/sql/notify-target-store';
import { openWarningStore, type NewWarning, type WarningStore } from '../../../server/storage/sql/warning-store';
import { sqlEngines, type FreshDatabase } from '../../helpers/sql-engines';

const draft: NewWarning = {
  kind: 'heavy_pollution',
  level: 'orange',
  basis: 'regional_consultation',
  districts: ['双塔区', '龙城区'],
  issuedBy: 'ozone',
  issuedAt: 1000,
  startAt: 2000,
  plannedLiftAt: 90_000,
  liftedAt: null,
  liftedBy: null,
  status: 'issued',
  note: '区域会商：12 月 5 日起',
};
const issued: WarningHistoryEntry = { at: 1000, by: 'ozone', event: 'issued', fromLevel: null, toLevel: 'orange', note: null };

describe.each(sqlEngines())('WarningStore on $name', (engine) => {
  let fresh: FreshDatabase;
  let file: string;
  let opened: Awaited<ReturnType<typeof openWarningStore>>;
  let store: WarningStore;
  beforeEach(async () => {
    fresh = await engine.create();
    file = fresh.location;
    opened = await openWarningStore(file);
    store = opened.store;
  });
  afterEach(async () => {
    await opened.close();
    await fresh.remove();
  });

  it('migrates in the registry database with its own history, once', async () => {
    expect(opened.migrated).toEqual(['0001-warnings', '0002-notices']);
    const notify = await openNotifyTargetStore(file);
    expect(notify.migrated).toEqual(['0001-notify-targets', '0002-notify-channel-settings']);
    await notify.close();
    await opened.close();
    opened = await openWarningStore(file);
    store = opened.store;
    expect(opened.migrated).toEqual([]);
  });

  it('inserts with the next id, reads back every field and lists newest first', async () => {
    const a = await store.insert(draft, issued);
    const b = await store.insert({ ...draft, kind: 'ozone', plannedLiftAt: null, note: null }, { ...issued, at: 1500 });
    expect([a.id, b.id]).toEqual([1, 2]);
    expect(a).toEqual({ ...draft, id: 1, version: 1, history: [issued] });
    expect(await store.get(1)).toEqual(a);
    expect(await store.get(3)).toBeNull();
    expect((await store.list()).map((w) => [w.id, w.kind, w.plannedLiftAt, w.note])).toEqual([
      [2, 'ozone', null, null],
      [1, 'heavy_pollution', 90_000, '区域会商：12 月 5 日起'],
    ]);
  });

  it('saves a change with its history entry, checked against the version it was made from', async () => {
    const a = await store.insert(draft, issued);
    const up: WarningHistoryEntry = { at: 3000, by: 'admin', event: 'upgraded', fromLevel: 'orange', toLevel: 'red', note: '省级提示' };
    const saved = await store.save({ ...a, level: 'red', status: 'in_force' }, 1, up);
    expect(saved).toMatchObject({ level: 'red', status: 'in_force', version: 2, history: [issued, up] });
    expect(await store.get(a.id)).toEqual(saved);
    await expect(store.save({ ...a, level: 'yellow' }, 1, up)).rejects.toMatchObject({ status: 409, reason: 'version_conflict' });
    await expect(store.save({ ...a, id: 99 }, 1, up)).rejects.toMatchObject({ status: 404, reason: 'not_found' });
    const lifted: WarningHistoryEntry = { at: 4000, by: 'ozone', event: 'lifted', fromLevel: null, toLevel: null, note: null };
    const end = await store.save({ ...saved, status: 'lifted', liftedAt: 4000, liftedBy: 'ozone' }, 2, lifted);
    expect((await store.list())[0]).toEqual(end);
    expect(end.history.map((h) => h.event)).toEqual(['issued', 'upgraded', 'lifted']);
  });

  const recipient = (enterpriseId: string, district: string, industryCode: string | null = null): NoticeRecipient => ({
    enterpriseId,
    name: `${enterpriseId} 有限公司`,
    district,
    industryCode,
    industryName: industryCode ? '炼钢' : null,
    acknowledgedAt: null,
    acknowledgedBy: null,
  });

  it('pre-notices: inserted with the next id and their recipients, read back, listed newest first', async () => {
    const outlook = {
      horizon: { from: '2026-12-04', to: '2026-12-13' },
      episodes: [{ from: '2026-12-05', to: '2026-12-06', days: 2, peak: 230, level: 'orange' as const }],
      qualifyingDays: 2,
      frequent: false,
      rule: { minEpisodes: 2, minDays: 4 },
    };
    const base = { districts: ['双塔区'], level: 'orange' as const, from: '2026-12-05', to: '2026-12-09', message: '请提前调整生产计划' };
    const a = await opened.notices.insertPreNotice({
      ...base,
      issuedBy: 'ozone',
      issuedAt: 5000,
      outlook,
      recipients: [recipient('steel', '双塔区', 'C3120'), recipient('coke', '双塔区', 'C2521')],
    });
    const b = await opened.notices.insertPreNotice({
      ...base,
      level: 'red',
      issuedBy: 'admin',
      issuedAt: 6000,
      outlook: null,
      recipients: [],
    });
    expect([a.id, b.id]).toEqual([1, 2]);
    const back = await opened.notices.preNotice(1);
    expect(back).toEqual({ ...a, recipients: [a.recipients[1], a.recipients[0]] }); // by district, then id: coke, steel
    expect((await opened.notices.preNotices()).map((p) => [p.id, p.level, p.recipients.length, p.outlook === null])).toEqual([
      [2, 'red', 0, true],
      [1, 'orange', 2, false],
    ]);
    expect(await opened.notices.preNotice(3)).toBeNull();
  });

  it('acknowledgement (已知悉): the first time is kept; one not addressed is null; kinds are apart', async () => {
    await opened.notices.addRecipients('warning', 1, [recipient('steel', '双塔区'), recipient('glass', '龙城区')], 1000);
    await opened.notices.addRecipients('warning', 1, [recipient('steel', '双塔区')], 2000); // kept as it is
    expect(await opened.notices.acknowledge('warning', 1, 'steel', 3000, 'steel-user')).toMatchObject({
      enterpriseId: 'steel',
      acknowledgedAt: 3000,
      acknowledgedBy: 'steel-user',
    });
    expect(await opened.notices.acknowledge('warning', 1, 'steel', 4000, 'other')).toMatchObject({
      acknowledgedAt: 3000,
      acknowledgedBy: 'steel-user',
    });
    expect(await opened.notices.acknowledge('warning', 1, 'nobody', 4000, 'x')).toBeNull();
    expect(await opened.notices.acknowledge('pre_notice', 1, 'steel', 4000, 'x')).toBeNull();
    expect((await opened.notices.recipients('warning', 1)).map((r) => [r.enterpriseId, r.acknowledgedAt])).toEqual([
      ['glass', null], // 龙城区 before 双塔区
      ['steel', 3000],
    ]);
  });
});
