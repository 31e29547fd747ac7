/** The notification target store on real SQLite files: migration beside the registry's, seed once, version checks, unique names. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { newNotifyTargetSchema, type NewNotifyTargetParsed } from '../../domain/notify-target';
import { openNotifyTargetStore, type NotifyTargetStore } from './notify-target-store';
import { openRegistryStore } from './registry-store';

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

describe('NotifyTargetStore on a real SQLite file', () => {
  let dir: string;
  let file: string;
  let opened: Awaited<ReturnType<typeof openNotifyTargetStore>>;
  let store: NotifyTargetStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'o3-notify-'));
    file = join(dir, 'registry.db');
    opened = await openNotifyTargetStore(file);
    store = opened.store;
  });
  afterEach(async () => {
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('migrates in the registry file with its own history, beside the registry', async () => {
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
