/**
 * The notifier reads its targets live (issue 14): a target added, changed, disabled or deleted
 * counts from the next event on, without a new Notifier; a deleted target's queued items are given
 * up, counted and logged; items queued under a target's name (before targets had ids) still go out;
 * the outbox reports each target's delivery state. A real SQLite state store; the webhook is an
 * injected fetch that records what it is sent.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../domain/alert';
import { createLogger } from '../logger';
import { openAlertState, type AlertState } from '../storage/sql/alert-store';
import { Notifier, type NotifyTarget } from './notifier';

const T0 = Date.UTC(2026, 6, 1, 2, 0, 0);
const alert = {
  id: 1,
  mn: '370300NH3000000000000201',
  enterpriseId: 'e',
  factor: 'a21001',
  rule: 'limit',
  severity: 'critical',
  value: 9,
  peak: 9,
  limit: 8,
  unit: 'mg/m³',
  count: 1,
  openedAt: T0,
} as Alert;

describe('Notifier with live targets', () => {
  let dir: string;
  let store: AlertState;
  let clock: number;
  let targets: NotifyTarget[];
  let sent: { url: string; body: unknown }[];
  let answer: number;
  const warned: { obj: unknown; msg: string }[] = [];
  const log = createLogger('silent');
  log.warn = ((obj: unknown, msg: string) => void warned.push({ obj, msg })) as typeof log.warn;
  const fakeFetch = (async (url: string, init: RequestInit) => {
    sent.push({ url, body: JSON.parse(String(init.body)) });
    return new Response('{"errcode":0}', { status: answer });
  }) as unknown as typeof fetch;
  let n: Notifier;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'o3-notifier-'));
    store = await openAlertState(join(dir, 'state.db'));
    clock = T0;
    targets = [];
    sent = [];
    answer = 200;
    warned.length = 0;
    const opts = { targets: () => targets, timeoutMs: 1_000, retryBaseMs: 5_000, retryMaxMs: 60_000, maxAgeMs: 3_600_000 };
    n = new Notifier(opts, { outbox: store.outbox, log, now: () => clock, fetch: fakeFetch });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a target added, changed or disabled counts from the next event on', async () => {
    await n.enqueue('opened', alert);
    expect(await store.outbox.pending()).toBe(0); // no target yet
    targets = [{ id: 't1', name: 'duty', url: 'http://hook.test/a', format: 'json' }];
    await n.enqueue('opened', alert);
    await n.dispatch();
    expect(sent.map((s) => s.url)).toEqual(['http://hook.test/a']);
    targets = [{ id: 't1', name: 'duty', url: 'http://hook.test/b', format: 'wecom' }];
    await n.enqueue('escalated', alert);
    await n.dispatch();
    expect(sent[1]).toMatchObject({ url: 'http://hook.test/b', body: { msgtype: 'markdown' } });
    targets = [{ ...targets[0]!, enabled: false }];
    await n.enqueue('opened', alert);
    expect(await store.outbox.pending()).toBe(0);
    expect(n.stats.enqueued).toBe(2);
  });

  it('a deleted target’s queued items are given up at once, counted and logged; other targets go on', async () => {
    targets = [
      { id: 't1', name: 'duty', url: 'http://hook.test/a', format: 'json' },
      { id: 't2', name: 'ozone', url: 'http://hook.test/b', format: 'json' },
    ];
    answer = 503;
    await n.enqueue('opened', alert);
    await n.enqueue('opened', { ...alert, id: 2 });
    await n.dispatch();
    expect(await store.outbox.pending()).toBe(4);
    targets = [targets[1]!];
    expect(await n.giveUpTarget({ id: 't1', name: 'duty' })).toBe(2);
    expect(n.stats.abandoned).toBe(2);
    expect(warned.filter((w) => w.msg.includes('deleted'))).toEqual([
      { obj: { target: 'duty', targetId: 't1', abandoned: 2 }, msg: 'notification target deleted: its queued notifications were given up' },
    ]);
    answer = 200;
    clock += 5_000;
    sent = [];
    await n.dispatch();
    expect(sent.map((s) => s.url)).toEqual(['http://hook.test/b', 'http://hook.test/b']);
    const state = await n.deliveryOf([
      { id: 't1', name: 'duty' },
      { id: 't2', name: 'ozone' },
    ]);
    expect(state.get('t1')).toMatchObject({
      pending: 0,
      delivered: 0,
      abandoned: 2,
      failedAttempts: 1,
      lastError: 'HTTP 503: {"errcode":0}',
      lastErrorAt: T0,
    });
    expect(state.get('t2')).toMatchObject({
      pending: 0,
      delivered: 2,
      abandoned: 0,
      failedAttempts: 1,
      lastDeliveredAt: T0 + 5_000,
      lastErrorAt: T0,
    });
  });

  it('an item whose target vanished without giveUpTarget is given up at its next attempt', async () => {
    targets = [{ id: 't1', name: 'duty', url: 'http://hook.test/a', format: 'json' }];
    await n.enqueue('opened', alert);
    targets = [];
    await n.dispatch();
    expect(sent).toEqual([]);
    expect(await store.outbox.pending()).toBe(0);
    expect(n.stats.abandoned).toBe(1);
  });

  it('items queued under a target’s name (before ids) go to the target of that name', async () => {
    const legacy = new Notifier(
      {
        targets: [{ name: 'duty', url: 'http://old.test/', format: 'json' }],
        timeoutMs: 1_000,
        retryBaseMs: 1,
        retryMaxMs: 1,
        maxAgeMs: 1,
      },
      { outbox: store.outbox, log, now: () => clock, fetch: fakeFetch },
    );
    await legacy.enqueue('opened', alert); // queued by name, as a build before issue 14 did
    targets = [{ id: 't9', name: 'duty', url: 'http://new.test/', format: 'json' }];
    await n.dispatch();
    expect(sent.map((s) => s.url)).toEqual(['http://new.test/']);
    expect((await n.deliveryOf([{ id: 't9', name: 'duty' }])).get('t9')).toMatchObject({ delivered: 1 });
  });

  it('sends a test message now and says how it went', async () => {
    const target = { id: 't1', name: '值班室', url: 'http://hook.test/t', format: 'dingtalk' as const };
    expect(await n.sendTest(target)).toEqual({ ok: true, status: 200, error: null, ms: 0 });
    expect(sent[0]?.body).toMatchObject({ msgtype: 'markdown', markdown: { title: expect.stringContaining('值班室') } });
    answer = 404;
    expect(await n.sendTest(target)).toMatchObject({ ok: false, status: 404, error: expect.stringMatching(/^HTTP 404/) });
    expect(await store.outbox.pending()).toBe(0);
  });
});
