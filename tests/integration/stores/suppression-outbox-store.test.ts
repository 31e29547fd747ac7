/**
 * The rest of the alert state's contract on both engines (issue 15): silences and maintenance
 * windows (in force at a time, a source's own and its enterprise's windows, pending first), and the
 * notification outbox (due in order per target, retries, giving up, per-target delivery figures,
 * a deleted target's items given up, and items written in the transaction of the alert change).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert, MaintenanceWindow } from '../../../server/domain/alert';
import { openAlertState, type AlertState } from '../../../server/storage/sql/alert-store';
import type { NewOutboxItem } from '../../../server/storage/sql/outbox-store';
import { sqlEngines, type FreshDatabase } from '../../helpers/sql-engines';

const window = (over: Partial<Omit<MaintenanceWindow, 'id'>> = {}): Omit<MaintenanceWindow, 'id'> => ({
  enterpriseId: 'e1',
  mn: 'M1',
  from: 10,
  to: 20,
  reason: '更换探头',
  declaredBy: 'ent',
  createdAt: 1,
  status: 'approved',
  reviewedBy: 'system',
  reviewedAt: 1,
  reviewNote: null,
  endedBy: null,
  endedAt: null,
  ...over,
});

const item = (target: string, at: number, over: Partial<NewOutboxItem> = {}): NewOutboxItem => ({
  target,
  event: 'opened',
  alertId: 1,
  body: `{"at":${at}}`,
  createdAt: at,
  nextAttemptAt: at,
  ...over,
});

const newAlert: Omit<Alert, 'id'> = {
  mn: 'M1',
  enterpriseId: 'e1',
  factor: 'a21001',
  rule: 'limit',
  severity: 'critical',
  state: 'active',
  value: 9,
  peak: 9,
  limit: 8,
  unit: 'mg/m³',
  count: 1,
  openedAt: 1,
  lastSeenAt: 1,
  clearedAt: null,
  raisedAt: 1,
  acknowledgedAt: null,
  acknowledgedBy: null,
  assignee: null,
  escalatedAt: null,
  closedAt: null,
  closedBy: null,
  suppressed: null,
  evidence: null,
};

describe.each(sqlEngines())('silences, windows and the outbox on $name', (engine) => {
  let fresh: FreshDatabase;
  let state: AlertState;
  beforeEach(async () => {
    fresh = await engine.create();
    state = await openAlertState(fresh.location);
  });
  afterEach(async () => {
    await state.close();
    await fresh.remove();
  });

  it('lists silences newest first, or those in force at a time; updates keep their number', async () => {
    const s = state.suppressions;
    const a = await s.insertSilence({ mn: 'M1', factor: null, rule: null, reason: '标定', createdBy: 'li', createdAt: 100, endsAt: 200 });
    const b = await s.insertSilence({
      mn: null,
      factor: 'a21001',
      rule: 'limit',
      reason: '全市',
      createdBy: 'li',
      createdAt: 150,
      endsAt: 300,
    });
    expect((await s.listSilences({ limit: 10 })).map((x) => x.id)).toEqual([b.id, a.id]);
    expect((await s.listSilences({ activeAt: 120, limit: 10 })).map((x) => x.id)).toEqual([a.id]);
    expect((await s.listSilences({ activeAt: 200, limit: 10 })).map((x) => x.id)).toEqual([b.id]);
    await s.updateSilence({ ...a, endsAt: 110 });
    expect(await s.getSilence(a.id)).toEqual({ ...a, endsAt: 110 });
    expect(await s.getSilence(b.id + 1)).toBeUndefined();
  });

  it("lists windows pending first then newest; a source's own and its enterprise's whole windows apply", async () => {
    const s = state.suppressions;
    const own = await s.insertWindow(window());
    const whole = await s.insertWindow(window({ mn: null, from: 0, to: 50 }));
    const other = await s.insertWindow(window({ mn: 'M2' }));
    const pending = await s.insertWindow(window({ status: 'pending', reviewedBy: null, reviewedAt: null }));
    const ids = async (q: Parameters<typeof s.listWindows>[0]) => (await s.listWindows(q)).map((w) => w.id);
    expect(await ids({ limit: 10 })).toEqual([pending.id, other.id, whole.id, own.id]);
    expect(await ids({ limit: 10, mn: 'M1', status: 'approved' })).toEqual([whole.id, own.id]);
    expect(await ids({ limit: 10, mn: 'M1', activeAt: 30 })).toEqual([whole.id]);
    expect(await ids({ limit: 10, endingAfter: 20 })).toEqual([whole.id]);
    expect(await ids({ limit: 10, enterpriseId: 'e2' })).toEqual([]);
    const rejected = { ...pending, status: 'rejected' as const, reviewedBy: 'li', reviewedAt: 5, reviewNote: '全厂停产须附停产计划' };
    await s.updateWindow(rejected);
    expect(await s.getWindow(pending.id)).toEqual(rejected);
  });

  it('hands out due items oldest first, none of a target while an older one of it waits for its retry', async () => {
    const o = state.outbox;
    await o.enqueue([item('hook-a', 1), item('hook-a', 2), item('hook-b', 3), item('hook-b', 50)]);
    expect(await o.pending()).toBe(4);
    const first = await o.due(10, 10);
    expect(first.map((i) => [i.target, i.createdAt])).toEqual([
      ['hook-a', 1],
      ['hook-a', 2],
      ['hook-b', 3],
    ]);
    expect(first[0]).toMatchObject({ event: 'opened', alertId: 1, body: '{"at":1}', attempts: 0, lastError: null });
    await o.retryLater(first[0]!.id, 1, 30, 'HTTP 503', 10);
    await o.delivered(first[2]!.id, 11);
    // hook-a's first item waits until 30: its second must not overtake it.
    expect((await o.due(20, 10)).map((i) => i.createdAt)).toEqual([]);
    expect((await o.due(60, 10)).map((i) => i.createdAt)).toEqual([1, 2, 50]);
    expect((await o.due(60, 2)).map((i) => i.createdAt)).toEqual([1, 2]);
    await o.abandon(first[0]!.id, 61, 'HTTP 410');
    expect(await o.pending()).toBe(2);
    const stats = await o.deliveryStats();
    expect(stats.get('hook-a')).toEqual({
      pending: 1,
      delivered: 0,
      failedAttempts: 2,
      abandoned: 1,
      lastError: 'HTTP 410',
      lastErrorAt: 61,
      lastDeliveredAt: null,
    });
    expect(stats.get('hook-b')).toMatchObject({ pending: 1, delivered: 1, failedAttempts: 0, lastError: null, lastDeliveredAt: 11 });
    expect(await o.abandonTarget('hook-a', 70, '目标已删除')).toBe(1);
    expect(await o.abandonTarget('hook-a', 71, '目标已删除')).toBe(0);
    expect((await o.deliveryStats()).get('hook-a')).toMatchObject({ pending: 0, abandoned: 2 });
    expect(await o.pending()).toBe(1);
  });

  it("writes an alert change's notifications in its transaction, with the alert's number, and none for a refused change", async () => {
    const notify = (a: Alert) => [item('hook-a', 5, { alertId: a.id, body: `alert ${a.id}` })];
    const saved = await state.alerts.insert(newAlert, [], notify);
    if (saved === 'duplicate') throw new Error('unexpected duplicate');
    expect(await state.alerts.insert(newAlert, [], notify)).toBe('duplicate');
    expect(await state.alerts.update({ ...saved.alert, escalatedAt: 9 }, 7, [], notify)).toBe('conflict');
    const due = await state.outbox.due(10, 10);
    expect(due.map((i) => [i.alertId, i.body])).toEqual([[saved.alert.id, `alert ${saved.alert.id}`]]);
    expect(
      await state.alerts.update({ ...saved.alert, escalatedAt: 9 }, 1, [], (a) => [
        item('hook-a', 9, { event: 'escalated', alertId: a.id }),
      ]),
    ).toBe(2);
    expect((await state.outbox.due(10, 10)).map((i) => i.event)).toEqual(['opened', 'escalated']);
  });
});

describe('the outbox and windows of a state.db of the hand-written store', () => {
  let dir: string;
  beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'o3-outbox-legacy-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('are adopted: windows from before review stay approved, undelivered notifications stay due', async () => {
    const file = join(dir, 'state.db');
    const old = new Database(file);
    old.exec(`
      CREATE TABLE maintenance_windows (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        enterprise_id TEXT NOT NULL, mn TEXT, from_ts INTEGER NOT NULL, to_ts INTEGER NOT NULL,
        reason TEXT NOT NULL, declared_by TEXT NOT NULL, created_at INTEGER NOT NULL
      );
      INSERT INTO maintenance_windows (enterprise_id, mn, from_ts, to_ts, reason, declared_by, created_at)
        VALUES ('e1', NULL, 1, 2, 'old', 'ent', 1);
      CREATE TABLE notification_outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        target TEXT NOT NULL, event TEXT NOT NULL, alert_id INTEGER NOT NULL, body TEXT NOT NULL,
        created_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL,
        last_error TEXT, delivered_at INTEGER, abandoned_at INTEGER
      );
      INSERT INTO notification_outbox (target, event, alert_id, body, created_at, attempts, next_attempt_at, last_error)
        VALUES ('hook-a', 'opened', 7, '{}', 1, 2, 5, 'HTTP 503');`);
    old.close();
    const state = await openAlertState(file);
    try {
      expect(await state.suppressions.getWindow(1)).toMatchObject({ reason: 'old', status: 'approved', reviewedBy: null, endedAt: null });
      expect(await state.outbox.due(10, 10)).toEqual([
        {
          id: 1,
          target: 'hook-a',
          event: 'opened',
          alertId: 7,
          body: '{}',
          createdAt: 1,
          attempts: 2,
          nextAttemptAt: 5,
          lastError: 'HTTP 503',
        },
      ]);
    } finally {
      await state.close();
    }
  });
});
