/**
 * Special-control campaigns over REST. Staff (admin, officer, ozone) see every campaign; the
 * ozone centre and admins manage them; an enterprise user sees only the campaigns that affect its
 * enterprise (others are 404), only its own notice and compliance, and acknowledges its notice.
 *
 * GET  /api/campaigns?state                  → {items: Campaign[]}  newest first
 * GET  /api/campaigns/:id                    → {campaign, notices, compliance}
 * POST /api/campaigns                        (ozone, admin) {name, level, from, to, target: {enterpriseIds?, kinds?,
 *                                             districts?}, measures: [templateId], reductionPct?, note?} → 201 {campaign}
 * POST /api/campaigns/:id/activate           (ozone, admin) → {campaign}  notices sent, pushed live
 * POST /api/campaigns/:id/end                (ozone, admin) → {campaign}  the final compliance is kept
 * POST /api/campaigns/:id/cancel             (ozone, admin) → {campaign}
 * POST /api/campaigns/:id/acknowledge {note?} (an affected enterprise's user) → {notice}
 * GET  /api/campaigns/:id/report             (staff) → CampaignReport: who acknowledged, who complied
 */
import type { Response, Router } from 'express';
import { z } from 'zod';
import { CampaignError, type CampaignService } from '../control/campaign-service';
import type { OzoneRules } from '../control/ozone-rules';
import { CAMPAIGN_LEVELS, CAMPAIGN_STATES, campaignForEnterprise, type Campaign, type CampaignDetail } from '../domain/campaign';
import { derived } from '../domain/registry-derived';
import { campaignNoticeSchema, campaignSchema, described, itemsOf } from '../domain/api-schemas';
import type { RegistryView } from '../domain/registry-view';
import { SOURCE_KINDS } from '../domain/source-kinds';
import { actorOf, routes, tenantOf } from './access';
import { idParam, instant, text } from './alert-params';
import { HttpError } from './errors';

const DAY_MS = 86_400_000;

function createBody(registry: RegistryView, rules: OzoneRules, now: () => number) {
  // Checked against the registry as it is when the campaign is created.
  const known = derived(registry, (r) => ({
    enterprises: new Set(r.enterprises.map((e) => e.id)),
    districts: new Set(r.enterprises.map((e) => e.district)),
  }));
  const unknownEnterprise = { error: (i: { input: unknown }) => `unknown enterprise "${String(i.input)}"` };
  const unknownDistrict = { error: (i: { input: unknown }) => `unknown district "${String(i.input)}"` };
  const measures = new Set(rules.measures.map((m) => m.id));
  const unique = <T>(xs: T[]) => new Set(xs).size === xs.length;
  return z
    .object({
      name: text(200),
      level: z.enum(CAMPAIGN_LEVELS),
      from: instant,
      to: instant,
      target: z
        .object({
          enterpriseIds: z
            .array(z.string().refine((id) => known().enterprises.has(id), unknownEnterprise))
            .refine(unique, 'listed twice')
            .default([]),
          kinds: z.array(z.enum(SOURCE_KINDS)).refine(unique, 'listed twice').default([]),
          districts: z
            .array(z.string().refine((d) => known().districts.has(d), unknownDistrict))
            .refine(unique, 'listed twice')
            .default([]),
        })
        .strict()
        .refine((t) => t.enterpriseIds.length + t.kinds.length + t.districts.length > 0, 'name enterpriseIds, kinds or districts'),
      measures: z
        .array(
          z
            .string()
            .refine((m) => measures.has(m), { error: (i) => `unknown measure "${String(i.input)}"; one of ${[...measures].join(', ')}` }),
        )
        .min(1, 'choose at least one measure')
        .refine(unique, 'listed twice'),
      reductionPct: z.number().gt(0, 'must be above 0').max(100, 'must be at most 100').optional(),
      note: text(2000).optional(),
    })
    .strict()
    .superRefine((b, ctx) => {
      if (b.from >= b.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
      else if (b.to - b.from > rules.campaigns.maxDays * DAY_MS)
        ctx.addIssue({ code: 'custom', path: ['to'], message: `a campaign lasts at most ${rules.campaigns.maxDays} days` });
      if (b.to <= now()) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be in the future' });
    });
}

const listQuery = z.object({ state: z.enum(CAMPAIGN_STATES).optional() }).strict();
const ackBody = z.object({ note: text(2000).optional() }).strict();

export function campaignsRouter(
  campaigns: CampaignService,
  registry: RegistryView,
  rules: OzoneRules,
  now: () => number = Date.now,
): Router {
  const r = routes();
  const body = createBody(registry, rules, now);

  /** The campaign as the caller may see it; 404 for an enterprise it does not affect (or a draft). */
  const visible = async (res: Response, raw: unknown): Promise<{ campaign: Campaign; tenant: string | null }> => {
    const { id } = idParam.parse(raw);
    const c = await campaigns.get(id);
    const tenant = tenantOf(res);
    if (!c || (tenant !== null && !c.affected.includes(tenant))) throw new HttpError(404, 'not_found', `campaign ${id} not found`);
    return { campaign: tenant === null ? c : campaignForEnterprise(c, tenant), tenant };
  };
  const act = async <T>(f: () => T | Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (err) {
      if (err instanceof CampaignError) throw new HttpError(err.kind === 'not_found' ? 404 : 409, err.kind, err.message);
      throw err;
    }
  };

  r.get(
    '/',
    'campaigns.read',
    { summary: { en: 'List special-control campaigns', zh: '管控行动列表' }, query: listQuery, response: itemsOf(campaignSchema) },
    async (req, res) => {
      const q = listQuery.parse(req.query);
      const tenant = tenantOf(res);
      const all = (await campaigns.list()).filter((c) => q.state === undefined || c.state === q.state);
      res.json({
        items: tenant === null ? all : all.filter((c) => c.affected.includes(tenant)).map((c) => campaignForEnterprise(c, tenant)),
      });
    },
  );

  r.get(
    '/:id',
    'campaigns.read',
    {
      summary: { en: 'One campaign, its notices and compliance', zh: '管控行动详情' },
      params: { id: idParam.shape.id },
      response: described('CampaignDetail', 'CampaignDetail (server/domain/campaign.ts)'),
    },
    async (req, res) => {
      const { campaign, tenant } = await visible(res, req.params);
      const notices = (await campaigns.notices(campaign.id)).filter((n) => tenant === null || n.enterpriseId === tenant);
      const compliance = await campaigns.compliance(campaign, tenant === null ? undefined : [tenant]);
      res.json({ campaign, notices, compliance } satisfies CampaignDetail);
    },
  );

  r.get(
    '/:id/report',
    'campaigns.report',
    {
      summary: { en: 'A campaign’s report: who acknowledged, who complied', zh: '管控行动报告' },
      params: { id: idParam.shape.id },
      response: described('CampaignReport', 'CampaignReport (server/domain/campaign.ts)'),
      refusals: [409],
    },
    async (req, res) => {
      const { campaign } = await visible(res, req.params);
      res.json(await act(() => campaigns.report(campaign)));
    },
  );

  r.post(
    '/',
    'campaigns.write',
    {
      summary: { en: 'Create a campaign (draft)', zh: '新建管控行动' },
      body,
      status: 201,
      response: z.object({ campaign: campaignSchema }),
      refusals: [409],
    },
    async (req, res) => {
      const b = body.parse(req.body ?? {});
      res.status(201).json({ campaign: await act(() => campaigns.create(b, actorOf(res))) });
    },
  );

  r.post(
    '/:id/activate',
    'campaigns.write',
    {
      summary: { en: 'Activate a campaign: notices sent', zh: '启动管控行动' },
      params: { id: idParam.shape.id },
      response: z.object({ campaign: campaignSchema }),
      refusals: [409],
    },
    async (req, res) => {
      const { id } = idParam.parse(req.params);
      res.json({ campaign: await act(() => campaigns.activate(id, actorOf(res))) });
    },
  );

  r.post(
    '/:id/end',
    'campaigns.write',
    {
      summary: { en: 'End a campaign', zh: '结束管控行动' },
      params: { id: idParam.shape.id },
      response: z.object({ campaign: campaignSchema }),
      refusals: [409],
    },
    async (req, res) => {
      const { id } = idParam.parse(req.params);
      res.json({ campaign: await act(() => campaigns.end(id, actorOf(res))) });
    },
  );

  r.post(
    '/:id/cancel',
    'campaigns.write',
    {
      summary: { en: 'Cancel a campaign', zh: '取消管控行动' },
      params: { id: idParam.shape.id },
      response: z.object({ campaign: campaignSchema }),
      refusals: [409],
    },
    async (req, res) => {
      const { id } = idParam.parse(req.params);
      res.json({ campaign: await act(() => campaigns.cancel(id, actorOf(res))) });
    },
  );

  r.post(
    '/:id/acknowledge',
    'campaigns.acknowledge',
    {
      summary: { en: 'Acknowledge the enterprise’s notice', zh: '企业确认管控通知' },
      params: { id: idParam.shape.id },
      body: ackBody,
      response: z.object({ notice: campaignNoticeSchema }),
      refusals: [409],
    },
    async (req, res) => {
      const { campaign, tenant } = await visible(res, req.params);
      if (tenant === null) throw new HttpError(403, 'forbidden', 'only the notified enterprise acknowledges its notice');
      const { note } = ackBody.parse(req.body ?? {});
      res.json({ notice: await act(() => campaigns.acknowledge(campaign.id, tenant, actorOf(res), note ?? null)) });
    },
  );

  return r.router;
}
