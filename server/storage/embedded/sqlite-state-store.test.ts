import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../domain/alert';
import { SqliteStateStore } from './sqlite-state-store';

const alert = (over: Partial<Omit<Alert, 'id'>> = {}): Omit<Alert, 'id'> => ({
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

describe('SqliteStateStore', () => {
  let dir: string;
  beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'o3-state-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('history of the previous version (no detail column) is kept with its free text; new entries store their detail', () => {
    const file = join(dir, 'state.db');
    new SqliteStateStore(file).close();
    const old = new Database(file);
    old.exec(`
      DROP TABLE alert_history;
      CREATE TABLE alert_history (
        id INTEGER PRIMARY KEY AUTOINCREMENT, alert_id INTEGER NOT NULL, mn TEXT NOT NULL, kind TEXT NOT NULL,
        at INTEGER NOT NULL, actor TEXT NOT NULL, note TEXT
      );
      INSERT INTO alert_history (alert_id, mn, kind, at, actor, note)
      VALUES (1, 'M1', 'escalated', 1000, 'system', 'unacknowledged for 15 min');`);
    old.close();
    const store = new SqliteStateStore(file);
    expect(store.history.forAlert(1)).toEqual([
      { id: 1, alertId: 1, mn: 'M1', kind: 'escalated', at: 1000, actor: 'system', note: 'unacknowledged for 15 min', detail: null },
    ]);
    const detail = { code: 'escalated', minutes: 20 } as const;
    store.history.append({ alertId: 1, mn: 'M1', kind: 'escalated', at: 2000, actor: 'system', note: null, detail });
    expect(store.history.forSource('M1', 1)[0]).toMatchObject({ note: null, detail: { code: 'escalated', minutes: 20 } });
    store.close();
  });

  it('opens a database of the previous version: rows kept, resolved ones cleared and closed, one open alert per key', () => {
    const file = join(dir, 'state.db');
    const old = new Database(file);
    old.exec(`
      CREATE TABLE alerts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        mn TEXT NOT NULL, enterprise_id TEXT NOT NULL, factor TEXT NOT NULL, rule TEXT NOT NULL,
        severity TEXT NOT NULL, state TEXT NOT NULL, value REAL NOT NULL, peak REAL NOT NULL,
        limit_value REAL NOT NULL, unit TEXT NOT NULL, count INTEGER NOT NULL,
        opened_at INTEGER NOT NULL, last_seen_at INTEGER NOT NULL, resolved_at INTEGER
      );
      CREATE UNIQUE INDEX alerts_one_active ON alerts (mn, factor, rule) WHERE state = 'active';
      INSERT INTO alerts (mn, enterprise_id, factor, rule, severity, state, value, peak, limit_value, unit, count, opened_at, last_seen_at, resolved_at)
      VALUES ('M1', 'e1', 'a21001', 'limit', 'major', 'resolved', 7, 12, 8, 'mg/m³', 4, 1000, 2000, 3000),
             ('M1', 'e1', 'a21001', 'limit', 'major', 'active', 9, 9, 8, 'mg/m³', 1, 5000, 5000, NULL);`);
    old.close();

    const store = new SqliteStateStore(file);
    const [active, resolved] = store.alerts.list({ limit: 10 });
    expect(resolved).toMatchObject({
      id: 1,
      state: 'cleared',
      clearedAt: 3000,
      closedAt: 3000,
      closedBy: 'system',
      peak: 12,
      raisedAt: 1000,
      evidence: null,
    });
    expect(active).toMatchObject({
      id: 2,
      state: 'active',
      clearedAt: null,
      closedAt: null,
      acknowledgedAt: null,
      suppressed: null,
      raisedAt: 5000,
    });
    expect(store.alerts.open().map((a) => a.id)).toEqual([2]);
    expect(() => store.alerts.insert(alert())).toThrow(/UNIQUE/);
    // A cleared but unacknowledged alert is still open: still the one of its key.
    store.alerts.update({ ...(active as Alert), state: 'cleared', clearedAt: 6000 });
    expect(() => store.alerts.insert(alert())).toThrow(/UNIQUE/);
    store.alerts.update({ ...(active as Alert), state: 'cleared', clearedAt: 6000, closedAt: 7000, closedBy: 'li' });
    expect(store.alerts.insert(alert()).id).toBe(3);
    store.close();
    // Opening again changes nothing.
    const again = new SqliteStateStore(file);
    expect(again.alerts.count({ limit: 10 })).toBe(3);
    again.close();
  });

  it('filters, counts and pages alerts; evidence round-trips as JSON', () => {
    const store = new SqliteStateStore(join(dir, 'state.db'));
    store.alerts.insert(alert({ mn: 'M1', severity: 'critical', evidence: { window: 600, flat: true, note: null } }));
    store.alerts.insert(
      alert({ mn: 'M2', enterpriseId: 'e2', factor: 'a21002', acknowledgedAt: 5, acknowledgedBy: 'li', openedAt: 2_000 }),
    );
    store.alerts.insert(
      alert({ mn: 'M3', rule: 'rate', state: 'cleared', clearedAt: 4_000, openedAt: 3_000, suppressed: 'silence', assignee: 'zhao_100%' }),
    );
    store.alerts.insert(
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
    const mns = (q: Parameters<typeof store.alerts.list>[0]) => store.alerts.list(q).map((a) => a.mn);
    expect(mns({ limit: 10 })).toEqual(['M4', 'M3', 'M2', 'M1']);
    expect(mns({ limit: 10, attention: true })).toEqual(['M3', 'M1']);
    expect(mns({ limit: 10, state: 'cleared', open: true })).toEqual(['M3']);
    expect(mns({ limit: 10, acknowledged: true })).toEqual(['M4', 'M2']);
    expect(mns({ limit: 10, severity: ['critical', 'warning'] })).toEqual(['M1']);
    expect(mns({ limit: 10, enterpriseId: 'e2' })).toEqual(['M2']);
    expect(mns({ limit: 10, rule: 'rate', factor: 'a21001' })).toEqual(['M3']);
    expect(mns({ limit: 10, suppressed: true })).toEqual(['M3']);
    expect(mns({ limit: 10, from: 2_000, to: 4_000 })).toEqual(['M3', 'M2']);
    expect(mns({ limit: 10, q: 'e2' })).toEqual(['M2']);
    expect(mns({ limit: 10, q: '_100%' })).toEqual(['M3']);
    expect(mns({ limit: 10, q: '%' })).toEqual(['M3']);
    expect(mns({ limit: 2, offset: 1 })).toEqual(['M3', 'M2']);
    expect(store.alerts.count({ limit: 1, offset: 3, open: true })).toBe(3);
    expect(store.alerts.get(1)?.evidence).toEqual({ window: 600, flat: true, note: null });
    store.close();
  });

  it('keeps history per alert (oldest first) and per source (newest first, paged by id)', () => {
    const store = new SqliteStateStore(join(dir, 'state.db'));
    const a = store.alerts.insert(alert());
    const b = store.alerts.insert(alert({ factor: 'a21002' }));
    for (const [alertId, kind] of [
      [a.id, 'opened'],
      [b.id, 'opened'],
      [a.id, 'acknowledged'],
      [a.id, 'commented'],
    ] as const) {
      store.history.append({ alertId, mn: 'M1', kind, at: 1, actor: 'li', note: null });
    }
    expect(store.history.forAlert(a.id).map((e) => e.kind)).toEqual(['opened', 'acknowledged', 'commented']);
    const page = store.history.forSource('M1', 2);
    expect(page.map((e) => e.id)).toEqual([4, 3]);
    expect(store.history.forSource('M1', 10, 3).map((e) => e.id)).toEqual([2, 1]);
    store.close();
  });
});
