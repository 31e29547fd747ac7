/**
 * The notification target store's contract, on both engines (a SQLite file and a PostgreSQL
 * database): migration beside the registry's, seed once, version checks (also between two writers
 * at the same moment), unique names.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { newNotifyTargetSchema, type NewNotifyTargetParsed } from '../../../server/domain/notify-target';
import { openNotifyTargetStore, type NotifyTargetStore } from '../../../server/storage/sql/notify-target-store';
import { openRegistryStore } from '../../../server/storage/sql/registry-store';
import { sqlEngines, type FreshDatabase } from '../../helpers/sql-engines';

type NewWebhook = Extract<NewNotifyTargetParsed, { kind: 'webhook' }>;
const duty = <NewWebhook>newNotifyTargetSchema.parse({
  name: '值班室钉钉群',
  format: 'dingtalk',
  url: 'https://oapi.dingtalk.com/robot/send?access_token=abc',
});
const wecom = <NewWebhook>newNotifyTargetSchema.parse({
  name: 'wecom',
  format: 'wecom',
  url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k',
});

describe.each(sqlEngines())('NotifyTargetStore on $name', (engine) => {
  let fresh: FreshDatabase;
  let file: string;
  let opened: Awaited<ReturnType<typeof openNotifyTargetStore>>;
  let store: NotifyTargetStore;
  beforeEach(async () => {
    fresh = await engine.create();
    file = fresh.location;
    opened = await openNotifyTargetStore(file);
    store = opened.store;
  });
  afterEach(async () => {
    await opened.close();
    await fresh.remove();
  });

  it('migrates in the registry database with its own history, beside the registry', async () => {
    expect(opened.migrated).toEqual(['0001-notify-targets', '0002-notify-channel-settings']);
    const registry = await openRegistryStore(file);
    expect(registry.migrated).toEqual(['0001-registry']);
    await registry.close();
    await opened.close();
    opened = await openNotifyTargetStore(file);
    store = opened.store;
    expect(opened.migrated).toEqual([]);
  });

  it('seeds once: a later start seeds nothing, even after every target was deleted', async () => {
    const seeded = await store.seedOnce([duty, wecom], 100);
    expect(seeded?.map((t) => [t.name, t.kind, t.kind === 'webhook' && t.format, t.enabled, t.version, t.createdAt])).toEqual([
      ['值班室钉钉群', 'webhook', 'dingtalk', true, 1, 100],
      ['wecom', 'webhook', 'wecom', true, 1, 100],
    ]);
    for (const t of await store.list()) await store.remove(t.id, t.version);
    expect(await store.seedOnce([duty], 200)).toBeNull();
    expect(await store.list()).toEqual([]);
  });

  // Two connections in one process: on SQLite the second one's busy wait would block the only
  // thread the first one needs to commit (two processes wait for each other fine).
  if (engine.name === 'postgres')
    it('seeds once when two processes start at the same moment', async () => {
      const other = await openNotifyTargetStore(file);
      try {
        const seeds = await Promise.all([store.seedOnce([duty, wecom], 100), other.store.seedOnce([duty, wecom], 100)]);
        expect(seeds.filter((s) => s === null)).toHaveLength(1);
        expect((await store.list()).map((t) => t.name).sort()).toEqual(['wecom', '值班室钉钉群']);
      } finally {
        await other.close();
      }
    });

  it('an empty config seeds nothing and still counts as seeded', async () => {
    expect(await store.seedOnce([], 100)).toEqual([]);
    expect(await store.seedOnce([duty], 200)).toBeNull();
  });

  it('creates, changes with a version check, keeps names unique, and removes', async () => {
    const a = await store.create(duty, 100);
    const b = await store.create(wecom, 110);
    await expect(store.create({ ...wecom, url: 'https://x.example/' }, 120)).rejects.toMatchObject({ status: 409, code: 'duplicate_name' });
    const { before, after } = await store.update(
      a.id,
      1,
      { enabled: false, url: 'https://oapi.dingtalk.com/robot/send?access_token=new' },
      200,
    );
    expect(before).toEqual(a);
    expect(after).toMatchObject({ enabled: false, version: 2, updatedAt: 200, createdAt: 100, url: expect.stringContaining('=new') });
    expect(await store.get(a.id)).toEqual(after);
    await expect(store.update(a.id, 1, { enabled: true }, 300)).rejects.toMatchObject({ status: 409, code: 'version_conflict' });
    await expect(store.update(a.id, 2, { name: 'wecom' }, 300)).rejects.toMatchObject({ status: 409, code: 'duplicate_name' });
    expect((await store.update(a.id, 2, { enabled: false }, 300)).after.version).toBe(2); // nothing changed: same version
    await expect(store.update('nope', 1, {}, 300)).rejects.toMatchObject({ status: 404, code: 'not_found' });
    await expect(store.remove(b.id, 7)).rejects.toMatchObject({ status: 409, code: 'version_conflict' });
    expect(await store.remove(b.id, 1)).toEqual(b);
    expect((await store.list()).map((t) => t.name)).toEqual(['值班室钉钉群']);
  });

  it('lets only one of two writers changing or removing a target from the same version at the same moment win', async () => {
    const other = await openNotifyTargetStore(file);
    try {
      const a = await store.create(duty, 100);
      const changes = await Promise.allSettled([
        store.update(a.id, 1, { enabled: false }, 200),
        other.store.update(a.id, 1, { url: 'https://oapi.dingtalk.com/robot/send?access_token=other' }, 200),
      ]);
      expect(changes.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(changes.filter((r) => r.status === 'rejected').map((r) => r.reason)).toEqual([
        expect.objectContaining({ code: 'version_conflict' }),
      ]);
      expect((await store.get(a.id))?.version).toBe(2);
      const removals = await Promise.allSettled([store.remove(a.id, 2), other.store.update(a.id, 2, { name: '改名' }, 300)]);
      expect(removals.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(removals.filter((r) => r.status === 'rejected').map((r) => r.reason)).toEqual([
        expect.objectContaining({ status: expect.any(Number) }),
      ]);
      const names = await Promise.allSettled([store.create(wecom, 400), other.store.create(wecom, 400)]);
      expect(names.filter((r) => r.status === 'rejected').map((r) => r.reason)).toEqual([
        expect.objectContaining({ code: 'duplicate_name' }),
      ]);
    } finally {
      await other.close();
    }
  });

  it('keeps email and SMS targets with their settings; a change of another kind’s fields is refused (400)', async () => {
    const smtp = {
      host: 'smtp.example.com',
      port: 465,
      security: 'tls' as const,
      username: 'o3',
      password: 'pw-1',
      from: 'o3@example.com',
    };
    const mail = await store.create(
      newNotifyTargetSchema.parse({ name: '值班邮箱', kind: 'email', email: { recipients: ['duty@example.com'], smtp } }),
      100,
    );
    const sms = await store.create(
      newNotifyTargetSchema.parse({
        name: '值班短信',
        kind: 'sms',
        sms: { phones: ['13800138000'], signName: '淄博生态环境', templateCode: 'SMS_465324011' },
      }),
      110,
    );
    expect(await store.list()).toEqual([mail, sms]);
    expect(mail).toMatchObject({ kind: 'email', email: { recipients: ['duty@example.com'], smtp } });
    await expect(store.update(mail.id, 1, { url: 'https://x.example/' }, 200)).rejects.toMatchObject({ status: 400, code: 'wrong_kind' });
    await expect(store.update(sms.id, 1, { email: { recipients: ['a@example.com'], smtp: null } }, 200)).rejects.toMatchObject({
      status: 400,
      code: 'wrong_kind',
    });
    // No password in the change: the stored one stays; '' removes it.
    const { password: _pw, ...withoutPassword } = smtp;
    const kept = await store.update(mail.id, 1, { email: { recipients: ['b@example.com'], smtp: { ...withoutPassword, port: 587 } } }, 200);
    expect(kept.after).toMatchObject({ version: 2, email: { recipients: ['b@example.com'], smtp: { port: 587, password: 'pw-1' } } });
    const cleared = await store.update(mail.id, 2, { email: { recipients: ['b@example.com'], smtp: { ...smtp, password: '' } } }, 300);
    expect(cleared.after.kind === 'email' && cleared.after.email.smtp).not.toHaveProperty('password');
    const same = await store.update(
      sms.id,
      1,
      { sms: { phones: ['13800138000'], signName: '淄博生态环境', templateCode: 'SMS_465324011' } },
      300,
    );
    expect(same.after.version).toBe(1);
    const moved = await store.update(sms.id, 1, { sms: { phones: ['13900139000'], signName: '淄博生态环境', templateCode: 'SMS_1' } }, 300);
    expect(moved.after).toMatchObject({ version: 2, sms: { phones: ['13900139000'], templateCode: 'SMS_1' } });
  });

  // A file written by the release before email and SMS: SQLite only (that release had no PostgreSQL).
  if (engine.name === 'sqlite')
    it('a store made before email and SMS (0001 only) is migrated with its webhooks intact', async () => {
      await opened.close();
      rmSync(file);
      const old = new Database(file);
      old.exec(`
      CREATE TABLE notify_targets (id text primary key, name text not null unique, kind text not null, format text, url text,
        enabled integer not null, created_at bigint not null, updated_at bigint not null, version integer not null);
      CREATE TABLE notify_meta (id integer primary key, seeded_at bigint not null);
      CREATE TABLE notify_migrations (name varchar(255) not null primary key, timestamp varchar(255) not null);
      INSERT INTO notify_migrations VALUES ('0001-notify-targets', '2026-11-01T00:00:00.000Z');
      INSERT INTO notify_targets VALUES ('w1', 'duty', 'webhook', 'dingtalk', 'https://oapi.dingtalk.com/robot/send?access_token=a', 1, 5, 5, 3);`);
      old.close();
      opened = await openNotifyTargetStore(file);
      store = opened.store;
      expect(opened.migrated).toEqual(['0002-notify-channel-settings']);
      expect(await store.list()).toEqual([
        {
          id: 'w1',
          name: 'duty',
          kind: 'webhook',
          format: 'dingtalk',
          url: 'https://oapi.dingtalk.com/robot/send?access_token=a',
          enabled: true,
          createdAt: 5,
          updatedAt: 5,
          version: 3,
        },
      ]);
    });
});
