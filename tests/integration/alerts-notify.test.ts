/**
 * Notifications through the outbox on a real SQLite file to a real local HTTP server: a 500 is
 * retried with backoff (attempts persisted, so a restart resumes), DingTalk/WeCom bodies are
 * what their robots expect, a robot's errcode counts as a failure, and an item is given up only
 * after its max age, with an error log and a count. Time is an injected clock; no sleeps.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backoffMs, Notifier, type NotifierOptions, type NotifyTarget } from '../../server/alerts/notifier';
import type { Alert } from '../../server/domain/alert';
import { createLogger } from '../../server/logger';
import { openAlertState, type AlertState } from '../../server/storage/sql/alert-store';

const T0 = Date.UTC(2026, 6, 1, 2, 0, 0);
const alert: Alert = {
  id: 7,
  mn: '370300NH3000000000000201',
  enterpriseId: 'zichuan-cement',
  factor: 'a21001',
  rule: 'limit',
  severity: 'critical',
  state: 'active',
  value: 9.6,
  peak: 9.6,
  limit: 8,
  unit: 'mg/m³',
  count: 1,
  openedAt: T0,
  lastSeenAt: T0,
  clearedAt: null,
  raisedAt: T0,
  acknowledgedAt: null,
  acknowledgedBy: null,
  assignee: null,
  escalatedAt: null,
  closedAt: null,
  closedBy: null,
  suppressed: null,
  evidence: null,
};

/** A webhook receiver answering each request with the next planned status (then 200). */
class Receiver {
  readonly received: { path: string; body: unknown }[] = [];
  plan: { status: number; body?: string }[] = [];
  private server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      this.received.push({ path: req.url ?? '', body: JSON.parse(data) });
      const next = this.plan.shift() ?? { status: 200 };
      res.writeHead(next.status, { 'content-type': 'application/json' }).end(next.body ?? '{"errcode":0,"errmsg":"ok"}');
    });
  });
  url = '';
  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }
  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

describe('notification outbox → webhook', () => {
  const receiver = new Receiver();
  let dir: string;
  let clock: number;
  const opts = (targets: NotifyTarget[]): NotifierOptions => ({
    targets,
    timeoutMs: 2_000,
    retryBaseMs: 5_000,
    retryMaxMs: 60_000,
    maxAgeMs: 3_600_000,
  });
  const notifier = (store: AlertState, targets: NotifyTarget[], log = createLogger('silent')) =>
    new Notifier(opts(targets), { outbox: store.outbox, log, now: () => clock, label: () => ({ sourceName: '窑尾SNCR出口' }) });

  beforeAll(() => receiver.start());
  afterAll(() => receiver.close());
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'o3-outbox-'));
    clock = T0;
    receiver.received.length = 0;
    receiver.plan = [];
    return () => rmSync(dir, { recursive: true, force: true });
  });

  it('a 500 is retried after the backoff, across a restart, and then delivered once', async () => {
    const file = join(dir, 'state.db');
    let store = await openAlertState(file);
    const target = { name: 'duty', url: `${receiver.url}/hook`, format: 'json' as const };
    let n = notifier(store, [target]);
    receiver.plan = [{ status: 500, body: 'boom' }, { status: 500 }];
    await n.enqueue('opened', alert);
    expect(await n.dispatch()).toBe(0);
    expect(n.stats).toMatchObject({ enqueued: 1, delivered: 0, failedAttempts: 1 });
    expect(await store.outbox.due(clock + 4_999, 10)).toEqual([]);
    expect(await store.outbox.due(clock + 5_000, 10)).toMatchObject([{ attempts: 1, lastError: 'HTTP 500: boom' }]);

    clock += 5_000;
    expect(await n.dispatch()).toBe(0); // the second 500: next wait doubles
    expect(await store.outbox.due(clock + 9_999, 10)).toEqual([]);
    await store.close();

    store = await openAlertState(file); // a restart: the attempts and the schedule survive
    n = notifier(store, [target]);
    clock += 9_999;
    expect(await n.dispatch()).toBe(0);
    clock += 1;
    expect(await n.dispatch()).toBe(1);
    expect(await store.outbox.pending()).toBe(0);
    expect(receiver.received).toHaveLength(3);
    expect(receiver.received[2]).toEqual({ path: '/hook', body: { event: 'opened', alert, sourceName: '窑尾SNCR出口' } });
    clock += 3_600_000;
    expect(await n.dispatch()).toBe(0);
    expect(receiver.received).toHaveLength(3);
    await store.close();
  });

  it('DingTalk and WeCom robots get their markdown bodies; a robot errcode is a failure', async () => {
    const store = await openAlertState(join(dir, 'state.db'));
    const n = notifier(store, [
      { name: 'ding', url: `${receiver.url}/ding`, format: 'dingtalk' },
      { name: 'wecom', url: `${receiver.url}/wecom`, format: 'wecom' },
    ]);
    receiver.plan = [{ status: 200, body: '{"errcode":310000,"errmsg":"keywords not in content"}' }];
    await n.enqueue('escalated', alert);
    expect(await n.dispatch()).toBe(1);
    const ding = receiver.received.find((r) => r.path === '/ding')?.body as { msgtype: string; markdown: { title: string; text: string } };
    const wecom = receiver.received.find((r) => r.path === '/wecom')?.body as { msgtype: string; markdown: { content: string } };
    expect(ding.msgtype).toBe('markdown');
    expect(ding.markdown.title).toContain('告警升级');
    expect(ding.markdown.text).toContain('9.6 mg/m³');
    expect(wecom).toEqual({ msgtype: 'markdown', markdown: { content: ding.markdown.text } });
    expect(await store.outbox.due(clock + 5_000, 10)).toMatchObject([
      { target: 'ding', lastError: expect.stringMatching(/errcode 310000/) },
    ]);
    await store.close();
  });

  it('keeps a target’s notifications in order: after a failure the rest of that target waits', async () => {
    const store = await openAlertState(join(dir, 'state.db'));
    const n = notifier(store, [{ name: 'duty', url: `${receiver.url}/hook`, format: 'json' }]);
    receiver.plan = [{ status: 503 }];
    await n.enqueue('opened', alert);
    await n.enqueue('opened', { ...alert, id: 8 });
    expect(await n.dispatch()).toBe(0);
    expect(receiver.received).toHaveLength(1);
    clock += 1_000;
    expect(await n.dispatch()).toBe(0); // #8 is due, but #7 of the same target still waits
    clock += 4_000;
    expect(await n.dispatch()).toBe(2);
    expect(receiver.received.map((r) => (r.body as { alert: Alert }).alert.id)).toEqual([7, 7, 8]);
    await store.close();
  });

  it('gives up only after the max age, with an error log, and counts it', async () => {
    const store = await openAlertState(join(dir, 'state.db'));
    const logged: { msg: string; level: number }[] = [];
    const log = createLogger('error');
    const spy = log.child({});
    spy.error = ((_obj: unknown, msg: string) => void logged.push({ msg, level: 50 })) as typeof spy.error;
    const n = new Notifier(opts([{ name: 'dead', url: 'http://127.0.0.1:9/nothing-listens', format: 'json' }]), {
      outbox: store.outbox,
      log: spy,
      now: () => clock,
    });
    await n.enqueue('opened', alert);
    for (let i = 0; i < 30 && (await store.outbox.pending()) > 0; i++) {
      await n.dispatch();
      clock += 5 * 60_000;
    }
    expect(await store.outbox.pending()).toBe(0);
    expect(n.stats.abandoned).toBe(1);
    expect(n.stats.failedAttempts).toBeGreaterThan(5);
    expect(logged).toEqual([{ msg: 'notification given up after its max age', level: 50 }]);
    await store.close();
  });

  it.each([
    [1, 5_000],
    [2, 10_000],
    [3, 20_000],
    [5, 60_000],
    [20, 60_000],
  ])('backoff after %i failures: %i ms', (attempts, ms) => {
    expect(backoffMs(attempts, 5_000, 60_000)).toBe(ms);
  });
});
