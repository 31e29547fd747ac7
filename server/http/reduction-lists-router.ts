/**
 * Emission-reduction lists over REST (issue 18; docs/reduction-lists.md). The bureau (reductions.read)
 * reads the coverage report and every list; an enterprise user its own only (another's answers
 * 404). Officers, administrators and the ozone centre (reductions.write) file lists, by hand or from
 * the bureau's workbook; the enterprise (reductions.acknowledge) acknowledges its list (已阅知).
 * Filing and acknowledging are audited by the service (reductions.list_filed, reductions.list_acknowledged).
 *
 * GET  /api/reduction-lists?year&standing&district         → {today, items: ReductionCoverageRow[]}
 * GET  /api/reduction-lists/export?year                      → the workbook (XLSX), latest version of each list of the year
 * POST /api/reduction-lists/import?dryRun=true|false         body: the workbook (XLSX or CSV)
 *      → {dryRun, applied, lists: [{enterpriseId, name, year, entries, version}], held, refused, refusedTotal}
 * GET  /api/reduction-lists/:enterpriseId/:year[?version]    → ReductionListAnswer (the list, versions, what applies per level)
 * PUT  /api/reduction-lists/:enterpriseId/:year              {year, entries} → 201 ReductionListAnswer (version n + 1)
 * GET  /api/reduction-lists/:enterpriseId/:year/versions     → {items: ReductionListVersion[]}
 * POST /api/reduction-lists/:enterpriseId/:year/acknowledge  → {acknowledgement}  the latest version; again: the first stands
 */
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { principalOf } from '../auth/auth-middleware';
import { clientIp } from '../auth/auth-router';
import { described } from '../domain/api-schemas';
import { reductionListBodySchema } from '../domain/reduction-list-schema';
import { LIST_STANDINGS } from '../domain/reduction-list-api';
import type { Logger } from '../logger';
import { FileRefusal, exportReductionXlsx, readReductionWorkbook } from '../reductions/reduction-sheet';
import type { Acting, ReductionService } from '../reductions/reduction-service';
import type { RegistryView } from '../domain/registry-view';
import { routes, sees, tenantOf } from './access';
import type { Routes } from '../auth/route-access';
import { contentDisposition } from './cases-router';
import { HttpError } from './errors';
import { IMPORT_TYPES, XLSX_TYPE } from './registry-io-router';

const yearSchema = z.coerce.number().int().min(2000).max(2100);
const params = { enterpriseId: z.string().min(1).max(64), year: yearSchema };
const paramsSchema = z.object(params);
const coverageQuery = z
  .object({
    year: yearSchema.optional(),
    standing: z.enum(LIST_STANDINGS).optional(),
    district: z.string().min(1).max(50).optional(),
  })
  .strict();
const versionQuery = z.object({ version: z.coerce.number().int().positive().optional() }).strict();
const exportQuery = z.object({ year: yearSchema.optional() }).strict();
const importQuery = z.object({ dryRun: z.enum(['true', 'false']).default('true') }).strict();
const listAnswer = described('ReductionListAnswer', 'ReductionListAnswer (server/domain/reduction-list-api.ts)');

export interface ReductionListsOptions {
  /** Largest upload, bytes. */
  maxBytes: number;
  log: Logger;
}

const acting = (req: Request, res: Response): Acting => {
  const p = principalOf(res);
  return { actor: p, username: p.username, ip: clientIp(req) };
};

export function reductionListsRouter(service: ReductionService, registry: RegistryView, opts: ReductionListsOptions): express.Router {
  const r = routes();
  /** The enterprise of the path, or 404 for an enterprise user asking about another. */
  const visible = (res: Response, enterpriseId: string): string => {
    if (!sees(res, enterpriseId)) throw new HttpError(404, 'not_found', `enterprise "${enterpriseId}" not found`);
    return enterpriseId;
  };

  r.get(
    '/',
    'reductions.read',
    {
      summary: { en: 'Coverage of the reduction lists: every enterprise with air emissions and its standing', zh: '减排清单覆盖情况' },
      query: coverageQuery,
      response: described('ReductionCoverage', '{today, items: ReductionCoverageRow[]} (server/domain/reduction-list-api.ts)'),
    },
    async (req, res) => {
      const q = coverageQuery.parse(req.query);
      const items = await service.coverage({ ...q, enterpriseId: tenantOf(res) ?? undefined });
      res.json({ today: service.today(), items });
    },
  );

  r.get(
    '/export',
    'reductions.read',
    { summary: { en: 'The lists of a year in the bureau’s workbook', zh: '导出减排清单' }, query: exportQuery, files: [XLSX_TYPE] },
    async (req, res) => {
      const year = exportQuery.parse(req.query).year ?? Number(service.today().slice(0, 4));
      const lists = await service.listsOf(year, tenantOf(res) ?? undefined);
      res.set('Cache-Control', 'no-store');
      res.type(XLSX_TYPE).set('Content-Disposition', contentDisposition(`应急减排清单-${year}.xlsx`));
      res.send(await exportReductionXlsx(lists, registry.current()));
    },
  );

  importRoute(r, service, registry, opts);

  r.get(
    '/:enterpriseId/:year',
    'reductions.read',
    {
      summary: { en: 'An enterprise’s list for a year, with what applies at each level for its grade', zh: '企业年度减排清单' },
      params,
      query: versionQuery,
      response: listAnswer,
    },
    async (req, res) => {
      const { enterpriseId, year } = paramsSchema.parse(req.params);
      const { version } = versionQuery.parse(req.query);
      res.json(await service.get(visible(res, enterpriseId), year, version));
    },
  );

  r.put(
    '/:enterpriseId/:year',
    'reductions.write',
    {
      summary: { en: 'File a list: the next version of the enterprise’s year', zh: '报送减排清单（新版本）' },
      description: 'the entries’ facilities, meters and outlets must be the enterprise’s own in the registry (400 naming the entry)',
      params,
      body: reductionListBodySchema,
      status: 201,
      response: listAnswer,
    },
    async (req, res) => {
      const { enterpriseId, year } = paramsSchema.parse(req.params);
      const b = reductionListBodySchema.parse(req.body ?? {});
      if (b.year !== year) throw new HttpError(400, 'bad_request', `year: the body's ${b.year} is not the path's ${year}`);
      const filed = await service.file(enterpriseId, year, b.entries, acting(req, res));
      res.status(201).json(await service.get(enterpriseId, year, filed.version));
    },
  );

  r.get(
    '/:enterpriseId/:year/versions',
    'reductions.read',
    {
      summary: { en: 'The versions of a year’s list', zh: '减排清单版本' },
      params,
      response: z.object({
        items: z.array(described('ReductionListVersion', 'ReductionListVersion (server/domain/reduction-list-api.ts)')),
      }),
    },
    async (req, res) => {
      const { enterpriseId, year } = paramsSchema.parse(req.params);
      res.json({ items: await service.versions(visible(res, enterpriseId), year) });
    },
  );

  r.post(
    '/:enterpriseId/:year/acknowledge',
    'reductions.acknowledge',
    {
      summary: { en: 'The enterprise acknowledges its list (the latest version)', zh: '已阅知减排清单' },
      params,
      response: z.object({ acknowledgement: described('ReductionAck', 'ReductionAck (server/domain/reduction-list-api.ts)') }),
    },
    async (req, res) => {
      const { enterpriseId, year } = paramsSchema.parse(req.params);
      res.json({ acknowledgement: await service.acknowledge(visible(res, enterpriseId), year, acting(req, res)) });
    },
  );

  return r.router;
}

/** `POST /import`: the bureau's workbook, a dry run by default. */
function importRoute(r: Routes, service: ReductionService, registry: RegistryView, opts: ReductionListsOptions): void {
  const raw = express.raw({ type: () => true, limit: opts.maxBytes });
  const body: express.RequestHandler = (req, res, next) =>
    raw(req, res, (err?: unknown) => {
      if ((err as { type?: string } | undefined)?.type !== 'entity.too.large') return next(err);
      next(new HttpError(413, 'payload_too_large', `the file is larger than ${Math.floor(opts.maxBytes / 1_048_576)} MB`));
    });
  r.post(
    '/import',
    'reductions.write',
    {
      summary: { en: 'Import the bureau’s reduction-list workbook (dry run by default)', zh: '导入减排清单' },
      description: 'one new version per enterprise and year in the file; a list with a refused row is held back whole',
      query: importQuery,
      upload: { types: IMPORT_TYPES, description: 'the workbook: XLSX or CSV' },
      response: described('ReductionImportResult', '{dryRun, applied, lists, held, refused, refusedTotal}'),
      refusals: [413, 415],
    },
    (req, _res, next) =>
      next(req.is(IMPORT_TYPES) ? undefined : new HttpError(415, 'unsupported_media_type', `send the file as ${XLSX_TYPE}`)),
    body,
    async (req, res) => {
      const dryRun = importQuery.parse(req.query).dryRun === 'true';
      const bytes = req.body as unknown;
      if (!Buffer.isBuffer(bytes) || bytes.length === 0) throw new HttpError(400, 'bad_request', 'the request body is the file to import');
      const read = await readReductionWorkbook(bytes, registry.current()).catch((err: unknown) => {
        if (err instanceof FileRefusal) throw new HttpError(err.code === 'legacy_xls' ? 415 : 400, err.code, err.message);
        throw err;
      });
      const by = acting(req, res);
      const lists = [];
      for (const l of read.lists) {
        const name = service.enterprise(l.enterpriseId)?.name ?? l.enterpriseId;
        const version = dryRun
          ? await service.nextVersion(l.enterpriseId, l.year)
          : (await service.file(l.enterpriseId, l.year, l.entries, by, 'import')).version;
        lists.push({ enterpriseId: l.enterpriseId, name, year: l.year, entries: l.entries.length, version });
      }
      opts.log.info({ actor: by.username, dryRun, lists: lists.length, refused: read.refused.length }, 'reduction-list import');
      res.set('Cache-Control', 'no-store');
      res.json({
        dryRun,
        applied: !dryRun && lists.length > 0,
        lists,
        held: read.held.map((h) => ({ ...h, name: service.enterprise(h.enterpriseId)?.name ?? null })),
        refused: read.refused.slice(0, 1000),
        refusedTotal: read.refused.length,
      });
    },
  );
}
