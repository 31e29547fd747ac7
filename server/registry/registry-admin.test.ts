/** RegistryAdmin over a real registry store (SQLite file), a real audit log and the event bus. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { z } from 'zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAuditLog, type AuditLog } from '../auth/audit-log';
import { EventBus, type InternalEvents } from '../domain/internal-events';
import type { Principal } from '../domain/principal';
import { registrySchema, type Registry } from '../domain/registry';
import type { RegistryChanged } from '../domain/registry-view';
import { openRegistryStore } from '../storage/sql/registry-store';
import { RegistryAdmin } from './registry-admin';
import { RegistryError } from './registry-errors';
import { RegistryHolder } from './registry-holder';

const MN1 = '211300CEMS00000000000101';
const MN2 = '211300CEMS00000000000102';
const INLET = '211300VOCS00000000000201';
const admin: Principal = { userId: 1, username: 'chen', role: 'admin', enterpriseId: null, department: null };
const base: Registry = registrySchema.parse({
  enterprises: [
    { id: 'e1', name: '一厂', district: '双塔区', grade: 'B' },
    { id: 'e2', name: '二厂', district: '龙城区' },
  ],
  sources: [
    { mn: MN1, enterpriseId: 'e1', name: '1号炉', kind: 'cems', lat: 41.5, lon: 120.4, pw: 'SEEDPW1', mqttPassword: 'seed-mqtt-1' },
    { mn: INLET, enterpriseId: 'e2', name: 'RTO进口', kind: 'vocs', position: 'inlet', lat: 41.6, lon: 120.5, pw: 'SEEDPW2' },
  ],
  facilities: [{ id: 'f1', enterpriseId: 'e1', kind: 'treatment', name: '脱硝', outletMns: [MN1] }],
});

describe('RegistryAdmin', () => {
  let dir: string;
  let closeStore: () => Promise<void>;
  let audit: AuditLog;
  let closeAudit: () => Promise<void>;
  let holder: RegistryHolder;
  let registry: RegistryAdmin;
  let heard: RegistryChanged[];
  let file: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'o3-regadmin-'));
    file = join(dir, 'registry.db');
    const opened = await openRegistryStore(file);
    closeStore = opened.close;
    await opened.store.save(null, base, { expectVersion: null, actor: 'system', at: 1, defaultGradeReason: 'registry.seeded' });
    ({ audit, close: closeAudit } = await openAuditLog(join(dir, 'auth.db'), () => 5));
    const bus = new EventBus<InternalEvents>();
    heard = [];
    bus.on('registry:changed', (c) => heard.push(c));
    holder = new RegistryHolder(base, bus, () => 5, 1);
    registry = new RegistryAdmin({ store: opened.store, holder, audit, log: pino({ level: 'silent' }), now: () => 5 });
  });
  afterEach(async () => {
    await closeAudit();
    await closeStore();
    rmSync(dir, { recursive: true, force: true });
  });

  const stored = async () => {
    const o = await openRegistryStore(file);
    const loaded = await o.store.load();
    await o.close();
    return loaded;
  };
  const auditRows = async () => (await audit.query({ limit: 100 })).items;

  it('applies a whole snapshot: stored, audited (credentials masked), announced, version in step', async () => {
    const added = { ...base.sources[0]!, mn: MN2, pw: 'NEWPW', mqttPassword: 'new-mqtt-pw' };
    const next = registrySchema.parse({ ...base, sources: [...base.sources, added] });
    const change = await registry.apply(next, admin, 'registry.import_applied', { file: 'x.xlsx' });
    expect(change).toMatchObject({ version: 2, actor: 'chen', sources: { upserted: [MN2], removed: [] } });
    expect(heard).toEqual([change]);
    expect(await stored()).toEqual({ registry: next, version: 2 });
    const [row] = await auditRows();
    expect(row).toMatchObject({ action: 'registry.import_applied', username: 'chen', target: 'registry' });
    expect(row?.detail).toMatchObject({
      file: 'x.xlsx',
      before: { sources: [] },
      after: { sources: [{ mn: MN2, pw: '***', mqttPassword: '***' }] },
    });
    expect(JSON.stringify(row?.detail)).not.toMatch(/NEWPW|new-mqtt-pw/);
  });

  it('writes, audits and announces nothing for a snapshot that changes nothing, or an invalid one', async () => {
    expect(await registry.apply(structuredClone(base), admin, 'registry.import_applied')).toBeNull();
    const bad = { ...base, sources: [{ ...base.sources[0]!, enterpriseId: 'ghost' }] };
    await expect(registry.apply(bad, admin, 'registry.import_applied')).rejects.toBeInstanceOf(z.ZodError);
    expect(heard).toEqual([]);
    expect(await auditRows()).toEqual([]);
    expect(await stored()).toEqual({ registry: base, version: 1 });
  });

  it('creates a source with generated credentials, returned once, stored, never in the audit', async () => {
    const { source, credentials } = await registry.createSource(
      { mn: MN2, enterpriseId: 'e1', name: '2号炉', kind: 'cems', lat: 41.5, lon: 120.41 },
      admin,
      '10.0.0.9',
    );
    expect(credentials.pw).toMatch(/^[A-HJ-NP-Z2-9]{24}$/);
    expect(credentials.mqttPassword.length).toBeGreaterThanOrEqual(16);
    expect(credentials.mqttPassword).not.toBe(credentials.pw);
    expect(source).toMatchObject({ mn: MN2, ...credentials, position: 'outlet', intervalS: 30 });
    expect((await stored())?.registry.sources.find((s) => s.mn === MN2)).toMatchObject(credentials);
    const [row] = await auditRows();
    expect(row).toMatchObject({ action: 'registry.source_created', target: `source:${MN2}`, ip: '10.0.0.9' });
    expect(row?.detail).toMatchObject({ before: null, after: { mn: MN2, pw: '***', mqttPassword: '***' } });
    expect(JSON.stringify(row?.detail)).not.toContain(credentials.pw);
  });

  it('rotates both credentials of a logger', async () => {
    const fresh = await registry.rotateCredentials(MN1, admin);
    const now = holder.current().sources.find((s) => s.mn === MN1)!;
    expect([now.pw, now.mqttPassword]).toEqual([fresh.pw, fresh.mqttPassword]);
    expect(fresh.pw).not.toBe('SEEDPW1');
    const detail = { before: { pw: '***' }, after: { pw: '***' } };
    expect((await auditRows())[0]).toMatchObject({ action: 'registry.credentials_rotated', detail });
  });

  it('refuses a grade change without a reason and keeps one with it in the history', async () => {
    const refused = registry.updateEnterprise('e1', { grade: 'A' }, admin);
    await expect(refused).rejects.toMatchObject({ status: 400, code: 'grade_reason_required' });
    const e = await registry.updateEnterprise('e1', { grade: 'A', gradeReason: '复核升级', park: '化工园' }, admin);
    expect(e).toMatchObject({ grade: 'A', park: '化工园' });
    await registry.changeGrade('e2', 'C', '首次评级', admin);
    expect(await registry.gradeHistory('e1')).toEqual([
      { grade: 'B', from: 1, reason: 'registry.seeded', by: 'system' },
      { grade: 'A', from: 5, reason: '复核升级', by: 'chen' },
    ]);
    expect(await registry.gradeHistory('e2')).toEqual([{ grade: 'C', from: 5, reason: '首次评级', by: 'chen' }]);
    expect((await auditRows()).map((r) => r.action)).toEqual(['registry.grade_changed', 'registry.enterprise_updated']);
  });

  it('clears an optional field with null and leaves absent ones', async () => {
    const s = await registry.updateSource(MN1, { name: '1号炉（改）', pw: undefined } as never, admin);
    expect(s).toMatchObject({ name: '1号炉（改）', pw: 'SEEDPW1' });
    const cleared = await registry.updateFacility('f1', { outletMns: null }, admin);
    expect(cleared).toEqual({ id: 'f1', enterpriseId: 'e1', kind: 'treatment', name: '脱硝' });
  });

  it.each([
    ['an unknown enterprise', () => registry.updateEnterprise('nope', { name: 'x' }, admin), 404, 'not_found'],
    ['a duplicate enterprise', () => registry.createEnterprise({ id: 'e1', name: 'x', district: 'y' }, admin), 409, 'duplicate'],
    ['an enterprise with sources', () => registry.deleteEnterprise('e2', admin), 409, 'in_use'],
    ['a source a facility lists', () => registry.deleteSource(MN1, admin), 409, 'in_use'],
    ['an unknown facility', () => registry.deleteFacility('nope', admin), 404, 'not_found'],
  ] as const)('refuses %s', async (_what, run, status, code) => {
    const err = await run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect(err).toMatchObject({ status, code });
    expect(heard).toEqual([]);
  });

  it('reports a cross-record problem on the edited record’s own field', async () => {
    const err = await registry
      .createSource({ mn: MN2, enterpriseId: 'e1', name: '出口', kind: 'vocs', lat: 41.5, lon: 120.4, inletMn: INLET }, admin)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(z.ZodError);
    const message = expect.stringMatching(/belongs to enterprise "e2"/);
    expect((err as z.ZodError).issues).toEqual([expect.objectContaining({ path: ['inletMn'], message })]);
  });

  it('serialises concurrent changes: each starts from the last', async () => {
    const made = await Promise.all(['e3', 'e4', 'e5'].map((id) => registry.createEnterprise({ id, name: id, district: '双塔区' }, admin)));
    expect(made.map((e) => e.id)).toEqual(['e3', 'e4', 'e5']);
    expect(holder.version()).toBe(4);
    expect((await stored())?.registry.enterprises.map((e) => e.id)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
  });

  it('refuses to overwrite a change another process made meanwhile', async () => {
    const other = await openRegistryStore(file);
    const theirs = registrySchema.parse({ ...base, enterprises: [...base.enterprises, { id: 'x', name: 'x', district: 'x' }] });
    await other.store.save(base, theirs, { expectVersion: 1, actor: 'other', at: 2, defaultGradeReason: 'x' });
    await other.close();
    const late = registry.createEnterprise({ id: 'e9', name: 'x', district: 'y' }, admin);
    await expect(late).rejects.toMatchObject({ status: 409, code: 'version_conflict' });
    expect(holder.current()).toBe(base);
  });
});
