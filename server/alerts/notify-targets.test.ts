/**
 * The notification target stage on real files: the config's targets seed the store on the first
 * start only (audited, URL masked); a later start reads the store and ignores the config; changes
 * are live for the notifier's `live()` at once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAuditLog, type AuditLog } from '../auth/audit-log';
import { createLogger } from '../logger';
import { startNotifyTargets, type NotifyTargetsConfig, type NotifyTargetsModule } from './notify-targets';

const seed: NotifyTargetsConfig['seed'] = [
  { name: 'duty', url: 'https://oapi.dingtalk.com/robot/send?access_token=SECRET1', format: 'dingtalk' },
];
const admin = { userId: 1, username: 'admin', role: 'admin' as const, enterpriseId: null, department: null };

describe('startNotifyTargets', () => {
  let dir: string;
  let audit: AuditLog;
  let closeAudit: () => Promise<void>;
  let mod: NotifyTargetsModule | null;
  const start = (s = seed) => startNotifyTargets({ dataDir: dir, seed: s }, { audit, log: createLogger('silent'), now: () => 1_000 });
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'o3-nt-'));
    ({ audit, close: closeAudit } = await openAuditLog(join(dir, 'auth.db'), () => 1_000));
    mod = null;
  });
  afterEach(async () => {
    await mod?.stop();
    await closeAudit();
    rmSync(dir, { recursive: true, force: true });
  });

  it('seeds from the config on the first start only, audited with the URL masked', async () => {
    mod = await start();
    expect(mod.targets.live()).toEqual([
      expect.objectContaining({
        id: expect.any(String),
        name: 'duty',
        kind: 'webhook',
        url: seed[0]!.url,
        format: 'dingtalk',
        enabled: true,
      }),
    ]);
    const [t] = mod.targets.list();
    await mod.targets.update(t!.id, { version: 1, enabled: false }, admin, '127.0.0.1');
    expect(mod.targets.live()[0]?.enabled).toBe(false); // live at once
    await mod.stop();
    mod = await start([...seed, { name: 'other', url: 'https://example.com/', format: 'json' }]);
    expect(mod.targets.list().map((x) => [x.name, x.enabled])).toEqual([['duty', false]]);
    const records = (await audit.query({ limit: 10 })).items;
    expect(records.map((r) => r.action).sort()).toEqual(['notify.target_updated', 'notify.targets_seeded']);
    expect(records.find((r) => r.action === 'notify.targets_seeded')?.detail).toEqual({
      count: 1,
      targets: [
        { name: 'duty', kind: 'webhook', format: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/***?access_token=***', enabled: true },
      ],
    });
    expect(JSON.stringify(records)).not.toContain('SECRET1');
  });
});
