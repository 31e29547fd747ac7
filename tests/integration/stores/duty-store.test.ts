/**
 * The duty store's contract (issue 21: contacts, subscriptions, shifts, the escalation chain), on
 * both engines (a SQLite file and a PostgreSQL database): migration with its own history, settings
 * written and replaced, shifts created, changed, removed, and a snapshot that leaves out ended shifts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_ESCALATION, DEFAULT_SUBSCRIPTION, type Subscription } from '../../../server/domain/duty';
import { openDutyStore, type DutyStore } from '../../../server/storage/sql/duty-store';
import { openNotifyTargetStore } from '../../../server/storage/sql/notify-target-store';
import { sqlEngines, type FreshDatabase } from '../../helpers/sql-engines';

const H = 3_600_000;
const T0 = Date.parse('2026-07-01T00:00:00Z');

describe.each(sqlEngines())('DutyStore on $name', (engine) => {
  let fresh: FreshDatabase;
  let opened: Awaited<ReturnType<typeof openDutyStore>>;
  let store: DutyStore;
  beforeEach(async () => {
    fresh = await engine.create();
    opened = await openDutyStore(fresh.location);
    store = opened.store;
  });
  afterEach(async () => {
    await opened.close();
    await fresh.remove();
  });

  it('migrates beside the notification targets with its own history, once', async () => {
    expect(opened.migrated).toEqual(['0001-duty']);
    const targets = await openNotifyTargetStore(fresh.location);
    expect(targets.migrated).toEqual(['0001-notify-targets', '0002-notify-channel-settings']);
    await targets.close();
    await opened.close();
    opened = await openDutyStore(fresh.location);
    store = opened.store;
    expect(opened.migrated).toEqual([]);
  });

  it('keeps a user’s contacts and subscription, replaced as a whole', async () => {
    expect(await store.contactsOf('wang')).toBeNull();
    expect(await store.subscriptionOf('wang')).toBeNull();
    const sub: Subscription = {
      ...DEFAULT_SUBSCRIPTION,
      enabled: true,
      districts: ['zichuan'],
      kinds: ['cems'],
      channels: ['email', 'sms'],
      quietHours: { from: '22:00', to: '07:00' },
    };
    await store.putSettings('wang', { email: 'wang@sthj.example.cn', phone: '13800138000' }, sub, T0);
    expect(await store.contactsOf('wang')).toEqual({ email: 'wang@sthj.example.cn', phone: '13800138000' });
    expect(await store.subscriptionOf('wang')).toEqual(sub);
    await store.putSettings('wang', { email: null, phone: '13900139000' }, DEFAULT_SUBSCRIPTION, T0 + 1);
    const snap = await store.snapshot(T0);
    expect(snap.contacts).toEqual(new Map([['wang', { email: null, phone: '13900139000' }]]));
    expect(snap.subscriptions).toEqual(new Map([['wang', DEFAULT_SUBSCRIPTION]]));
  });

  it('creates, changes and removes shifts; the snapshot leaves out those that ended', async () => {
    const past = await store.createShift({ username: 'li', position: 'primary', startsAt: T0 - 12 * H, endsAt: T0 }, T0);
    const now = await store.createShift({ username: 'wang', position: 'primary', startsAt: T0, endsAt: T0 + 12 * H }, T0);
    const next = await store.createShift({ username: 'zhao', position: 'backup', startsAt: T0 + H, endsAt: T0 + 12 * H }, T0);
    expect((await store.snapshot(T0)).shifts.map((s) => s.id)).toEqual([now.id, next.id]);
    expect(await store.getShift(past.id)).toEqual(past);

    const changed = await store.updateShift(next.id, { username: 'zhao', position: 'primary', startsAt: T0 + 2 * H, endsAt: T0 + 12 * H });
    expect(changed.before).toEqual(next);
    expect(await store.getShift(next.id)).toEqual({ ...changed.after, id: next.id });
    expect(await store.removeShift(now.id)).toEqual(now);
    await expect(store.removeShift(now.id)).rejects.toMatchObject({ status: 404 });
    await expect(store.updateShift('nope', { username: 'a', position: 'primary', startsAt: 0, endsAt: 1 })).rejects.toMatchObject({
      status: 404,
    });
    expect((await store.snapshot(T0)).shifts.map((s) => s.username)).toEqual(['zhao']);
  });

  it('has no escalation chain until one is saved; saving again replaces it', async () => {
    expect(await store.escalation()).toBeNull();
    await store.putEscalation(DEFAULT_ESCALATION, T0);
    expect(await store.escalation()).toEqual(DEFAULT_ESCALATION);
    const changed = {
      ...DEFAULT_ESCALATION,
      minSeverity: 'major' as const,
      steps: [{ afterMin: 5, to: { kind: 'user' as const, username: 'chief' } }],
    };
    await store.putEscalation(changed, T0 + 1);
    expect((await store.snapshot(T0)).escalation).toEqual(changed);
  });
});
