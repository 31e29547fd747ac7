/**
 * Every route the app mounts declares its permission (server/domain/access.ts), and declares the
 * one it enforced before the access table existed. The routers are built as app.ts mounts them;
 * their dependencies are only captured at registration, so inert stand-ins suffice here (the
 * integration tests drive the same routers against the real services).
 */
import { Router, type RequestHandler } from 'express';
import { describe, expect, it } from 'vitest';
import { mounted } from '../../tests/helpers/inert-mounts';
import { assertDeclared, authenticating, requirePermission, routes, routeTable, undeclaredRoutes } from '../auth/route-access';
import { HttpError } from '../domain/errors';

/** method path → permission, as each router enforced it before (requireRole, requirePermission, local checks). */
const EXPECTED = `
GET /api/openapi.json public
GET /api/docs public
POST /api/auth/login public
POST /api/auth/logout account.self
GET /api/auth/me account.self
POST /api/auth/password account.self
GET /api/users/ users.admin
POST /api/users/ users.admin
PATCH /api/users/:id users.admin
POST /api/users/:id/password users.admin
GET /api/audit/ audit.read
GET /api/alerts/ alerts.read
POST /api/alerts/acknowledge alerts.handle
GET /api/alerts/history alerts.read
GET /api/alerts/:id alerts.read
POST /api/alerts/:id/acknowledge alerts.handle
POST /api/alerts/:id/assign alerts.handle
POST /api/alerts/:id/comment alerts.comment
POST /api/alerts/:id/resolve alerts.handle
POST /api/alerts/:id/silence alerts.handle
GET /api/assignees/ alerts.handle
GET /api/rules/ rules.read
GET /api/rules/sources/:mn sources.read
PUT /api/rules/pack rules.write
DELETE /api/rules/pack rules.write
PUT /api/rules/sources/:mn rules.write
DELETE /api/rules/sources/:mn rules.write
GET /api/silences/ silences.read
GET /api/silences/:id silences.read
POST /api/silences/ silences.write
PATCH /api/silences/:id silences.write
DELETE /api/silences/:id silences.write
GET /api/maintenance/ maintenance.read
GET /api/maintenance/:id maintenance.read
POST /api/maintenance/ maintenance.declare
PATCH /api/maintenance/:id maintenance.declare
POST /api/maintenance/:id/approve maintenance.review
POST /api/maintenance/:id/reject maintenance.review
DELETE /api/maintenance/:id maintenance.declare
GET /api/sources/ sources.read
GET /api/sources/summary sources.read
GET /api/sources/points sources.read
GET /api/sources/:mn/series sources.read
GET /api/sources/:mn/frames frames.read
POST /api/sources/ registry.write
PATCH /api/sources/:mn registry.write
POST /api/sources/:mn/credentials registry.write
DELETE /api/sources/:mn registry.write
GET /api/enterprises/ registry.read
GET /api/enterprises/:id registry.read
POST /api/enterprises/ registry.write
PATCH /api/enterprises/:id registry.write
DELETE /api/enterprises/:id registry.write
GET /api/enterprises/:id/scorecard registry.read
GET /api/enterprises/:id/working-condition sources.read
GET /api/facilities/ registry.read
POST /api/facilities/ registry.write
PATCH /api/facilities/:id registry.write
DELETE /api/facilities/:id registry.write
GET /api/facilities/:id/adsorbent-replacements records.read
POST /api/facilities/:id/adsorbent-replacements records.write
GET /api/start-stop-plans/ records.read
GET /api/start-stop-plans/:enterpriseId/:year records.read
POST /api/start-stop-plans/ records.write
PUT /api/start-stop-plans/:enterpriseId/:year records.write
GET /api/start-stop-events/ records.read
GET /api/hj212/unknown-mns loggers.read
GET /api/hj212/loggers loggers.read
GET /api/ozone/status ozone.read
GET /api/ozone/measures ozone.read
GET /api/ozone/forecasts ozone.read
POST /api/ozone/forecasts forecasts.write
GET /api/ozone/warning ozone.read
GET /api/air/aqi air.read
GET /api/air/assessment air.read
GET /api/air/bulletin air.read
GET /api/campaigns/ campaigns.read
GET /api/campaigns/:id campaigns.read
GET /api/campaigns/:id/report campaigns.report
POST /api/campaigns/ campaigns.write
POST /api/campaigns/:id/activate campaigns.write
POST /api/campaigns/:id/end campaigns.write
POST /api/campaigns/:id/cancel campaigns.write
POST /api/campaigns/:id/acknowledge campaigns.acknowledge
GET /api/warnings/ warnings.read
GET /api/warnings/proposals warnings.propose
GET /api/warnings/:id warnings.read
POST /api/warnings/ warnings.write
PATCH /api/warnings/:id warnings.write
POST /api/warnings/:id/lift warnings.write
POST /api/warnings/:id/cancel warnings.write
POST /api/warnings/:id/acknowledge warnings.acknowledge
GET /api/warnings/:id/acknowledgements warnings.read
GET /api/warnings/:id/effect warnings.report
GET /api/pre-notices/ warnings.read
GET /api/pre-notices/proposal warnings.propose
POST /api/pre-notices/ warnings.write
POST /api/pre-notices/:id/acknowledge warnings.acknowledge
GET /api/responses/ responses.read
GET /api/responses/:id responses.read
POST /api/responses/:id/acknowledge responses.acknowledge
GET /api/responses/:id/effect responses.read
GET /api/reports/hourly reports.read
GET /api/reports/daily reports.read
GET /api/reports/transmission reports.read
GET /api/reports/transmission/rate reports.read
GET /api/map/ sources.read
POST /api/registry/import registry.write
GET /api/registry/export registry.read
GET /api/registry/sources registry.read
POST /api/power-imports/ power.import
GET /api/notify-targets/ notify.admin
POST /api/notify-targets/ notify.admin
PATCH /api/notify-targets/:id notify.admin
DELETE /api/notify-targets/:id notify.admin
POST /api/notify-targets/:id/test notify.admin
GET /api/tokens/ tokens.manage
POST /api/tokens/ tokens.manage
DELETE /api/tokens/:id tokens.manage
GET /api/exchange/v1/sources exchange.read
GET /api/exchange/v1/latest exchange.read
GET /api/exchange/v1/means/hourly exchange.read
GET /api/exchange/v1/means/daily exchange.read
GET /api/exchange/v1/alerts exchange.read
GET /api/exchange/v1/loads exchange.read
GET /api/duty/ duty.read
GET /api/duty/now duty.read
POST /api/duty/shifts duty.admin
PUT /api/duty/shifts/:id duty.admin
DELETE /api/duty/shifts/:id duty.admin
PUT /api/duty/escalation duty.admin
GET /api/duty/users/:username/settings users.admin
PUT /api/duty/users/:username/settings users.admin
GET /api/notify-settings/me account.self
PUT /api/notify-settings/me account.self
GET /api/quality/transmission quality.read
GET /api/quality/comparisons quality.read
POST /api/quality/comparisons quality.write
GET /api/quality/scorecards quality.read
GET /api/cases/ case.read
GET /api/cases/ledger case.read
POST /api/cases/ case.manage
GET /api/cases/:id case.read
POST /api/cases/:id/transition case.read
POST /api/cases/:id/attachments case.read
GET /api/cases/:id/attachments/:attachmentId case.read
DELETE /api/cases/:id/attachments/:attachmentId case.read
GET /api/cases/:id/evidence.zip case.read
GET /api/reduction-lists/ reductions.read
GET /api/reduction-lists/export reductions.read
POST /api/reduction-lists/import reductions.write
GET /api/reduction-lists/:enterpriseId/:year reductions.read
PUT /api/reduction-lists/:enterpriseId/:year reductions.write
GET /api/reduction-lists/:enterpriseId/:year/versions reductions.read
POST /api/reduction-lists/:enterpriseId/:year/acknowledge reductions.acknowledge
GET /api/grade-proposals/ grades.review
GET /api/grade-proposals/:id grades.review
POST /api/grade-proposals/:id/confirm grades.review
POST /api/grade-proposals/:id/dismiss grades.review
`
  .trim()
  .split('\n');

describe('every mounted route declares its permission', () => {
  it('declares one on every route, and the one it enforced before', () => {
    const mounts = mounted();
    expect(undeclaredRoutes(mounts)).toEqual([]);
    const table = Object.entries(mounts).flatMap(([path, router]) => routeTable(router, path));
    expect(table.map((e) => `${e.method} ${e.path} ${e.permission}`)).toEqual(EXPECTED);
    expect(() => assertDeclared(mounts)).not.toThrow();
  });

  it('finds a route registered without a permission, also in a nested router', () => {
    const plain = Router();
    plain.get('/open', (_req, res) => void res.json({}));
    const declared = routes();
    declared.get('/fine', 'alerts.read', (_req, res) => void res.json({}));
    declared.router.use(plain);
    expect(undeclaredRoutes({ '/api/x': declared.router })).toEqual([{ method: 'GET', path: '/api/x/open', permission: null }]);
    expect(() => assertDeclared({ '/api/x': declared.router })).toThrow(/GET \/api\/x\/open/);
  });
});

describe('a self-authenticating route', () => {
  it('checks the permission after the handler that sets the principal', async () => {
    const seen: string[] = [];
    const signIn = authenticating((_req, res, next) => {
      seen.push('authenticate');
      res.locals.principal = { userId: 1, username: 'ozone', role: 'ozone', enterpriseId: null, department: null };
      next();
    });
    const r = routes().post('/me', 'alerts.handle', signIn, () => seen.push('handler'));
    expect(routeTable(r.router)).toEqual([{ method: 'POST', path: '/me', permission: 'alerts.handle' }]);
    const layers = (r.router as unknown as { stack: { route: { stack: { handle: RequestHandler }[] } }[] }).stack[0]!.route.stack;
    const res = { locals: {} } as never;
    layers[0]!.handle({} as never, res, () => undefined);
    expect(() => layers[1]!.handle({} as never, res, () => undefined)).toThrow(/may not alerts.handle/);
    expect(seen).toEqual(['authenticate']);
  });
});

describe('requirePermission', () => {
  const res = (role: 'ozone' | 'officer' | null) =>
    ({ locals: role ? { principal: { userId: 1, username: role, role, enterpriseId: null, department: null } } : {} }) as never;
  const refusal = (f: () => void) => {
    try {
      f();
      return null;
    } catch (err) {
      return err instanceof HttpError ? [err.status, err.code] : err;
    }
  };

  it('lets a role with the permission through, answers 403 to one without and 401 without a caller', () => {
    expect(refusal(() => requirePermission(res('officer'), 'alerts.handle'))).toBeNull();
    expect(refusal(() => requirePermission(res('ozone'), 'alerts.handle'))).toEqual([403, 'forbidden']);
    expect(refusal(() => requirePermission(res(null), 'alerts.read'))).toEqual([401, 'unauthenticated']);
  });
});
