import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert, Finding, Severity } from '../domain/alert';
import { DEFAULT_ESCALATION, type Contacts, type EscalationPolicy } from '../domain/duty';
import { createLogger } from '../logger';
import { openAlertState, type AlertState } from '../storage/sql/alert-store';
import { AlertService } from './alert-service';
import { EscalationChain } from './escalation-chain';
import type { NotifyTarget } from './notifier';

const MIN = 60_000;
const T0 = Date.UTC(2026, 6, 1, 14, 0, 0);
const bypass = (ts: number, severity: Severity = 'critical'): Finding =>
  ({ type: 'exceeded', mn: 'M1', factor: 'abp01', rule: 'bypass', severity, value: 1, limit: 0, unit: 'm³/s', ts }) as Finding;

const CONTACTS: Record<string, Contacts> = {
  wang: { email: 'wang@sthj.example.cn', phone: '13800138000' },
  li: { email: 'li@sthj.example.cn', phone: null },
};

describe('EscalationChain', () => {
  let dir: string;
  let store: AlertState;
  let alerts: AlertService;
  let sent: [string, number][];
  let policy: EscalationPolicy;
  const chain = () =>
    new EscalationChain({
      alerts,
      history: (id) => store.alerts.forAlert(id),
      open: () => alerts.openAlerts(),
      policy: () => policy,
      reach: () => ({ email: true, sms: { signName: '淄博生态环境', templateCode: 'SMS_1' } }),
      holderOf: (to) => (to.kind === 'user' ? to.username : to.position === 'primary' ? 'wang' : 'li'),
      contactsOf: (u) => CONTACTS[u],
      displayName: (u) => ({ wang: '王值班', li: '李备班' })[u] ?? u,
      // Called in the step's transaction, with the alert as recorded.
      enqueue: (targets: readonly NotifyTarget[], alert: Alert) => {
        sent.push(...targets.map((t) => [t.id ?? t.name, alert.id] as [string, number]));
        return [];
      },
      recorded: () => undefined,
      log: createLogger('silent'),
    });
  const steps = async (id: number) => (await alerts.history(id)).flatMap((e) => (e.detail?.code === 'escalationStep' ? [e.detail] : []));

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'o3-chain-'));
    store = await openAlertState(join(dir, 'state.db'));
    alerts = new AlertService(store, createLogger('silent'), { escalateAfterMs: 60 * MIN, now: () => T0 });
    await alerts.reloadAll();
    sent = [];
    policy = DEFAULT_ESCALATION;
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends each step once, to the position’s holder by every channel they have, and writes it into the history', async () => {
    alerts.apply([bypass(T0)], 'e1');
    await alerts.settled();
    const [alert] = alerts.openAlerts();
    const c = chain();
    expect(await c.tick(T0 + 14 * MIN)).toBe(0);
    expect(await c.tick(T0 + 15 * MIN)).toBe(1);
    expect(await c.tick(T0 + 16 * MIN)).toBe(0);
    expect(sent).toEqual([
      ['person:wang:email', alert!.id],
      ['person:wang:sms', alert!.id],
    ]);
    // A restart: a new chain over the same store sends nothing again, then the next step.
    expect(await chain().tick(T0 + 20 * MIN)).toBe(0);
    expect(await chain().tick(T0 + 30 * MIN)).toBe(1);
    expect(sent.slice(2)).toEqual([['person:li:email', alert!.id]]);
    expect(await steps(alert!.id)).toEqual([
      { code: 'escalationStep', step: 1, minutes: 15, to: 'primary', user: '王值班', channels: ['email', 'sms'] },
      { code: 'escalationStep', step: 2, minutes: 30, to: 'backup', user: '李备班', channels: ['email'] },
    ]);
  });

  it('acknowledging stops the chain; alerts below its severity never start one', async () => {
    alerts.apply([bypass(T0)], 'e1');
    await alerts.settled();
    alerts.apply([{ ...bypass(T0), factor: 'a21002', rule: 'limit', severity: 'major' } as Finding], 'e1');
    await alerts.settled();
    const critical = alerts.openAlerts().find((a) => a.severity === 'critical')!;
    const c = chain();
    expect(await c.tick(T0 + 15 * MIN)).toBe(1);
    await alerts.acknowledge(critical.id, 'wang');
    expect(await c.tick(T0 + 60 * MIN)).toBe(0);
    expect(sent.map(([t]) => t)).toEqual(['person:wang:email', 'person:wang:sms']);
  });

  it('nobody holding the position: the step is recorded as such, and not retried', async () => {
    policy = { ...DEFAULT_ESCALATION, steps: [{ afterMin: 5, to: { kind: 'user', username: 'ghost' } }] };
    alerts.apply([bypass(T0)], 'e1');
    await alerts.settled();
    const [alert] = alerts.openAlerts();
    const c = chain();
    expect(await c.tick(T0 + 5 * MIN)).toBe(1);
    expect(await c.tick(T0 + 6 * MIN)).toBe(0);
    expect(sent).toEqual([]);
    expect(await steps(alert!.id)).toEqual([{ code: 'escalationStep', step: 1, minutes: 5, to: 'user', user: 'ghost', channels: [] }]);
  });
});
