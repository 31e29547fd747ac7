/**
 * A case's evidence package over REST (PLANS H3; issue 19), mounted beside the cases router:
 *
 * GET /api/cases/:id/evidence.zip → application/zip, streamed (server/cases/evidence-package.ts)
 *     staff (case.read, the bureau): everything, with the internal note, internal comments and IPs;
 *     the case's enterprise: its own case's package without them; another enterprise's case: 404.
 *
 * Each download is audited (`case.evidence_exported`, target `case:<id>`: the copy, files, rows,
 * frames, and whether a cap cut it) once the last entry is written.
 */
import { pipeline } from 'node:stream/promises';
import type { Router } from 'express';
import { principalOf } from '../auth/auth-middleware';
import { clientIp } from '../auth/auth-router';
import type { AuditSink } from '../alerts/notify-targets';
import { evidencePackage, type EvidenceDeps } from '../cases/evidence-package';
import { localDate } from '../domain/local-time';
import type { Logger } from '../logger';
import { routes, tenantOf } from './access';
import { idParam } from './alert-params';
import { contentDisposition } from './cases-router';

export interface CaseEvidenceRouterDeps extends EvidenceDeps {
  auditSink: AuditSink;
  log: Logger;
}

export function caseEvidenceRouter(deps: CaseEvidenceRouterDeps): Router {
  const r = routes();
  r.get(
    '/:id/evidence.zip',
    'case.read',
    {
      summary: {
        en: 'A case’s evidence package (ZIP: summary, alerts, series, raw frames, attachments, audit trail)',
        zh: '案件证据包下载',
      },
      description:
        'an enterprise: its own case’s package, without the internal note, internal comments and IP addresses; the series and frames cover at most 31 days, capped per source (see manifest.json)',
      params: { id: idParam.shape.id },
      files: ['application/zip'],
    },
    async (req, res) => {
      const { id } = idParam.parse(req.params);
      const tenant = tenantOf(res);
      const pkg = await evidencePackage(deps, id, tenant);
      const date = localDate(deps.now(), deps.utcOffsetMinutes);
      res.setHeader('content-type', 'application/zip');
      res.setHeader('content-disposition', contentDisposition(`整改案件${id}-证据包-${date}.zip`));
      res.setHeader('cache-control', 'private, no-store');
      const principal = principalOf(res);
      const ip = clientIp(req);
      void pkg.done
        .then((summary) =>
          deps.auditSink.record({
            actor: principal,
            action: 'case.evidence_exported',
            target: `case:${id}`,
            detail: { copy: tenant === null ? 'bureau' : 'enterprise', ...summary },
            ip,
          }),
        )
        .catch((err: unknown) => deps.log.error({ err, case: id }, 'evidence download not audited'));
      try {
        await pipeline(pkg.stream, res);
      } catch (err) {
        deps.log.warn({ err, case: id }, 'evidence package not delivered');
      }
    },
  );
  return r.router;
}
