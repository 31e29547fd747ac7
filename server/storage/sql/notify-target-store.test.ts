/** The notification target store on real SQLite files: migration beside the registry's, seed once, version checks, unique names. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newNotifyTargetSchema } from '../../domain/notify-target';
import { openNotifyTargetStore, type NotifyTargetStore } from './notify-target-store';
import { openRegistryStore } from './registry-store';

const duty = newNotifyTargetSchema.parse({
  name: '值班室钉钉群',
  format: 'dingtalk',
  url: 'https://oapi.dingtalk.com/robot/send?access_token=abc',
});
const wecom = newNotifyTargetSchema.parse({
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
    expect(opened.migrated).toEqual(['0001-notify-targets']);
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
    expect(seeded?.map((t) => [t.name, t.kind, t.format, t.enabled, t.version, t.createdAt])).toEqual([
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
});
