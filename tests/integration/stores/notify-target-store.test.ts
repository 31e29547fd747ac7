/**
 * The notification target store's contract, on both engines (a SQLite file and a PostgreSQL
 * database): migration beside the registry's, seed once, version checks (also between two writers
 * at the same moment), unique names.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newNotifyTargetSchema } from '../../../server/domain/notify-target';
import { openNotifyTargetStore, type NotifyTargetStore } from '../../../server/storage/sql/notify-target-store';
import { openRegistryStore } from '../../../server/storage/sql/registry-store';
import { sqlEngines, type FreshDatabase } from '../../helpers/sql-engines';

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
});
