/**
 * Special-control campaigns over REST (shapes from server/domain/campaign.ts), plus the runtime
 * checks of the campaign socket events. The server scopes what an enterprise sees.
 */
import type { Campaign, CampaignCompliance, CampaignLevel, CampaignMeasure, CampaignNotice, CampaignReport, CampaignState, CampaignTarget } from '@domain/campaign';
import type { CampaignEvent, CampaignNoticeEvent } from '@domain/events';
import type { SourceKind } from '@domain/source-kinds';
import { ApiError, requestJson } from './rest';

type Fetch = typeof fetch;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNumOrNull = (v: unknown): v is number | null => v === null || isNum(v);
const isStrArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);

const STATES = new Set<string>(['draft', 'active', 'ended', 'cancelled']);
const LEVELS = new Set<string>(['light', 'yellow', 'orange', 'red']);

const isMeasure = (v: unknown): v is CampaignMeasure => isObj(v) && isStr(v['id']) && isStr(v['zh']) && isStr(v['en']);

export const isCampaign = (v: unknown): v is Campaign =>
  isObj(v) &&
  isNum(v['id']) &&
  isStr(v['name']) &&
  LEVELS.has(v['level'] as string) &&
  STATES.has(v['state'] as string) &&
  isNum(v['from']) &&
  isNum(v['to']) &&
  isNum(v['reductionPct']) &&
  Array.isArray(v['measures']) &&
  v['measures'].every(isMeasure) &&
  isStrArray(v['affected']);

export const isNotice = (v: unknown): v is CampaignNotice =>
  isObj(v) && isNum(v['campaignId']) && isStr(v['enterpriseId']) && isNum(v['sentAt']) && isNumOrNull(v['acknowledgedAt']);

export const isCompliance = (v: unknown): v is CampaignCompliance =>
  isObj(v) && isNum(v['campaignId']) && isNum(v['targetPct']) && Array.isArray(v['enterprises']) && v['enterprises'].every((e) => isObj(e) && isStr(e['enterpriseId']) && isStr(e['status']) && Array.isArray(e['items']));

export const isCampaignEvent = (v: unknown): v is CampaignEvent => isObj(v) && isCampaign(v['campaign']);
export const isNoticeEvent = (v: unknown): v is CampaignNoticeEvent =>
  isObj(v) && (v['kind'] === 'sent' || v['kind'] === 'acknowledged') && isCampaign(v['campaign']) && isNotice(v['notice']);

export interface CampaignDetail {
  campaign: Campaign;
  notices: CampaignNotice[];
  /** null while the server could not compute it (never for a draft: it is simply empty). */
  compliance: CampaignCompliance | null;
}

const isDetail = (v: unknown): v is CampaignDetail =>
  isObj(v) && isCampaign(v['campaign']) && Array.isArray(v['notices']) && v['notices'].every(isNotice) && (v['compliance'] === null || isCompliance(v['compliance']));

/** GET /api/campaigns/:id/report (staff). */
export type { CampaignReport } from '@domain/campaign';

const isReport = (v: unknown): v is CampaignReport =>
  isObj(v) && isCampaign(v['campaign']) && typeof v['final'] === 'boolean' && isObj(v['summary']) && Array.isArray(v['enterprises']);

const isCampaignAnswer = (v: unknown): v is { campaign: Campaign } => isObj(v) && isCampaign(v['campaign']);
const isNoticeAnswer = (v: unknown): v is { notice: CampaignNotice } => isObj(v) && isNotice(v['notice']);
const isCampaignList = (v: unknown): v is { items: Campaign[] } => isObj(v) && Array.isArray(v['items']) && v['items'].every(isCampaign);

export async function fetchCampaigns(state?: CampaignState, fetchFn: Fetch = fetch): Promise<Campaign[]> {
  const q = state ? `?state=${state}` : '';
  return (await requestJson('GET', `/api/campaigns${q}`, isCampaignList, undefined, fetchFn)).items;
}

export const fetchCampaign = (id: number, fetchFn: Fetch = fetch): Promise<CampaignDetail> => requestJson('GET', `/api/campaigns/${id}`, isDetail, undefined, fetchFn);

export const fetchCampaignReport = (id: number, fetchFn: Fetch = fetch): Promise<CampaignReport> =>
  requestJson('GET', `/api/campaigns/${id}/report`, isReport, undefined, fetchFn);

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

const isTemplate = (v: unknown): v is MeasureTemplate => isMeasure(v) && (v['window'] === undefined || v['window'] === null || isObj(v['window']));

/**
 * The shipped templates (config/rules/ozone.yaml), used only while the server does not list its
 * own: it names no route for them yet. A deployment that changed the file would see its own ids
 * refused by the server next to the measures field, never silently accepted.
 */
export const FALLBACK_MEASURES: readonly MeasureTemplate[] = [
  { id: 'stop-outdoor-coating', zh: '09:00–17:00 停止户外喷涂、涂装及沥青铺设作业', en: 'Stop outdoor painting, coating and asphalt paving 09:00–17:00', window: { from: '09:00', to: '17:00' }, kinds: ['vocs'] },
  { id: 'pause-voc-steps', zh: '09:00–17:00 暂停涉 VOCs 排放工序', en: 'Pause VOC-emitting process steps 09:00–17:00', window: { from: '09:00', to: '17:00' }, kinds: ['vocs'] },
  { id: 'depot-night-unloading', zh: '油库、加油站夜间（20:00–次日 06:00）卸油', en: 'Fuel depots and stations unload at night only (20:00–06:00)', window: null, kinds: ['vapour'] },
  { id: 'power-nox-tight', zh: '燃煤机组氮氧化物小时均值控制在 35 mg/m³ 以下', en: 'Power plants keep the NOx hourly mean below 35 mg/m³', window: null, kinds: ['cems'] },
  { id: 'cut-production', zh: '按应急减排清单限产，氮氧化物、VOCs 排放削减不少于目标比例', en: 'Cut production per the emergency reduction list; NOx and VOCs emissions down by at least the target', window: null, kinds: ['cems', 'vocs'] },
];

/** Where the server would list its templates; a 404 means "not offered": the fallback is used. */
export const MEASURES_PATH = '/api/ozone/measures';

export async function fetchMeasureTemplates(fetchFn: Fetch = fetch): Promise<{ items: MeasureTemplate[]; fromServer: boolean }> {
  const isList = (v: unknown): v is { items: MeasureTemplate[] } => isObj(v) && Array.isArray(v['items']) && v['items'].length > 0 && v['items'].every(isTemplate);
  try {
    const { items } = await requestJson('GET', MEASURES_PATH, isList, undefined, fetchFn);
    return { items: items.map((m) => ({ ...m, window: m.window ?? null, kinds: m.kinds ?? [] })), fromServer: true };
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 501)) return { items: [...FALLBACK_MEASURES], fromServer: false };
    throw err;
  }
}
