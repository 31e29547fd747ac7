/**
 * The rectification-case store's contract (issue 19 item 3), on both engines (a SQLite file and a
 * PostgreSQL database): migration with its own history beside the duty store, cases inserted with
 * their first history entry, filtered and paged, replaced only from their current version, the
 * attachments' records under a per-case limit, and the overdue mark set once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseAttachment } from '../../../server/domain/case';
import { openCaseStore, type CaseStore, type NewCase } from '../../../server/storage/sql/case-store';
import { openDutyStore } from '../../../server/storage/sql/duty-store';
import { sqlEngines, type FreshDatabase } from '../../helpers/sql-engines';

const T0 = Date.parse('2026-07-01T02:00:00Z');

const newCase = (more: Partial<NewCase> = {}): NewCase => ({
  type: 'exceedance',
  enterpriseId: 'qilu-power',
  district: '淄川区',
  alertIds: [3, 4],
  sources: ['370300NH3000000000000101'],
  rules: ['limit-instant'],
  officer: 'officer',
  deadline: { kind: 'date', date: '2026-07-10' },
  requirements: ['更换催化剂', '提交检测报告'],
  internalNote: '内部',
  status: 'open',
  cleanDays: null,
  verifyingSince: null,
  report: null,
  returnReason: null,
  overdueAt: null,
  createdBy: 'officer',
  createdAt: T0,
  updatedAt: T0,
  closedAt: null,
  closedBy: null,
  ...more,
});
const created = { at: T0, by: 'officer', event: 'created' as const, note: null, detail: null, internal: false };
const attachment = (id: string): CaseAttachment => ({
  id,
  name: '整改报告.pdf',
  kind: 'pdf',
  size: 1234,
  sha256: 'ab'.repeat(32),
  uploadedBy: 'qilu-power',
  uploadedAt: T0 + 1,
  party: 'enterprise',
});

describe.each(sqlEngines())('CaseStore on $name', (engine) => {
  let fresh: FreshDatabase;
  let opened: Awaited<ReturnType<typeof openCaseStore>>;
  let store: CaseStore;
  beforeEach(async () => {
    fresh = await engine.create();
    opened = await openCaseStore(fresh.location);
    store = opened.store;
  });
  afterEach(async () => {
    await opened.close();
    await fresh.remove();
  });

  it('migrates beside the duty store with its own history, once', async () => {
    expect(opened.migrated).toEqual(['0001-cases']);
    const duty = await openDutyStore(fresh.location);
    expect(duty.migrated).toEqual(['0001-duty']);
    await duty.close();
    await opened.close();
    opened = await openCaseStore(fresh.location);
    store = opened.store;
    expect(opened.migrated).toEqual([]);
  });

  it('inserts a case with its first history entry and reads it back whole', async () => {
    const c = await store.insert(newCase(), created);
    expect(c).toMatchObject({ id: 1, version: 1, ...newCase(), attachments: [] });
    expect(c.history).toEqual([{ seq: 1, ...created }]);
    expect(await store.get(1)).toEqual(c);
    expect((await store.insert(newCase(), created)).id).toBe(2);
    expect(await store.get(99)).toBeNull();
  });

  it('filters by status, type, district, enterprise and overdue, newest first, paged', async () => {
    await store.insert(newCase(), created);
    await store.insert(
      newCase({ type: 'outage', enterpriseId: 'zichuan-cement', deadline: { kind: 'overhaul', latest: '2026-09-30' } }),
      created,
    );
    await store.insert(newCase({ district: '张店区', status: 'closed', closedAt: T0, closedBy: 'officer' }), created);
    const ids = async (f: Partial<Parameters<CaseStore['list']>[0]>) =>
      (await store.list({ limit: 50, offset: 0, ...f })).items.map((c) => c.id);
    expect(await ids({})).toEqual([3, 2, 1]);
    expect(await ids({ type: 'outage' })).toEqual([2]);
    expect(await ids({ status: 'closed' })).toEqual([3]);
    expect(await ids({ district: '淄川区' })).toEqual([2, 1]);
    expect(await ids({ enterpriseId: 'qilu-power' })).toEqual([3, 1]);
    expect(await ids({ overdue: { today: '2026-07-11', overdue: true } })).toEqual([1]);
    expect(await ids({ overdue: { today: '2026-07-11', overdue: false } })).toEqual([3, 2]);
    expect(await ids({ overdue: { today: '2026-07-10', overdue: true } })).toEqual([]);
    const page = await store.list({ limit: 1, offset: 1 });
    expect(page.items.map((c) => c.id)).toEqual([2]);
    expect(page.total).toBe(3);
  });

  it('replaces a case only from its current version, appending history', async () => {
    const c = await store.insert(newCase(), created);
    const entry = {
      at: T0 + 5,
      by: 'qilu-power',
      event: 'submitted' as const,
      note: '已整改',
      detail: { attachments: 0 },
      internal: false,
    };
    const report = { text: '已整改', attachmentIds: [], submittedAt: T0 + 5, submittedBy: 'qilu-power' };
    const next = await store.update({ ...c, status: 'submitted', report, version: 2, updatedAt: T0 + 5 }, 1, entry);
    expect(next).toMatchObject({ status: 'submitted', report, version: 2 });
    expect(next.history.map((h) => [h.seq, h.event])).toEqual([
      [1, 'created'],
      [2, 'submitted'],
    ]);
    await expect(store.update({ ...c, status: 'returned', version: 2 }, 1, entry)).rejects.toMatchObject({ status: 409 });
    await expect(store.update({ ...c, id: 42, version: 2 }, 1, entry)).rejects.toMatchObject({ status: 404 });
  });

  it('records attachments up to the limit, never on a closed case', async () => {
    const c = await store.insert(newCase(), created);
    const entry = {
      at: T0 + 1,
      by: 'qilu-power',
      event: 'attached' as const,
      note: null,
      detail: { name: '整改报告.pdf' },
      internal: false,
    };
    expect(await store.addAttachment(c.id, attachment('a1'), 'rnd-1', 2, entry)).toBe('added');
    expect(await store.addAttachment(c.id, attachment('a2'), 'rnd-2', 2, entry)).toBe('added');
    expect(await store.addAttachment(c.id, attachment('a3'), 'rnd-3', 2, entry)).toBe('full');
    expect(await store.addAttachment(77, attachment('a4'), 'rnd-4', 2, entry)).toBe('missing');
    const read = await store.get(c.id);
    expect(read?.attachments.map((a) => a.id)).toEqual(['a1', 'a2']);
    expect(read?.version).toBe(3);
    expect(await store.attachment(c.id, 'a1')).toEqual({ attachment: attachment('a1'), storedAs: 'rnd-1' });
    expect(await store.attachment(2, 'a1')).toBeNull();
    const closed = await store.insert(newCase({ status: 'closed' }), created);
    expect(await store.addAttachment(closed.id, attachment('a5'), 'rnd-5', 2, entry)).toBe('closed');
  });

  it('marks an overdue case once', async () => {
    await store.insert(newCase(), created);
    await store.insert(newCase({ deadline: { kind: 'date', date: '2026-08-01' } }), created);
    await store.insert(newCase({ status: 'closed' }), created);
    expect((await store.dueForOverdue('2026-07-11')).map((c) => c.id)).toEqual([1]);
    const entry = { at: T0, by: 'system', event: 'overdue' as const, note: null, detail: { due: '2026-07-10' }, internal: false };
    expect(await store.markOverdue(1, T0 + 10, entry)).toBe(true);
    expect(await store.markOverdue(1, T0 + 20, entry)).toBe(false);
    expect(await store.dueForOverdue('2026-07-11')).toEqual([]);
    expect(await store.get(1)).toMatchObject({ overdueAt: T0 + 10, version: 2 });
  });
});
