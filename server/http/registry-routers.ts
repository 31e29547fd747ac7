/**
 * The registry's REST API (issue 14): enterprises, sources and facilities administered in the
 * product. Reads: every role (`registry.read`), an enterprise user its own enterprise only (another
 * enterprise's file answers 404). Writes: administrators (`registry.write`), through RegistryAdmin,
 * which stores, audits and makes the change live. Bodies are the domain schemas (strict; a PATCH
 * names only what changes, null clears an optional field). Logger credentials are never read back.
 *
 *   GET    /api/enterprises                 → {items: EnterpriseSummary[]}
 *   GET    /api/enterprises/:id             → EnterpriseFile {enterprise, sources, facilities, gradeHistory}
 *   POST   /api/enterprises                 Enterprise → 201 {enterprise}; 409 duplicate
 *   PATCH  /api/enterprises/:id             partial, gradeReason when grade changes → {enterprise}
 *   DELETE /api/enterprises/:id             → 204; 409 while it has sources or facilities
 *   POST   /api/sources                     Source without pw/mqttPassword → 201 {source, credentials}
 *   PATCH  /api/sources/:mn                 partial → {source}
 *   POST   /api/sources/:mn/credentials     → {credentials} (both rotated)
 *   DELETE /api/sources/:mn                 → 204; 409 while an outlet or a facility refers to it
 *   GET    /api/facilities?enterpriseId=    → {items}
 *   POST   /api/facilities                  Facility → 201 {facility}
 *   PATCH  /api/facilities/:id              partial → {facility}
 *   DELETE /api/facilities/:id              → 204; 409 while another facility serves it
 *   GET    /api/registry/sources?q=&kind=&district=&enterpriseId=&onboarding=&sort=&order=&page=&pageSize=
 *          → SourceListPage {items, total, page, pageSize}: one page of the sources (enterprise name,
 *          district, limits count and onboarding state joined), an enterprise user's own only
 */
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { clientIp } from '../auth/auth-router';
import { principalOf } from '../auth/auth-middleware';
import type { Enterprise, Registry } from '../domain/registry';
import { registryInScope } from '../domain/access';
import {
  enterpriseAnswerSchema,
  enterpriseFileSchema,
  enterpriseSummarySchema,
  facilityAnswerSchema,
  itemsOf,
  loggerCredentialsSchema,
  sourceFileSchema,
  sourceListPageSchema,
} from '../domain/api-schemas';
import { enterpriseSchema, facilitySchema, mnSchema, enterpriseById } from '../domain/registry';
import {
  enterprisePatchSchema,
  facilityPatchSchema,
  newEnterpriseSchema,
  newFacilitySchema,
  newSourceSchema,
  sourceFileOf,
  sourcePatchSchema,
  type EnterpriseFile,
  type EnterprisePatch,
  type EnterpriseSummary,
  type FacilityPatch,
  type SourcePatch,
} from '../domain/registry-api';
import type { RegistryView } from '../domain/registry-view';
import { sourceListQuerySchema } from '../domain/source-list';
import type { RegistryAdmin } from '../registry/registry-admin';
import { listSources } from '../registry/source-list-index';
import { routes, scopeOfCaller, sees } from './access';
import { HttpError } from './errors';
import { sourcesOf } from '../domain/registry';

export interface RegistryPorts {
  view: RegistryView;
  admin: RegistryAdmin;
}

const who = (req: Request, res: Response) => [principalOf(res), clientIp(req)] as const;

const param = (req: Request, name: string): string => req.params[name] as string;

/** The part of the registry the caller sees (a department user: its sites, their enterprises and facilities). */
const visibleRegistry = (res: Response, view: RegistryView): Registry => registryInScope(view.current(), scopeOfCaller(res));

/** The enterprise, when the caller may see it; else 404 (another enterprise's file does not exist for it). */
function visibleEnterprise(reg: Registry, id: string): Enterprise {
  const e = enterpriseById(reg.enterprises, id);
  if (!e) throw new HttpError(404, 'not_found', `enterprise "${id}" is not registered`);
  return e;
}

export function enterprisesRouter({ view, admin }: RegistryPorts): Router {
  const r = routes();
  r.get(
    '/',
    'registry.read',
    { summary: { en: 'List enterprises with their counts', zh: '企业列表' }, response: itemsOf(enterpriseSummarySchema) },
    (_req, res) => {
      const reg = visibleRegistry(res, view);
      const count = (items: readonly { enterpriseId: string }[]) => {
        const n = new Map<string, number>();
        for (const i of items) n.set(i.enterpriseId, (n.get(i.enterpriseId) ?? 0) + 1);
        return n;
      };
      const [sources, facilities] = [count(reg.sources), count(reg.facilities ?? [])];
      const items: EnterpriseSummary[] = reg.enterprises.map((e) => ({
        ...e,
        sourceCount: sources.get(e.id) ?? 0,
        facilityCount: facilities.get(e.id) ?? 0,
      }));
      res.json({ items });
    },
  );
  r.get(
    '/:id',
    'registry.read',
    {
      summary: { en: 'One enterprise’s file (一企一档)', zh: '一企一档' },
      params: { id: enterpriseSchema.shape.id },
      response: enterpriseFileSchema,
    },
    async (req, res) => {
      const reg = visibleRegistry(res, view);
      const enterprise = visibleEnterprise(reg, param(req, 'id'));
      const file: EnterpriseFile = {
        enterprise,
        sources: sourcesOf(reg.sources, enterprise.id).map(sourceFileOf),
        facilities: (reg.facilities ?? []).filter((f) => f.enterpriseId === enterprise.id),
        // Its performance grades are the enterprise's and the bureau's business, not a department's.
        gradeHistory: sees(res, enterprise.id) ? await admin.gradeHistory(enterprise.id) : [],
      };
      res.json(file);
    },
  );
  r.post(
    '/',
    'registry.write',
    {
      summary: { en: 'Add an enterprise', zh: '新增企业' },
      body: newEnterpriseSchema,
      status: 201,
      response: z.object({ enterprise: enterpriseAnswerSchema }),
      refusals: [409],
    },
    async (req, res) => {
      const body = newEnterpriseSchema.parse(req.body);
      res.status(201).json({ enterprise: await admin.createEnterprise(body, ...who(req, res)) });
    },
  );
  r.patch(
    '/:id',
    'registry.write',
    {
      summary: { en: 'Change an enterprise', zh: '修改企业' },
      params: { id: enterpriseSchema.shape.id },
      body: enterprisePatchSchema,
      response: z.object({ enterprise: enterpriseAnswerSchema }),
      refusals: [409],
    },
    async (req, res) => {
      const patch = enterprisePatchSchema.parse(req.body) as EnterprisePatch;
      res.json({ enterprise: await admin.updateEnterprise(param(req, 'id'), patch, ...who(req, res)) });
    },
  );
  r.delete(
    '/:id',
    'registry.write',
    { summary: { en: 'Remove an enterprise', zh: '删除企业' }, params: { id: enterpriseSchema.shape.id }, status: 204, refusals: [409] },
    async (req, res) => {
      await admin.deleteEnterprise(param(req, 'id'), ...who(req, res));
      res.status(204).end();
    },
  );
  return r.router;
}

/** Mounted beside the sources read router (/api/sources). */
export function sourceAdminRouter({ admin }: RegistryPorts): Router {
  const r = routes();
  r.post(
    '/',
    'registry.write',
    {
      summary: { en: 'Add a source (credentials shown once)', zh: '新增监测点' },
      body: newSourceSchema,
      status: 201,
      response: z.object({ source: sourceFileSchema, credentials: loggerCredentialsSchema }),
      refusals: [409],
    },
    async (req, res) => {
      const body = newSourceSchema.parse(req.body);
      const { source, credentials } = await admin.createSource(body, ...who(req, res));
      res.status(201).json({ source: sourceFileOf(source), credentials });
    },
  );
  r.patch(
    '/:mn',
    'registry.write',
    {
      summary: { en: 'Change a source', zh: '修改监测点' },
      params: { mn: mnSchema },
      body: sourcePatchSchema,
      response: z.object({ source: sourceFileSchema }),
      refusals: [409],
    },
    async (req, res) => {
      const patch = sourcePatchSchema.parse(req.body) as SourcePatch;
      res.json({ source: sourceFileOf(await admin.updateSource(param(req, 'mn'), patch, ...who(req, res))) });
    },
  );
  r.post(
    '/:mn/credentials',
    'registry.write',
    {
      summary: { en: 'Rotate a logger’s credentials (shown once)', zh: '重置数采仪密码' },
      params: { mn: mnSchema },
      response: z.object({ credentials: loggerCredentialsSchema }),
    },
    async (req, res) => {
      res.json({ credentials: await admin.rotateCredentials(param(req, 'mn'), ...who(req, res)) });
    },
  );
  r.delete(
    '/:mn',
    'registry.write',
    { summary: { en: 'Remove a source', zh: '删除监测点' }, params: { mn: mnSchema }, status: 204, refusals: [409] },
    async (req, res) => {
      await admin.deleteSource(param(req, 'mn'), ...who(req, res));
      res.status(204).end();
    },
  );
  return r.router;
}

const facilitiesQuery = z.object({ enterpriseId: z.string().min(1).max(100).optional() }).strict();

export function facilitiesRouter({ view, admin }: RegistryPorts): Router {
  const r = routes();
  r.get(
    '/',
    'registry.read',
    {
      summary: { en: 'List facilities', zh: '设施列表' },
      query: facilitiesQuery,
      response: itemsOf(facilityAnswerSchema),
      refusals: [404],
    },
    (req, res) => {
      const { enterpriseId } = facilitiesQuery.parse(req.query);
      const reg = visibleRegistry(res, view);
      if (enterpriseId !== undefined) visibleEnterprise(reg, enterpriseId);
      const items = (reg.facilities ?? []).filter((f) => enterpriseId === undefined || f.enterpriseId === enterpriseId);
      res.json({ items });
    },
  );
  r.post(
    '/',
    'registry.write',
    {
      summary: { en: 'Add a facility', zh: '新增设施' },
      body: newFacilitySchema,
      status: 201,
      response: z.object({ facility: facilityAnswerSchema }),
      refusals: [409],
    },
    async (req, res) => {
      const body = newFacilitySchema.parse(req.body);
      res.status(201).json({ facility: await admin.createFacility(body, ...who(req, res)) });
    },
  );
  r.patch(
    '/:id',
    'registry.write',
    {
      summary: { en: 'Change a facility', zh: '修改设施' },
      params: { id: facilitySchema.shape.id },
      body: facilityPatchSchema,
      response: z.object({ facility: facilityAnswerSchema }),
      refusals: [409],
    },
    async (req, res) => {
      const patch = facilityPatchSchema.parse(req.body) as FacilityPatch;
      res.json({ facility: await admin.updateFacility(param(req, 'id'), patch, ...who(req, res)) });
    },
  );
  r.delete(
    '/:id',
    'registry.write',
    { summary: { en: 'Remove a facility', zh: '删除设施' }, params: { id: facilitySchema.shape.id }, status: 204, refusals: [409] },
    async (req, res) => {
      await admin.deleteFacility(param(req, 'id'), ...who(req, res));
      res.status(204).end();
    },
  );
  return r.router;
}

/** Mounted beside the registry's import and export (/api/registry): the paged source list. */
export function registrySourcesRouter(view: RegistryView): Router {
  const r = routes();
  r.get(
    '/sources',
    'registry.read',
    {
      summary: { en: 'The registry’s sources, one page', zh: '监测点档案分页' },
      query: sourceListQuerySchema,
      response: sourceListPageSchema,
    },
    (req, res) => {
      const query = sourceListQuerySchema.parse(req.query);
      res.json(listSources(view.current(), query, scopeOfCaller(res)));
    },
  );
  return r.router;
}
