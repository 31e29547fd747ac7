/**
 * Who may do what with alerts, silences and maintenance windows, over real HTTP with the real
 * routers and a real SQLite store. A stand-in for the auth middleware puts the principal named
 * in a test header on `res.locals.principal`, as the real one will.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertService } from '../../server/alerts/alert-service';
import { loadConfig } from '../../server/config';
import type { Alert, Finding } from '../../server/domain/alert';
import type { Principal } from '../../server/domain/principal';
import { alertsRouter } from '../../server/http/alerts-router';
import { errorMiddleware, notFound } from '../../server/http/errors';
import { maintenanceRouter, reviewPolicyOf } from '../../server/http/maintenance-router';
import { silencesRouter } from '../../server/http/silences-router';
import { createLogger } from '../../server/logger';
import { RegistryHolder } from '../../server/registry/registry-holder';
import { EventBus } from '../../server/domain/internal-events';
import { openAlertState, type AlertState } from '../../server/storage/sql/alert-store';
import { TEST_REGISTRY_FILE } from '../helpers/fixtures';
import { ROOT } from '../helpers/test-app';

const CEMENT_NH3 = '370300NH3000000000000201'; // zichuan-cement
const CEMENT_CEMS = '370300CEMS00000000000201'; // zichuan-cement
const WTE_NH3 = '370300NH3000000000000701'; // city-wte

const PRINCIPALS: Record<string, Principal> = {
  officer: { userId: 1, username: 'li.officer', role: 'officer', enterpriseId: null, department: null },
  admin: { userId: 2, username: 'root', role: 'admin', enterpriseId: null, department: null },
  ozone: { userId: 3, username: 'o3.centre', role: 'ozone', enterpriseId: null, department: null },
  cement: { userId: 4, username: 'zc.env', role: 'enterprise', enterpriseId: 'zichuan-cement', department: null },
};

const exceeded = (mn: string, ts: number): Finding => ({
  type: 'exceeded',
  mn,
  factor: 'a21001',
  rule: 'limit',
  severity: 'major',
  value: 9,
  limit: 8,
  unit: 'mg/m³',
  ts,
});

describe('alert access by role and enterprise', () => {
  let dir: string;
  let store: AlertState;
  let server: Server;
  let base: string;
  let own: Alert;
  let other: Alert;

  const as = async (who: keyof typeof PRINCIPALS, method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = { 'x-test-principal': who };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & { items?: { enterpriseId: string }[] } };
  };

  beforeAll(async () => {
    const config = loadConfig({ REGISTRY_FILE: TEST_REGISTRY_FILE }, ROOT);
    dir = mkdtempSync(join(tmpdir(), 'o3-access-'));
    store = await openAlertState(join(dir, 'state.db'));
    const alerts = new AlertService(store, createLogger('silent'));
    await alerts.reloadAll();
    const t = Date.now() - 60_000;
    alerts.apply([exceeded(CEMENT_NH3, t)], 'zichuan-cement');
    alerts.apply([exceeded(WTE_NH3, t)], 'city-wte');
    await alerts.settled();
    [other, own] = alerts.openAlerts() as [Alert, Alert];

    const app = express();
    app.use(express.json());
    app.use((req, res, next) => {
      const who = req.header('x-test-principal');
      if (who) res.locals.principal = PRINCIPALS[who];
      next();
    });
    app.use('/api/alerts', alertsRouter(alerts));
    app.use(
      '/api/silences',
      silencesRouter(alerts.suppressions, (mn) => config.registry.sources.some((s) => s.mn === mn)),
    );
    const policy = reviewPolicyOf(config.alerts.maintenance);
    app.use('/api/maintenance', maintenanceRouter(alerts.suppressions, new RegistryHolder(config.registry, new EventBus()), { policy }));
    app.use(notFound);
    app.use(errorMiddleware(createLogger('silent')));
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an enterprise lists only its own alerts, and another enterprise’s alert does not exist for it', async () => {
    expect(own.enterpriseId).toBe('zichuan-cement');
    const mine = await as('cement', 'GET', '/api/alerts');
    expect(mine.body.items?.map((a) => a.enterpriseId)).toEqual(['zichuan-cement']);
    expect(mine.body.total).toBe(1);
    expect((await as('cement', 'GET', '/api/alerts?enterpriseId=city-wte')).body).toMatchObject({ items: [], total: 0 });
    expect((await as('cement', 'GET', `/api/alerts/${own.id}`)).status).toBe(200);
    expect((await as('cement', 'GET', `/api/alerts/${other.id}`)).status).toBe(404);
    expect((await as('cement', 'POST', `/api/alerts/${other.id}/comment`, { text: 'x' })).status).toBe(404);
    expect((await as('cement', 'GET', `/api/alerts/history?mn=${WTE_NH3}`)).body.items).toEqual([]);
    expect((await as('ozone', 'GET', '/api/alerts')).body.total).toBe(2);
  });

  it('counts exceedances (the overview’s figure) of what the caller may see: an enterprise its own', async () => {
    const count = async (who: string, exceedance: boolean) =>
      (await as(who, 'GET', `/api/alerts?exceedance=${exceedance}&from=${Date.now() - 3_600_000}&limit=1`)).body;
    expect(await count('cement', true)).toMatchObject({ total: 1, limit: 1 });
    expect((await count('cement', true)).items?.map((a) => a.enterpriseId)).toEqual(['zichuan-cement']);
    expect(await count('ozone', true)).toMatchObject({ total: 2 });
    // No equipment alert (offline, instrument fault, maintenance flag) was raised.
    expect(await count('ozone', false)).toMatchObject({ total: 0 });
    expect((await as('ozone', 'GET', '/api/alerts?exceedance=maybe')).status).toBe(400);
  });

  it.each([
    ['cement', 'acknowledge', {}, 403],
    ['cement', 'assign', { assignee: 'zc.env' }, 403],
    ['cement', 'resolve', {}, 403],
    ['cement', 'silence', { reason: 'x', durationMin: 10 }, 403],
    ['cement', 'comment', { text: '喷枪检修中，已报备' }, 201],
    ['ozone', 'acknowledge', {}, 403],
    ['ozone', 'comment', { text: 'x' }, 403],
    ['officer', 'assign', { assignee: 'li.officer' }, 200],
    ['admin', 'acknowledge', {}, 200],
  ] as const)('%s may %s its alert → %i', async (who, action, body, status) => {
    const res = await as(who, 'POST', `/api/alerts/${own.id}/${action}`, body);
    expect(res.status).toBe(status);
    if (status === 403) expect(res.body).toMatchObject({ error: 'forbidden', message: expect.stringMatching(/may not/) });
  });

  it('the acting user is recorded', async () => {
    const { body } = await as('officer', 'GET', `/api/alerts/${own.id}`);
    const history = body.history as { kind: string; actor: string }[];
    expect(history.map((e) => [e.kind, e.actor])).toEqual([
      ['opened', 'system'],
      ['commented', 'zc.env'],
      ['assigned', 'li.officer'],
      ['acknowledged', 'root'],
    ]);
  });

  it('an enterprise declares maintenance for its own sources only, and sees only its own windows', async () => {
    const from = Date.now();
    const to = from + 3_600_000;
    expect((await as('cement', 'POST', '/api/maintenance', { mn: CEMENT_CEMS, from, to, reason: '窑检修' })).status).toBe(201);
    expect((await as('cement', 'POST', '/api/maintenance', { enterpriseId: 'zichuan-cement', from, to, reason: '全厂停产' })).status).toBe(
      201,
    );
    // Another enterprise's source answers like one that does not exist (no probing which MNs are registered).
    const probe = await as('cement', 'POST', '/api/maintenance', { mn: WTE_NH3, from, to, reason: 'x' });
    expect(probe).toEqual({ status: 404, body: { error: 'not_found', message: `mn: source "${WTE_NH3}" is not registered` } });
    expect((await as('ozone', 'POST', '/api/maintenance', { mn: WTE_NH3, from, to, reason: 'x' })).status).toBe(403);
    const theirs = await as('officer', 'POST', '/api/maintenance', { mn: WTE_NH3, from, to, reason: '焚烧炉检修' });
    expect(theirs.status).toBe(201);
    const wteId = (theirs.body.window as { id: number }).id;
    expect((await as('cement', 'GET', '/api/maintenance')).body.items?.map((w) => w.enterpriseId)).toEqual([
      'zichuan-cement',
      'zichuan-cement',
    ]);
    expect((await as('cement', 'GET', `/api/maintenance/${wteId}`)).status).toBe(404);
    expect((await as('cement', 'DELETE', `/api/maintenance/${wteId}`)).status).toBe(404);
    expect((await as('officer', 'GET', '/api/maintenance')).body.items).toHaveLength(3);
  });

  it('silences are for officers; ozone may read them; enterprises neither', async () => {
    expect((await as('cement', 'GET', '/api/silences')).status).toBe(403);
    expect((await as('cement', 'POST', '/api/silences', { rule: 'limit', reason: 'x', durationMin: 5 })).status).toBe(403);
    expect((await as('ozone', 'POST', '/api/silences', { rule: 'limit', reason: 'x', durationMin: 5 })).status).toBe(403);
    const made = await as('officer', 'POST', '/api/silences', { factor: 'a21001', rule: 'limit', reason: '标定', durationMin: 5 });
    expect(made).toMatchObject({ status: 201, body: { silence: { createdBy: 'li.officer', mn: null } } });
    expect((await as('ozone', 'GET', '/api/silences?active=true')).body.items).toHaveLength(1);
  });
});
