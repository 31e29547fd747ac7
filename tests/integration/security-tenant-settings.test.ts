/**
 * Tenant isolation of the settings and records on the real app (see tests/helpers/tenant-suite.ts):
 * notification targets are the administrator's (their tokens masked), the duty roster and chain too
 * while contacts are one's own; an enterprise reads and writes its own facility records only;
 * enterprise A manages only its own API tokens and its token reads only its own data (the
 * data-exchange API included); A gets no report of B.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../server/domain/alert';
import { A_ENT, B_ENT, B_NH3, B_CEMS, today, tenantSuite } from '../helpers/tenant-suite';
import type { ApiSession, TestApp } from '../helpers/test-app';

describe('tenant isolation: notification targets, duty, facility records, API tokens and reports', () => {
  let t: TestApp, a: ApiSession, officer: ApiSession, admin: ApiSession, ozone: ApiSession, bAlert: Alert;
  const { seenByA } = tenantSuite('settings', (app) => ({ t, a, officer, admin, ozone, bAlert } = app));

  describe('the notification targets (issue 14): administrators only', () => {
    const SECRET = 'sec-tenant-webhook-token-7d1f';
    let id = '';
    const list = async () => (await admin.call<{ items: unknown[] }>('GET', '/api/notify-targets')).body.items;
    beforeAll(async () => {
      const created = await admin.call<{ target: { id: string } }>('POST', '/api/notify-targets', {
        name: '安全测试渠道',
        format: 'dingtalk',
        url: `http://127.0.0.1:9/robot/send?access_token=${SECRET}`,
        enabled: false,
      });
      expect(created.status).toBe(201);
      id = created.body.target.id;
    });

    it.each([A_ENT, 'officer', 'ozone'])('%s: every notification-target route is refused with 403, nothing changes', async (who) => {
      const s = who === A_ENT ? a : who === 'officer' ? officer : ozone;
      const before = await list();
      const routes: [string, string, unknown?][] = [
        ['GET', '/api/notify-targets'],
        ['POST', '/api/notify-targets', { name: '偷偷加的', format: 'json', url: 'https://evil.example/hook' }],
        ['PATCH', `/api/notify-targets/${id}`, { version: 1, url: 'https://evil.example/hook' }],
        ['DELETE', `/api/notify-targets/${id}?version=1`],
        ['POST', `/api/notify-targets/${id}/test`],
      ];
      for (const [method, path, body] of routes) {
        const res = await s.call(method, path, body);
        expect({ who, method, path, status: res.status }).toEqual({ who, method, path, status: 403 });
        expect(JSON.stringify(res.body)).not.toContain(SECRET);
      }
      expect(await list()).toEqual(before);
    });

    it('the administrator sees the target with its URL masked, never the token', async () => {
      const items = await list();
      expect(JSON.stringify(items)).toContain('access_token=***');
      expect(JSON.stringify(items)).not.toContain(SECRET);
    });
  });

  describe('who gets what (issue 21): the roster and the chain are the administrator’s; contacts are one’s own', () => {
    const settings = (email: string) => ({
      contacts: { email, phone: null },
      subscription: { enabled: true, minSeverity: 'info', districts: [], kinds: [], rules: [], channels: ['email'], quietHours: null },
    });
    it.each([A_ENT, 'officer', 'ozone'])('%s: no shift, chain or other user’s settings is changed or read', async (who) => {
      const s = who === A_ENT ? a : who === 'officer' ? officer : ozone;
      const shift = { username: 'officer', position: 'primary', startsAt: Date.now(), endsAt: Date.now() + 3_600_000 };
      const routes: [string, string, unknown?][] = [
        ['POST', '/api/duty/shifts', shift],
        ['PUT', '/api/duty/shifts/x', shift],
        ['DELETE', '/api/duty/shifts/x'],
        ['PUT', '/api/duty/escalation', { enabled: false, minSeverity: 'critical', steps: [], smsTargetId: null }],
        ['GET', '/api/duty/users/admin/settings'],
        ['PUT', '/api/duty/users/admin/settings', settings('evil@example.com')],
      ];
      for (const [method, path, body] of routes) {
        const res = await s.call(method, path, body);
        expect({ who, method, path, status: res.status }).toEqual({ who, method, path, status: 403 });
      }
      // The bureau reads the roster; an enterprise does not.
      expect((await s.call('GET', '/api/duty')).status).toBe(who === A_ENT ? 403 : 200);
      expect((await s.call('GET', '/api/duty/now')).status).toBe(who === A_ENT ? 403 : 200);
      expect((await admin.call<{ contacts: unknown }>('GET', '/api/duty/users/admin/settings')).body.contacts).not.toEqual(
        settings('evil@example.com').contacts,
      );
    });

    it('an enterprise user keeps its own contacts and subscription (only its own enterprise’s alerts are ever routed to it)', async () => {
      const put = await a.call<{ contacts: { email: string } }>('PUT', '/api/notify-settings/me', settings('env@qilu.example.cn'));
      expect(put).toMatchObject({ status: 200, body: { contacts: { email: 'env@qilu.example.cn' } } });
      expect((await a.call('GET', '/api/notify-settings/me')).body).toMatchObject({ contacts: { email: 'env@qilu.example.cn' } });
      // Nobody else's settings changed; an enterprise user is never put on the bureau's roster.
      expect((await officer.call('GET', '/api/notify-settings/me')).body).toMatchObject({ contacts: { email: null } });
      const shift = { username: A_ENT, position: 'primary', startsAt: Date.now(), endsAt: Date.now() + 3_600_000 };
      expect(await admin.call('POST', '/api/duty/shifts', shift)).toMatchObject({ status: 400 });
    });
  });

  describe('facility records (issue 16): an enterprise reads and writes its own only', () => {
    const B_AC = 'zichuan-ac-tenant';
    const A_AC = 'qilu-ac-tenant';
    beforeAll(async () => {
      for (const f of [
        { id: B_AC, enterpriseId: B_ENT, kind: 'treatment', name: '活性炭吸附', adsorbentDays: 90 },
        { id: A_AC, enterpriseId: A_ENT, kind: 'treatment', name: '活性炭吸附', adsorbentDays: 90 },
      ])
        expect((await admin.call('POST', '/api/facilities', f)).status).toBe(201);
      expect(
        (await officer.call('POST', `/api/facilities/${B_AC}/adsorbent-replacements`, { date: '2027-01-05', amountKg: 300 })).status,
      ).toBe(201);
      expect((await officer.call('POST', '/api/start-stop-plans', { enterpriseId: B_ENT, year: 2027, entries: [] })).status).toBe(201);
    });

    it('enterprise A: B’s replacements and plan answer 404, lists leave B out, and nothing of B changes', async () => {
      const refused: [string, string, unknown?][] = [
        ['GET', `/api/facilities/${B_AC}/adsorbent-replacements`],
        ['POST', `/api/facilities/${B_AC}/adsorbent-replacements`, { date: '2027-01-06', amountKg: 1 }],
        ['GET', `/api/start-stop-plans/${B_ENT}/2027`],
        ['PUT', `/api/start-stop-plans/${B_ENT}/2027`, { entries: [] }],
        ['POST', '/api/start-stop-plans', { enterpriseId: B_ENT, year: 2027, entries: [] }],
      ];
      for (const [method, path, body] of refused)
        expect({ route: `${method} ${path}`, status: (await a.call(method, path, body)).status }).toEqual({
          route: `${method} ${path}`,
          status: 404,
        });
      const plans = await a.call<{ items: { enterpriseId: string }[] }>('GET', '/api/start-stop-plans?year=2027');
      expect(plans.body.items.filter((p) => p.enterpriseId !== A_ENT)).toEqual([]);
      expect((await a.call<{ items: unknown[] }>('GET', `/api/start-stop-plans?year=2027&enterpriseId=${B_ENT}`)).body.items).toEqual([]);
      const events = await a.call<{ counts: unknown[]; events: unknown[] }>('GET', `/api/start-stop-events?enterpriseId=${B_ENT}`);
      expect(events.body).toEqual({ counts: [], events: [] });
      // A's own: it logs and files for itself.
      expect((await a.call('POST', `/api/facilities/${A_AC}/adsorbent-replacements`, { date: '2027-01-06', amountKg: 2 })).status).toBe(
        201,
      );
      expect((await a.call('POST', '/api/start-stop-plans', { year: 2027, entries: [] })).status).toBe(201);
      // B's records are as the officer left them.
      expect((await officer.call<{ items: unknown[] }>('GET', `/api/facilities/${B_AC}/adsorbent-replacements`)).body.items).toHaveLength(
        1,
      );
      expect((await officer.call<{ plan: { version: number } }>('GET', `/api/start-stop-plans/${B_ENT}/2027`)).body.plan.version).toBe(1);
    });

    it('the ozone centre reads the records and writes none', async () => {
      expect((await ozone.call('GET', `/api/facilities/${B_AC}/adsorbent-replacements`)).status).toBe(200);
      expect((await ozone.call('POST', `/api/facilities/${B_AC}/adsorbent-replacements`, { date: '2027-01-06', amountKg: 1 })).status).toBe(
        403,
      );
      expect((await ozone.call('PUT', `/api/start-stop-plans/${B_ENT}/2027`, { entries: [] })).status).toBe(403);
    });
  });

  describe('API tokens', () => {
    /** Plain fetch with the token: no cookie, no Origin (a script). */
    const bearer = (secret: string) => async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${t.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${secret}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      seenByA.push(text);
      return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
    };
    type Made = { token: { id: string; enterpriseId: string | null }; secret: string };

    it('enterprise A sees and revokes only its own enterprise’s tokens; staff other than administrators manage none', async () => {
      const bTok = await admin.call<Made>('POST', '/api/tokens', { name: 'B 接口', scope: 'read', enterpriseId: B_ENT, expiresInDays: 5 });
      const aTok = await a.call<Made>('POST', '/api/tokens', { name: 'A 接口', scope: 'read', expiresInDays: 5 });
      expect(aTok.status).toBe(201);
      expect(aTok.body.token.enterpriseId).toBe(A_ENT);
      expect((await a.call('POST', '/api/tokens', { name: 'x', scope: 'read', enterpriseId: B_ENT, expiresInDays: 5 })).status).toBe(403);
      const listed = (await a.call<{ items: { id: string; enterpriseId: string | null }[] }>('GET', '/api/tokens')).body.items;
      expect(listed.map((i) => i.id)).toEqual([aTok.body.token.id]);
      expect((await a.call('DELETE', `/api/tokens/${bTok.body.token.id}`)).status).toBe(404);
      expect((await bearer(bTok.body.secret)('GET', '/api/alerts')).status).toBe(200); // B's token still works
      for (const s of [officer, ozone]) {
        expect((await s.call('GET', '/api/tokens')).status).toBe(403);
        expect((await s.call('POST', '/api/tokens', { name: 'x', scope: 'read', expiresInDays: 5 })).status).toBe(403);
      }
      expect((await a.call('DELETE', `/api/tokens/${aTok.body.token.id}`)).status).toBe(200);
      expect((await bearer(aTok.body.secret)('GET', '/api/alerts')).status).toBe(401);
    });

    it('enterprise A’s token reads only A’s data and changes nothing of B’s', async () => {
      const made = await a.call<Made>('POST', '/api/tokens', { name: 'A 写入', scope: 'write', expiresInDays: 5 });
      const call = bearer(made.body.secret);
      const alerts = (await call('GET', '/api/alerts')).body['items'] as Alert[];
      expect(alerts.every((x) => x.enterpriseId === A_ENT)).toBe(true);
      const sources = (await call('GET', '/api/sources')).body['items'] as { enterpriseId: string }[];
      expect(sources.length).toBeGreaterThan(0);
      expect(sources.every((x) => x.enterpriseId === A_ENT)).toBe(true);
      expect(((await call('GET', '/api/enterprises')).body['items'] as { id: string }[]).map((e) => e.id)).toEqual([A_ENT]);
      for (const path of [`/api/alerts/${bAlert.id}`, `/api/sources/${B_NH3}/series?factor=a21001`, `/api/enterprises/${B_ENT}`]) {
        expect({ path, status: (await call('GET', path)).status }).toEqual({ path, status: 404 });
      }
      for (const [path, body] of [
        [`/api/alerts/${bAlert.id}/acknowledge`, {}],
        [`/api/alerts/${bAlert.id}/comment`, { text: 'not ours' }],
      ] as const) {
        expect((await call('POST', path, body)).status).toSatisfy((s: number) => s === 403 || s === 404);
      }
      expect((await call('GET', '/api/tokens')).status).toBe(403);
      expect((await call('GET', '/api/audit')).status).toBe(401);
      // The data-exchange API (issue 21 item 5): A's rows only; B's MN is unknown, B's enterprise empty.
      const x = '/api/exchange/v1';
      for (const path of [
        `${x}/sources`,
        `${x}/latest`,
        `${x}/alerts`,
        `${x}/means/hourly?from=${today}`,
        `${x}/means/daily?from=${today}`,
      ]) {
        const res = await call('GET', path);
        const rows = res.body['items'] as { enterpriseId: string }[];
        expect({ path, status: res.status, foreign: rows.filter((r) => r.enterpriseId !== A_ENT) }).toEqual({
          path,
          status: 200,
          foreign: [],
        });
      }
      expect(((await call('GET', `${x}/sources`)).body['items'] as unknown[]).length).toBeGreaterThan(0);
      for (const path of [
        `${x}/sources?mn=${B_NH3}`,
        `${x}/latest?mn=${B_NH3}`,
        `${x}/alerts?mn=${B_NH3}`,
        `${x}/means/hourly?from=${today}&mn=${B_NH3}`,
      ]) {
        expect({ path, status: (await call('GET', path)).status }).toEqual({ path, status: 404 });
      }
      for (const path of [
        `${x}/alerts?enterpriseId=${B_ENT}`,
        `${x}/latest?enterpriseId=${B_ENT}`,
        `${x}/loads?from=${today.slice(0, 7)}&enterpriseId=${B_ENT}`,
      ]) {
        expect({ path, body: (await call('GET', path)).body }).toEqual({
          path,
          body: { items: [], limit: 100, next: null, nextUrl: null },
        });
      }
      const loads = (await call('GET', `${x}/loads?from=${today.slice(0, 7)}`)).body['items'] as { enterpriseId: string }[];
      expect(loads.filter((r) => r.enterpriseId !== A_ENT)).toEqual([]);
      // A's own session gets the same, never B's alert.
      const mine = (await a.call<{ items: { id: number }[] }>('GET', `${x}/alerts`)).body.items;
      expect(mine.map((r) => r.id)).not.toContain(bAlert.id);
      const after = (await officer.call<{ alert: Alert }>('GET', `/api/alerts/${bAlert.id}`)).body.alert;
      expect(after).toMatchObject({ acknowledgedAt: null });
    });
  });

  it('enterprise A gets no report of B', async () => {
    const res = await a.call('GET', `/api/reports/hourly?mn=${B_NH3}&date=${today}`);
    expect(res.status).toBe(404);
    const daily = await a.call<{ items?: { mn: string }[] }>('GET', `/api/reports/daily?date=${today}`);
    expect((daily.body.items ?? []).some((r) => r.mn === B_NH3 || r.mn === B_CEMS)).toBe(false);
  });
});
