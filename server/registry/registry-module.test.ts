/** startRegistry on a real data dir: seed on the first start, the store thereafter, reseed on request. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAuditLog } from '../auth/audit-log';
import { EventBus, type InternalEvents } from '../domain/internal-events';
import { registrySchema, type Registry } from '../domain/registry';
import { startRegistry } from './registry-module';

const yaml: Registry = registrySchema.parse({
  enterprises: [{ id: 'e1', name: '一厂', district: '双塔区', grade: 'A' }],
  sources: [{ mn: '211300CEMS00000000000101', enterpriseId: 'e1', name: '1号炉', kind: 'cems', lat: 41.5, lon: 120.4, pw: 'YAMLPW' }],
});
const edited: Registry = registrySchema.parse({ ...yaml, enterprises: [{ ...yaml.enterprises[0]!, name: '一厂（YAML 改过）' }] });

describe('startRegistry', () => {
  let dataDir: string;
  let lines: { msg: string }[];
  const log = () => pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l) as { msg: string }) });
  const start = (registry: Registry, registryReseed = false) =>
    startRegistry(
      { dataDir, registry, registryFile: 'config/registry.yaml', registryReseed },
      { events: new EventBus<InternalEvents>(), log: log(), now: () => 7 },
    );
  const actions = async () => {
    const { audit, close } = await openAuditLog(join(dataDir, 'auth.db'));
    const items = (await audit.query({})).items.map((r) => r.action);
    await close();
    return items;
  };

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'o3-regmod-'));
    lines = [];
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('seeds an empty store from the YAML, then keeps the store and does not use the YAML', async () => {
    let reg = await start(yaml);
    expect(reg.view.current()).toEqual(yaml);
    expect(reg.view.version()).toBe(1);
    await reg.admin.updateEnterprise('e1', { park: '园区' }, { username: 'system' });
    await reg.stop();
    expect(lines.map((l) => l.msg)).toContain('registry store was empty: seeded from the YAML registry');

    lines = [];
    reg = await start(edited);
    expect(reg.view.current().enterprises[0]).toMatchObject({ name: '一厂', park: '园区' });
    expect(reg.view.version()).toBe(2);
    expect(await reg.admin.gradeHistory('e1')).toEqual([{ grade: 'A', from: 7, reason: 'registry.seeded', by: 'system' }]);
    await reg.stop();
    expect(lines.map((l) => l.msg)).toContainEqual(expect.stringMatching(/loaded from the store; the YAML registry file was not used/));
    expect(await actions()).toEqual(['registry.enterprise_updated', 'registry.seeded']);
  });

  it('replaces the stored registry with the YAML when asked to reseed', async () => {
    await (await start(yaml)).stop();
    const reg = await start(edited, true);
    expect(reg.view.current()).toEqual(edited);
    expect(reg.view.version()).toBe(2);
    await reg.stop();
    expect(await actions()).toEqual(['registry.reseeded', 'registry.seeded']);
  });
});
