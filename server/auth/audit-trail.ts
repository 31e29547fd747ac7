/**
 * The audit trail of changes: every state-changing API request that succeeded (acknowledge, assign,
 * comment, resolve, silence, maintenance, rule changes, campaigns…) is recorded with who, when,
 * from where and what. Sign-in and user administration are recorded by their own routers, with
 * more detail, and are skipped here.
 */
import type { RequestHandler } from 'express';
import type { RequestAuditAction } from '../domain/audit';
import type { Logger } from '../logger';
import type { AuditLog } from './audit-log';
import { clientIp } from './auth-router';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
// The registry and the notification targets (issue 14) audit their changes themselves, with before → after.
const SELF_AUDITED = [
  '/api/auth',
  '/api/users',
  '/api/audit',
  '/api/enterprises',
  '/api/sources',
  '/api/facilities',
  '/api/registry',
  '/api/power-imports',
  '/api/notify-targets',
  '/api/tokens',
  '/api/start-stop-plans', // facility records (issue 16): filed and changed plans, with their year and entries
  '/api/cases',
  '/api/reduction-lists', // reduction lists (issue 18): filed versions and acknowledgements, with year and version
  '/api/grade-proposals', // grade downgrade proposals (issue 18): confirmed or dismissed, with the grades and the reason
];

/** [method, path pattern, action]; the first match names the action (server/domain/audit.ts declares each). */
const ACTIONS: [string, RegExp, RequestAuditAction][] = [
  ['POST', /^\/api\/alerts\/\d+\/acknowledge$/, 'alert_acknowledged'],
  ['POST', /^\/api\/alerts\/acknowledge$/, 'alerts_acknowledged'],
  ['POST', /^\/api\/alerts\/\d+\/assign$/, 'alert_assigned'],
  ['POST', /^\/api\/alerts\/\d+\/comment$/, 'alert_commented'],
  ['POST', /^\/api\/alerts\/\d+\/resolve$/, 'alert_resolved'],
  ['POST', /^\/api\/alerts\/\d+\/silence$/, 'alert_silenced'],
  ['POST', /^\/api\/silences$/, 'silence_created'],
  ['PATCH', /^\/api\/silences\/\d+$/, 'silence_changed'],
  ['DELETE', /^\/api\/silences\/\d+$/, 'silence_ended'],
  ['POST', /^\/api\/maintenance$/, 'maintenance_declared'],
  ['PATCH', /^\/api\/maintenance\/\d+$/, 'maintenance_changed'],
  ['DELETE', /^\/api\/maintenance\/\d+$/, 'maintenance_ended'],
  ['POST', /^\/api\/maintenance\/\d+\/approve$/, 'maintenance_approved'],
  ['POST', /^\/api\/maintenance\/\d+\/reject$/, 'maintenance_rejected'],
  ['PUT', /^\/api\/rules\/pack$/, 'rule_pack_changed'],
  ['DELETE', /^\/api\/rules\/pack$/, 'rule_pack_reset'],
  ['PUT', /^\/api\/rules\/sources\/[^/]+$/, 'rule_override_changed'],
  ['DELETE', /^\/api\/rules\/sources\/[^/]+$/, 'rule_override_removed'],
  ['POST', /^\/api\/campaigns$/, 'campaign_created'],
  ['POST', /^\/api\/campaigns\/\d+\/activate$/, 'campaign_activated'],
  ['POST', /^\/api\/campaigns\/\d+\/acknowledge$/, 'campaign_acknowledged'],
  ['POST', /^\/api\/campaigns\/\d+\/end$/, 'campaign_ended'],
  ['POST', /^\/api\/campaigns\/\d+\/cancel$/, 'campaign_cancelled'],
  ['POST', /^\/api\/ozone\/forecasts$/, 'forecast_recorded'],
  ['POST', /^\/api\/warnings$/, 'warning_issued'],
  ['PATCH', /^\/api\/warnings\/\d+$/, 'warning_changed'],
  ['POST', /^\/api\/warnings\/\d+\/lift$/, 'warning_lifted'],
  ['POST', /^\/api\/warnings\/\d+\/cancel$/, 'warning_cancelled'],
  ['POST', /^\/api\/warnings\/\d+\/acknowledge$/, 'warning_acknowledged'],
  ['POST', /^\/api\/pre-notices$/, 'prenotice_issued'],
  ['POST', /^\/api\/pre-notices\/\d+\/acknowledge$/, 'prenotice_acknowledged'],
  ['POST', /^\/api\/responses\/\d+\/acknowledge$/, 'response_acknowledged'],
  ['POST', /^\/api\/quality\/comparisons$/, 'comparison_recorded'],
];

export function actionOf(method: string, path: string): RequestAuditAction {
  return ACTIONS.find(([m, re]) => m === method && re.test(path))?.[2] ?? 'api_change';
}

/** What a router adds to its request's audit record (a bulk action's ids and outcome), via `res.locals.auditDetail`. */
const auditDetailOf = (res: { locals: Record<string, unknown> }): Record<string, unknown> => {
  const d = res.locals['auditDetail'];
  return typeof d === 'object' && d !== null ? (d as Record<string, unknown>) : {};
};

/** `log`: where a record that could not be written is reported (the answer is out already). */
export function auditTrail(audit: Pick<AuditLog, 'record'>, log: Pick<Logger, 'error'>): RequestHandler {
  return (req, res, next) => {
    const path = req.originalUrl.split('?')[0] as string;
    if (SAFE.has(req.method) || SELF_AUDITED.some((p) => path.startsWith(p))) return next();
    res.on('finish', () => {
      const principal = res.locals.principal;
      if (!principal || res.statusCode >= 400) return;
      const viaToken = principal.token ? { token: principal.token.id } : {};
      const detail = { method: req.method, status: res.statusCode, ...viaToken, ...auditDetailOf(res) };
      const action = actionOf(req.method, path);
      audit
        .record({ actor: principal, action, target: path, ip: clientIp(req), detail })
        .catch((err: unknown) => log.error({ err, action, target: path }, 'audit record not written'));
    });
    next();
  };
}
