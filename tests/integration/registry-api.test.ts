/**
 * The registry's REST API through the real app (issue 14): every route, tenancy (an enterprise user
 * reads its own file only and writes nothing), validation and conflicts, credentials shown once
 * and never read back, the audit rows (credentials masked), and the store surviving a restart
 * while the YAML is not read again.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnterpriseFile, EnterpriseSummary, LoggerCredentials, SourceFile } from '../../server/domain/registry-api';
import type { Facility } from '../../server/domain/registry';
import { startTestApp, type ApiSession, type TestApp } from '../helpers/test-app';
import { TEST_REGISTRY_FILE } from '../helpers/fixtures';

const NEW_MN = '370300CEMS00000000009901';
const newSource = {
  mn: NEW_MN,
  enterpriseId: 'qilu-power',
  name: '2号机组烟囱',
  kind: 'cems',
  lat: 36.83,
  lon: 118.31,
  o2Ref: 6,
  stackHeightM: 120,
};
type AuditRow = { action: string; target: string; username: string; detail: Record<string, unknown> };
type Issues = { issues: { path: (string | number)[]; message: string }[] };

describe('registry REST API', () => {
  let t: TestApp;
  let admin: ApiSession;
  let officer: ApiSession;
  let qilu: ApiSession;
  beforeAll(async () => {
    t = await startTestApp();
    [admin, officer, qilu] = await Promise.all([t.signIn('admin'), t.signIn('officer'), t.signIn('qilu-power')]);
  });
  afterAll(() => t?.stop());

  const audit = async (action: string) => (await admin.call<{ items: AuditRow[] }>('GET', `/api/audit?action=${action}`)).body.items;

  it('lists enterprises with their counts; an enterprise user gets only its own', async () => {
    const all = await officer.call<{ items: EnterpriseSummary[] }>('GET', '/api/enterprises');
    expect(all.status).toBe(200);
    expect(all.body.items.map((e) => e.id)).toEqual(t.app.registry.view.current().enterprises.map((e) => e.id));
    const qiluSummary = { name: '齐鲁示范热电有限公司', sourceCount: 2, facilityCount: 0 };
    expect(all.body.items.find((e) => e.id === 'qilu-power')).toMatchObject(qiluSummary);
    const own = await qilu.call<{ items: EnterpriseSummary[] }>('GET', '/api/enterprises');
    expect(own.body.items.map((e) => e.id)).toEqual(['qilu-power']);
  });

  it('gives one enterprise’s file without credentials; another enterprise’s answers 404 to an enterprise user', async () => {
    const file = await qilu.call<EnterpriseFile>('GET', '/api/enterprises/qilu-power');
    expect(file.status).toBe(200);
    expect(file.body.sources.map((s) => s.mn)).toEqual(['370300CEMS00000000000101', '370300NH3000000000000101']);
    expect(JSON.stringify(file.body)).not.toMatch(/"pw"|mqttPassword|GG33E76YPJ4U8GVPP43NJQAB/);
    expect(file.body).toMatchObject({ facilities: [], gradeHistory: [] });
    expect((await qilu.call('GET', '/api/enterprises/zichuan-cement')).status).toBe(404);
    expect((await officer.call('GET', '/api/enterprises/zichuan-cement')).status).toBe(200);
    expect((await officer.call('GET', '/api/enterprises/nobody')).status).toBe(404);
  });

  it.each([
    ['POST', '/api/enterprises', { id: 'x', name: 'x', district: 'x' }],
    ['PATCH', '/api/enterprises/qilu-power', { name: 'x' }],
    ['DELETE', '/api/enterprises/qilu-power', undefined],
    ['POST', '/api/sources', newSource],
    ['PATCH', '/api/sources/370300CEMS00000000000101', { name: 'x' }],
    ['POST', '/api/sources/370300CEMS00000000000101/credentials', undefined],
    ['DELETE', '/api/sources/370300CEMS00000000000101', undefined],
    ['POST', '/api/facilities', { id: 'f', enterpriseId: 'qilu-power', kind: 'treatment', name: 'x' }],
    ['PATCH', '/api/facilities/f', { name: 'x' }],
    ['DELETE', '/api/facilities/f', undefined],
  ])('refuses %s %s to an enterprise user and an officer (403)', async (method, path, body) => {
    expect((await qilu.call(method, path, body)).status).toBe(403);
    expect((await officer.call(method, path, body)).status).toBe(403);
  });

  it('creates, changes and deletes an enterprise, with the grade history and the audit', async () => {
    const body = {
      id: 'longcheng-coke',
      name: '龙城焦化有限公司',
      district: '龙城区',
      creditCode: '91211300MA0Y8K9L2P',
      grade: 'B',
      keyUnit: true,
    };
    const created = await admin.call<{ enterprise: unknown }>('POST', '/api/enterprises', body);
    expect(created).toEqual({ status: 201, body: { enterprise: body } });
    expect((await admin.call('POST', '/api/enterprises', body)).status).toBe(409);
    const noReason = await admin.call<{ error: string }>('PATCH', '/api/enterprises/longcheng-coke', { grade: 'A' });
    expect(noReason).toMatchObject({ status: 400, body: { error: 'grade_reason_required' } });
    const patch = { grade: 'A', gradeReason: '完成超低排放改造', park: null, keyUnit: false };
    const patched = await admin.call('PATCH', '/api/enterprises/longcheng-coke', patch);
    expect(patched).toMatchObject({ status: 200, body: { enterprise: { grade: 'A', keyUnit: false } } });
    const file = await officer.call<EnterpriseFile>('GET', '/api/enterprises/longcheng-coke');
    expect(file.body.gradeHistory).toEqual([
      { grade: 'B', from: expect.any(Number), reason: 'registry.enterprise_created', by: 'admin' },
      { grade: 'A', from: expect.any(Number), reason: '完成超低排放改造', by: 'admin' },
    ]);
    expect((await admin.call('DELETE', '/api/enterprises/longcheng-coke')).status).toBe(204);
    expect((await admin.call('GET', '/api/enterprises/longcheng-coke')).status).toBe(404);
    const [deleted] = await audit('registry.enterprise_deleted');
    const gone = { before: { id: 'longcheng-coke', grade: 'A' }, after: null };
    expect(deleted).toMatchObject({ target: 'enterprise:longcheng-coke', username: 'admin', detail: gone });
    const updated = { before: { grade: 'B', keyUnit: true }, after: { grade: 'A', keyUnit: false } };
    expect((await audit('registry.enterprise_updated'))[0]?.detail).toMatchObject(updated);
    expect(await audit('api_change')).toEqual([]); // not audited twice by the generic trail
  });

  it('answers 400 with the issues for a bad body, and 409 while an enterprise has sources', async () => {
    const bad = await admin.call<Issues>('POST', '/api/enterprises', { id: 'Bad Id', name: '', district: 'x', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i) => i.path.join('.')).sort()).toEqual(['', 'id', 'name']);
    const withPw = await admin.call('POST', '/api/sources', { ...newSource, pw: 'MYOWNPW' });
    expect(withPw.status).toBe(400);
    const unknownEnterprise = await admin.call<Issues>('POST', '/api/sources', { ...newSource, enterpriseId: 'ghost' });
    const issue = { path: ['enterpriseId'], message: 'unknown enterprise "ghost"' };
    expect(unknownEnterprise).toMatchObject({ status: 400, body: { issues: [issue] } });
    expect(await admin.call('DELETE', '/api/enterprises/zichuan-cement')).toMatchObject({ status: 409, body: { error: 'in_use' } });
    expect((await admin.call('PATCH', '/api/sources/370300CEMS00000000000999', { name: 'x' })).status).toBe(404);
  });

  it('creates a source with credentials shown once, rotates them, changes and deletes it; the audit never holds them', async () => {
    const created = await admin.call<{ source: SourceFile; credentials: LoggerCredentials }>('POST', '/api/sources', newSource);
    expect(created.status).toBe(201);
    const { credentials } = created.body;
    expect(credentials.pw).toMatch(/^[A-HJ-NP-Z2-9]{24}$/);
    expect(credentials.mqttPassword.length).toBeGreaterThanOrEqual(16);
    expect(created.body.source).toEqual({ ...newSource, position: 'outlet', intervalS: 30, limits: {} });
    expect(t.app.registry.view.current().sources.find((s) => s.mn === NEW_MN)).toMatchObject(credentials);
    expect((await admin.call('POST', '/api/sources', newSource)).status).toBe(409);

    const file = await qilu.call<EnterpriseFile>('GET', '/api/enterprises/qilu-power');
    expect(file.body.sources.map((s) => s.mn)).toContain(NEW_MN);
    expect(JSON.stringify(file.body)).not.toContain(credentials.pw);

    const rotated = await admin.call<{ credentials: LoggerCredentials }>('POST', `/api/sources/${NEW_MN}/credentials`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.credentials.pw).not.toBe(credentials.pw);
    expect(rotated.body.credentials.mqttPassword).not.toBe(credentials.mqttPassword);
    expect(t.app.registry.view.current().sources.find((s) => s.mn === NEW_MN)).toMatchObject(rotated.body.credentials);

    const change = { name: '2号机组', stackHeightM: null, bypass: { seal: 'sealed' } };
    const changed = await admin.call<{ source: SourceFile }>('PATCH', `/api/sources/${NEW_MN}`, change);
    expect(changed.status).toBe(200);
    expect(changed.body.source).toMatchObject({ name: '2号机组', bypass: { seal: 'sealed' } });
    expect(changed.body.source).not.toHaveProperty('stackHeightM');
    expect(changed.body.source).not.toHaveProperty('pw');
    expect((await admin.call('PATCH', `/api/sources/${NEW_MN}`, { mn: 'X' })).status).toBe(400);

    expect((await admin.call('DELETE', `/api/sources/${NEW_MN}`)).status).toBe(204);
    expect(t.app.registry.view.current().sources.some((s) => s.mn === NEW_MN)).toBe(false);

    const rows = [
      ...(await audit('registry.source_created')),
      ...(await audit('registry.credentials_rotated')),
      ...(await audit('registry.source_updated')),
      ...(await audit('registry.source_deleted')),
    ];
    expect(rows.map((r) => r.target)).toEqual(Array(4).fill(`source:${NEW_MN}`));
    expect(rows[1]?.detail).toMatchObject({ before: { pw: '***', mqttPassword: '***' }, after: { pw: '***', mqttPassword: '***' } });
    const text = JSON.stringify(rows);
    for (const secret of [credentials.pw, credentials.mqttPassword, rotated.body.credentials.pw, rotated.body.credentials.mqttPassword]) {
      expect(text).not.toContain(secret);
    }
  });

  it('administers facilities; an enterprise user lists only its own', async () => {
    const rto: Facility = {
      id: 'zichuan-sncr',
      enterpriseId: 'zichuan-cement',
      kind: 'treatment',
      name: 'SNCR脱硝',
      outletMns: ['370300CEMS00000000000201'],
      technology: 'SNCR',
    };
    const meter: Facility = {
      id: 'zichuan-meter',
      enterpriseId: 'zichuan-cement',
      kind: 'power-meter',
      name: '脱硝电表',
      serves: 'zichuan-sncr',
      meterNo: 'M1',
    };
    expect(await admin.call('POST', '/api/facilities', rto)).toEqual({ status: 201, body: { facility: rto } });
    expect((await admin.call('POST', '/api/facilities', meter)).status).toBe(201);
    const foreign = await admin.call<Issues>('POST', '/api/facilities', { ...meter, id: 'bad', outletMns: ['370300CEMS00000000000101'] });
    expect(foreign).toMatchObject({ status: 400, body: { issues: [{ path: ['outletMns', 0] }] } });

    const listed = await officer.call<{ items: Facility[] }>('GET', '/api/facilities?enterpriseId=zichuan-cement');
    expect(listed.body.items).toEqual([rto, meter]);
    expect((await qilu.call<{ items: Facility[] }>('GET', '/api/facilities')).body.items).toEqual([]);
    expect((await qilu.call('GET', '/api/facilities?enterpriseId=zichuan-cement')).status).toBe(404);

    const rated = await admin.call('PATCH', '/api/facilities/zichuan-sncr', { ratedKw: 300 });
    expect(rated).toMatchObject({ status: 200, body: { facility: { ratedKw: 300 } } });
    expect(await admin.call('DELETE', '/api/facilities/zichuan-sncr')).toMatchObject({ status: 409, body: { error: 'in_use' } });
    expect((await admin.call('DELETE', '/api/facilities/zichuan-meter')).status).toBe(204);
    expect((await admin.call('DELETE', '/api/facilities/zichuan-sncr')).status).toBe(204);
    expect((await audit('registry.facility_created')).map((r) => r.target)).toEqual(['facility:zichuan-meter', 'facility:zichuan-sncr']);
  });
});

describe('the registry store across a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'o3-registry-restart-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps a change made in the product and does not read the YAML again', async () => {
    const dataDir = join(dir, 'data');
    const registryFile = join(dir, 'registry.yaml');
    const logFile = join(dir, 'server.log');
    copyFileSync(TEST_REGISTRY_FILE, registryFile);
    const env = { REGISTRY_FILE: registryFile, LOG_LEVEL: 'info' };
    let t = await startTestApp(env, { dataDir, logFile });
    const admin = await t.signIn('admin');
    expect((await admin.call('PATCH', '/api/enterprises/qilu-power', { park: '临淄化工园' })).status).toBe(200);
    await t.stop();

    writeFileSync(registryFile, readFileSync(registryFile, 'utf8').replace('齐鲁示范热电有限公司', '齐鲁YAML改名热电'));
    t = await startTestApp(env, { dataDir, logFile });
    try {
      const file = await (await t.signIn('officer')).call<EnterpriseFile>('GET', '/api/enterprises/qilu-power');
      expect(file.body.enterprise).toMatchObject({ name: '齐鲁示范热电有限公司', park: '临淄化工园' });
      expect(t.app.registry.view.version()).toBe(2);
    } finally {
      await t.stop();
    }
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain('registry store was empty: seeded from the YAML registry');
    expect(log).toContain('the YAML registry file was not used');
  });
});
