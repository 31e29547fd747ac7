/**
 * Bulk import and export of the registry in the bureau's workbook form (server/registry/registry-sheet):
 *
 * POST /api/registry/import?dryRun=true|false   (registry.write) body: the file, Content-Type XLSX or CSV
 *   → { dryRun, applied, summary: {enterprises, sources, facilities: {added, changed, unchanged}},
 *       refused: [{sheet, row, column?, reason}], refusedTotal, blocked?, credentials? }
 *   dryRun defaults to true and changes nothing. On apply, the good rows go in as one change (the
 *   port's `apply`, audited as `registry.import_applied`); the credentials generated for new
 *   sources are in this response only (`credentials: [{mn, enterpriseId, name, pw, mqttPassword}]`).
 *   One import at a time (409 `import_running`); an import whose registry changed meanwhile is not
 *   applied (409 `registry_changed`: run it again). A file that cannot be read: 400 with its reason;
 *   a content type other than XLSX/CSV: 415; a body over the bound: 413.
 * GET /api/registry/export?format=xlsx|yaml[&credentials=true]   (registry.read) → the file.
 *   An enterprise user gets its own enterprise only. Logger credentials only with credentials=true,
 *   which needs registry.write (administrators) and is audited as `registry.credentials_exported`.
 */
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { AuditLog } from '../auth/audit-log';
import { principalOf } from '../auth/auth-middleware';
import { clientIp } from '../auth/auth-router';
import type { RegistryAuditAction } from '../domain/audit';
import { may, registryInScope } from '../domain/access';
import { localDate } from '../domain/local-time';
import type { Principal } from '../domain/principal';
import type { Registry } from '../domain/registry';
import type { RegistryChanged, RegistryView } from '../domain/registry-view';
import type { Logger } from '../logger';
import type { Bounds } from '../registry/registry-merge';
import { exportRegistryXlsx, FileRefusal, importRegistry } from '../registry/registry-sheet';
import { exportRegistryYaml } from '../registry/registry-yaml';
import { routes, scopeOfCaller } from './access';
import { HttpError } from './errors';
import { described } from '../domain/api-schemas';

/** What the router needs of the registry: the live view and one audited, whole-snapshot change. */
export interface RegistryAdminPort {
  view: RegistryView;
  /** `ip`: the client's address, for the audit record. */
  apply(
    next: Registry,
    actor: Principal,
    action: RegistryAuditAction,
    detail?: unknown,
    ip?: string | null,
  ): Promise<RegistryChanged | null>;
}

export interface RegistryIoOptions {
  /** Largest upload, bytes. */
  maxBytes: number;
  /** The city's bounding box: sources outside it are refused. */
  bounds?: Bounds | undefined;
  /** Largest number of refused rows listed in a response (all are counted in refusedTotal). */
  maxRefusedListed?: number;
  audit?: Pick<AuditLog, 'record'>;
  log: Logger;
  now: () => number;
  utcOffsetMinutes: number;
}

/** Counters for metrics: imports run and refused, rows refused. */
export interface RegistryIoStats {
  imports: number;
  applied: number;
  refusedFiles: number;
  refusedRows: number;
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** CSV as browsers label it (Windows labels a .csv `application/vnd.ms-excel`). */
const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel', 'text/tab-separated-values'];
export const IMPORT_TYPES = [XLSX_TYPE, ...CSV_TYPES];

const importQuery = z.object({ dryRun: z.enum(['true', 'false']).default('true') }).strict();
const exportQuery = z
  .object({ format: z.enum(['xlsx', 'yaml']).default('xlsx'), credentials: z.enum(['true', 'false']).default('false') })
  .strict();

export function registryIoRouter(port: RegistryAdminPort, opts: RegistryIoOptions): express.Router & { stats: RegistryIoStats } {
  const r = routes();
  const stats: RegistryIoStats = { imports: 0, applied: 0, refusedFiles: 0, refusedRows: 0 };
  const maxListed = opts.maxRefusedListed ?? 10_000;
  let running = false;

  const raw = express.raw({ type: () => true, limit: opts.maxBytes });
  const body: express.RequestHandler = (req, res, next) =>
    raw(req, res, (err?: unknown) => {
      if ((err as { type?: string } | undefined)?.type !== 'entity.too.large') return next(err);
      stats.refusedFiles++;
      next(new HttpError(413, 'payload_too_large', `the file is larger than ${Math.floor(opts.maxBytes / 1_048_576)} MB`));
    });
  const checkType = (req: Request, _res: Response, next: express.NextFunction) => {
    if (!req.is(IMPORT_TYPES)) {
      stats.refusedFiles++;
      return next(new HttpError(415, 'unsupported_media_type', `send the file as ${XLSX_TYPE} or text/csv`));
    }
    next();
  };

  r.post(
    '/import',
    'registry.write',
    {
      summary: { en: 'Import the registry workbook (dry run by default)', zh: '批量导入档案' },
      query: importQuery,
      upload: { types: IMPORT_TYPES, description: 'the workbook: XLSX or CSV' },
      response: described('RegistryImportResult', '{dryRun, applied, summary, refused, refusedTotal, blocked?, credentials?}'),
      refusals: [409, 413, 415],
    },
    checkType,
    body,
    async (req, res) => {
      const { dryRun: dry } = importQuery.parse(req.query);
      const dryRun = dry === 'true';
      const bytes = req.body as unknown;
      if (!Buffer.isBuffer(bytes) || bytes.length === 0) throw new HttpError(400, 'bad_request', 'the request body is the file to import');
      if (running) throw new HttpError(409, 'import_running', 'another registry import is running; try again when it has finished');
      running = true;
      const actor = principalOf(res);
      try {
        stats.imports++;
        const version = port.view.version();
        const started = opts.now();
        const merge = { generateCredentials: !dryRun, bounds: opts.bounds };
        const result = await importRegistry(bytes, port.view.current(), merge).catch((err: unknown) => {
          if (!(err instanceof FileRefusal)) throw err;
          stats.refusedFiles++;
          opts.log.warn({ actor: actor.username, code: err.code, reason: err.message, bytes: bytes.length }, 'registry import refused');
          throw new HttpError(err.code === 'legacy_xls' ? 415 : 400, err.code, err.message);
        });
        stats.refusedRows += result.refused.length;
        let applied = false;
        if (!dryRun && !result.blocked) {
          if (port.view.version() !== version) {
            throw new HttpError(409, 'registry_changed', 'the registry changed during the import; run it again');
          }
          const detail = { summary: result.summary, refused: result.refused.length, bytes: bytes.length, type: req.get('content-type') };
          applied = (await port.apply(result.next as Registry, actor, 'registry.import_applied', detail, clientIp(req))) !== null;
          if (applied) stats.applied++;
        }
        opts.log.info(
          { actor: actor.username, dryRun, applied, summary: result.summary, refused: result.refused.length, ms: opts.now() - started },
          'registry import',
        );
        res.set('Cache-Control', 'no-store');
        res.json({
          dryRun,
          applied,
          summary: result.summary,
          refused: result.refused.slice(0, maxListed),
          refusedTotal: result.refused.length,
          ...(result.blocked ? { blocked: result.blocked } : {}),
          ...(applied ? { credentials: result.credentials } : {}),
        });
      } finally {
        running = false;
      }
    },
  );

  r.get(
    '/export',
    'registry.read',
    { summary: { en: 'Export the registry (XLSX or YAML)', zh: '导出档案' }, query: exportQuery, files: [XLSX_TYPE, 'application/yaml'] },
    async (req, res) => {
      const q = exportQuery.parse(req.query);
      const principal = principalOf(res);
      const credentials = q.credentials === 'true';
      if (credentials && !may(principal.role, 'registry.write')) {
        throw new HttpError(403, 'forbidden', 'only administrators export logger credentials');
      }
      // All, one enterprise's, or a department's sites with their enterprises.
      const reg = registryInScope(port.view.current(), scopeOfCaller(res));
      const day = localDate(opts.now(), opts.utcOffsetMinutes).replace(/-/g, '');
      if (credentials) {
        const detail = { format: q.format, sources: reg.sources.length };
        await opts.audit?.record({
          actor: principal,
          action: 'registry.credentials_exported',
          target: 'registry',
          ip: clientIp(req),
          detail,
        });
      }
      res.set('Cache-Control', 'no-store');
      if (q.format === 'yaml') {
        res.type('application/yaml; charset=utf-8').set('Content-Disposition', `attachment; filename="o3s-registry-${day}.yaml"`);
        res.send(await exportRegistryYaml(reg, { credentials, exportedAt: localDate(opts.now(), opts.utcOffsetMinutes) }));
      } else {
        res.type(XLSX_TYPE).set('Content-Disposition', `attachment; filename="o3s-registry-${day}.xlsx"`);
        res.send(await exportRegistryXlsx(reg, { credentials }));
      }
    },
  );

  return Object.assign(r.router, { stats });
}
