/**
 * One source's stored data: series of any data kind and range, its limits, its raw HJ 212 frames;
 * and the overview's compact points, the cards in view by MN and the summary's counts.
 */
import type { LimitView } from '@domain/limit-pack';
import type { RawFrameView } from '@domain/raw-frame';
import type { DataKind } from '@domain/reading';
import type { SeriesAnswer } from '@domain/retention';
import { SOURCE_STATUSES, type SourceView } from '@domain/events';
import type { SourcePoint } from '@domain/source-query';
import type { SourceSummary } from '@domain/source-summary';
import { arrayOf, isNum, isObj, isStr, oneOf, type Obj } from './guard-kit';
import { isItems, isRawFrame, isSeriesAnswer, isSourceRules, isSourceView } from './guards';
import { requestJson } from './rest';

type Fetch = typeof fetch;
const base = (mn: string): string => `/api/sources/${encodeURIComponent(mn)}`;

export interface SeriesQuery {
  factor: string;
  cn: DataKind;
  from: number;
  to: number;
}

/** The points and their resolution: the stored data, or hourly / daily means over long ranges (the server chooses). */
export async function fetchSeriesRange(mn: string, q: SeriesQuery, fetchFn: Fetch = fetch): Promise<SeriesAnswer> {
  const query = new URLSearchParams({ factor: q.factor, cn: q.cn, from: String(q.from), to: String(q.to) });
  return requestJson('GET', `${base(mn)}/series?${query}`, isSeriesAnswer, undefined, fetchFn);
}

/** The limits that apply to the source, per factor. */
export async function fetchSourceLimits(mn: string, fetchFn: Fetch = fetch): Promise<Record<string, LimitView>> {
  return (await requestJson('GET', `/api/rules/sources/${encodeURIComponent(mn)}`, isSourceRules, undefined, fetchFn)).limits;
}

export async function fetchRawFrames(mn: string, from: number, to: number, limit = 500, fetchFn: Fetch = fetch): Promise<RawFrameView[]> {
  const query = new URLSearchParams({ from: String(from), to: String(to), limit: String(limit) });
  return (await requestJson('GET', `${base(mn)}/frames?${query}`, isItems(isRawFrame), undefined, fetchFn)).items;
}

/** One compact point of GET /api/sources/points: [mn, lon, lat, status, enterpriseId]. */
export const isSourcePoint = (v: unknown): v is SourcePoint =>
  Array.isArray(v) && v.length === 5 && isStr(v[0]) && isNum(v[1]) && isNum(v[2]) && oneOf(SOURCE_STATUSES)(v[3]) && isStr(v[4]);

/** Every source the user may see, compact (the overview's map and its list of cards). */
export async function fetchSourcePoints(fetchFn: Fetch = fetch): Promise<SourcePoint[]> {
  return (await requestJson('GET', '/api/sources/points', isItems(isSourcePoint), undefined, fetchFn)).items;
}

/** The most MNs one request names (the server's limit). */
export const MNS_PER_REQUEST = 200;

/** These sources with their latest values and status (the cards in view); unknown or unseen MNs are left out. */
export async function fetchSourcesByMn(mns: readonly string[], fetchFn: Fetch = fetch): Promise<SourceView[]> {
  const query = new URLSearchParams({ mn: mns.join(',') });
  return (await requestJson('GET', `/api/sources?${query}`, isItems(isSourceView), undefined, fetchFn)).items;
}

const isCounts = (v: unknown): boolean =>
  isObj(v) && isNum(v['total']) && isObj(v['byStatus']) && SOURCE_STATUSES.every((s) => isNum((v['byStatus'] as Obj)[s]));

export const isSourceSummary = (v: unknown): v is SourceSummary =>
  isCounts(v) &&
  arrayOf((d: unknown): d is SourceSummary['byDistrict'][number] => isCounts(d) && isStr((d as Obj)['district']))(
    (v as Obj)['byDistrict'],
  ) &&
  isObj((v as Obj)['alerts']) &&
  ['open', 'active', 'unacknowledged'].every((k) => isNum(((v as Obj)['alerts'] as Obj)[k]));

/** The overview's counts (by status, kind, district, industry; the open alerts) of what the user may see. */
export async function fetchSourceSummary(fetchFn: Fetch = fetch): Promise<SourceSummary> {
  return requestJson('GET', '/api/sources/summary', isSourceSummary, undefined, fetchFn);
}
