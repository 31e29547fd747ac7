/**
 * /api/audit — administrators only.
 *   GET / ?action=login&action=logout&username=&userId=&role=&target=&from=&to=&limit=100&offset=0
 *   → {items: AuditRecord[], total, limit, offset}, newest first (from/to are epoch ms, to exclusive).
 */
import type { Router } from 'express';
import type { AuditLog } from './audit-log';
import { auditQuerySchema } from './audit-log';
import { authenticate } from './auth-middleware';
import { routes } from './route-access';
import type { SessionStore } from './session-store';
import type { UserStore } from './user-store';
import { auditPageSchema } from '../domain/api-schemas';

export interface AuditRouterDeps {
  audit: AuditLog;
  sessions: SessionStore;
  users: UserStore;
}

export function auditRouter(deps: AuditRouterDeps): Router {
  const r = routes();
  r.router.use(authenticate(deps.sessions, deps.users));
  r.get(
    '/',
    'audit.read',
    {
      summary: { en: 'The audit trail, newest first', zh: '审计日志' },
      query: auditQuerySchema,
      response: auditPageSchema,
    },
    async (req, res) => {
      const q = auditQuerySchema.parse(req.query);
      res.json({ ...(await deps.audit.query(q)), limit: q.limit, offset: q.offset });
    },
  );
  return r.router;
}
