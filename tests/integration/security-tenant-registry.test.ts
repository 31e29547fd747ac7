/**
 * Tenant isolation over REST on the real app (see tests/helpers/tenant-suite.ts): signed in as
 * enterprise A, none of enterprise B's sources, readings, raw frames, rules or alerts is read or
 * changed; staff routes are refused; every registry write (enterprises, sources, credentials,
 * facilities, import, credential export) is refused to A, officer and ozone and changes nothing; B is
 * absent from every registry read, export and source-list page A gets (whatever A filters on), and no
 * logger credential reaches A, by REST or socket.
 */
import YAML from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../server/domain/alert';
import { workbookOf } from '../../server/registry/registry-fixture';
import { A_ENT, B_ENT, A_NH3, B_NH3, B_CEMS, B_LINE, XLSX, workbookText, tenantSuite } from '../helpers/tenant-suite';
import { connectDashboard, nextEvent, type ApiSession, type TestApp } from '../helpers/test-app';

describe('tenant isolation: sources, alerts and the registry', () => {
  let t: TestApp, a: ApiSession, officer: ApiSession, admin: ApiSession, ozone: ApiSession, bAlert: Alert;
  const { seenByA, generated, mqttPw, logger } = tenantSuite('registry', (app) => ({ t, a, officer, admin, ozone, bAlert } = app));

  it('enterprise A reads none of B’s sources, readings, raw frames or rules', async () => {
    const sources = (await a.call<{ items: { mn: string; enterpriseId: string }[] }>('GET', '/api/sources')).body.items;
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.every((s) => s.enterpriseId === A_ENT)).toBe(true);
    // Filtered and paged on the server: B's enterprise or MN finds nothing, the total counts A's only.
    type Page = { items: { mn: string; enterpriseId: string }[]; total: number };
    for (const q of [`enterpriseId=${B_ENT}`, `q=${B_NH3}`, `q=${B_CEMS}`]) {
      expect({ q, ...(await a.call<Page>('GET', `/api/sources?${q}`)).body }).toEqual({ q, items: [], total: 0 });
    }
    const page = (await a.call<Page>('GET', '/api/sources?limit=1&status=normal,exceeding,offline,nodata')).body;
    expect(page.total).toBe(sources.length);
    expect(page.items.map((s) => s.enterpriseId)).toEqual([A_ENT]);
    for (const path of [
      `/api/sources/${B_NH3}/series?factor=a21001`,
      `/api/sources/${B_CEMS}/series?factor=a21002&cn=2061`,
      `/api/sources/${B_NH3}/frames`,
      `/api/rules/sources/${B_NH3}`,
      `/api/enterprises/${B_ENT}/working-condition`,
      `/api/enterprises/${B_ENT}/working-condition?mn=${B_CEMS}`,
      `/api/enterprises/${A_ENT}/working-condition?mn=${B_CEMS}`,
    ]) {
      const res = await a.call('GET', path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    expect((await a.call('GET', `/api/sources/${A_NH3}/series?factor=a21001`)).status).toBe(200); // its own: fine
    expect((await a.call('GET', `/api/enterprises/${A_ENT}/working-condition`)).status).toBe(200);
  });

  it('enterprise A neither sees nor changes B’s alerts', async () => {
    const list = (await a.call<{ items: Alert[] }>('GET', '/api/alerts')).body.items;
    expect(list.some((x) => x.enterpriseId !== A_ENT)).toBe(false);
    for (const q of [`enterpriseId=${B_ENT}`, `mn=${B_NH3}`, `q=${encodeURIComponent('淄川')}`]) {
      const res = await a.call<{ items?: Alert[] }>('GET', `/api/alerts?${q}`);
      expect(res.body.items ?? []).toEqual([]);
    }
    expect((await a.call('GET', `/api/alerts/${bAlert.id}`)).status).toBe(404);
    const history = await a.call<{ items?: unknown[] }>('GET', `/api/alerts/history?mn=${B_NH3}`);
    expect(history.status === 404 || (history.body.items ?? []).length === 0).toBe(true);
    for (const [action, body] of [
      ['acknowledge', {}],
      ['assign', { assignee: 'me' }],
      ['comment', { text: 'not ours' }],
      ['resolve', {}],
      ['silence', { reason: 'x', durationMin: 60 }],
    ] as const) {
      const res = await a.call('POST', `/api/alerts/${bAlert.id}/${action}`, body);
      expect({ action, status: res.status }).toMatchObject({ action, status: expect.toSatisfy((s: number) => s === 403 || s === 404) });
    }
    const after = (await officer.call<{ alert: Alert }>('GET', `/api/alerts/${bAlert.id}`)).body.alert;
    expect(after).toMatchObject({ acknowledgedAt: null, closedAt: null, assignee: null, suppressed: null });
  });

  it('enterprise A cannot silence, declare maintenance for B, change rules, or reach staff and admin routes', async () => {
    const refused = async (method: string, path: string, body?: unknown) => {
      const res = await a.call(method, path, body);
      expect({ method, path, status: res.status }).toMatchObject({ status: expect.toSatisfy((s: number) => s === 403 || s === 404) });
    };
    await refused('GET', '/api/silences');
    await refused('POST', '/api/silences', { mn: B_NH3, reason: 'x', durationMin: 60 });
    const from = Date.now() + 60_000;
    await refused('POST', '/api/maintenance', { mn: B_NH3, from, to: from + 3_600_000, reason: 'x' });
    await refused('POST', '/api/maintenance', { enterpriseId: B_ENT, from, to: from + 3_600_000, reason: 'x' });
    await refused('GET', '/api/rules');
    await refused('PUT', `/api/rules/sources/${B_NH3}`, { limits: { a21001: { max: 100 } } });
    await refused('PUT', `/api/rules/sources/${A_NH3}`, { limits: { a21001: { max: 100 } } }); // its own permit: the bureau's call
    await refused('GET', '/api/hj212/loggers');
    await refused('GET', '/api/hj212/unknown-mns');
    await refused('GET', '/api/users');
    await refused('GET', '/api/audit');
    await refused('POST', '/api/power-imports?dryRun=true', {}); // power data (issue 16): the bureau's duty room imports it
    await refused('POST', '/api/power-imports?dryRun=false', {});
    for (const scope of ['station', 'district', 'city']) expect((await a.call('GET', `/api/air/aqi?scope=${scope}`)).status).toBe(403);
    for (const scope of ['district', 'city'])
      expect((await a.call('GET', `/api/air/assessment?period=aw-2026&scope=${scope}`)).status).toBe(403);
    expect((await a.call('GET', '/api/air/bulletin?month=2026-12&format=xlsx')).status).toBe(403);
    // Data quality (issue 19): the bureau's ranking of every enterprise, and its comparison tests.
    expect((await a.call('GET', '/api/quality/transmission?period=2026-11')).status).toBe(403);
    expect((await a.call('GET', '/api/quality/comparisons')).status).toBe(403);
    const test = { mn: A_NH3, factor: 'a21001', from: Date.now() - 7_200_000, to: Date.now() - 3_600_000, referenceValues: [1] };
    expect((await a.call('POST', '/api/quality/comparisons', test)).status).toBe(403);
    expect((await a.call('POST', '/api/quality/comparisons', { ...test, mn: B_NH3 })).status).toBe(403);
    const windows = (await a.call<{ items: { enterpriseId: string }[] }>('GET', '/api/maintenance')).body.items ?? [];
    expect(windows.every((w) => w.enterpriseId === A_ENT)).toBe(true);
  });

  it('enterprise A reads only its own registry file, and changes none', async () => {
    const list = (await a.call<{ items: { id: string }[] }>('GET', '/api/enterprises')).body.items;
    expect(list.map((e) => e.id)).toEqual([A_ENT]);
    expect((await a.call('GET', `/api/enterprises/${B_ENT}`)).status).toBe(404);
    expect((await a.call('GET', `/api/facilities?enterpriseId=${B_ENT}`)).status).toBe(404);
    expect((await a.call('PATCH', `/api/enterprises/${A_ENT}`, { name: 'x' })).status).toBe(403);
    expect((await a.call('POST', `/api/sources/${A_NH3}/credentials`)).status).toBe(403);
    const own = await a.call('GET', `/api/enterprises/${A_ENT}`);
    expect(own.status).toBe(200);
    expect(JSON.stringify(own.body)).not.toContain(mqttPw(A_NH3));
  });

  describe('the registry routes (issue 14)', () => {
    const NEW_A_MN = '370300NH3000000000000199';
    /** A workbook that adds one outlet to A: a real import (an administrator's dry run counts it). */
    const importFile = () =>
      workbookOf({
        排口: [
          ['数采仪MN', '所属企业编号', '排口名称', '类型', '经度', '纬度'],
          [NEW_A_MN, A_ENT, '2号机组SCR出口', '氨逃逸', 118.3047, 36.8269],
        ],
      });
    /** Every registry write, each with a body the route would accept from an administrator. */
    const writes = async (): Promise<[string, string, unknown?][]> => [
      ['POST', '/api/enterprises', { id: 'a-shell-co', name: '空壳公司', district: '张店区' }],
      ['PATCH', `/api/enterprises/${B_ENT}`, { name: '被改名的水泥厂' }],
      ['PATCH', `/api/enterprises/${A_ENT}`, { name: '自改名' }],
      ['DELETE', `/api/enterprises/${B_ENT}`],
      ['DELETE', `/api/enterprises/${A_ENT}`],
      ['POST', '/api/sources', { mn: NEW_A_MN, enterpriseId: A_ENT, name: '自建排口', kind: 'ammonia', lat: 36.8, lon: 118.3 }],
      ['POST', '/api/sources', { mn: '370300NH3000000000000298', enterpriseId: B_ENT, name: 'x', kind: 'ammonia', lat: 36.6, lon: 117.9 }],
      ['PATCH', `/api/sources/${B_NH3}`, { name: '改名' }],
      ['PATCH', `/api/sources/${A_NH3}`, { intervalS: 60 }],
      ['DELETE', `/api/sources/${B_NH3}`],
      ['DELETE', `/api/sources/${A_NH3}`],
      ['POST', `/api/sources/${B_NH3}/credentials`],
      ['POST', `/api/sources/${A_NH3}/credentials`],
      ['POST', '/api/facilities', { id: 'a-line', enterpriseId: A_ENT, kind: 'production-line', name: '1号机组' }],
      ['POST', '/api/facilities', { id: 'b-line-2', enterpriseId: B_ENT, kind: 'production-line', name: '2号线' }],
      ['PATCH', `/api/facilities/${B_LINE}`, { name: '改名' }],
      ['DELETE', `/api/facilities/${B_LINE}`],
      ['IMPORT', '/api/registry/import?dryRun=true', await importFile()],
      ['IMPORT', '/api/registry/import?dryRun=false', await importFile()],
      ['GET', '/api/registry/export?format=yaml&credentials=true'],
      ['GET', '/api/registry/export?format=xlsx&credentials=true'],
    ];
    const attempt = async (s: ApiSession, [method, path, body]: [string, string, unknown?]) => {
      if (method === 'IMPORT') {
        const res = await s.fetch(path, { method: 'POST', headers: { 'content-type': XLSX }, body: body as Buffer });
        return res.status;
      }
      if (method === 'GET') return (await s.fetch(path)).status;
      return (await s.call(method, path, body)).status;
    };
    /** The whole registry as the administrator exports it, credentials included. */
    const registryNow = async () => (await admin.fetch('/api/registry/export?format=yaml&credentials=true')).text();

    beforeAll(async () => {
      const line = { id: B_LINE, enterpriseId: B_ENT, kind: 'production-line', name: '2号熟料生产线', outletMns: [B_CEMS] };
      expect((await admin.call('POST', '/api/facilities', line)).status).toBe(201);
    });

    it('enterprise A: every registry write is refused with 403, and the registry is unchanged afterwards', async () => {
      const before = await registryNow();
      expect(before).toContain(mqttPw(B_NH3)); // the comparison covers the credentials too
      for (const w of await writes())
        expect({ route: `${w[0]} ${w[1]}`, status: await attempt(a, w) }).toEqual({ route: `${w[0]} ${w[1]}`, status: 403 });
      expect(await registryNow()).toBe(before);
      // The import file was a real one: an administrator's dry run would add the outlet (and changes nothing either).
      const dry = await admin.fetch('/api/registry/import?dryRun=true', {
        method: 'POST',
        headers: { 'content-type': XLSX },
        body: await importFile(),
      });
      expect(((await dry.json()) as { summary: { sources: { added: number } } }).summary.sources.added).toBe(1);
      expect(await registryNow()).toBe(before);
      // B's logger still signs in with its old credentials.
      const b = await logger(B_NH3);
      expect(b.connected).toBe(true);
    });

    it('enterprise A: reads of B answer 404 or leave B out (files, facilities, exports, map)', async () => {
      expect((await a.call('GET', `/api/enterprises/${B_ENT}`)).status).toBe(404);
      expect((await a.call('GET', `/api/facilities?enterpriseId=${B_ENT}`)).status).toBe(404);
      const facilities = (await a.call<{ items: { enterpriseId: string }[] }>('GET', '/api/facilities')).body.items;
      expect(facilities.filter((f) => f.enterpriseId !== A_ENT)).toEqual([]);
      const own = await a.call<{ sources: { mn: string }[]; facilities: unknown[] }>('GET', `/api/enterprises/${A_ENT}`);
      expect(own.body.sources.map((s) => s.mn)).toContain(A_NH3);
      expect(JSON.stringify(own.body)).not.toMatch(/"pw"|mqttPassword/);

      const yamlRes = await a.fetch('/api/registry/export?format=yaml');
      expect(yamlRes.status).toBe(200);
      const doc = YAML.parse(await yamlRes.text()) as { enterprises: { id: string }[]; sources: { mn: string; enterpriseId: string }[] };
      expect(doc.enterprises.map((e) => e.id)).toEqual([A_ENT]);
      expect(doc.sources.length).toBeGreaterThan(0);
      expect(doc.sources.filter((s) => s.enterpriseId !== A_ENT)).toEqual([]);
      const xlsxRes = await a.fetch('/api/registry/export?format=xlsx');
      expect(xlsxRes.status).toBe(200);
      const cells = await workbookText(await xlsxRes.arrayBuffer());
      expect(cells).toContain(A_NH3);
      for (const other of [B_ENT, B_NH3, B_CEMS, B_LINE, '370300VOCS00000000000401'])
        expect({ other, in: cells.includes(other) }).toEqual({ other, in: false });

      // The paged source list: A's own sources only, whatever A filters on (B's id, name, district, MN).
      type ListPage = { items: { mn: string; enterpriseId: string }[]; total: number };
      const listed = await a.call<ListPage>('GET', '/api/registry/sources?pageSize=500');
      expect(listed.status).toBe(200);
      expect(listed.body.items.map((x) => x.mn)).toContain(A_NH3);
      expect(listed.body.items.filter((x) => x.enterpriseId !== A_ENT)).toEqual([]);
      for (const q of [`enterpriseId=${B_ENT}`, 'q=淄川', `q=${B_NH3}`, 'district=淄川区', 'kind=ammonia&sort=enterprise&order=desc']) {
        const res = await a.call<ListPage>('GET', `/api/registry/sources?${q}`);
        expect({ q, status: res.status, others: res.body.items.filter((x) => x.enterpriseId !== A_ENT) }).toEqual({
          q,
          status: 200,
          others: [],
        });
      }

      const map = await a.fetch('/api/map');
      expect(map.status).toBe(200);
      const mapText = await map.text();
      for (const other of [B_ENT, B_NH3, B_CEMS]) expect(mapText).not.toContain(other);
    });

    it.each(['officer', 'ozone'])('%s reads the whole registry, changes none of it', async (role) => {
      const s = role === 'officer' ? officer : ozone;
      const before = await registryNow();
      const list = (await s.call<{ items: { id: string }[] }>('GET', '/api/enterprises')).body.items.map((e) => e.id);
      expect(list).toEqual(expect.arrayContaining([A_ENT, B_ENT]));
      const file = await s.call<{ sources: { mn: string }[] }>('GET', `/api/enterprises/${B_ENT}`);
      expect(file.status).toBe(200);
      expect(file.body.sources.map((x) => x.mn)).toContain(B_NH3);
      expect(
        (await s.call<{ items: { id: string }[] }>('GET', `/api/facilities?enterpriseId=${B_ENT}`)).body.items.map((f) => f.id),
      ).toEqual([B_LINE]);
      const yaml = await s.fetch('/api/registry/export?format=yaml');
      expect(yaml.status).toBe(200);
      const text = await yaml.text();
      expect(text).toContain(B_NH3);
      const xlsx = await s.fetch('/api/registry/export?format=xlsx');
      expect(xlsx.status).toBe(200);
      const cells = await workbookText(await xlsx.arrayBuffer());
      expect(cells).toContain(B_CEMS);
      for (const secret of t.config.registry.sources.flatMap((x) => [x.pw, x.mqttPassword]).filter((x): x is string => !!x)) {
        expect({ secret, inYaml: text.includes(secret), inXlsx: cells.includes(secret) }).toEqual({ secret, inYaml: false, inXlsx: false });
      }
      expect((await s.fetch('/api/map')).status).toBe(200);
      const listed = await s.call<{ items: { mn: string }[]; total: number }>('GET', `/api/registry/sources?enterpriseId=${B_ENT}`);
      expect(listed.body.items.map((x) => x.mn)).toEqual(expect.arrayContaining([B_NH3, B_CEMS]));
      expect(JSON.stringify(listed.body)).not.toMatch(/"pw"|mqttPassword/);
      for (const w of await writes())
        expect({ route: `${w[0]} ${w[1]}`, status: await attempt(s, w) }).toEqual({ route: `${w[0]} ${w[1]}`, status: 403 });
      expect(await registryNow()).toBe(before);
    });

    it('over socket.io, when an administrator adds a source to B, A gets sources:changed without it; staff get it', async () => {
      const aSocket = await connectDashboard(t.baseUrl, a);
      const staff = await connectDashboard(t.baseUrl, officer);
      const aEvents: string[] = [];
      aSocket.onAny((event: string, ...args: unknown[]) => void aEvents.push(`${event} ${JSON.stringify(args)}`));
      const NEW_B = '370300NH3000000000000299';
      const aChanged = nextEvent(aSocket, 'sources:changed', () => true);
      const staffChanged = nextEvent(staff, 'sources:changed', (e) => e.sources.some((x) => x.mn === NEW_B));
      const body = { mn: NEW_B, enterpriseId: B_ENT, name: '2号窑尾SNCR出口', kind: 'ammonia', lat: 36.6435, lon: 117.9677, intervalS: 30 };
      const created = await admin.call<{ credentials: { pw: string; mqttPassword: string } }>('POST', '/api/sources', body);
      expect(created.status).toBe(201);
      generated.push(created.body.credentials.pw, created.body.credentials.mqttPassword);
      const [forA, forStaff] = await Promise.all([aChanged, staffChanged]);
      expect(forA.sources.map((x) => x.mn)).toContain(A_NH3);
      expect(forA.sources.filter((x) => x.enterpriseId !== A_ENT)).toEqual([]);
      expect(forStaff.sources.map((x) => x.enterpriseId)).toEqual(expect.arrayContaining([A_ENT, B_ENT]));
      // A rotation of B's credentials: A again hears nothing of B.
      const rotated = await admin.call<{ credentials: { pw: string; mqttPassword: string } }>('POST', `/api/sources/${NEW_B}/credentials`);
      generated.push(rotated.body.credentials.pw, rotated.body.credentials.mqttPassword);
      const staffRemoved = nextEvent(staff, 'sources:changed', (e) => !e.sources.some((x) => x.mn === NEW_B));
      const aRemoved = nextEvent(aSocket, 'sources:changed', () => true);
      expect((await admin.call('DELETE', `/api/sources/${NEW_B}`)).status).toBe(204);
      await Promise.all([staffRemoved, aRemoved]);
      const aOwn = await a.call<{ items: { mn: string }[] }>('GET', '/api/sources');
      expect(aOwn.body.items.map((x) => x.mn)).not.toContain(NEW_B);
      aSocket.close();
      staff.close();
      seenByA.push(...aEvents);
      const text = aEvents.join('\n');
      expect(text).toContain('sources:changed');
      expect(text).not.toContain(NEW_B);
      expect(text).not.toContain(B_ENT);
    });

    it('no logger credential appears in any answer enterprise A got', () => {
      const secrets = [...t.config.registry.sources.flatMap((x) => [x.pw, x.mqttPassword]).filter((x): x is string => !!x), ...generated];
      expect(secrets.length).toBeGreaterThan(20);
      const all = seenByA.join('\n');
      expect(seenByA.length).toBeGreaterThan(25);
      expect(all).toContain(A_NH3); // A's own sources were in what it got, its credentials were not
      for (const secret of secrets) expect({ secret, found: all.includes(secret) }).toEqual({ secret, found: false });
    });
  });
});
