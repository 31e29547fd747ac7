/**
 * Special-control campaigns over REST (shapes from server/domain/campaign.ts), plus the runtime
 * checks of the campaign socket events. The server scopes what an enterprise sees.
 */
import type {
  Campaign,
  CampaignDetail,
  CampaignLevel,
  CampaignMeasure,
  CampaignNotice,
  CampaignReport,
  CampaignState,
  CampaignTarget,
} from '@domain/campaign';
import { SOURCE_KINDS, type SourceKind } from '@domain/source-kinds';
import { isCampaign, isCampaignDetail, isCampaignReport, isMeasure, isNotice } from './control-guards';
import { arrayOf, isAnswer, isItems, isObj, oneOf, optional } from './guard-kit';
import { ApiError, requestJson } from './rest';

type Fetch = typeof fetch;

export { isCampaign, isCampaignEvent, isCompliance, isNotice, isNoticeEvent } from './control-guards';

export type { CampaignDetail } from '@domain/campaign';

/** GET /api/campaigns/:id/report (staff). */
export type { CampaignReport } from '@domain/campaign';

const isCampaignAnswer = isAnswer('campaign', isCampaign);
const isNoticeAnswer = isAnswer('notice', isNotice);
const isCampaignList = isItems(isCampaign);

export async function fetchCampaigns(state?: CampaignState, fetchFn: Fetch = fetch): Promise<Campaign[]> {
  const q = state ? `?state=${state}` : '';
  return (await requestJson('GET', `/api/campaigns${q}`, isCampaignList, undefined, fetchFn)).items;
}

export const fetchCampaign = (id: number, fetchFn: Fetch = fetch): Promise<CampaignDetail> =>
  requestJson('GET', `/api/campaigns/${id}`, isCampaignDetail, undefined, fetchFn);

export const fetchCampaignReport = (id: number, fetchFn: Fetch = fetch): Promise<CampaignReport> =>
  requestJson('GET', `/api/campaigns/${id}/report`, isCampaignReport, undefined, fetchFn);

export interface CampaignRequest {
  name: string;
  level: CampaignLevel;
  from: number;
  to: number;
  target: Partial<CampaignTarget>;
  measures: string[];
  reductionPct?: number;
  note?: string;
}

export async function createCampaign(req: CampaignRequest, fetchFn: Fetch = fetch): Promise<Campaign> {
  return (await requestJson('POST', '/api/campaigns', isCampaignAnswer, req, fetchFn)).campaign;
}

export type CampaignAction = 'activate' | 'end' | 'cancel';

export async function campaignAction(id: number, action: CampaignAction, fetchFn: Fetch = fetch): Promise<Campaign> {
  return (await requestJson('POST', `/api/campaigns/${id}/${action}`, isCampaignAnswer, {}, fetchFn)).campaign;
}

export async function acknowledgeCampaign(id: number, note: string | undefined, fetchFn: Fetch = fetch): Promise<CampaignNotice> {
  return (await requestJson('POST', `/api/campaigns/${id}/acknowledge`, isNoticeAnswer, note ? { note } : {}, fetchFn)).notice;
}

/** A measure template a campaign may name (config/rules/ozone.yaml `measures`). */
export interface MeasureTemplate extends CampaignMeasure {
  kinds: SourceKind[];
}

/** The server leaves `window` out of an all-day measure (config/rules/ozone.yaml). */
const isTemplate = (v: unknown): v is MeasureTemplate =>
  isObj(v) && isMeasure({ ...v, window: v['window'] ?? null }) && optional(arrayOf(oneOf(SOURCE_KINDS)))(v['kinds']);

/**
 * The shipped templates (config/rules/ozone.yaml), used only while the server does not list its
 * own: it names no route for them yet. A deployment that changed the file would see its own ids
 * refused by the server next to the measures field, never silently accepted.
 */
export const FALLBACK_MEASURES: readonly MeasureTemplate[] = [
  {
    id: 'stop-outdoor-coating',
    zh: '09:00–17:00 停止户外喷涂、涂装及沥青铺设作业',
    en: 'Stop outdoor painting, coating and asphalt paving 09:00–17:00',
    window: { from: '09:00', to: '17:00' },
    kinds: ['vocs'],
  },
  {
    id: 'pause-voc-steps',
    zh: '09:00–17:00 暂停涉 VOCs 排放工序',
    en: 'Pause VOC-emitting process steps 09:00–17:00',
    window: { from: '09:00', to: '17:00' },
    kinds: ['vocs'],
  },
  {
    id: 'depot-night-unloading',
    zh: '油库、加油站夜间（20:00–次日 06:00）卸油',
    en: 'Fuel depots and stations unload at night only (20:00–06:00)',
    window: null,
    kinds: ['vapour'],
  },
  {
    id: 'power-nox-tight',
    zh: '燃煤机组氮氧化物小时均值控制在 35 mg/m³ 以下',
    en: 'Power plants keep the NOx hourly mean below 35 mg/m³',
    window: null,
    kinds: ['cems'],
  },
  {
    id: 'cut-production',
    zh: '按应急减排清单限产，氮氧化物、VOCs 排放削减不少于目标比例',
    en: 'Cut production per the emergency reduction list; NOx and VOCs emissions down by at least the target',
    window: null,
    kinds: ['cems', 'vocs'],
  },
];

/** Where the server would list its templates; a 404 means "not offered": the fallback is used. */
export const MEASURES_PATH = '/api/ozone/measures';

export async function fetchMeasureTemplates(fetchFn: Fetch = fetch): Promise<{ items: MeasureTemplate[]; fromServer: boolean }> {
  const isList = (v: unknown): v is { items: MeasureTemplate[] } => isItems(isTemplate)(v) && v.items.length > 0;
  try {
    const { items } = await requestJson('GET', MEASURES_PATH, isList, undefined, fetchFn);
    return { items: items.map((m) => ({ ...m, window: m.window ?? null, kinds: m.kinds ?? [] })), fromServer: true };
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 501)) return { items: [...FALLBACK_MEASURES], fromServer: false };
    throw err;
  }
}
