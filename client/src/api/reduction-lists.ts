/**
 * Emission-reduction lists over REST (server/http/reduction-lists-router.ts; issue 18): the coverage
 * report, a list with what applies at each level, the enterprise's acknowledgement, and the bureau's
 * workbook (import with a dry run; export is a download link). The server scopes every answer.
 */
import type { ListStanding } from '@domain/reduction-list';
import type { ReductionAck, ReductionCoverageRow, ReductionListAnswer } from '@domain/reduction-list-api';
import { isAnyObject } from './guards';
import { requestJson, requestWithFile } from './rest';

export type { ReductionAck, ReductionCoverageRow, ReductionListAnswer };

type Fetch = typeof fetch;
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

const isCoverageRow = (v: unknown): v is ReductionCoverageRow =>
  isAnyObject(v) && isStr(v['enterpriseId']) && isStr(v['name']) && isStr(v['standing']) && isNum(v['entries']);
const isCoverage = (v: unknown): v is { today: string; items: ReductionCoverageRow[] } =>
  isAnyObject(v) && isStr(v['today']) && Array.isArray(v['items']) && v['items'].every(isCoverageRow);
const isAnswer = (v: unknown): v is ReductionListAnswer =>
  isAnyObject(v) &&
  isAnyObject(v['list']) &&
  Array.isArray(v['list']['entries']) &&
  Array.isArray(v['versions']) &&
  isAnyObject(v['applies']) &&
  Array.isArray(v['acknowledgements']);
const isAck = (v: unknown): v is { acknowledgement: ReductionAck } =>
  isAnyObject(v) && isAnyObject(v['acknowledgement']) && isNum(v['acknowledgement']['at']);

export interface CoverageFilter {
  standing?: ListStanding | '';
  district?: string;
}

export function fetchCoverage(f: CoverageFilter = {}, fetchFn?: Fetch) {
  const q = new URLSearchParams();
  if (f.standing) q.set('standing', f.standing);
  if (f.district) q.set('district', f.district);
  const qs = q.toString();
  return requestJson('GET', `/api/reduction-lists${qs ? `?${qs}` : ''}`, isCoverage, undefined, fetchFn);
}

const listPath = (enterpriseId: string, year: number) => `/api/reduction-lists/${encodeURIComponent(enterpriseId)}/${year}`;

export const fetchReductionList = (enterpriseId: string, year: number, version?: number, fetchFn?: Fetch) =>
  requestJson('GET', `${listPath(enterpriseId, year)}${version ? `?version=${version}` : ''}`, isAnswer, undefined, fetchFn);

export const acknowledgeReductionList = async (enterpriseId: string, year: number, fetchFn?: Fetch) =>
  (await requestJson('POST', `${listPath(enterpriseId, year)}/acknowledge`, isAck, undefined, fetchFn)).acknowledgement;

export const reductionExportUrl = (year: number) => `/api/reduction-lists/export?year=${year}`;

export interface ReductionRefusal {
  sheet: string;
  row: number;
  column?: string;
  reason: string;
}
export interface ReductionImportResult {
  dryRun: boolean;
  applied: boolean;
  lists: { enterpriseId: string; name: string; year: number; entries: number; version: number }[];
  held: { enterpriseId: string; name: string | null; year: number; rows: number[] }[];
  refused: ReductionRefusal[];
  refusedTotal: number;
}
const isImportResult = (v: unknown): v is ReductionImportResult =>
  isAnyObject(v) &&
  typeof v['dryRun'] === 'boolean' &&
  typeof v['applied'] === 'boolean' &&
  Array.isArray(v['lists']) &&
  Array.isArray(v['held']) &&
  Array.isArray(v['refused']) &&
  isNum(v['refusedTotal']);

export function importReductionFile(file: Blob, type: string, dryRun: boolean, fetchFn?: Fetch): Promise<ReductionImportResult> {
  return requestWithFile('POST', `/api/reduction-lists/import?dryRun=${dryRun}`, isImportResult, type, file, fetchFn);
}
