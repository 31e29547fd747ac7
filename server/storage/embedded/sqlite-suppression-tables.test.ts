import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStateStore } from './sqlite-state-store';

describe('maintenance review and internal comments in SQLite', () => {
  let dir: string;
  beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'o3-supp-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('opens a data dir of the version before review: its windows stay approved, its comments visible', () => {
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
      CREATE TABLE alert_history (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        alert_id INTEGER NOT NULL, mn TEXT NOT NULL, kind TEXT NOT NULL,
        at INTEGER NOT NULL, actor TEXT NOT NULL, note TEXT
      );
      INSERT INTO alert_history (alert_id, mn, kind, at, actor, note) VALUES (1, 'M1', 'commented', 1, 'li', 'old note');`);
    old.close();
    const store = new SqliteStateStore(file);
    expect(store.maintenance.get(1)).toMatchObject({ reason: 'old', status: 'approved', reviewedBy: null, endedAt: null });
    expect(store.history.forAlert(1)).toEqual([
      { id: 1, alertId: 1, mn: 'M1', kind: 'commented', at: 1, actor: 'li', note: 'old note', detail: null },
    ]);
    store.close();
    new SqliteStateStore(file).close(); // a second open migrates nothing twice
  });

  it('keeps a window review and end, lists pending first, and keeps a comment internal', () => {
    const store = new SqliteStateStore(join(dir, 'state.db'));
    const base = {
      enterpriseId: 'e1',
      mn: 'M1',
      from: 10,
      to: 20,
      reason: 'r',
      declaredBy: 'ent',
      createdAt: 1,
      reviewNote: null,
      endedBy: null,
      endedAt: null,
    };
    const pending = store.maintenance.insert({ ...base, status: 'pending', reviewedBy: null, reviewedAt: null });
    const approved = store.maintenance.insert({ ...base, status: 'approved', reviewedBy: 'system', reviewedAt: 1 });
    store.maintenance.update({ ...approved, to: 15, endedBy: 'li', endedAt: 15 });
    store.maintenance.update({ ...pending, status: 'rejected', reviewedBy: 'li', reviewedAt: 5, reviewNote: '全厂停产须附停产计划' });
    const third = store.maintenance.insert({ ...base, status: 'pending', reviewedBy: null, reviewedAt: null });
    const alert = store.alerts.insert({
      mn: 'M1',
      enterpriseId: 'e1',
      factor: 'a21001',
      rule: 'limit',
      severity: 'major',
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
    });
    expect(store.maintenance.list({ limit: 10 }).map((w) => [w.id, w.status])).toEqual([
      [third.id, 'pending'],
      [approved.id, 'approved'],
      [pending.id, 'rejected'],
    ]);
    expect(store.maintenance.list({ limit: 10, status: 'rejected' })).toEqual([
      { ...base, id: pending.id, status: 'rejected', reviewedBy: 'li', reviewedAt: 5, reviewNote: '全厂停产须附停产计划' },
    ]);
    expect(store.maintenance.get(approved.id)).toMatchObject({ to: 15, endedBy: 'li', endedAt: 15 });
    store.history.append({ alertId: alert.id, mn: 'M1', kind: 'commented', at: 1, actor: 'li', note: 'internal', internal: true });
    store.history.append({ alertId: alert.id, mn: 'M1', kind: 'commented', at: 2, actor: 'li', note: 'shared', internal: false });
    expect(store.history.forAlert(alert.id).map((e) => [e.note, e.internal])).toEqual([
      ['internal', true],
      ['shared', undefined],
    ]);
    store.close();
  });
});
