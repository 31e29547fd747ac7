import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert, Finding, Severity } from '../domain/alert';
import type { AlertEventKind } from '../domain/events';
import { EventBus } from '../domain/internal-events';
import { createLogger } from '../logger';
import { openAlertState, type AlertState } from '../storage/sql/alert-store';
import { exceeded, normal, offline } from '../../tests/helpers/findings';
import { AlertService } from './alert-service';

const MIN = 60_000;
const T0 = Date.UTC(2026, 6, 1, 2, 0, 0);
describe('AlertService', () => {
  let dir: string;
  let store: AlertState;
  let clock: number;
  let events: [AlertEventKind, Alert][];
  let service: AlertService;
  const build = async () => {
    const bus = new EventBus();
    bus.on('alert:changed', ({ kind, alert }) => events.push([kind, alert]));
    const built = new AlertService(store, createLogger('silent'), { escalateAfterMs: 15 * MIN, now: () => clock, events: bus });
    await built.reloadAll();
    return built;
  };
  /** Applies the findings and waits for their writes. */
  const apply = async (findings: Finding[], enterpriseId: string, s = service) => {
    s.apply(findings, enterpriseId);
    await s.settled();
  };
  const kinds = () => events.map(([k]) => k);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'o3-alerts-'));
    store = await openAlertState(join(dir, 'state.db'));
    clock = T0;
    events = [];
    service = await build();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('one open alert per key: repeats update it, a new peak goes into the history', async () => {
    await apply([exceeded(T0, 9)], 'e1');
    await apply([exceeded(T0 + 1_000, 12)], 'e1');
    await apply([exceeded(T0 + 2_000, 10)], 'e1');
    expect(kinds()).toEqual(['opened', 'updated', 'updated']);
    const [alert] = service.openAlerts();
    expect(alert).toMatchObject({ count: 3, value: 10, peak: 12, lastSeenAt: T0 + 2_000, enterpriseId: 'e1', raisedAt: T0 });
    expect((await service.history(alert!.id)).map((e) => [e.kind, e.actor])).toEqual([
      ['opened', 'system'],
      ['peak', 'system'],
    ]);
  });

  it('an alert is quieted by what was open when its finding came, not by what opened while its write waited', async () => {
    // One tick: a quarter's mean closes, then the same source is found offline; both writes queued.
    service.apply([exceeded(T0, 9)], 'e1');
    service.apply([offline(T0 + 1_000)], 'e1');
    await service.settled();
    const byRule = new Map(service.openAlerts().map((a) => [a.rule, a]));
    expect(byRule.get('limit')?.suppressed).toBeNull();
    expect(kinds()).toEqual(['opened', 'opened']);
    // Found after the offline alert: inhibited, as before.
    await apply([exceeded(T0 + 2_000, 9, { factor: 'a21002' })], 'e1');
    expect(service.openAlerts().find((a) => a.factor === 'a21002')?.suppressed).toBe('inhibited');
  });

  it('findings applied back to back are decided in memory and written in order, announced once committed', async () => {
    service.apply([exceeded(T0, 9)], 'e1');
    service.apply([exceeded(T0 + 1_000, 12)], 'e1');
    service.apply([normal(T0 + 2_000)], 'e1');
    expect(kinds()).toEqual([]); // nothing is announced before its write commits
    await service.settled();
    expect(events.map(([k, a]) => [k, a.id, a.count])).toEqual([
      ['opened', 1, 1],
      ['updated', 1, 2],
      ['cleared', 1, 2],
    ]);
    expect(service.openAlerts()).toMatchObject([{ id: 1, state: 'cleared', peak: 12 }]);
    expect((await service.history(1)).map((e) => e.kind)).toEqual(['opened', 'peak', 'cleared']);
  });

  it('a finding that changes nothing reads and writes no store', async () => {
    let calls = 0;
    const counted = new Proxy(store.alerts, {
      get: (target, name, receiver) => {
        const v: unknown = Reflect.get(target, name, receiver);
        return typeof v === 'function' ? (...args: unknown[]) => (calls++, (v as (...a: unknown[]) => unknown).apply(target, args)) : v;
      },
    });
    const s = new AlertService({ ...store, alerts: counted }, createLogger('silent'), { now: () => clock });
    await s.reloadAll();
    await apply([exceeded(T0, 9)], 'e1', s);
    await apply([normal(T0 + 1_000)], 'e1', s);
    const before = calls;
    await apply([normal(T0 + 2_000), normal(T0 + 2_000, { mn: 'M2' })], 'e1', s);
    expect(calls).toBe(before);
  });

  it('a cleared alert stays open until acknowledged; a recurrence meanwhile reactivates it, after closing opens a new one', async () => {
    await apply([exceeded(T0)], 'e1');
    await apply([normal(T0 + 1_000)], 'e1');
    const [cleared] = service.openAlerts();
    expect(cleared).toMatchObject({ state: 'cleared', clearedAt: T0 + 1_000, closedAt: null });
    expect((await service.list({ attention: true, limit: 10 })).total).toBe(1);
    expect(service.active()).toEqual([]);

    await apply([exceeded(T0 + 2_000)], 'e1');
    expect(service.openAlerts()).toMatchObject([{ id: cleared!.id, state: 'active', count: 2 }]);
    await apply([normal(T0 + 3_000)], 'e1');
    clock += 5_000;
    const acked = await service.acknowledge(cleared!.id, 'li');
    expect(acked).toMatchObject({ ok: true, alert: { acknowledgedBy: 'li', closedBy: 'li', closedAt: clock } });
    expect(service.openAlerts()).toEqual([]);

    await apply([exceeded(T0 + 4_000)], 'e1');
    expect(service.openAlerts()[0]!.id).not.toBe(cleared!.id);
    expect(kinds()).toEqual(['opened', 'cleared', 'updated', 'cleared', 'updated', 'opened']);
    expect((await service.history(cleared!.id)).map((e) => e.kind)).toEqual([
      'opened',
      'cleared',
      'reactivated',
      'cleared',
      'acknowledged',
      'resolved',
    ]);
  });

  it('an acknowledged alert that clears is closed by the system', async () => {
    await apply([exceeded(T0)], 'e1');
    const id = service.openAlerts()[0]!.id;
    await service.acknowledge(id, 'li', 'on it');
    await apply([normal(T0 + 1_000)], 'e1');
    expect(await service.get(id)).toMatchObject({ state: 'cleared', closedBy: 'system' });
    // The server's own words are data (a code and its parameters) for the dashboard to localize;
    // `note` holds only what a person wrote.
    expect((await service.history(id)).map((e) => [e.kind, e.actor, e.note, e.detail])).toEqual([
      ['opened', 'system', null, { code: 'measured', value: 9, unit: 'mg/m³', limit: 8, suppressed: null }],
      ['acknowledged', 'li', 'on it', null],
      ['cleared', 'system', null, { code: 'cleared', value: 5, unit: 'mg/m³' }],
      ['resolved', 'system', null, { code: 'closedAfterAcknowledged' }],
    ]);
  });

  it('records assignment, silence, escalation and flag alerts as structured details (no fake limit)', async () => {
    await apply([exceeded(T0, 9, { severity: 'critical' })], 'e1');
    const id = service.openAlerts()[0]!.id;
    await service.assign(id, 'li', 'zhao');
    await service.tick(T0 + 15 * MIN);
    await service.silence(id, 'li', { reason: '更换分析仪', endsAt: clock + 60 * MIN });
    expect((await service.history(id)).slice(1).map((e) => [e.kind, e.note, e.detail])).toEqual([
      ['assigned', null, { code: 'assigned', assignee: 'zhao' }],
      ['escalated', null, { code: 'escalated', minutes: 15 }],
      ['silenced', '更换分析仪', { code: 'silenced', silenceId: expect.any(Number), endsAt: clock + 60 * MIN }],
    ]);
    const flagged = exceeded(T0, 0, { factor: 'a01012', rule: 'maintenance-flag', severity: 'info', limit: 0, evidence: { flag: 'M' } });
    await apply([flagged], 'e1');
    const flag = service.openAlerts().find((a) => a.rule === 'maintenance-flag')!;
    expect((await service.history(flag.id))[0]?.detail).toMatchObject({ code: 'measured', limit: null });
  });

  it('actions on a closed alert are refused, comments still accepted; unknown ids are not found', async () => {
    await apply([exceeded(T0)], 'e1');
    const id = service.openAlerts()[0]!.id;
    expect(await service.resolve(id, 'li', 'false alarm')).toMatchObject({ ok: true, alert: { closedBy: 'li' } });
    expect(await service.assign(id, 'li', 'zhao')).toEqual({ ok: false, reason: 'closed' });
    expect(await service.comment(id, 'ent-user', 'SCR was being serviced')).toMatchObject({
      ok: true,
      entry: { kind: 'commented', actor: 'ent-user' },
    });
    expect(await service.acknowledge(999, 'li')).toEqual({ ok: false, reason: 'not_found' });
  });

  it('silencing an alert quiets it and the next ones of its key; they are recorded, not announced', async () => {
    await apply([exceeded(T0)], 'e1');
    const id = service.openAlerts()[0]!.id;
    expect(await service.silence(id, 'li', { reason: 'analyser swap', endsAt: clock + 60 * MIN })).toMatchObject({
      ok: true,
      alert: { suppressed: 'silence' },
    });
    await service.resolve(id, 'li');
    events = [];
    await apply([exceeded(T0 + 1_000)], 'e1');
    expect(kinds()).toEqual(['updated']);
    expect(service.openAlerts()[0]).toMatchObject({ suppressed: 'silence' });
    expect((await service.history(id)).map((e) => e.kind)).toContain('silenced');
    // After the silence ends, a new alert is announced again.
    await service.resolve(service.openAlerts()[0]!.id, 'li');
    clock += 61 * MIN;
    await apply([exceeded(T0 + 2_000)], 'e1');
    expect(events.at(-1)?.[0]).toBe('opened');
  });

  it('alerts inside a maintenance window of the source or its enterprise are quiet', async () => {
    const window = { enterpriseId: 'e1', mn: null, from: T0, to: T0 + 60 * MIN, reason: 'overhaul' };
    await service.suppressions.declareWindow(window, 'ent', { status: 'approved', by: 'li' });
    await apply([exceeded(T0 + 1_000), exceeded(T0 + 1_000, 1, { rule: 'maintenance-flag', factor: 'a21002', limit: 0 })], 'e1');
    await apply([exceeded(T0 + 1_000, 9, { mn: 'M9' })], 'e2');
    expect(events.map(([k, a]) => [k, a.mn, a.suppressed])).toEqual([
      ['updated', 'M1', 'maintenance'],
      ['updated', 'M1', 'maintenance'],
      ['opened', 'M9', null],
    ]);
  });

  it('a pending window quiets nothing; an approved one never quiets a bypass', async () => {
    const span = { from: T0, to: T0 + 60 * MIN, reason: 'overhaul' };
    await service.suppressions.declareWindow({ enterpriseId: 'e2', mn: null, ...span }, 'ent', { status: 'pending' });
    await service.suppressions.declareWindow({ enterpriseId: 'e1', mn: 'M1', ...span }, 'ent', { status: 'approved', by: 'system' });
    await apply([exceeded(T0 + 1_000, 9, { mn: 'M9' })], 'e2');
    await apply([exceeded(T0 + 1_000, 3, { factor: 'abp01', rule: 'bypass', severity: 'critical', limit: 0, unit: 'm³/h' })], 'e1');
    expect(events.map(([k, a]) => [k, a.mn, a.rule, a.suppressed])).toEqual([
      ['opened', 'M9', 'limit', null],
      ['opened', 'M1', 'bypass', null],
    ]);
  });

  it('while a source is offline its other new alerts are inhibited; the offline alert itself is announced', async () => {
    await apply([offline(T0)], 'e1');
    await apply([exceeded(T0 + 1_000)], 'e1');
    expect(events.map(([k, a]) => [k, a.rule, a.suppressed])).toEqual([
      ['opened', 'offline', null],
      ['updated', 'limit', 'inhibited'],
    ]);
    await apply([normal(T0 + 2_000, { factor: '*', rule: 'offline' })], 'e1');
    await apply([exceeded(T0 + 3_000, 9, { factor: 'a21002' })], 'e1');
    expect(events.at(-1)).toMatchObject(['opened', { factor: 'a21002', suppressed: null }]);
  });

  it.each<[string, Severity, number, boolean]>([
    ['a critical alert unacknowledged for 15 min is escalated once', 'critical', 15 * MIN, true],
    ['not before', 'critical', 15 * MIN - 1, false],
    ['a major one never', 'major', 60 * MIN, false],
  ])('%s', async (_name, severity, after, escalates) => {
    await apply([exceeded(T0, 9, { severity })], 'e1');
    const escalated = await service.tick(T0 + after);
    expect(escalated.length).toBe(escalates ? 1 : 0);
    if (escalates) {
      expect(service.openAlerts()[0]).toMatchObject({ escalatedAt: T0 + after, severity: 'critical' });
      expect(events.at(-1)?.[0]).toBe('escalated');
      expect(await service.tick(T0 + after + 60 * MIN)).toEqual([]);
    }
  });

  it('an acknowledged critical alert is not escalated', async () => {
    await apply([exceeded(T0, 9, { severity: 'critical' })], 'e1');
    await service.acknowledge(service.openAlerts()[0]!.id, 'li');
    expect(await service.tick(T0 + 60 * MIN)).toEqual([]);
  });

  it('queues a notification for new unsuppressed alerts and escalations only, inside the recording transaction', async () => {
    const queued: [string, number][] = [];
    const s = new AlertService(store, createLogger('silent'), {
      escalateAfterMs: 15 * MIN,
      now: () => clock,
      // Called inside the transaction: the alert is numbered; nothing is queued for an unrecorded change.
      notify: (event, a) => {
        queued.push([event, a.id]);
        return [{ target: 'hook', event, alertId: a.id, body: '{}', createdAt: clock, nextAttemptAt: clock }];
      },
    });
    await s.reloadAll();
    await apply([exceeded(T0, 9, { severity: 'critical' })], 'e1', s);
    await apply([exceeded(T0 + 1_000, 12, { severity: 'critical' })], 'e1', s);
    await s.suppressions.createSilence({ mn: 'M2', factor: null, rule: null, reason: 'r', endsAt: clock + MIN }, 'li');
    await apply([exceeded(T0, 9, { mn: 'M2' })], 'e1', s);
    await s.tick(T0 + 15 * MIN);
    const id = s.openAlerts().find((a) => a.mn === 'M1')!.id;
    expect(queued).toEqual([
      ['opened', id],
      ['escalated', id],
    ]);
    expect((await store.outbox.due(clock, 10)).map((i) => [i.event, i.alertId])).toEqual(queued);
  });

  it('a restarted service picks up the open alerts from the store', async () => {
    await apply([exceeded(T0)], 'e1');
    const again = await build();
    await apply([exceeded(T0 + 1_000)], 'e1', again);
    expect(again.openAlerts()).toMatchObject([{ count: 2 }]);
    expect(await store.alerts.count({ limit: 10 })).toBe(1);
  });
});
