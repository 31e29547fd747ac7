/**
 * Two alert services over one PostgreSQL database (issue 15, docs/scale-out.md "Alerts in a
 * cluster"): the owner of a source keeps applying findings while an officer acts on another
 * process. Every write names the version it read; the loser reloads and applies its change again,
 * so nothing is lost and a key never has two open alerts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertService } from '../../server/alerts/alert-service';
import { createLogger } from '../../server/logger';
import { openAlertState, type AlertState } from '../../server/storage/sql/alert-store';
import { exceeded } from '../helpers/findings';
import { freshPgDatabase } from '../helpers/sql-engines';

const T0 = Date.UTC(2026, 6, 1, 2, 0, 0);

describe('two alert services over one PostgreSQL database', () => {
  let db: Awaited<ReturnType<typeof freshPgDatabase>>;
  let states: AlertState[];
  let owner: AlertService;
  let web: AlertService;
  const service = async () => {
    const state = await openAlertState(db.url);
    states.push(state);
    const s = new AlertService(state, createLogger('silent'), { now: () => T0 });
    await s.reloadAll();
    return s;
  };

  beforeEach(async () => {
    db = await freshPgDatabase();
    states = [];
    owner = await service();
    web = await service();
  });
  afterEach(async () => {
    await owner.settled();
    await web.settled();
    for (const s of states) await s.close();
    await db.drop();
  });

  it('an officer acknowledges on one while the owner applies findings: acknowledged, every finding counted, the peak kept', async () => {
    owner.apply([exceeded(T0, 9)], 'e1');
    await owner.settled();
    await web.reloadAll();
    const [opened] = web.openAlerts();
    expect(opened).toBeDefined();
    // The owner keeps deciding in memory while the acknowledgement races its writes.
    const readings = Array.from({ length: 40 }, (_, i) => exceeded(T0 + (i + 1) * 1_000, 10 + i));
    const acked = web.acknowledge(opened!.id, 'li', 'on it');
    for (const r of readings) owner.apply([r], 'e1');
    expect(await acked).toMatchObject({ ok: true, alert: { acknowledgedBy: 'li' } });
    await owner.settled();

    const open = await states[0]!.alerts.list({ open: true, limit: 10 });
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ id: opened!.id, acknowledgedBy: 'li', count: 41, peak: 49, value: 49 });
    // Told of the officer's change (in a cluster, by its alert:changed event), the owner's copy is the stored alert.
    await owner.onRemoteChange(opened!);
    expect(owner.openAlerts()).toEqual(open);
    const kinds = (await owner.history(opened!.id)).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'acknowledged')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'peak')).toHaveLength(40);
  });

  it('an alert resolved on another process: the owner’s next exceedance opens a new one, never a second open alert', async () => {
    owner.apply([exceeded(T0, 9)], 'e1');
    await owner.settled();
    const [first] = owner.openAlerts();
    expect(await web.resolve(first!.id, 'li')).toMatchObject({ ok: true, alert: { closedBy: 'li' } });
    // The owner has not heard of it: its copy is stale, its write loses, it reloads and opens anew.
    owner.apply([exceeded(T0 + 1_000, 12)], 'e1');
    owner.apply([exceeded(T0 + 2_000, 11)], 'e1');
    await owner.settled();
    const open = await states[0]!.alerts.list({ open: true, limit: 10 });
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ count: 2, peak: 12, acknowledgedAt: null });
    expect(open[0]!.id).not.toBe(first!.id);
    expect(owner.openAlerts()).toEqual(open);
  });

  it('two services opening the same key at once: one alert, both findings on it', async () => {
    owner.apply([exceeded(T0, 9)], 'e1');
    web.apply([exceeded(T0 + 1_000, 11)], 'e1');
    await Promise.all([owner.settled(), web.settled()]);
    const open = await states[0]!.alerts.list({ open: true, limit: 10 });
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ count: 2, peak: 11 });
  });

  it('onRemoteChange refreshes the copy from the store; reloadAll reads every open alert again', async () => {
    owner.apply([exceeded(T0, 9)], 'e1');
    await owner.settled();
    const [alert] = owner.openAlerts();
    await web.reloadAll();
    const acked = await web.acknowledge(alert!.id, 'li');
    expect(acked.ok).toBe(true);
    expect(owner.openAlerts()[0]?.acknowledgedAt).toBeNull();
    await owner.onRemoteChange(alert!);
    expect(owner.openAlerts()[0]).toMatchObject({ acknowledgedBy: 'li' });
    await web.resolve(alert!.id, 'li');
    await owner.reloadAll();
    expect(owner.openAlerts()).toEqual([]);
  });
});
