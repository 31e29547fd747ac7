/**
 * Rectification cases over REST (issue 19 items 3 and 5). Staff (case.manage) create and move
 * cases; the case's enterprise (case.respond) submits its rectification report and attaches its
 * files; everyone with case.read lists and reads in scope — an enterprise user its own cases only
 * (another's answers 404), never the internal note nor the bureau's internal history entries.
 *
 * GET  /api/cases?status&type&district&enterprise&overdue&limit&offset → {items: CaseView[], total, limit, offset}
 * POST /api/cases                      (staff) {type, enterpriseId?, alertIds?, sources?, officer, deadline, requirements,
 *                                      internalNote?} → 201 {case}
 *                                      from alerts: the enterprise and sources are theirs (alerts of different enterprises: 400)
 * GET  /api/cases/ledger?format=xlsx|json&status&type&district&enterprise&overdue → 整改台账 (every matching case)
 * GET  /api/cases/:id                  → {case} with its history and attachments
 * POST /api/cases/:id/transition       {action: submit|accept|close|return|reassign, …} → {case}
 *                                      submit: the enterprise; the others: staff (403); a wrong status or unclean days: 409
 * POST /api/cases/:id/attachments?name=报告.pdf  body: the file's bytes → 201 {attachment}
 *                                      PDF, JPEG, PNG, DOCX, XLSX by their bytes (415 otherwise), ≤ maxBytes (413),
 *                                      at most 20 per case (409); the enterprise while its case awaits its report
 * GET  /api/cases/:id/attachments/:attachmentId → the file, as a download only (octet-stream, nosniff, sandboxed)
 * DELETE /api/cases/:id/attachments/:attachmentId → 204   by the file's party: the enterprise its material not yet
 *                                      submitted (open or returned, uploaded after its latest report), staff the
 *                                      bureau's files (case not closed); the other party's file 403, too late 409
 */
import { readFile } from 'node:fs/promises';
import express, { type Response } from 'express';
import { z } from 'zod';
import { clientIp } from '../auth/auth-router';
import { principalOf } from '../auth/auth-middleware';
import type { CaseActor, CaseService } from '../cases/case-service';
import { described } from '../domain/api-schemas';
import { mayAs } from '../domain/access';
import {
  caseLedgerQuerySchema,
  caseQuerySchema,
  caseTransitionSchema,
  createCaseSchema,
  LEDGER_MAX_ROWS,
  type RectificationCase,
} from '../domain/case';
import { caseLedgerXlsx } from '../cases/case-ledger';
import { routes, tenantOf } from './access';
import { idParam } from './alert-params';
import { HttpError } from './errors';

const caseAnswer = described('RectificationCase', 'CaseView (server/domain/case.ts): a case with its history, attachments and overdue');
const oneCase = z.object({ case: caseAnswer });
const attachmentAnswer = z.object({ attachment: described('CaseAttachment', 'CaseAttachment (server/domain/case.ts)') });
const uploadQuery = z.object({ name: z.string().min(1).max(400) }).strict();
const attachmentParams = z.object({ id: z.coerce.number().int().positive(), attachmentId: z.uuid() });

export interface CasesRouterOptions {
  /** Largest attachment, bytes. */
  maxBytes: number;
  /** China time for the ledger's dates. */
  utcOffsetMinutes: number;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** RFC 5987 / 6266: an ASCII fallback and the UTF-8 name. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\;]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export function casesRouter(service: CaseService, opts: CasesRouterOptions): express.Router {
  const r = routes();
  const actorOf = (req: express.Request, res: Response): CaseActor => ({
    principal: principalOf(res),
    tenant: tenantOf(res),
    ip: clientIp(req),
  });
  const view = (c: RectificationCase) => ({ ...c, overdue: service.overdue(c) });

  r.get(
    '/',
    'case.read',
    {
      summary: { en: 'Rectification cases (an enterprise: its own)', zh: '整改案件列表' },
      query: caseQuerySchema,
      response: described('CasePage', 'CasePage (server/domain/case.ts): {items, total, limit, offset}'),
    },
    async (req, res) => {
      const q = caseQuerySchema.parse(req.query);
      const page = await service.list(q, tenantOf(res));
      res.json({ ...page, items: page.items.map(view) });
    },
  );

  r.get(
    '/ledger',
    'case.read',
    {
      summary: { en: 'The case ledger (XLSX as bureaus keep it, or JSON)', zh: '整改台账导出' },
      description: `the list's filters; every matching case, at most ${LEDGER_MAX_ROWS}; an enterprise: its own`,
      query: caseLedgerQuerySchema,
      response: z.object({ items: z.array(caseAnswer) }),
      files: [XLSX],
    },
    async (req, res) => {
      const { format, ...q } = caseLedgerQuerySchema.parse(req.query);
      const items = await service.ledger(q, tenantOf(res));
      if (format === 'json') {
        res.json({ items });
        return;
      }
      res.setHeader('content-type', XLSX);
      res.setHeader('content-disposition', contentDisposition(`整改台账-${service.today()}.xlsx`));
      res.send(await caseLedgerXlsx(items, service.ledgerNames(), opts.utcOffsetMinutes));
    },
  );

  r.post(
    '/',
    'case.manage',
    {
      summary: { en: 'Open a rectification case (by hand or from alerts)', zh: '新建整改案件' },
      body: createCaseSchema,
      status: 201,
      response: oneCase,
    },
    async (req, res) => {
      const b = createCaseSchema.parse(req.body ?? {});
      const c = await service.create(b, actorOf(req, res));
      res.status(201).json({ case: view(c) });
    },
  );

  r.get(
    '/:id',
    'case.read',
    {
      summary: { en: 'One case with its history and attachments', zh: '整改案件详情' },
      params: { id: idParam.shape.id },
      response: oneCase,
    },
    async (req, res) => {
      const { id } = idParam.parse(req.params);
      res.json({ case: view(await service.get(id, tenantOf(res))) });
    },
  );

  r.post(
    '/:id/transition',
    'case.read',
    {
      summary: {
        en: 'Move a case: submit (the enterprise), accept, close, return, reassign (staff)',
        zh: '案件流转（提交、受理、销号、退回、改派）',
      },
      description: 'submit needs case.respond (the case’s enterprise); the other actions case.manage',
      params: { id: idParam.shape.id },
      body: caseTransitionSchema,
      response: oneCase,
      refusals: [409],
    },
    async (req, res) => {
      const { id } = idParam.parse(req.params);
      const b = caseTransitionSchema.parse(req.body ?? {});
      const p = principalOf(res);
      if (!mayAs(p, b.action === 'submit' ? 'case.respond' : 'case.manage'))
        throw new HttpError(403, 'forbidden', `role "${p.role}" may not ${b.action} a case`);
      res.json({ case: view(await service.transition(id, b, actorOf(req, res))) });
    },
  );

  const raw = express.raw({ type: () => true, limit: opts.maxBytes });
  const body: express.RequestHandler = (req, res, next) =>
    raw(req, res, (err?: unknown) => {
      if ((err as { type?: string } | undefined)?.type !== 'entity.too.large') return next(err);
      const name = typeof req.query['name'] === 'string' ? req.query['name'] : '';
      service
        .refuse('too_large', null, actorOf(req, res), name, Number(req.headers['content-length'] ?? 0))
        .catch((refusal: unknown) =>
          next(
            refusal instanceof HttpError
              ? new HttpError(413, refusal.code, `the file is larger than ${Math.floor(opts.maxBytes / 1_048_576)} MB`)
              : refusal,
          ),
        );
    });
  const mayAttach: express.RequestHandler = (_req, res, next) => {
    const p = principalOf(res);
    if (!mayAs(p, 'case.manage') && !mayAs(p, 'case.respond'))
      throw new HttpError(403, 'forbidden', `role "${p.role}" may not attach to a case`);
    next();
  };

  r.post(
    '/:id/attachments',
    'case.read',
    {
      summary: { en: 'Attach a file to a case (PDF, JPEG, PNG, DOCX, XLSX)', zh: '上传整改材料' },
      description: 'the body is the file’s bytes; its name in ?name=. The type is judged from the bytes.',
      params: { id: idParam.shape.id },
      query: uploadQuery,
      upload: { types: ['application/octet-stream'], description: 'the file: PDF, JPEG, PNG, DOCX or XLSX' },
      status: 201,
      response: attachmentAnswer,
      refusals: [409, 413, 415],
    },
    mayAttach,
    body,
    async (req, res) => {
      const { id } = idParam.parse(req.params);
      const { name } = uploadQuery.parse(req.query);
      const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const attachment = await service.attach(id, name, bytes, actorOf(req, res));
      res.status(201).json({ attachment });
    },
  );

  r.get(
    '/:id/attachments/:attachmentId',
    'case.read',
    {
      summary: { en: 'Download a case’s attachment', zh: '下载整改材料' },
      params: { id: idParam.shape.id, attachmentId: attachmentParams.shape.attachmentId },
      files: ['application/octet-stream'],
    },
    async (req, res) => {
      const { id, attachmentId } = attachmentParams.parse(req.params);
      const { attachment, path } = await service.file(id, attachmentId, tenantOf(res));
      const bytes = await readFile(path);
      res.setHeader('content-type', 'application/octet-stream');
      res.setHeader('content-disposition', contentDisposition(attachment.name));
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('content-security-policy', "sandbox; default-src 'none'");
      res.setHeader('cache-control', 'private, no-store');
      res.end(bytes);
    },
  );

  r.delete(
    '/:id/attachments/:attachmentId',
    'case.read',
    {
      summary: { en: 'Delete an attachment (its party, while the case allows)', zh: '删除整改材料' },
      description: 'the enterprise: its material not yet submitted; staff: the bureau’s files while the case is not closed',
      params: { id: idParam.shape.id, attachmentId: attachmentParams.shape.attachmentId },
      status: 204,
      refusals: [409],
    },
    mayAttach,
    async (req, res) => {
      const { id, attachmentId } = attachmentParams.parse(req.params);
      await service.detach(id, attachmentId, actorOf(req, res));
      res.status(204).end();
    },
  );

  return r.router;
}
