/**
 * The alert store's contract (issue 15: the alert state on the typed query builder), on both
 * engines: alerts filtered, counted, paged and sorted for the wall as the hand-written SQLite store
 * did; one open alert per (source, factor, rule) whoever races; writes over a stale version refused
 * and nothing overwritten; an alert and its change's history written together; and, on SQLite, a
 * `state.db` written by the hand-written store adopted with its alerts and history.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../../server/domain/alert';
import { openAlertState, type AlertState, type AlertStore, type HistoryInput } from '../../../server/storage/sql/alert-store';
import { sqlEngines, type FreshDatabase } from '../../helpers/sql-engines';

const alert = (over: Partial<Omit<Alert, 'id'>> = {}): Omit<Alert, 'id'> => ({
  mn: 'M1',
  enterpriseId: 'e1',
  factor: 'a21001',
  rule: 'limit',
  severity: 'major',
  state: 'active',
  value: 9.5,
  peak: 9.5,
  limit: 8,
  unit: 'mg/m³',
  count: 1,
  openedAt: 1_000,
  lastSeenAt: 1_000,
  clearedAt: null,
  raisedAt: 1_000,
  acknowledgedAt: null,
  acknowledgedBy: null,
  assignee: null,
  escalatedAt: null,
  closedAt: null,
  closedBy: null,
  suppressed: null,
  evidence: null,
  ...over,
});

const opened = (at: number): HistoryInput => ({
  mn: 'M1',
  kind: 'opened',
  at,
  actor: 'system',
  note: null,
  detail: { code: 'measured', value: 9.5, unit: 'mg/m³', limit: 8, suppressed: null },
});

describe.each(sqlEngines())('AlertStore on $name', (engine) => {
  let fresh: FreshDatabase;
  let handle: AlertState;
  let store: AlertStore;
  beforeEach(async () => {
    fresh = await engine.create();
    handle = await openAlertState(fresh.location);
    store = handle.alerts;
  });
  afterEach(async () => {
    await handle.close();
    await fresh.remove();
  });

  const insert = async (a: Omit<Alert, 'id'>, entries: HistoryInput[] = []) => {
    const done = await store.insert(a, entries);
    if (done === 'duplicate') throw new Error('unexpected duplicate');
    return done;
  };

  it('records an alert with its first history entry and reads both back whole', async () => {
    const evidence = { window: 600, flat: true, note: null };
    const { alert: a, version } = await insert(alert({ evidence, suppressed: 'silence' }), [opened(1_000)]);
    expect(version).toBe(1);
    expect(await store.get(a.id)).toEqual({ alert: { ...alert({ evidence, suppressed: 'silence' }), id: a.id }, version: 1 });
    expect(await store.forAlert(a.id)).toEqual([{ ...opened(1_000), id: 1, alertId: a.id }]);
    expect(await store.get(a.id + 1)).toBeUndefined();
  });

  it('exceedance: any rule but the equipment’s (offline, instrument fault, maintenance flag), counted without reading', async () => {
    await insert(alert({ mn: 'M1', rule: 'limit', openedAt: 1_000 }));
    await insert(alert({ mn: 'M2', rule: 'offline', factor: '*', openedAt: 2_000 }));
    await insert(alert({ mn: 'M3', rule: 'instrument-fault', openedAt: 3_000 }));
    await insert(alert({ mn: 'M4', rule: 'maintenance-flag', openedAt: 4_000 }));
    await insert(alert({ mn: 'M5', rule: 'rate', openedAt: 5_000 }));
    const mns = async (q: Parameters<AlertStore['list']>[0]) => (await store.list(q)).map((a) => a.mn);
    expect(await mns({ limit: 10, exceedance: true })).toEqual(['M5', 'M1']);
    expect(await mns({ limit: 10, exceedance: false })).toEqual(['M4', 'M3', 'M2']);
    expect(await store.count({ limit: 1, exceedance: true, from: 1_000, to: 5_000 })).toBe(1);
    expect(await store.count({ limit: 1, exceedance: true, from: 0 })).toBe(2);
  });

  it('filters, counts and pages as the wall asks; text search ignores case and wildcards', async () => {
    await insert(alert({ mn: 'M1', severity: 'critical' }));
    await insert(alert({ mn: 'M2', enterpriseId: 'e2', factor: 'a21002', acknowledgedAt: 5, acknowledgedBy: 'li', openedAt: 2_000 }));
    await insert(
      alert({ mn: 'M3', rule: 'rate', state: 'cleared', clearedAt: 4_000, openedAt: 3_000, suppressed: 'silence', assignee: 'Zhao_100%' }),
    );
    await insert(
      alert({
        mn: 'M4',
        state: 'cleared',
        clearedAt: 4_000,
        acknowledgedAt: 5,
        acknowledgedBy: 'li',
        closedAt: 6,
        closedBy: 'li',
        openedAt: 4_000,
      }),
    );
    const mns = async (q: Parameters<AlertStore['list']>[0]) => (await store.list(q)).map((a) => a.mn);
    expect(await mns({ limit: 10 })).toEqual(['M4', 'M3', 'M2', 'M1']);
    expect(await mns({ limit: 10, attention: true })).toEqual(['M3', 'M1']);
    expect(await mns({ limit: 10, state: 'cleared', open: true })).toEqual(['M3']);
    expect(await mns({ limit: 10, open: false })).toEqual(['M4']);
    expect(await mns({ limit: 10, acknowledged: true })).toEqual(['M4', 'M2']);
    expect(await mns({ limit: 10, acknowledged: false })).toEqual(['M3', 'M1']);
    expect(await mns({ limit: 10, severity: ['critical', 'warning'] })).toEqual(['M1']);
    expect(await mns({ limit: 10, enterpriseId: 'e2' })).toEqual(['M2']);
    expect(await mns({ limit: 10, mn: 'M2' })).toEqual(['M2']);
    expect(await mns({ limit: 10, mns: ['M1', 'M4'] })).toEqual(['M4', 'M1']);
    expect(await mns({ limit: 10, mns: [] })).toEqual([]);
    expect(await mns({ limit: 10, rule: 'rate', factor: 'a21001' })).toEqual(['M3']);
    expect(await mns({ limit: 10, assignee: 'Zhao_100%' })).toEqual(['M3']);
    expect(await mns({ limit: 10, suppressed: true })).toEqual(['M3']);
    expect(await mns({ limit: 10, suppressed: false })).toEqual(['M4', 'M2', 'M1']);
    expect(await mns({ limit: 10, from: 2_000, to: 4_000 })).toEqual(['M3', 'M2']);
    expect(await mns({ limit: 10, q: 'E2' })).toEqual(['M2']);
    expect(await mns({ limit: 10, q: 'zhao_100%' })).toEqual(['M3']);
    expect(await mns({ limit: 10, q: '%' })).toEqual(['M3']);
    expect(await mns({ limit: 10, q: '_' })).toEqual(['M3']);
    expect(await mns({ limit: 2, offset: 1 })).toEqual(['M3', 'M2']);
    expect(await store.count({ limit: 1, offset: 3, open: true })).toBe(3);
    expect(await store.count({ limit: 1, mns: [] })).toBe(0);
    // Counted per source and rule without reading the alerts (the daily report's alerts column).
    const byRule = await store.countByRule({ from: 0, to: 4_000 });
    expect(byRule.sort((x, y) => x.mn.localeCompare(y.mn))).toEqual([
      { mn: 'M1', rule: 'limit', count: 1 },
      { mn: 'M2', rule: 'limit', count: 1 },
      { mn: 'M3', rule: 'rate', count: 1 },
    ]);
    await insert(alert({ mn: 'M1', severity: 'critical', openedAt: 1_500, closedAt: 2, closedBy: 'li' }));
    expect((await store.countByRule({ mn: 'M1' })).map((c) => c.count)).toEqual([2]);
    expect(await store.countByRule({ from: 2_000, to: 4_000, mns: [] })).toEqual([]);
    expect((await store.open()).map((v) => v.alert.mn)).toEqual(['M3', 'M2', 'M1']);
  });

  it('sorts by attention: open first, most severe, unacknowledged, newest', async () => {
    await insert(alert({ mn: 'closed-critical', severity: 'critical', closedAt: 9, closedBy: 'li', acknowledgedAt: 9, openedAt: 9_000 }));
    await insert(alert({ mn: 'warning-new', severity: 'warning', openedAt: 8_000 }));
    await insert(alert({ mn: 'major-acked', severity: 'major', acknowledgedAt: 5, acknowledgedBy: 'li', openedAt: 7_000 }));
    await insert(alert({ mn: 'major-old', severity: 'major', openedAt: 1_000 }));
    await insert(alert({ mn: 'major-new', severity: 'major', openedAt: 6_000 }));
    await insert(alert({ mn: 'critical', severity: 'critical', openedAt: 500 }));
    const order = (await store.list({ limit: 10, sort: 'attention' })).map((a) => a.mn);
    expect(order).toEqual(['critical', 'major-new', 'major-old', 'major-acked', 'warning-new', 'closed-critical']);
  });

  it('keeps one open alert per source, factor and rule: a second is refused until the first is closed', async () => {
    const first = await insert(alert());
    expect(await store.insert(alert({ value: 11 }), [opened(2_000)])).toBe('duplicate');
    // The refused insert left no history behind.
    expect(await store.forSource('M1', 10)).toEqual([]);
    expect((await store.insert(alert({ factor: 'a21002' }), [])) !== 'duplicate').toBe(true);
    const cleared = { ...first.alert, state: 'cleared' as const, clearedAt: 3_000 };
    const v2 = await store.update(cleared, 1, []);
    expect(v2).toBe(2);
    expect(await store.insert(alert(), [])).toBe('duplicate'); // cleared, not yet acknowledged: still open
    expect(await store.update({ ...cleared, closedAt: 4_000, closedBy: 'li' }, 2, [])).toBe(3);
    expect((await insert(alert())).alert.id).toBeGreaterThan(first.alert.id);
  });

  it('writes over the version it read only: a stale writer gets a conflict and changes nothing', async () => {
    const { alert: a } = await insert(alert(), [opened(1_000)]);
    const acknowledged = { ...a, acknowledgedAt: 2_000, acknowledgedBy: 'li' };
    const ackEntry: HistoryInput = { mn: 'M1', kind: 'acknowledged', at: 2_000, actor: 'li', note: '已电话通知', detail: null };
    expect(await store.update(acknowledged, 1, [ackEntry])).toBe(2);
    // A second writer that read version 1 (the owner seeing a new peak) is refused, its entry not written.
    const peak: HistoryInput = {
      mn: 'M1',
      kind: 'peak',
      at: 2_500,
      actor: 'system',
      note: null,
      detail: { code: 'peak', value: 12, unit: 'mg/m³' },
    };
    expect(await store.update({ ...a, value: 12, peak: 12, count: 2 }, 1, [peak])).toBe('conflict');
    const now = await store.get(a.id);
    expect(now).toEqual({ alert: acknowledged, version: 2 });
    expect((await store.forAlert(a.id)).map((e) => e.kind)).toEqual(['opened', 'acknowledged']);
    // It reloads, re-applies, and succeeds over version 2.
    expect(await store.update({ ...acknowledged, value: 12, peak: 12, count: 2 }, 2, [peak])).toBe(3);
    expect((await store.forAlert(a.id)).map((e) => e.kind)).toEqual(['opened', 'acknowledged', 'peak']);
  });

  it('two writers racing over one version: exactly one wins', async () => {
    const { alert: a } = await insert(alert());
    // PostgreSQL: a second pool, as a second process would have. SQLite is one process's file: its
    // handle serializes transactions, so the second writer reads the first's version.
    const other = engine.name === 'postgres' ? await openAlertState(fresh.location) : { alerts: store, close: async () => undefined };
    try {
      const results = await Promise.all([
        store.update({ ...a, assignee: 'li' }, 1, []),
        other.alerts.update({ ...a, assignee: 'wang' }, 1, []),
      ]);
      expect([...results].sort()).toEqual([2, 'conflict']);
      const winner = results[0] === 2 ? 'li' : 'wang';
      expect((await store.get(a.id))?.alert.assignee).toBe(winner);
    } finally {
      await other.close();
    }
  });

  it('keeps history per alert (oldest first) and per source (newest first, paged by id); internal comments marked', async () => {
    const { alert: a } = await insert(alert(), [opened(1)]);
    const { alert: b } = await insert(alert({ factor: 'a21002' }), [opened(2)]);
    await store.append({ alertId: a.id, mn: 'M1', kind: 'acknowledged', at: 3, actor: 'li', note: null });
    const comment = await store.append({
      alertId: a.id,
      mn: 'M1',
      kind: 'commented',
      at: 4,
      actor: 'li',
      note: '内部意见',
      internal: true,
    });
    expect(comment).toMatchObject({ id: 4, internal: true, detail: null });
    expect((await store.forAlert(a.id)).map((e) => e.kind)).toEqual(['opened', 'acknowledged', 'commented']);
    expect((await store.forAlert(a.id))[2]).toEqual(comment);
    expect((await store.forAlert(b.id)).map((e) => e.id)).toEqual([2]);
    expect((await store.forSource('M1', 2)).map((e) => e.id)).toEqual([4, 3]);
    expect((await store.forSource('M1', 10, 3)).map((e) => e.id)).toEqual([2, 1]);
  });

  it('migrates once, with its own history', async () => {
    await handle.close();
    handle = await openAlertState(fresh.location);
    store = handle.alerts;
    await insert(alert());
    expect(await store.count({ limit: 1 })).toBe(1);
  });
});

describe('AlertStore on a state.db of the hand-written store', () => {
  let dir: string;
  beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'o3-alert-legacy-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('adopts a state.db written by the hand-written store: its alerts, history and numbering', async () => {
    const file = join(dir, 'state.db');
    // The hand-written store's tables as its last version left them (server/storage/embedded before issue 15).
    const legacy = new Database(file);
    legacy.exec(`
      CREATE TABLE alerts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        mn TEXT NOT NULL, enterprise_id TEXT NOT NULL, factor TEXT NOT NULL, rule TEXT NOT NULL,
        severity TEXT NOT NULL, state TEXT NOT NULL, value REAL NOT NULL, peak REAL NOT NULL,
        limit_value REAL NOT NULL, unit TEXT NOT NULL, count INTEGER NOT NULL,
        opened_at INTEGER NOT NULL, last_seen_at INTEGER NOT NULL, cleared_at INTEGER,
        raised_at INTEGER NOT NULL DEFAULT 0, acknowledged_at INTEGER, acknowledged_by TEXT, assignee TEXT,
        escalated_at INTEGER, closed_at INTEGER, closed_by TEXT, suppressed TEXT, evidence TEXT
      );
      CREATE UNIQUE INDEX alerts_one_open ON alerts (mn, factor, rule) WHERE closed_at IS NULL;
      CREATE TABLE alert_history (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        alert_id INTEGER NOT NULL REFERENCES alerts (id), mn TEXT NOT NULL, kind TEXT NOT NULL,
        at INTEGER NOT NULL, actor TEXT NOT NULL, note TEXT, internal INTEGER NOT NULL DEFAULT 0, detail TEXT
      );
      INSERT INTO alerts (mn, enterprise_id, factor, rule, severity, state, value, peak, limit_value, unit, count,
        opened_at, last_seen_at, raised_at, evidence)
        VALUES ('M1', 'e1', 'a21001', 'limit', 'major', 'active', 9.5, 9.5, 8, 'mg/m³', 1, 1000, 1000, 1000,
        '{"window":600,"flat":true,"note":null}');
      INSERT INTO alert_history (alert_id, mn, kind, at, actor, note) VALUES (1, 'M1', 'opened', 1000, 'system', NULL);`);
    legacy.close();
    const old = { ...alert({ evidence: { window: 600, flat: true, note: null } }), id: 1 };
    const handle = await openAlertState(file);
    const store = handle.alerts;
    expect(await store.get(old.id)).toEqual({ alert: old, version: 1 });
    expect(await store.forAlert(old.id)).toEqual([
      { id: 1, alertId: old.id, mn: 'M1', kind: 'opened', at: 1_000, actor: 'system', note: null, detail: null },
    ]);
    expect(await store.insert(alert(), [])).toBe('duplicate');
    expect(await store.insert(alert({ factor: 'a21002' }), [])).toMatchObject({ alert: { id: old.id + 1 }, version: 1 });
    await handle.close();
  });
});
