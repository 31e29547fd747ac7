/** One source's stored data: series of any data kind and range, its limits, its raw HJ 212 frames. */
import type { LimitView } from '@domain/limit-pack';
import type { RawFrameView } from '@domain/raw-frame';
import type { DataKind } from '@domain/reading';
import type { SeriesAnswer } from '@domain/retention';
import { isItems, isRawFrame, isSeriesAnswer, isSourceRules } from './guards';
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
